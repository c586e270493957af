"""Validation of the center's catalog format (``kiosk-catalog/1``), strict, with errors naming item and field.

Kept apart from :mod:`kiosk.domain.catalog` so that the validator loads only when a file is imported.
"""

from __future__ import annotations

from datetime import datetime
from itertools import repeat
from operator import eq
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import to_json

from kiosk.domain.catalog import (
    CATALOG_FORMAT,
    CatalogEntry,
    CatalogFormatError,
    Department,
    Handling,
    HandlingType,
    Location,
    Material,
    ServiceItem,
)

_Text = Field(min_length=1, max_length=2000)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


class _DepartmentIn(_Strict):
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)


class _LocationIn(_Strict):
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(default="", max_length=500)
    hours: str = Field(default="", max_length=500)
    phone: str = Field(default="", max_length=100)


class _MaterialIn(_Strict):
    name: str = Field(min_length=1, max_length=500)
    required: bool
    copies: int = Field(ge=0, le=99)
    note: str = Field(default="", max_length=2000)


class _HandlingIn(_Strict):
    type: Literal["即办件", "承诺件"]
    time_limit_days: int = Field(ge=0, le=3650)
    fee: str = Field(default="", max_length=500)
    online_url: str | None = Field(default=None, max_length=2000)
    locations: list[_LocationIn] = Field(default_factory=list)

    @field_validator("online_url")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value


class _ItemIn(_Strict):
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    department: _DepartmentIn
    categories: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    handling: _HandlingIn
    conditions: list[str] = Field(default_factory=list)
    materials: list[_MaterialIn] = Field(default_factory=list)
    legal_basis: list[str] = Field(default_factory=list)
    version: int = Field(ge=0)
    updated_at: str
    deleted: bool = False

    @field_validator("name")
    @classmethod
    def _stripped(cls, value: str) -> str:
        # After the length check, as before: the stored name and the document agree on the stripped form.
        return value.strip()

    @field_validator("updated_at")
    @classmethod
    def _iso_time(cls, value: str) -> str:
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValueError("must be an ISO-8601 date-time") from exc
        return value

    @field_validator("categories", "themes", "keywords", "conditions", "legal_basis")
    @classmethod
    def _non_empty_strings(cls, value: list[str]) -> list[str]:
        for text in value:
            if not text.strip():
                raise ValueError("must not contain empty strings")
        return value


class _TombstoneIn(_Strict):
    code: str = Field(min_length=1, max_length=64)
    version: int = Field(ge=0)
    deleted: Literal[True]


_HANDLING_TYPES = {t.value: t for t in HandlingType}


def _to_item(raw: _ItemIn) -> ServiceItem:
    h = raw.handling
    return ServiceItem(
        code=raw.code,
        name=raw.name,
        department=Department(raw.department.code, raw.department.name),
        categories=tuple(raw.categories),
        themes=tuple(raw.themes),
        keywords=tuple(raw.keywords),
        handling=Handling(
            type=_HANDLING_TYPES[h.type],
            time_limit_days=h.time_limit_days,
            fee=h.fee,
            online_url=h.online_url,
            locations=tuple([Location(x.name, x.address, x.hours, x.phone) for x in h.locations]),
        ),
        conditions=tuple(raw.conditions),
        materials=tuple([Material(m.name, m.required, m.copies, m.note) for m in raw.materials]),
        legal_basis=tuple(raw.legal_basis),
        version=raw.version,
        updated_at=raw.updated_at,
    )


def _describe(error: ValidationError) -> tuple[str, str]:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(item)"
    return field, first["msg"]


def parse_entry(raw: Any, index: int, *, with_document: bool = False) -> CatalogEntry:
    """Validate one item of a catalog file; raise CatalogFormatError naming the item and field."""
    code = raw.get("code") if isinstance(raw, dict) else None
    label = f"item #{index + 1}" + (f" (code {code})" if isinstance(code, str) else "")
    if not isinstance(raw, dict):
        raise CatalogFormatError(f"{label}: must be an object", item_index=index)
    try:
        if raw.get("deleted") is True and "name" not in raw:
            stone = _TombstoneIn.model_validate(raw)
            return CatalogEntry(stone.code, stone.version, True, None)
        item_in = _ItemIn.model_validate(raw)
    except ValidationError as exc:
        field, msg = _describe(exc)
        raise CatalogFormatError(
            f"{label}: field '{field}': {msg}",
            item_index=index,
            item_code=code if isinstance(code, str) else None,
            field=field,
        ) from None
    if item_in.deleted:
        return CatalogEntry(item_in.code, item_in.version, True, None)
    if not with_document:
        return CatalogEntry(item_in.code, item_in.version, False, _to_item(item_in))
    try:
        document = _document(raw, item_in)
    except ValueError:  # text JSON can carry but UTF-8 cannot: a lone surrogate (\ud800)
        raise CatalogFormatError(
            f"{label}: holds text that is not valid Unicode (a lone surrogate)",
            item_index=index,
            item_code=item_in.code,
        ) from None
    return CatalogEntry(item_in.code, item_in.version, False, _to_item(item_in), document)


_ITEM_KEYS = frozenset(_ItemIn.model_fields)
_DEPARTMENT_KEYS = frozenset(_DepartmentIn.model_fields)
_HANDLING_KEYS = frozenset(_HandlingIn.model_fields)
_LOCATION_KEYS = frozenset(_LocationIn.model_fields)
_MATERIAL_KEYS = frozenset(_MaterialIn.model_fields)


def _document(raw: dict[str, Any], item: _ItemIn) -> str:
    """The item as item_to_wire writes it, in JSON.

    An item as the center sends it usually is that already: every field present, none other, the name without
    surrounding spaces (the strict validation has checked every value's type). It is then written out as
    received, which costs a third of serialising the model; otherwise the model, defaults filled in and
    unknown fields left out, is.
    """
    try:
        handling = raw["handling"]
        as_saved = (
            raw.keys() == _ITEM_KEYS
            and raw["name"] == item.name
            and raw["department"].keys() == _DEPARTMENT_KEYS
            and handling.keys() == _HANDLING_KEYS
            and all(map(eq, map(dict.keys, handling["locations"]), repeat(_LOCATION_KEYS)))
            and all(map(eq, map(dict.keys, raw["materials"]), repeat(_MATERIAL_KEYS)))
        )
    except (AttributeError, TypeError):  # a part given as a model instance rather than an object
        as_saved = False
    return to_json(raw).decode() if as_saved else item.model_dump_json()


def parse_catalog(document: Any, *, with_documents: bool = False) -> list[CatalogEntry]:
    """Validate a whole ``kiosk-catalog/1`` document. All or nothing: the first error raises."""
    if not isinstance(document, dict):
        raise CatalogFormatError("catalog: the file must hold a JSON object")
    if document.get("format") != CATALOG_FORMAT:
        raise CatalogFormatError(
            f"catalog: field 'format' must be '{CATALOG_FORMAT}', got {document.get('format')!r}",
            field="format",
        )
    items = document.get("items")
    if not isinstance(items, list):
        raise CatalogFormatError("catalog: field 'items' must be a list", field="items")
    entries = [parse_entry(raw, i, with_document=with_documents) for i, raw in enumerate(items)]
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if entry.code in seen and entries[seen[entry.code]].version == entry.version:
            raise CatalogFormatError(
                f"item #{i + 1} (code {entry.code}): field 'version': duplicates item #{seen[entry.code] + 1} "
                f"with the same version {entry.version}",
                item_index=i,
                item_code=entry.code,
                field="version",
            )
        seen[entry.code] = i
    return entries
