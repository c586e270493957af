"""Catalog use cases: import the center's catalog file, browse, read a guide, and search."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from kiosk.domain.catalog import CatalogFormatError, Facet, ItemSummary, ServiceItem, check_catalog
from kiosk.domain.search import MatchKind, SearchHit, SearchIndex, SearchResult
from kiosk.store.catalog_store import CatalogStats, CatalogStore, ImportReport

__all__ = [
    "CatalogFormatError",
    "CatalogService",
    "CatalogStats",
    "ImportReport",
    "SearchHit",
    "SearchResult",
]

log = logging.getLogger(__name__)


def read_catalog_file(path: Path) -> Any:
    """Read and decode a catalog file; raise CatalogFormatError with a message an operator can act on.

    A file over the size limit is refused before it is read; the JSON parse is bounded in depth."""
    from kiosk.domain.catalog_format import MAX_CATALOG_BYTES, decode_catalog, too_large

    try:
        size = path.stat().st_size
        if size > MAX_CATALOG_BYTES:
            raise too_large(str(path), size)
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogFormatError(
            f"catalog file {path} cannot be read: {exc.strerror or exc}",
            plain=f"目录文件 {path} 无法读取（{exc.strerror or exc}）",
        ) from None
    return decode_catalog(raw, str(path))


class CatalogService:
    """Thread-safe: any worker may browse or search while the writer imports."""

    def __init__(self, store: CatalogStore) -> None:
        self.store = store
        self._index: SearchIndex | None = None
        self._index_revision = -1
        self._index_lock = threading.Lock()

    # -- import -------------------------------------------------------------------------------------------

    def import_document(self, document: object) -> ImportReport:
        """Import a catalog: every item is checked before the first write; an item that fails (over a limit,
        malformed) is left out and reported (``ImportReport.refused``) while the others are imported."""
        check = check_catalog(document)
        for refusal in check.refused:
            log.warning("catalog item refused: %s", refusal.reason)
        report = self.store.apply(check.entries, refused=check.refused)
        log.info(
            "catalog import: %d added, %d replaced, %d deleted, %d unchanged; %d items cached",
            report.added,
            report.replaced,
            report.deleted,
            report.unchanged,
            report.items,
        )
        return report

    def import_file(self, path: Path) -> ImportReport:
        try:
            return self.import_document(read_catalog_file(path))
        except CatalogFormatError as exc:
            log.warning("catalog file %s rejected: %s", path, exc)
            raise

    # -- browse -------------------------------------------------------------------------------------------

    def departments(self) -> list[Facet]:
        return self.store.facets("department")

    def categories(self) -> list[Facet]:
        return self.store.facets("category")

    def themes(self) -> list[Facet]:
        return self.store.facets("theme")

    def items_in(self, kind: str, key: str) -> list[ItemSummary]:
        return self.store.items_in(kind, key)

    def item(self, code: str) -> ServiceItem | None:
        return self.store.item(code)

    def stats(self) -> CatalogStats:
        return self.store.stats()

    # -- search -------------------------------------------------------------------------------------------

    def search_index(self) -> SearchIndex:
        """The in-memory index, rebuilt when the cached catalog changed since it was built."""
        revision = self.store.revision()
        with self._index_lock:
            if self._index is None or revision != self._index_revision:
                self._index = SearchIndex(self.store.indexed_items())
                self._index_revision = revision
                log.info("search index built: %d items (catalog revision %d)", len(self._index), revision)
            return self._index

    def search(self, query: str, limit: int = 50) -> SearchResult:
        index = self.search_index()
        ranked, total, truncated = index.search(query, limit=limit)
        hits = [
            SearchHit(index.items[i].code, index.items[i].name, index.items[i].department, kind.label)
            for i, kind in ranked
        ]
        if len(hits) < limit and not truncated:
            seen = {h.code for h in hits}
            codes = [c for c in self.store.search_text(query, limit + len(seen)) if c not in seen]
            summaries = self.store.summaries(codes)
            extra = [
                SearchHit(c, summaries[c].name, summaries[c].department, MatchKind.TEXT.label)
                for c in codes
                if c in summaries
            ]
            total += len(extra)
            hits += extra[: limit - len(hits)]
        return SearchResult(query=query, hits=tuple(hits), total=total, truncated=truncated)
