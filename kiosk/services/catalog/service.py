"""Catalog use cases: import the center's catalog file, browse, read a guide, and search."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kiosk.domain.catalog import CatalogFormatError, Facet, ItemSummary, ServiceItem, check_catalog
from kiosk.domain.search import MatchKind, SearchHit, SearchIndex, SearchResult
from kiosk.services.background import Background
from kiosk.services.catalog.search_index import SearchIndexKeeper
from kiosk.services.changes import CATALOG, Changes
from kiosk.store.catalog_store import CatalogStats, CatalogStore, ImportReport
from kiosk.store.search_index_store import SearchIndexStore

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

    def __init__(
        self, store: CatalogStore, *, background: Background | None = None, changes: Changes | None = None
    ) -> None:
        self.store = store
        self.changes = changes or Changes()  # an import that changed something announces "catalog"
        # Given the terminal's Background, the index is rebuilt and recorded off the caller's thread.
        self.search_keeper = SearchIndexKeeper(
            SearchIndexStore(store.database),
            run=background.run if background is not None else None,
            write=background.write if background is not None else None,
        )

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
        if report.changed:
            self.changes.announce(CATALOG, count=report.added + report.replaced + report.deleted)
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

    def items_in(self, kind: str, key: str, part: str = "") -> list[ItemSummary]:
        """The items of a department, category or theme (``part``: only those of one of its :meth:`parts`)."""
        return self.store.items_in(kind, key, part)

    def parts(self, kind: str, key: str) -> list[Facet]:
        """How a long list narrows without typing: a department's items by category, a category's or theme's
        by department."""
        return self.store.parts(kind, key)

    def item(self, code: str) -> ServiceItem | None:
        return self.store.item(code)

    def stats(self) -> CatalogStats:
        return self.store.stats()

    # -- search -------------------------------------------------------------------------------------------

    def search_index(self) -> SearchIndex:
        """The search index of the catalog as cached now: read back from its file at start, brought up to date
        with the items changed since (kiosk.services.catalog.search_index)."""
        return self.search_keeper.current()

    def refresh_search_index(self) -> None:
        """After the catalog changed (a sync cycle applied pages): bring the index up to date on a worker, so the
        next search does not wait for it. Without a Background the next search does it."""
        self.search_keeper.refresh_soon()

    def search(self, query: str, limit: int = 50, within: tuple[str, str] | None = None) -> SearchResult:
        """The items matching ``query``, best first; ``within`` (a browse kind and key) keeps only the items of
        that department, category or theme."""
        if within is not None:
            return self._search_within(query, limit, within)
        hits, total, truncated = self.search_index().search(query, limit=limit)
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

    def _search_within(self, query: str, limit: int, within: tuple[str, str]) -> SearchResult:
        """The same ranking, every match counted, kept to one list's items (a few thousand at most)."""
        members = {summary.code for summary in self.store.items_in(*within)}
        index = self.search_index()
        everything = len(index) + 1
        ranked, _, _ = index.search(query, limit=everything, count_up_to=everything)
        hits = [hit for hit in ranked if hit.code in members]
        seen = {hit.code for hit in hits}
        codes = [c for c in self.store.search_text(query, everything) if c in members and c not in seen]
        summaries = self.store.summaries(codes)
        hits += [
            SearchHit(c, summaries[c].name, summaries[c].department, MatchKind.TEXT.label)
            for c in codes
            if c in summaries
        ]
        return SearchResult(query=query, hits=tuple(hits[:limit]), total=len(hits), truncated=False)
