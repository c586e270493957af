"""A static file server on 127.0.0.1 for update tests, run as its own process: serves a folder as a web server
or CDN would (with Range requests, for resumed downloads), and can turn hostile on request.

    python tests/update_server.py FOLDER   prints "port N" once listening

While a file named ``.endless`` is in FOLDER, every file under a ``targets/`` folder is answered with its real
bytes followed by junk without end and no length (the endless data attack: more than the metadata says); while
``.trickle`` is there, they come a kilobyte every 50 ms (slow retrieval).
"""

from __future__ import annotations

import os
import re
import sys
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_RANGE = re.compile(r"^bytes=(\d+)-$")


class Handler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        root = Path(self.directory)
        path = Path(self.translate_path(self.path))
        if not path.is_file() or root not in path.parents:
            self.send_error(404)
            return
        data = path.read_bytes()
        if (root / ".endless").exists() and "/targets/" in self.path:
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
            try:
                while True:
                    self.wfile.write(b"\0" * 65536)
            except OSError:
                return
        if (root / ".trickle").exists() and "/targets/" in self.path:
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                for at in range(0, len(data), 1024):
                    self.wfile.write(data[at : at + 1024])
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass
            return
        match = _RANGE.match(self.headers.get("Range", ""))
        start = int(match.group(1)) if match else 0
        if start >= len(data) and match:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.end_headers()
            return
        self.send_response(206 if match else 200)
        if match:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        self.wfile.write(data[start:])


def main() -> None:
    folder = os.path.abspath(sys.argv[1])

    class Bound(Handler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=folder, **kwargs)  # type: ignore[arg-type]

    server = ThreadingHTTPServer(("127.0.0.1", 0), Bound)
    print(f"port {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
