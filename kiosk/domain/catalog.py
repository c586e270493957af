"""The service catalog: government service items (事项) and their guides (办事指南).

Pure values and the rules of the center's catalog format (``kiosk-catalog/1``); no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

CATALOG_FORMAT = "kiosk-catalog/1"  # also kiosk.protocol.catalog.CATALOG_FORMAT, which the center shares


class HandlingType(StrEnum):
    ON_THE_SPOT = "即办件"
    PROMISED = "承诺件"


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    address: str
    hours: str
    phone: str


@dataclass(frozen=True, slots=True)
class Material:
    name: str
    required: bool
    copies: int
    note: str


@dataclass(frozen=True, slots=True)
class Handling:
    type: HandlingType
    time_limit_days: int
    fee: str
    online_url: str | None
    locations: tuple[Location, ...]


@dataclass(frozen=True, slots=True)
class ServiceItem:
    """One service item with its full guide, as the citizen reads it."""

    code: str
    name: str
    department: Department
    categories: tuple[str, ...]
    themes: tuple[str, ...]
    keywords: tuple[str, ...]
    handling: Handling
    conditions: tuple[str, ...]
    materials: tuple[Material, ...]
    legal_basis: tuple[str, ...]
    version: int
    updated_at: str

    def guide_text(self) -> str:
        """The guide's searchable text (the lowest search rank)."""
        return "\n".join(p for p in self.guide_parts() if p)

    def guide_parts(self) -> list[str]:
        """The pieces of :meth:`guide_text`, some maybe empty: the same pieces recur over a catalog's items, so
        whoever indexes them can work piece by piece and remember the results."""
        parts = [*self.conditions, *[m.name for m in self.materials], *[m.note for m in self.materials]]
        parts += [*self.legal_basis, self.handling.fee, *[loc.name for loc in self.handling.locations]]
        return parts


@dataclass(frozen=True, slots=True)
class ItemSummary:
    """What a list row shows of an item."""

    code: str
    name: str
    department: str
    handling_type: str


@dataclass(frozen=True, slots=True)
class Facet:
    """A browse entry (department, category or theme) with how many items it holds."""

    key: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One entry of an imported file: an item to store, or a tombstone for ``code``."""

    code: str
    version: int
    deleted: bool
    item: ServiceItem | None
    # The item as catalog-format JSON (what item_to_wire gives) when validation was asked for it: the store
    # keeps it as the item's document instead of serialising the item once more.
    document: str | None = None


class CatalogFormatError(ValueError):
    """A catalog file (or item) that cannot be imported. The message names the item and field, in English for
    the log; ``plain`` says the same in plain Chinese for an operator."""

    def __init__(
        self,
        message: str,
        *,
        item_index: int | None = None,
        item_code: str | None = None,
        field: str | None = None,
        plain: str | None = None,
    ) -> None:
        super().__init__(message)
        self.item_index = item_index
        self.item_code = item_code
        self.field = field
        self.plain = plain or f"目录文件有误，未导入：{message}"


@dataclass(frozen=True, slots=True)
class RefusedItem:
    """An item of a catalog file or feed page left out, with why; the rest of the file or page goes on."""

    index: int | None  # position in the file or page, from 0 (None: refused when stored, for want of room)
    code: str | None
    field: str | None
    reason: str  # in English, for the log: "item #4 (code RS-004): field 'keywords': ..."
    plain: str  # in plain Chinese, for an operator

    def error(self) -> CatalogFormatError:
        return CatalogFormatError(
            self.reason, item_index=self.index, item_code=self.code, field=self.field, plain=self.plain
        )


@dataclass(frozen=True, slots=True)
class CatalogCheck:
    """A catalog checked item by item: the entries to apply, and the items refused."""

    entries: list[CatalogEntry]
    refused: tuple[RefusedItem, ...]


def parse_entry(raw: Any, index: int, *, with_document: bool = False) -> CatalogEntry:
    """Validate one item of a catalog file; raise CatalogFormatError naming the item and field.

    ``with_document``: also give the item's JSON (``CatalogEntry.document``), cheaply made from ``raw``.
    """
    from kiosk.domain import catalog_format  # the validator (pydantic) loads only when a file is imported

    return catalog_format.parse_entry(raw, index, with_document=with_document)


def parse_catalog(document: Any, *, with_documents: bool = False) -> list[CatalogEntry]:
    """Validate a whole ``kiosk-catalog/1`` document. All or nothing: the first error raises.

    ``with_documents``: every item entry also carries its JSON; worth it for a page of a feed, whose entries
    are stored at once, not for a large file, whose documents would all be held in memory until stored.
    """
    from kiosk.domain import catalog_format

    return catalog_format.parse_catalog(document, with_documents=with_documents)


def check_catalog(document: Any, *, with_documents: bool = False) -> CatalogCheck:
    """Validate a ``kiosk-catalog/1`` document item by item: an item that fails (over a limit, a wrong type, a
    duplicate) is refused with its code and reason and the others go on; a document that is not a catalog at
    all (wrong format, too many entries) raises CatalogFormatError."""
    from kiosk.domain import catalog_format

    return catalog_format.check_catalog(document, with_documents=with_documents)


def item_to_wire(item: ServiceItem) -> dict[str, Any]:
    """The item in the catalog format (used by the store to keep the guide, and by the demo generator)."""
    h = item.handling
    return {
        "code": item.code,
        "name": item.name,
        "department": {"code": item.department.code, "name": item.department.name},
        "categories": list(item.categories),
        "themes": list(item.themes),
        "keywords": list(item.keywords),
        "handling": {
            "type": h.type.value,
            "time_limit_days": h.time_limit_days,
            "fee": h.fee,
            "online_url": h.online_url,
            "locations": [
                {"name": x.name, "address": x.address, "hours": x.hours, "phone": x.phone}
                for x in h.locations
            ],
        },
        "conditions": list(item.conditions),
        "materials": [
            {"name": m.name, "required": m.required, "copies": m.copies, "note": m.note}
            for m in item.materials
        ],
        "legal_basis": list(item.legal_basis),
        "version": item.version,
        "updated_at": item.updated_at,
        "deleted": False,
    }


def item_from_wire(raw: dict[str, Any]) -> ServiceItem:
    """Rebuild an item that was validated when imported and saved with :func:`item_to_wire`."""
    h = raw["handling"]
    return ServiceItem(
        code=raw["code"],
        name=raw["name"],
        department=Department(raw["department"]["code"], raw["department"]["name"]),
        categories=tuple(raw["categories"]),
        themes=tuple(raw["themes"]),
        keywords=tuple(raw["keywords"]),
        handling=Handling(
            type=HandlingType(h["type"]),
            time_limit_days=h["time_limit_days"],
            fee=h["fee"],
            online_url=h["online_url"],
            locations=tuple(
                Location(x["name"], x["address"], x["hours"], x["phone"]) for x in h["locations"]
            ),
        ),
        conditions=tuple(raw["conditions"]),
        materials=tuple(Material(m["name"], m["required"], m["copies"], m["note"]) for m in raw["materials"]),
        legal_basis=tuple(raw["legal_basis"]),
        version=raw["version"],
        updated_at=raw["updated_at"],
    )
