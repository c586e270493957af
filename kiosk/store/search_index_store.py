"""Where the search index lives between runs: the index file beside the database, the rows it is built from, and
the log of items changed since it was written.

The file (``search-index.bin``) is named by a token kept in the database's ``catalog_meta`` and holds the catalog
revision it shows. Every item written to or removed from ``search_terms`` is logged in ``search_changes`` with the
revision it changed after, by triggers, in the writing transaction (migration 6). So at start the index is the file, read back whole, and the few
items changed since (the log tells which), and a file that belongs to another database or is damaged is never
used: the index is built anew from ``search_terms``.
"""

from __future__ import annotations

import json
import logging
import mmap
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from kiosk.domain.search import IndexRow
from kiosk.domain.search_file import IndexFile, IndexFileError, decode, encode
from kiosk.domain.search_segment import Segment
from kiosk.store.database import Database
from kiosk.store.integrity import CATALOG, DatabaseDamaged, guarded

log = logging.getLogger(__name__)

INDEX_FILE = "search-index.bin"
TOKEN_KEY = "search_index_token"

_ROWS = (
    "SELECT i.code, i.name, i.department_name, s.chars, s.syllables, s.keywords "
    "FROM items i JOIN search_terms s ON s.code = i.code"
)


class SearchIndexStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.path: Path = database.path.with_name(INDEX_FILE)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one state of the database (WAL keeps it while the writer goes on)."""
        db = self.database.connection()
        if db.in_transaction:
            yield
            return
        db.execute("BEGIN")
        try:
            yield
        finally:
            db.rollback()

    @guarded(CATALOG)
    def revision(self) -> int:
        row = (
            self.database.connection()
            .execute("SELECT value FROM catalog_meta WHERE key = 'revision'")
            .fetchone()
        )
        return int(row[0]) if row else 0

    @guarded(CATALOG)
    def rows(self, codes: Sequence[str] | None = None) -> list[IndexRow]:
        """The index rows of every cached item (or of those of ``codes`` still cached), in display order."""
        db = self.database.connection()
        order = " ORDER BY length(s.chars), i.code"
        if codes is None:
            cursor = db.execute(_ROWS + order)
        else:
            wanted = json.dumps(list(codes), ensure_ascii=False)
            cursor = db.execute(_ROWS + " WHERE i.code IN (SELECT value FROM json_each(?))" + order, [wanted])
        keywords: dict[str, tuple[tuple[str, str], ...]] = {}
        rows: list[IndexRow] = []
        try:
            for code, name, department, chars, syllables, saved in cursor:
                if not all(isinstance(v, str) for v in (code, name, department, chars, syllables, saved)):
                    raise TypeError(f"item {code!r}: a search term that is not text")
                # The items of one template share their keywords: each saved list is read once.
                words = keywords.get(saved)
                if words is None:
                    words = keywords[saved] = tuple((str(c), str(s)) for c, s in json.loads(saved))
                rows.append((code, name, department, chars, syllables, words))
        except (ValueError, TypeError, AttributeError, RecursionError) as exc:
            # A row we wrote that no longer reads back: the cache is damaged (the store's rule).
            raise DatabaseDamaged(
                {CATALOG}, f"search terms unreadable ({type(exc).__name__}: {exc})", self.database.path
            ) from None
        return rows

    @guarded(CATALOG)
    def changed_since(self, revision: int) -> list[str]:
        """Codes of the items changed after ``revision`` (added, replaced or deleted)."""
        rows = self.database.connection().execute(
            "SELECT DISTINCT code FROM search_changes WHERE revision >= ?", [revision]
        )
        return [row[0] for row in rows]

    # -- the file ---------------------------------------------------------------------------------------

    def load(self) -> IndexFile | None:
        """The saved index if there is one and it belongs to this database; None (with the reason logged) if it
        must be built anew."""
        row = (
            self.database.connection()
            .execute("SELECT value FROM catalog_meta WHERE key = ?", [TOKEN_KEY])
            .fetchone()
        )
        try:
            with self.path.open("rb", buffering=0) as file:
                size = os.fstat(file.fileno()).st_size
                # Anonymous memory, not a bytearray: that is zeroed page by page while the interpreter lock is
                # held (some 100 ms for 90 MB); these pages are touched first by the read, which lets go of it.
                data = mmap.mmap(-1, max(size, 1))
                read, view = 0, memoryview(data)
                while read < size:  # one read returns at most 2 GB
                    got = file.readinto(view[read:size])
                    if not got:
                        break
                    read += got
        except FileNotFoundError:
            log.info("no saved search index: building it")
            return None
        except OSError as exc:
            log.warning("saved search index %s cannot be read (%s): building it anew", self.path, exc)
            return None
        try:
            if read != size:
                raise IndexFileError("search index file shorter than it said")
            saved = decode(view[:size])
        except IndexFileError as exc:
            log.warning("saved search index %s not used (%s): building it anew", self.path, exc)
            return None
        if row is None or row[0] != saved.token:
            log.warning("saved search index %s belongs to another database: building it anew", self.path)
            return None
        return saved

    def save(self, segment: Segment, revision: int) -> str:
        """Write the index file (replacing the last one whole); returns its token, which :meth:`adopt` then
        records. Raises OSError if the file cannot be written."""
        token = secrets.token_hex(16)
        temporary = self.path.with_name(f"{self.path.name}.{token[:8]}.tmp")
        try:
            with temporary.open("wb") as file:
                for piece in encode(segment, revision, token):
                    file.write(piece)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        finally:
            temporary.unlink(missing_ok=True)
        return token

    @guarded(CATALOG)
    def adopt(self, token: str, revision: int) -> None:
        """On the writer: the file named ``token`` (showing ``revision``) is the saved index; the log before it
        is no longer needed."""
        with self.database.transaction() as db:
            db.execute("INSERT OR REPLACE INTO catalog_meta(key, value) VALUES (?, ?)", [TOKEN_KEY, token])
            db.execute("DELETE FROM search_changes WHERE revision < ?", [revision])
