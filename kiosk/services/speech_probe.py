"""Is speech-dispatcher answering? Qt's ``speechd`` text-to-speech engine talks to the speech-dispatcher daemon
over its socket and waits for every answer without a time limit: a daemon that hangs would freeze the touch UI
with it. So before the terminal makes that engine (and before each prompt), this asks the daemon one harmless
question (SSIP ``SET SELF CLIENT_NAME``) with a short timeout, off the UI thread.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 1.5


def socket_path(environ: dict[str, str] | None = None) -> Path | None:
    """Where the daemon listens, as libspeechd looks for it: ``SPEECHD_ADDRESS`` (``unix_socket:PATH``), then
    ``$XDG_RUNTIME_DIR/speech-dispatcher/speechd.sock``, then ``~/.cache/speech-dispatcher/speechd.sock``. None
    when no socket exists yet (the engine starts the daemon itself then)."""
    env = os.environ if environ is None else environ
    address = env.get("SPEECHD_ADDRESS", "")
    candidates: list[Path] = []
    if address.startswith("unix_socket:"):
        candidates.append(Path(address.split(":", 1)[1]))
    elif address:
        return None  # an inet address: not probed here
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime:
        candidates.append(Path(runtime) / "speech-dispatcher" / "speechd.sock")
    candidates.append(Path.home() / ".cache" / "speech-dispatcher" / "speechd.sock")
    return next((p for p in candidates if p.is_socket()), None)


def daemon_answers(path: Path | None = None, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """True when the daemon answers within ``timeout`` (or no daemon runs yet, so none can hang); False when its
    socket exists but nothing answers in time. Never raises."""
    path = path if path is not None else socket_path()
    if path is None:
        return True
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(str(path))
            conn.sendall(b"SET SELF CLIENT_NAME kiosk:probe:main\r\n")
            answer = conn.recv(256)
            conn.sendall(b"QUIT\r\n")
    except FileNotFoundError:
        return True
    except OSError as exc:
        log.warning("speech-dispatcher at %s does not answer (%s): prompts stay silent", path, exc)
        return False
    if not answer.startswith(b"2"):
        log.warning("speech-dispatcher at %s answered %r: prompts stay silent", path, answer[:60])
        return False
    return True
