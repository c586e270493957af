"""A throwaway PostgreSQL cluster in a folder of its own, for the center's tests and ``kiosk bench center``.

It runs Debian's PostgreSQL (``apt install postgresql``: /usr/lib/postgresql/<version>/bin, the newest taken),
listening on 127.0.0.1 only, on a free port, with its Unix socket inside the folder; nothing of the system's own
clusters is touched. initdb and postgres refuse to run as root, so as root (CI) they run as the ``postgres``
system user Debian's package makes, the folder given to it. Local connections and the ``postgres`` superuser on
127.0.0.1 need no password; any other role signs in with its password (SCRAM), so a password can be tried.

Settings: ``profile="test"`` trades durability for speed (fsync, synchronous_commit and full_page_writes off: a
crash loses the cluster, which is thrown away anyway); ``profile="bench"`` keeps PostgreSQL's durable defaults
(fsync on, synchronous commits) with room for the bench's connections (max_connections 200, shared_buffers
256MB), so its figures say what a real center would do.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

POSTGRES_ROOT: Final = Path("/usr/lib/postgresql")
SYSTEM_USER: Final = "postgres"
SUPERUSER: Final = "postgres"
START_TIMEOUT_S: Final = 60

PROFILES: Final = {
    "test": {
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "100",
        "shared_buffers": "32MB",
    },
    "bench": {"max_connections": "200", "shared_buffers": "256MB"},
}

_HBA: Final = """\
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
"""


class PostgresUnavailable(RuntimeError):
    """PostgreSQL is not installed, or the cluster would not start; the message says what to do."""


def postgres_bin() -> Path:
    """The bin folder of the newest PostgreSQL installed; :class:`PostgresUnavailable` when there is none."""
    found = []
    if POSTGRES_ROOT.is_dir():
        for entry in POSTGRES_ROOT.iterdir():
            if (entry / "bin" / "initdb").exists() and (entry / "bin" / "pg_ctl").exists():
                with contextlib.suppress(ValueError):
                    found.append((float(entry.name), entry / "bin"))
    if not found:
        raise PostgresUnavailable(
            f"PostgreSQL is not installed (no {POSTGRES_ROOT}/<version>/bin/initdb): "
            "apt install postgresql (scripts/setup.sh does)"
        )
    return max(found)[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgCluster:
    """A running cluster: ``url(database)`` to connect, ``create_database``, ``stop`` (fast shutdown, the folder
    removed). Start one with :func:`start_cluster`."""

    folder: Path
    port: int
    bin: Path
    _as_user: dict[str, Any] = field(default_factory=dict, repr=False)
    _running: bool = True

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str | None = None) -> str:
        credentials = user if password is None else f"{user}:{password}"
        return f"postgresql://{credentials}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the superuser (outside a transaction: CREATE DATABASE may be one)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(statement.encode("utf-8"))

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (``name``: letters, digits and ``_``), copied from ``template`` if given; its URL."""
        for part in (name, *([template] if template else [])):
            if not part.replace("_", "").isalnum():
                raise ValueError(f"not a database name: {part!r}")
        self.sql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        if not name.replace("_", "").isalnum():
            raise ValueError(f"not a database name: {name!r}")
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        """Fast shutdown (connections cut, nothing waited for), then the folder removed."""
        if self._running:
            self._running = False
            subprocess.run(
                [str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast", "-w", "-t", "30"],
                capture_output=True,
                check=False,
                **self._as_user,
            )
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PgCluster:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def start_cluster(parent: Path | None = None, *, profile: str = "test") -> PgCluster:
    """initdb a new cluster in a fresh folder under ``parent`` (default: the system's temporary folder, which the
    ``postgres`` user can reach, unlike pytest's own), and start it on 127.0.0.1:<free port>."""
    if profile not in PROFILES:
        raise ValueError(f"profile is one of {', '.join(PROFILES)}")
    bin_dir = postgres_bin()
    folder = Path(tempfile.mkdtemp(prefix="kiosk-pg-", dir=parent))
    as_user: dict[str, Any] = {}
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            shutil.rmtree(folder, ignore_errors=True)
            raise PostgresUnavailable(
                f"running as root, PostgreSQL needs the {SYSTEM_USER!r} system user (made by Debian's postgresql "
                "package): apt install postgresql"
            ) from None
        if not os.stat("/").st_mode & stat.S_IXOTH:
            shutil.rmtree(folder, ignore_errors=True)
            raise PostgresUnavailable(
                f"the root folder / is not searchable by other users, so the {SYSTEM_USER!r} user cannot run "
                "PostgreSQL: chmod 755 / (scripts/setup.sh does)"
            )
        os.chown(folder, account.pw_uid, account.pw_gid)
        as_user = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
    cluster = PgCluster(folder, 0, bin_dir, as_user)
    try:
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(cluster.data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            as_user,
            "initdb",
        )
        (cluster.data / "pg_hba.conf").write_text(_HBA, encoding="utf-8")
        settings = {
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": str(folder),
            **PROFILES[profile],
        }
        options = " ".join(f"-c {name}={value}" for name, value in settings.items())
        for _attempt in range(3):  # the port may be taken between choosing and binding it
            cluster.port = _free_port()
            started = subprocess.run(
                [
                    str(bin_dir / "pg_ctl"),
                    "start",
                    "-D",
                    str(cluster.data),
                    "-w",
                    "-t",
                    str(START_TIMEOUT_S),
                    "-l",
                    str(folder / "postgres.log"),
                    "-o",
                    f"-p {cluster.port} {options}",
                ],
                capture_output=True,
                text=True,
                check=False,
                **as_user,
            )
            if started.returncode == 0:
                return cluster
            time.sleep(0.2)
        log_text = (folder / "postgres.log").read_text(encoding="utf-8", errors="replace")[-2000:]
        raise PostgresUnavailable(f"PostgreSQL did not start: {started.stderr.strip()}\n{log_text}")
    except BaseException:
        cluster._running = False
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _run(command: list[str], as_user: dict[str, Any], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False, **as_user)
    if done.returncode != 0:
        raise PostgresUnavailable(f"{what} failed: {(done.stderr or done.stdout).strip()[-2000:]}")
