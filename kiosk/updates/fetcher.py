"""Downloads for the update client: python-tuf's requests fetcher, with resume for the large files.

python-tuf downloads a target into a temporary file and starts again from nothing after any break; on a village
line a 100 MB bundle may never arrive that way. Here a target (an archive or a patch) is written to
``downloads/partial/<name>.part`` as it arrives and a later try asks only for the rest (``Range: bytes=N-``).
What TUF checks stays the same: the file handed back is verified against the signed length and hashes before it
is used, and a partial file is never trusted, only continued. The signed length caps every download: a server
that sends more (TUF's endless data attack) is cut off at that length and the part is thrown away; so is a part
whose whole failed verification. A try that trickles slower than MIN_BYTES_PER_S ends (slow retrieval) with
what arrived kept for the next. Metadata downloads stay python-tuf's own (its own length caps, no resume).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import requests
from tuf.api import exceptions
from tuf.ngclient import RequestsFetcher

log = logging.getLogger(__name__)

CHUNK_BYTES = 16 * 1024  # what a cut line loses at most
# A server that trickles bytes just fast enough never to time out would hold a download for ever (TUF's slow
# retrieval attack): one try ends after this much time for its bytes; what arrived is kept and continued later.
MIN_BYTES_PER_S = 2048
TRY_BASE_S = 120.0
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


class ResumingFetcher(RequestsFetcher):
    """Fetches metadata as python-tuf does and targets under ``target_base_url`` with resume."""

    def __init__(self, partial_dir: Path, target_base_url: str, *, timeout_s: float = 30.0) -> None:
        super().__init__(socket_timeout=int(max(1, timeout_s)), chunk_size=CHUNK_BYTES)
        self.partial_dir = partial_dir
        self.target_base_url = target_base_url
        self.timeout_s = timeout_s
        self.bytes_received = 0  # over the fetcher's life: what the network carried (the bench reads it)
        self.resumed_from = 0  # bytes already on disk when the last target download started

    def _chunks(self, response: requests.Response) -> Iterator[bytes]:
        for chunk in super()._chunks(response):
            self.bytes_received += len(chunk)
            yield chunk

    @contextmanager
    def download_file(self, url: str, max_length: int) -> Iterator[IO[bytes]]:
        if not url.startswith(self.target_base_url):
            with super().download_file(url, max_length) as file:
                yield file
            return
        part = self.partial_dir / (url.rsplit("/", 1)[-1] + ".part")
        self.partial_dir.mkdir(parents=True, exist_ok=True)
        self._fill(url, part, max_length)
        try:
            with part.open("rb") as file:
                yield file
        except BaseException:
            part.unlink(missing_ok=True)  # its whole failed verification: never continued
            raise
        part.unlink(missing_ok=True)  # verified and copied to its place by python-tuf

    def _fill(self, url: str, part: Path, max_length: int) -> None:
        """Bring ``part`` to what the server has, at most ``max_length`` bytes, continuing what is there."""
        have = part.stat().st_size if part.exists() else 0
        if have > max_length:
            part.unlink()
            have = 0
        self.resumed_from = have
        if have == max_length and have > 0:
            return  # all there from an earlier try: verification decides
        headers = {"Range": f"bytes={have}-"} if have else {}
        session = self._get_session(url)
        try:
            response = session.get(url, stream=True, timeout=self.timeout_s, headers=headers)
        except requests.exceptions.Timeout as exc:
            raise exceptions.SlowRetrievalError from exc
        except requests.exceptions.RequestException as exc:
            raise exceptions.DownloadError(f"cannot reach {url}: {exc}") from exc
        with response:
            if response.status_code == 416 and have:  # the part is not a prefix of the file: start again
                part.unlink()
                self._fill(url, part, max_length)
                return
            if response.status_code >= 400:
                raise exceptions.DownloadHTTPError(
                    f"{url}: HTTP {response.status_code}", response.status_code
                )
            if have and response.status_code == 206:
                match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
                if match is None or int(match.group(1)) != have:
                    raise exceptions.DownloadError(f"{url}: answered another range than asked")
                mode = "ab"
            else:
                have, mode = 0, "wb"  # the server sent the whole file
            received = have
            ends_at = time.monotonic() + TRY_BASE_S + (max_length - have) / MIN_BYTES_PER_S
            with part.open(mode) as out:
                for chunk in self._chunks(response):
                    received += len(chunk)
                    if received > max_length:
                        out.close()
                        part.unlink(missing_ok=True)
                        raise exceptions.DownloadLengthMismatchError(
                            f"{url}: more than the {max_length} bytes its signed metadata says"
                        )
                    out.write(chunk)
                    if time.monotonic() > ends_at:
                        raise exceptions.SlowRetrievalError(
                            f"{url}: slower than {MIN_BYTES_PER_S} bytes a second; continued at the next check"
                        )
        log.debug("downloaded %s: %d bytes (resumed from %d)", url, received, self.resumed_from)
