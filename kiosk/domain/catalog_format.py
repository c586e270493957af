"""Validation of the center's catalog format (``kiosk-catalog/1``), strict, with errors naming item and field.

The item's shape and the limits of every field are the protocol's (:mod:`kiosk.protocol.catalog`), which the
reference center checks too; they are re-exported here. Kept apart from :mod:`kiosk.domain.catalog` so that the
validator (pydantic) loads only when a file is imported or a feed page checked.
"""

from __future__ import annotations

from itertools import repeat
from operator import eq
from typing import Any

from pydantic import ValidationError
from pydantic_core import from_json, to_json

from kiosk.domain.catalog import (
    CATALOG_FORMAT,
    CatalogCheck,
    CatalogEntry,
    CatalogFormatError,
    Department,
    Handling,
    HandlingType,
    Location,
    Material,
    RefusedItem,
    ServiceItem,
)
from kiosk.protocol.catalog import (
    ADDRESS_MAX,
    CATEGORIES_MAX,
    CODE_MAX,
    CONDITION_MAX,
    CONDITIONS_MAX,
    COPIES_MAX,
    DEPARTMENT_NAME_MAX,
    FEE_MAX,
    HOURS_MAX,
    ITEM_TEXT_MAX,
    KEYWORD_MAX,
    KEYWORDS_MAX,
    LABEL_MAX,
    LEGAL_BASIS_MAX,
    LEGAL_BASIS_TEXT_MAX,
    LOCATION_NAME_MAX,
    LOCATIONS_MAX,
    MATERIAL_NAME_MAX,
    MATERIAL_NOTE_MAX,
    MATERIALS_MAX,
    MAX_CATALOG_BYTES,
    MAX_CATALOG_ENTRIES,
    MAX_CATALOG_ITEMS,
    MAX_JSON_DEPTH,
    NAME_MAX,
    PHONE_MAX,
    THEMES_MAX,
    TIME_LIMIT_DAYS_MAX,
    TIMESTAMP_MAX,
    URL_MAX,
    VERSION_MAX,
    DepartmentIn,
    HandlingIn,
    ItemIn,
    LocationIn,
    MaterialIn,
    TombstoneIn,
    first_problem,
    is_tombstone,
)

__all__ = [
    "ADDRESS_MAX",
    "CATEGORIES_MAX",
    "CODE_MAX",
    "CONDITIONS_MAX",
    "CONDITION_MAX",
    "COPIES_MAX",
    "DEPARTMENT_NAME_MAX",
    "FEE_MAX",
    "HOURS_MAX",
    "ITEM_TEXT_MAX",
    "KEYWORDS_MAX",
    "KEYWORD_MAX",
    "LABEL_MAX",
    "LEGAL_BASIS_MAX",
    "LEGAL_BASIS_TEXT_MAX",
    "LOCATIONS_MAX",
    "LOCATION_NAME_MAX",
    "MATERIALS_MAX",
    "MATERIAL_NAME_MAX",
    "MATERIAL_NOTE_MAX",
    "MAX_CATALOG_BYTES",
    "MAX_CATALOG_ENTRIES",
    "MAX_CATALOG_ITEMS",
    "MAX_JSON_DEPTH",
    "NAME_MAX",
    "PHONE_MAX",
    "THEMES_MAX",
    "TIMESTAMP_MAX",
    "TIME_LIMIT_DAYS_MAX",
    "URL_MAX",
    "VERSION_MAX",
    "check_catalog",
    "decode_catalog",
    "parse_catalog",
    "parse_entry",
]

_HANDLING_TYPES = {t.value: t for t in HandlingType}


def _to_item(raw: ItemIn) -> ServiceItem:
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


def _label(index: int, code: object) -> str:
    return f"item #{index + 1}" + (f" (code {code})" if isinstance(code, str) else "")


def _plain_label(index: int, code: object) -> str:
    return f"事项 {code}（第 {index + 1} 条）" if isinstance(code, str) else f"第 {index + 1} 条事项"


def parse_entry(raw: Any, index: int, *, with_document: bool = False) -> CatalogEntry:
    """Validate one item of a catalog file; raise CatalogFormatError naming the item and field."""
    code = raw.get("code") if isinstance(raw, dict) else None
    label, plain = _label(index, code), _plain_label(index, code)
    if not isinstance(raw, dict):
        raise CatalogFormatError(
            f"{label}: must be an object", item_index=index, plain=f"{plain}未导入：不是一个对象"
        )
    try:
        if is_tombstone(raw):
            stone = TombstoneIn.model_validate(raw)
            return CatalogEntry(stone.code, stone.version, True, None)
        item_in = ItemIn.model_validate(raw)
    except ValidationError as exc:
        field, msg, why = first_problem(exc)
        raise CatalogFormatError(
            f"{label}: field '{field}': {msg}",
            item_index=index,
            item_code=code if isinstance(code, str) else None,
            field=field,
            plain=f"{plain}未导入：{why}",
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
            plain=f"{plain}未导入：含有无效的字符",
        ) from None
    return CatalogEntry(item_in.code, item_in.version, False, _to_item(item_in), document)


_ITEM_KEYS = frozenset(ItemIn.model_fields)
_DEPARTMENT_KEYS = frozenset(DepartmentIn.model_fields)
_HANDLING_KEYS = frozenset(HandlingIn.model_fields)
_LOCATION_KEYS = frozenset(LocationIn.model_fields)
_MATERIAL_KEYS = frozenset(MaterialIn.model_fields)


def _document(raw: dict[str, Any], item: ItemIn) -> str:
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


def _items_of(document: Any) -> list[Any]:
    """The entries of a catalog document; raises CatalogFormatError when it is not one at all."""
    if not isinstance(document, dict):
        raise CatalogFormatError(
            "catalog: the file must hold a JSON object", plain="目录文件有误，未导入：应为一个 JSON 对象"
        )
    if document.get("format") != CATALOG_FORMAT:
        raise CatalogFormatError(
            f"catalog: field 'format' must be '{CATALOG_FORMAT}', got {document.get('format')!r}",
            field="format",
            plain=f"目录文件有误，未导入：format 应为 {CATALOG_FORMAT}",
        )
    items = document.get("items")
    if not isinstance(items, list):
        raise CatalogFormatError(
            "catalog: field 'items' must be a list",
            field="items",
            plain="目录文件有误，未导入：items 应为列表",
        )
    if len(items) > MAX_CATALOG_ENTRIES:
        raise CatalogFormatError(
            f"catalog: {len(items)} entries, over the limit of {MAX_CATALOG_ENTRIES}",
            field="items",
            plain=f"目录文件有 {len(items)} 条，超过 {MAX_CATALOG_ENTRIES} 条的上限，未导入",
        )
    return items


def check_catalog(document: Any, *, with_documents: bool = False) -> CatalogCheck:
    """Validate a ``kiosk-catalog/1`` document item by item (see :func:`kiosk.domain.catalog.check_catalog`)."""
    items = _items_of(document)
    entries: list[CatalogEntry] = []
    refused: list[RefusedItem] = []
    seen: dict[
        str, tuple[int, int]
    ] = {}  # code -> (position in the file, version) of its last accepted entry
    for i, raw in enumerate(items):
        try:
            entry = parse_entry(raw, i, with_document=with_documents)
        except CatalogFormatError as exc:
            refused.append(RefusedItem(i, exc.item_code, exc.field, str(exc), exc.plain))
            continue
        earlier = seen.get(entry.code)
        if earlier is not None and earlier[1] == entry.version:
            refused.append(
                RefusedItem(
                    i,
                    entry.code,
                    "version",
                    f"item #{i + 1} (code {entry.code}): field 'version': duplicates item #{earlier[0] + 1} "
                    f"with the same version {entry.version}",
                    f"{_plain_label(i, entry.code)}未导入：与第 {earlier[0] + 1} 条的编码和版本相同",
                )
            )
            continue
        seen[entry.code] = (i, entry.version)
        entries.append(entry)
    return CatalogCheck(entries, tuple(refused))


def parse_catalog(document: Any, *, with_documents: bool = False) -> list[CatalogEntry]:
    """Validate a whole ``kiosk-catalog/1`` document. All or nothing: the first error raises."""
    check = check_catalog(document, with_documents=with_documents)
    if check.refused:
        raise check.refused[0].error()
    return check.entries


def decode_catalog(raw: bytes, source: str) -> Any:
    """The JSON document of a catalog file's bytes; raise CatalogFormatError with a message an operator can act on.

    The file's size is bounded (``MAX_CATALOG_BYTES``), and so is its nesting: the parser refuses a document
    nested deeper than ``MAX_JSON_DEPTH`` instead of recursing until the stack runs out.
    """
    if len(raw) > MAX_CATALOG_BYTES:
        raise too_large(source, len(raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogFormatError(
            f"catalog file {source} is not UTF-8 text (byte {exc.start})",
            plain=f"目录文件 {source} 不是 UTF-8 文本，未导入",
        ) from None
    try:
        return from_json(text, allow_inf_nan=False)
    except ValueError as exc:
        if "recursion limit" in str(exc):
            raise CatalogFormatError(
                f"catalog file {source} is nested deeper than {MAX_JSON_DEPTH} levels ({exc})",
                plain=f"目录文件 {source} 嵌套超过 {MAX_JSON_DEPTH} 层，不是有效的目录，未导入",
            ) from None
        raise CatalogFormatError(
            f"catalog file {source} is not valid JSON: {exc}",
            plain=f"目录文件 {source} 不是有效的 JSON（{exc}），未导入",
        ) from None


def too_large(source: str, size: int) -> CatalogFormatError:
    return CatalogFormatError(
        f"catalog file {source} is {size} bytes, over the limit of {MAX_CATALOG_BYTES}",
        plain=f"目录文件 {source} 超过 {MAX_CATALOG_BYTES // (1024 * 1024)} MB 的上限，未导入",
    )
