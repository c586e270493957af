"""Validation of the center's form templates (``kiosk-form/1``), strict, with errors naming the field path.

Kept apart from :mod:`kiosk.domain.forms` so that pydantic loads only when a template is read. pydantic checks
the shape (types, lengths, allowed words); the rules between fields (keys used once, prefill bindings, options,
regular expressions, the print layout) are checked here after it, each naming the exact path.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.domain.forms import (
    DEFAULT_SIGNATURE_LABEL,
    FORM_FORMAT,
    PREFILL_TYPES,
    FieldType,
    FormField,
    FormFormatError,
    FormStep,
    FormTemplate,
    Option,
    Prefill,
    PrintLayout,
    PrintSection,
    ShowIf,
    SignaturePlacement,
)

MAX_TEXT_LENGTH = 500

_FieldTypeName = Literal[
    "text", "number", "date", "choice", "multi_choice", "phone", "id_number", "address", "signature"
]
_PrefillName = Literal["name", "id_number", "sex", "nation", "birth_date", "address"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True, populate_by_name=True)


class _OptionIn(_Strict):
    value: str = Field(min_length=1, max_length=64)
    label: str = Field(min_length=1, max_length=60)


class _ShowIfIn(_Strict):
    field: str = Field(min_length=1, max_length=40)
    values: list[str] = Field(alias="in", min_length=1, max_length=50)


class _FieldIn(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    type: _FieldTypeName
    label: str = Field(min_length=1, max_length=40)
    required: bool = False
    help: str = Field(default="", max_length=300)
    pattern: str | None = Field(default=None, min_length=1, max_length=300)
    pattern_message: str | None = Field(default=None, min_length=1, max_length=100)
    min: int | float | None = None
    max: int | float | None = None
    min_length: int | None = Field(default=None, ge=0, le=MAX_TEXT_LENGTH)
    max_length: int | None = Field(default=None, ge=1, le=MAX_TEXT_LENGTH)
    decimals: int | None = Field(default=None, ge=0, le=4)
    unit: str | None = Field(default=None, min_length=1, max_length=10)
    options: list[_OptionIn] | None = Field(default=None, max_length=60)
    prefill: _PrefillName | None = None
    locked: bool | None = None
    not_future: bool | None = None
    not_past: bool | None = None
    landline: bool | None = None
    show_if: _ShowIfIn | None = None


class _StepIn(_Strict):
    title: str = Field(min_length=1, max_length=40)
    fields: list[_FieldIn] = Field(min_length=1, max_length=30)


class _SectionIn(_Strict):
    title: str = Field(default="", max_length=40)
    fields: list[str] = Field(min_length=1, max_length=100)
    columns: Literal[1, 2] = 2


class _SignatureIn(_Strict):
    field: str = Field(min_length=1, max_length=40)
    label: str = Field(default=DEFAULT_SIGNATURE_LABEL, min_length=1, max_length=30)
    align: Literal["left", "right"] = "right"


class _PrintIn(_Strict):
    sections: list[_SectionIn] = Field(min_length=1, max_length=30)
    declaration: str = Field(default="", max_length=1000)
    signature: _SignatureIn | None = None


class _TemplateIn(_Strict):
    format: Literal["kiosk-form/1"]
    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    version: int = Field(ge=0)
    title: str = Field(min_length=1, max_length=100)
    department: str = Field(min_length=1, max_length=100)
    intro: str = Field(default="", max_length=1000)
    item_code: str | None = Field(default=None, min_length=1, max_length=64)
    steps: list[_StepIn] = Field(min_length=1, max_length=20)
    print_: _PrintIn | None = Field(default=None, alias="print")


# Attributes that only some field types take; giving one to another type is a mistake worth reporting.
_ONLY_FOR: dict[str, frozenset[str]] = {
    "pattern": frozenset({"text", "address"}),
    "pattern_message": frozenset({"text", "address"}),
    "min_length": frozenset({"text", "address"}),
    "max_length": frozenset({"text", "address"}),
    "min": frozenset({"number", "multi_choice"}),
    "max": frozenset({"number", "multi_choice"}),
    "decimals": frozenset({"number"}),
    "unit": frozenset({"number"}),
    "options": frozenset({"choice", "multi_choice"}),
    "not_future": frozenset({"date"}),
    "not_past": frozenset({"date"}),
    "landline": frozenset({"phone"}),
}


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(template)"


class _Fail(Exception):
    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message


def _check_field(raw: _FieldIn, where: str) -> None:
    """The rules of one field by itself."""
    for name, types in _ONLY_FOR.items():
        if getattr(raw, name) is not None and raw.type not in types:
            raise _Fail(f"{where}.{name}", f"a {raw.type} field does not take {name!r}")
    if raw.type in ("choice", "multi_choice"):
        if not raw.options:
            raise _Fail(f"{where}.options", f"a {raw.type} field needs at least one option")
        values: set[str] = set()
        labels: set[str] = set()
        for i, option in enumerate(raw.options):
            if option.value in values:
                raise _Fail(f"{where}.options[{i}].value", f"{option.value!r} appears twice")
            if option.label in labels:
                raise _Fail(f"{where}.options[{i}].label", f"{option.label!r} appears twice")
            values.add(option.value)
            labels.add(option.label)
    if raw.pattern is not None:
        try:
            re.compile(raw.pattern)
        except re.error as exc:
            raise _Fail(f"{where}.pattern", f"not a valid regular expression ({exc})") from None
    if raw.pattern_message is not None and raw.pattern is None:
        raise _Fail(f"{where}.pattern_message", "is given without a pattern")
    if raw.min_length is not None and raw.max_length is not None and raw.min_length > raw.max_length:
        raise _Fail(f"{where}.min_length", "is larger than max_length")
    if raw.min is not None and raw.max is not None and raw.min > raw.max:
        raise _Fail(f"{where}.min", "is larger than max")
    if raw.type == "multi_choice":
        count = len(raw.options or ())
        for name in ("min", "max"):
            value = getattr(raw, name)
            if value is not None and (value != int(value) or not 0 <= value <= count):
                raise _Fail(f"{where}.{name}", f"must be a whole number of options from 0 to {count}")
    if raw.prefill is not None:
        allowed = PREFILL_TYPES[Prefill(raw.prefill)]
        if FieldType(raw.type) not in allowed:
            kinds = ", ".join(sorted(t.value for t in allowed))
            raise _Fail(f"{where}.prefill", f"{raw.prefill!r} cannot fill a {raw.type} field (only {kinds})")
    if raw.locked and raw.prefill is None:
        raise _Fail(f"{where}.locked", "only a prefilled field can be locked")
    if raw.type == "signature" and raw.show_if is not None:
        raise _Fail(f"{where}.show_if", "the signature is always asked for")


def _to_field(raw: _FieldIn) -> FormField:
    def number(value: float | None) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    return FormField(
        key=raw.key,
        type=FieldType(raw.type),
        label=raw.label.strip(),
        required=raw.required,
        help=raw.help,
        pattern=raw.pattern,
        pattern_message=raw.pattern_message or "",
        min=number(raw.min),
        max=number(raw.max),
        min_length=raw.min_length,
        max_length=raw.max_length,
        decimals=raw.decimals or 0,
        unit=raw.unit or "",
        options=tuple(Option(o.value, o.label) for o in raw.options or ()),
        prefill=Prefill(raw.prefill) if raw.prefill is not None else None,
        locked=bool(raw.locked),
        not_future=bool(raw.not_future),
        not_past=bool(raw.not_past),
        landline=bool(raw.landline),
        show_if=ShowIf(raw.show_if.field, tuple(raw.show_if.values)) if raw.show_if is not None else None,
    )


def _build(doc: _TemplateIn) -> FormTemplate:
    seen: dict[str, tuple[str, FormField]] = {}  # key -> (path, field), in the order the citizen meets them
    steps: list[FormStep] = []
    signature_at: str | None = None
    for s, step in enumerate(doc.steps):
        fields: list[FormField] = []
        for i, raw in enumerate(step.fields):
            where = f"steps[{s}].fields[{i}]"
            _check_field(raw, where)
            if raw.key in seen:
                raise _Fail(f"{where}.key", f"{raw.key!r} is already used by {seen[raw.key][0]}")
            if raw.type == "signature":
                if signature_at is not None:
                    raise _Fail(f"{where}.type", f"a form has one signature; {signature_at} is already one")
                signature_at = where
            if raw.show_if is not None:
                _check_show_if(raw.show_if, where, seen)
            built = _to_field(raw)
            seen[raw.key] = (where, built)
            fields.append(built)
        steps.append(FormStep(step.title.strip(), tuple(fields)))
    layout = _layout(doc.print_, seen)
    return FormTemplate(
        code=doc.code,
        version=doc.version,
        title=doc.title.strip(),
        department=doc.department.strip(),
        intro=doc.intro,
        item_code=doc.item_code,
        steps=tuple(steps),
        layout=layout,
    )


def _check_show_if(show_if: _ShowIfIn, where: str, earlier: dict[str, tuple[str, FormField]]) -> None:
    found = earlier.get(show_if.field)
    if found is None:
        raise _Fail(f"{where}.show_if.field", f"{show_if.field!r} is not a field that comes before this one")
    controller = found[1]
    if controller.type not in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        raise _Fail(f"{where}.show_if.field", f"{show_if.field!r} is not a choice or multi_choice field")
    known = {o.value for o in controller.options}
    for i, value in enumerate(show_if.values):
        if value not in known:
            raise _Fail(f"{where}.show_if.in[{i}]", f"{value!r} is not an option of {show_if.field!r}")


def _layout(raw: _PrintIn | None, fields: dict[str, tuple[str, FormField]]) -> PrintLayout:
    signature = next((f for _, f in fields.values() if f.type is FieldType.SIGNATURE), None)
    if raw is None:  # no layout given: one section per step, two columns, the signature under it all
        by_step: dict[str, list[str]] = {}
        for path, f in fields.values():
            if f.type is not FieldType.SIGNATURE:
                by_step.setdefault(path.split(".")[0], []).append(f.key)
        return PrintLayout(
            sections=tuple(PrintSection("", tuple(keys), 2) for keys in by_step.values()),
            declaration="",
            signature=SignaturePlacement(signature.key) if signature is not None else None,
        )
    printed: dict[str, str] = {}
    sections: list[PrintSection] = []
    for s, section in enumerate(raw.sections):
        for i, key in enumerate(section.fields):
            where = f"print.sections[{s}].fields[{i}]"
            if key not in fields:
                raise _Fail(where, f"{key!r} is not a field of this form")
            if fields[key][1].type is FieldType.SIGNATURE:
                raise _Fail(where, f"{key!r} is the signature: place it with print.signature")
            if key in printed:
                raise _Fail(where, f"{key!r} is already printed at {printed[key]}")
            printed[key] = where
        sections.append(PrintSection(section.title.strip(), tuple(section.fields), section.columns))
    for path, f in fields.values():
        if f.type is not FieldType.SIGNATURE and f.key not in printed:
            raise _Fail("print.sections", f"field {f.key!r} ({path}) is not printed in any section")
    placement: SignaturePlacement | None = None
    if raw.signature is not None:
        target = fields.get(raw.signature.field)
        if target is None or target[1].type is not FieldType.SIGNATURE:
            raise _Fail("print.signature.field", f"{raw.signature.field!r} is not the form's signature field")
        placement = SignaturePlacement(raw.signature.field, raw.signature.label.strip(), raw.signature.align)
    elif signature is not None:
        placement = SignaturePlacement(signature.key)
    return PrintLayout(tuple(sections), raw.declaration.strip(), placement)


def parse_template(data: Any, *, key: str | None = None, version: int | None = None) -> FormTemplate:
    """Check a ``kiosk-form/1`` template and build it. See :func:`kiosk.domain.forms.parse_template`."""
    code = data.get("code") if isinstance(data, dict) else None
    code = code if isinstance(code, str) else None
    if not isinstance(data, dict):
        raise FormFormatError("(template): must be a JSON object", path="(template)")
    try:
        doc = _TemplateIn.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = _path(tuple(first["loc"]))
        message = first["msg"]
        if first["type"] == "literal_error" and path == "format":
            message = f"must be {FORM_FORMAT!r}"
        raise FormFormatError(f"{path}: {message}", path=path, template_code=code) from None
    try:
        if key is not None and doc.code != key:
            raise _Fail("code", f"{doc.code!r} differs from the feed entry's key {key!r}")
        if version is not None and doc.version != version:
            raise _Fail("version", f"{doc.version} differs from the feed entry's version {version}")
        return _build(doc)
    except _Fail as fail:
        raise FormFormatError(f"{fail.path}: {fail.message}", path=fail.path, template_code=code) from None
