"""A real pcscd with vpcd's virtual reader, private to this test run, for the card emulator to connect to.

pcscd runs in the foreground (``pcscd -f``) with its own reader configuration (``-c``: vpcd on two free TCP
ports, one per slot) and its own socket. pcsc-lite 1.9.9's client library honours ``PCSCLITE_CSOCK_NAME`` but its
daemon does not (it always binds ``/run/pcscd/pcscd.comm``), so the fixture hands pcscd a socket it bound itself,
the way systemd's socket activation does (``LISTEN_FDS``/``LISTEN_PID``; pcscd is built with libsystemd), and
points the client at it. When it can (root, ``unshare``), pcscd also runs in a private mount namespace with its own
``/run/pcscd`` (its pid file) and an empty USB driver directory, so it neither touches a system pcscd's files nor
claims a real USB reader. A system pcscd, a parallel test run and this run's pcscd never meet.

The client library reads ``PCSCLITE_CSOCK_NAME`` once per process, at the first ``SCardEstablishContext``: the
fixture sets it before anything here talks PC/SC and checks that the process really reaches its pcscd.

pcsc-lite names a reader FRIENDLYNAME plus its reader and slot numbers: with Debian's /etc/reader.conf.d/vpcd,
vpcd's two slots are ``Virtual PCD 00 00`` and ``Virtual PCD 00 01``. Here FRIENDLYNAME is ``Kiosk Test PCD``, so
the readiness check cannot mistake a system pcscd running vpcd for this one.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SOCKET_ENV = "PCSCLITE_CSOCK_NAME"
FRIENDLY_NAME = "Kiosk Test PCD"
READER_NAMES = (f"{FRIENDLY_NAME} 00 00", f"{FRIENDLY_NAME} 00 01")
READER = READER_NAMES[0]
START_TIMEOUT = 15.0


def _pcscd_binary() -> str:
    found = shutil.which("pcscd") or next(
        (p for p in ("/usr/sbin/pcscd", "/sbin/pcscd") if os.path.exists(p)), ""
    )
    if not found:
        pytest.fail(
            "pcscd is not installed: the social security card tests need a real pcscd "
            "(Debian: apt-get install pcscd vsmartcard-vpcd; scripts/setup.sh does it)",
            pytrace=False,
        )
    return found


def _vpcd_driver() -> str:
    candidates = sorted(
        glob.glob("/usr/lib/pcsc/drivers/serial/libifdvpcd.so*")
        + glob.glob("/usr/lib/*/pcsc/drivers/serial/libifdvpcd.so*")
        + glob.glob("/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so*")
    )
    if not candidates:
        pytest.fail(
            "the vpcd reader driver (libifdvpcd.so) is not installed: the social security card tests need it "
            "(Debian: apt-get install vsmartcard-vpcd; scripts/setup.sh does it)",
            pytrace=False,
        )
    return candidates[0]


def _free_port_pair() -> int:
    """A port P with P and P+1 free on every address (vpcd binds 0.0.0.0, slot 0 on P and slot 1 on P+1)."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("0.0.0.0", 0))
            port = first.getsockname()[1]
            if port >= 65535:
                continue
            with socket.socket() as second:
                try:
                    second.bind(("0.0.0.0", port + 1))
                except OSError:
                    continue
        return port
    pytest.fail("no two consecutive free TCP ports for vpcd", pytrace=False)


def _can_unshare() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "true"], capture_output=True, timeout=10
    )
    return probe.returncode == 0


@dataclass
class PcscDaemon:
    """One pcscd. ``stop()`` and ``start()`` again keep the socket, ports and reader names."""

    directory: Path
    port: int = field(default_factory=_free_port_pair)
    process: subprocess.Popen[bytes] | None = None
    isolated: bool = False

    @property
    def socket_path(self) -> Path:
        return self.directory / "pcscd.comm"

    @property
    def log_path(self) -> Path:
        return self.directory / "pcscd.log"

    @property
    def env(self) -> dict[str, str]:
        """The environment a subprocess needs to reach this pcscd."""
        return {**os.environ, SOCKET_ENV: str(self.socket_path)}

    def start(self) -> None:
        pcscd, driver = _pcscd_binary(), _vpcd_driver()
        conf = self.directory / "reader.conf"
        libpath = "/run/pcscd/libifdvpcd.so" if self.isolated else driver
        conf.write_text(
            f'FRIENDLYNAME "{FRIENDLY_NAME}"\n'
            f"DEVICENAME   /dev/null:{self.port}\n"
            f"LIBPATH      {libpath}\n"
            f"CHANNELID    {self.port}\n"
        )
        self.socket_path.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(str(self.socket_path))
            listener.listen(64)
            os.chmod(self.socket_path, 0o666)
            fd = listener.fileno()
            # pcscd takes an inherited listening socket on fd 3 when LISTEN_PID is its own pid: exec keeps the
            # shell's pid, so the shell can name it. bash, because dash cannot redirect from a two-digit fd.
            activate = f'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" --foreground --debug -c "$1" 3<&{fd}'
            if self.isolated:
                # A private /run/pcscd (pid file) and an empty USB driver directory (no real readers).
                script = (
                    "mkdir -p /run/pcscd && mount -t tmpfs -o size=4m kiosk-pcscd /run/pcscd && "
                    'cp "$2" /run/pcscd/libifdvpcd.so && '
                    f"mount -t tmpfs -o size=1m kiosk-pcscd-nousb /usr/lib/pcsc/drivers && {activate}"
                )
                unshare = ["unshare", "--mount", "--propagation", "private"]
                argv = [*unshare, "bash", "-c", script, pcscd, str(conf), driver]
            else:
                argv = ["bash", "-c", activate, pcscd, str(conf)]
            with self.log_path.open("ab") as log:
                self.process = subprocess.Popen(argv, pass_fds=(fd,), stdout=log, stderr=subprocess.STDOUT)
        finally:
            listener.close()  # pcscd has its copy; a dead pcscd must refuse connections, not leave them hanging
        self._wait_ready()

    def _wait_ready(self) -> None:
        from smartcard import scard

        deadline = time.monotonic() + START_TIMEOUT
        seen: list[str] = []
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                pytest.fail(f"pcscd exited with {self.process.returncode}:\n{self.log_tail()}", pytrace=False)
            hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if hresult == scard.SCARD_S_SUCCESS:
                try:
                    hresult, seen = scard.SCardListReaders(context, [])
                finally:
                    scard.SCardReleaseContext(context)
                if hresult == scard.SCARD_S_SUCCESS and all(name in seen for name in READER_NAMES):
                    return
            time.sleep(0.05)
        self.stop()
        pytest.fail(
            f"pcscd did not offer the vpcd readers {READER_NAMES} within {START_TIMEOUT:.0f} s "
            f"(this process sees {seen or 'no readers'}; {SOCKET_ENV}={os.environ.get(SOCKET_ENV)}; "
            "if another test used PC/SC earlier, libpcsclite already fixed its socket):\n" + self.log_tail(),
            pytrace=False,
        )

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self.socket_path.unlink(missing_ok=True)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no pcscd log)"


@pytest.fixture(scope="module")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PcscDaemon]:
    """A pcscd for the test module, running; the test process's PC/SC client (and any subprocess started with
    ``daemon.env``) is pointed at it until the module is done.

    Every instance in a session uses the same directory, hence the same socket path: libpcsclite keeps the first
    path it read for the life of the process."""
    directory = tmp_path_factory.getbasetemp() / "pcscd"
    directory.mkdir(exist_ok=True)
    daemon = PcscDaemon(directory, isolated=_can_unshare())
    previous = os.environ.get(SOCKET_ENV)
    os.environ[SOCKET_ENV] = str(daemon.socket_path)
    try:
        daemon.start()
        yield daemon
    finally:
        daemon.stop()
        if previous is None:
            os.environ.pop(SOCKET_ENV, None)
        else:
            os.environ[SOCKET_ENV] = previous


@pytest.fixture
def running_pcscd(pcscd: PcscDaemon) -> PcscDaemon:
    """The module's pcscd, started again if an earlier test stopped it."""
    if not pcscd.running:
        pcscd.start()
    return pcscd
