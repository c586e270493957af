"""Turning the operator's files into feed entries: a ``kiosk-catalog/1`` document, or a document of entries.

The checks here are each entry's envelope (key, version, deletion and the per-kind shape of its data) and, for
the catalog, every item as the terminals check it (kiosk.protocol.catalog: the format and the limits of every
field), so the center never publishes an item the terminals would refuse.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kiosk.center.store import PublishReport, Store
from kiosk.protocol import FeedEntry, entry_problem, first_error
from kiosk.protocol.catalog import CATALOG_FORMAT, MAX_CATALOG_ENTRIES, catalog_item_problem
from kiosk.protocol.models import ALL_FEED_KINDS


class PublishError(ValueError):
    """A file that cannot be published; the message names the entry and the field."""


def catalog_entries(document: Any) -> list[FeedEntry]:
    """One entry per item code (the highest version when a file holds several); deleted items are tombstones."""
    if not isinstance(document, dict) or document.get("format") != CATALOG_FORMAT:
        raise PublishError(f"catalog: not a {CATALOG_FORMAT} document")
    items = document.get("items")
    if not isinstance(items, list):
        raise PublishError("catalog: field 'items' must be a list")
    if len(items) > MAX_CATALOG_ENTRIES:
        raise PublishError(f"catalog: {len(items)} entries, over the limit of {MAX_CATALOG_ENTRIES}")
    latest: dict[str, FeedEntry] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise PublishError(f"item #{index + 1}: must be an object")
        problem = catalog_item_problem(item)  # the terminals' own check: what they would refuse is not sent
        if problem is not None:
            code = item.get("code")
            label = f"item #{index + 1}" + (f" (code {code})" if isinstance(code, str) else "")
            raise PublishError(f"{label}: {problem}")
        deleted = item.get("deleted", False)
        try:
            entry = FeedEntry.model_validate(
                {
                    "key": item.get("code"),
                    "version": item.get("version"),
                    "deleted": deleted,
                    "data": None if deleted is True else item,
                }
            )
        except ValidationError as exc:
            raise PublishError(f"item #{index + 1}: {_item_field(first_error(exc))}") from None
        previous = latest.get(entry.key)
        if previous is not None and previous.version == entry.version:
            raise PublishError(
                f"item #{index + 1} (code {entry.key}): the same code and version appear twice"
            )
        if previous is None or previous.version < entry.version:
            latest[entry.key] = entry
    return list(latest.values())


def _item_field(message: str) -> str:
    return message.replace("key:", "code:", 1) if message.startswith("key:") else message


def feed_entries(kind: str, document: Any) -> list[FeedEntry]:
    """Entries of a ``{"entries": [{"key", "version", "deleted", "data"}, ...]}`` document (or a bare list)."""
    if kind not in ALL_FEED_KINDS:
        raise PublishError(f"unknown feed kind {kind!r}; one of {', '.join(ALL_FEED_KINDS)}")
    raw_entries = document.get("entries") if isinstance(document, dict) else document
    if not isinstance(raw_entries, list):
        raise PublishError(f'{kind}: the file holds {{"entries": [...]}}')
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_entries):
        try:
            entry = FeedEntry.model_validate(raw)
        except ValidationError as exc:
            raise PublishError(f"{kind} entry #{index + 1}: {first_error(exc)}") from None
        problem = entry_problem(kind, entry)
        if problem is not None:
            raise PublishError(f"{kind} entry #{index + 1}: {problem}")
        if entry.key in seen:
            raise PublishError(f"{kind} entry #{index + 1}: key {entry.key!r} appears twice")
        seen.add(entry.key)
        entries.append(entry)
    return entries


def publish_document(store: Store, kind: str, document: Any) -> PublishReport:
    """Validate a whole file, then publish it in one transaction (nothing is published when it is invalid)."""
    entries = catalog_entries(document) if kind == "catalog" else feed_entries(kind, document)
    return store.publish(kind, entries)
