"""The catalog format (``kiosk-catalog/1``, docs/catalog-format.md): one item's shape and the limits of every field.

Shared by the terminal (which validates what it imports or pulls, :mod:`kiosk.domain.catalog_format`) and the
reference center (which validates what an operator publishes), so both refuse the same items for the same reasons.

Every string has a bounded length and every list a bounded count, chosen generously for real guides (办事指南): a
city's catalog has 5,000–10,000 items; the longest real guides list a few dozen materials and conditions of a few
hundred characters. The bounds keep one hostile or mistaken item from making every later search slow or filling
the disk; the search index is sized for the largest catalog these limits accept (``MAX_CATALOG_ITEMS`` items,
each with a ``NAME_MAX`` name and ``KEYWORDS_MAX`` keywords of ``KEYWORD_MAX`` characters). What the index holds
of an item (its name and keywords) is bounded tightest: at most 220 characters against 33 on average in the demo
catalog, since an index of 100,000 items with 600 characters each took 2.3 GB.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CATALOG_FORMAT: Final = "kiosk-catalog/1"

# -- the whole catalog ------------------------------------------------------------------------------------------
MAX_CATALOG_BYTES: Final = 256 * 1024 * 1024  # a catalog file (100,000 real items take about 180 MB)
MAX_CATALOG_ENTRIES: Final = 200_000  # entries of one file: items and tombstones
MAX_CATALOG_ITEMS: Final = 100_000  # items a terminal caches (a city lists 5,000–10,000)
MAX_JSON_DEPTH: Final = (
    200  # nesting of a JSON document (the format itself needs 5 levels); the parser's bound
)

# -- one item ---------------------------------------------------------------------------------------------------
CODE_MAX: Final = 64  # item code (事项编码) and department code
NAME_MAX: Final = 100  # item name (real ones stay under 60)
DEPARTMENT_NAME_MAX: Final = 200
LABEL_MAX: Final = 50  # one category or theme
CATEGORIES_MAX: Final = 20
THEMES_MAX: Final = 20
KEYWORD_MAX: Final = 12  # one keyword (a search synonym: 补卡, 丢了, 社会保障卡)
KEYWORDS_MAX: Final = 10
CONDITION_MAX: Final = 4000  # one condition (申办条件)
CONDITIONS_MAX: Final = 100
LEGAL_BASIS_TEXT_MAX: Final = 4000  # one legal basis (设定依据), often quoting the article
LEGAL_BASIS_MAX: Final = 50
MATERIALS_MAX: Final = 200
MATERIAL_NAME_MAX: Final = 500
MATERIAL_NOTE_MAX: Final = 2000
COPIES_MAX: Final = 99
FEE_MAX: Final = 2000
URL_MAX: Final = 2000
LOCATIONS_MAX: Final = 500  # an item handled at every village's service station of a county
LOCATION_NAME_MAX: Final = 200
ADDRESS_MAX: Final = 500
HOURS_MAX: Final = 500
PHONE_MAX: Final = 100
TIME_LIMIT_DAYS_MAX: Final = 3650
VERSION_MAX: Final = 2**53 - 1  # what every JSON reader on the way reads exactly (I-JSON)
TIMESTAMP_MAX: Final = 64
ITEM_TEXT_MAX: Final = 100_000  # all the text of one item together, in characters


def _text(most: int, *, least: int = 1) -> Any:
    return Field(min_length=least, max_length=most)


_Label = Annotated[str, _text(LABEL_MAX)]
_Keyword = Annotated[str, _text(KEYWORD_MAX)]
_Condition = Annotated[str, _text(CONDITION_MAX)]
_LegalBasis = Annotated[str, _text(LEGAL_BASIS_TEXT_MAX)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


class DepartmentIn(_Strict):
    code: str = _text(CODE_MAX)
    name: str = _text(DEPARTMENT_NAME_MAX)


class LocationIn(_Strict):
    name: str = _text(LOCATION_NAME_MAX)
    address: str = Field(default="", max_length=ADDRESS_MAX)
    hours: str = Field(default="", max_length=HOURS_MAX)
    phone: str = Field(default="", max_length=PHONE_MAX)


class MaterialIn(_Strict):
    name: str = _text(MATERIAL_NAME_MAX)
    required: bool
    copies: int = Field(ge=0, le=COPIES_MAX)
    note: str = Field(default="", max_length=MATERIAL_NOTE_MAX)


class HandlingIn(_Strict):
    type: Literal["即办件", "承诺件"]
    time_limit_days: int = Field(ge=0, le=TIME_LIMIT_DAYS_MAX)
    fee: str = Field(default="", max_length=FEE_MAX)
    online_url: str | None = Field(default=None, max_length=URL_MAX)
    locations: list[LocationIn] = Field(default_factory=list, max_length=LOCATIONS_MAX)

    @field_validator("online_url")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value


class ItemIn(_Strict):
    """One item of the catalog with its guide, as the center publishes it."""

    code: str = _text(CODE_MAX)
    name: str = _text(NAME_MAX)
    department: DepartmentIn
    categories: list[_Label] = Field(default_factory=list, max_length=CATEGORIES_MAX)
    themes: list[_Label] = Field(default_factory=list, max_length=THEMES_MAX)
    keywords: list[_Keyword] = Field(default_factory=list, max_length=KEYWORDS_MAX)
    handling: HandlingIn
    conditions: list[_Condition] = Field(default_factory=list, max_length=CONDITIONS_MAX)
    materials: list[MaterialIn] = Field(default_factory=list, max_length=MATERIALS_MAX)
    legal_basis: list[_LegalBasis] = Field(default_factory=list, max_length=LEGAL_BASIS_MAX)
    version: int = Field(ge=0, le=VERSION_MAX)
    updated_at: str = _text(TIMESTAMP_MAX)
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

    @model_validator(mode="after")
    def _bounded_text(self) -> ItemIn:
        if item_text_length(self) > ITEM_TEXT_MAX:
            raise ValueError(f"the item's text together is over {ITEM_TEXT_MAX} characters")
        return self


class TombstoneIn(_Strict):
    code: str = _text(CODE_MAX)
    version: int = Field(ge=0, le=VERSION_MAX)
    deleted: Literal[True]


def item_text_length(item: ItemIn) -> int:
    """The characters of every text of the item together."""
    h = item.handling
    total = len(item.code) + len(item.name) + len(item.department.code) + len(item.department.name)
    total += len(h.fee) + len(h.online_url or "") + len(item.updated_at)
    for texts in (item.categories, item.themes, item.keywords, item.conditions, item.legal_basis):
        total += sum(map(len, texts))
    total += sum(len(m.name) + len(m.note) for m in item.materials)
    total += sum(len(x.name) + len(x.address) + len(x.hours) + len(x.phone) for x in h.locations)
    return total


def is_tombstone(raw: dict[str, Any]) -> bool:
    """A bare deletion (``code``, ``version``, ``deleted: true``) rather than an item marked deleted."""
    return raw.get("deleted") is True and "name" not in raw


def validate_entry(raw: Any) -> ItemIn | TombstoneIn:
    """One entry of a catalog: an item or a tombstone; raises ValidationError (or TypeError if not an object)."""
    if not isinstance(raw, dict):
        raise TypeError("must be an object")
    return TombstoneIn.model_validate(raw) if is_tombstone(raw) else ItemIn.model_validate(raw)


def first_problem(error: ValidationError) -> tuple[str, str, str]:
    """The first problem of a failed validation: ``(field, message, plain)``, the field as a dotted path
    (``materials.0.name``, or ``(item)`` for the item as a whole), the message in English for the log, and the
    problem in plain Chinese for an operator."""
    first = error.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(item)"
    return field, first["msg"], _plain(first, field)


def _plain(error: Any, field: str) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    what = "整个事项" if field == "(item)" else f"字段 {field}"
    if kind == "string_too_long":
        return f"{what} 超过 {ctx.get('max_length')} 个字符的上限"
    if kind == "too_long":
        return f"{what} 超过 {ctx.get('max_length')} 项的上限（实有 {ctx.get('actual_length')} 项）"
    if kind in ("string_too_short", "too_short"):
        return f"{what} 不能为空"
    if kind == "missing":
        return f"缺少{what}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{what} 超出允许的范围"
    if kind == "literal_error":
        return f"{what} 取值不对（应为 {ctx.get('expected')}）"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{what} 类型不对"
    if kind == "value_error" and "characters" in str(error.get("msg", "")):
        return f"{what} 文字总量超过 {ITEM_TEXT_MAX} 个字符的上限"
    return f"{what} 有误"


def catalog_item_problem(raw: Any) -> str | None:
    """Why a terminal would refuse this catalog entry (item or tombstone), or None; the center checks what it
    publishes with this, so it never publishes an item the terminals refuse."""
    try:
        validate_entry(raw)
    except TypeError as exc:
        return str(exc)
    except ValidationError as exc:
        field, message, _ = first_problem(exc)
        return f"field '{field}': {message}"
    return None
