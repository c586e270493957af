"""Self-service forms (自助填表): the center's form templates (``kiosk-form/1``), the rules a citizen's answers must
meet, prefilling from the ID card, and the filled form that becomes a ``submission`` record.

Pure values and rules, no I/O and no Qt. Templates are checked by :func:`parse_template` (pydantic, loaded only
then); answers by :func:`validate_value`, whose messages are written for the citizen at the terminal. The format is
described in docs/forms.md.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeAlias, cast

from kiosk.domain.identity import Identity, birth_date_from_id, id_number_problem
from kiosk.domain.messages import define
from kiosk.domain.receipt import check_receipt

FORM_FORMAT = "kiosk-form/1"
SUBMISSION_FORMAT = "kiosk-submission/1"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_PNG = 256 * 1024  # bytes: a signature pad's PNG is a few tens of KB
MAX_SIGNATURE_POINTS = 10_000
DEFAULT_MAX_LENGTH = {"text": 100, "address": 200}
DEFAULT_SIGNATURE_LABEL = "申请人（签名）"

Strokes: TypeAlias = tuple[tuple[tuple[float, float], ...], ...]
Signature: TypeAlias = bytes | Strokes
Value: TypeAlias = str | Decimal | date | tuple[str, ...]


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    PHONE = "phone"
    ID_NUMBER = "id_number"
    ADDRESS = "address"
    SIGNATURE = "signature"


class Prefill(StrEnum):
    """What a field can take from the citizen's card."""

    NAME = "name"
    ID_NUMBER = "id_number"
    SEX = "sex"
    NATION = "nation"
    BIRTH_DATE = "birth_date"
    ADDRESS = "address"


# Which field types each card value may fill (the template check refuses other pairs).
PREFILL_TYPES: dict[Prefill, frozenset[FieldType]] = {
    Prefill.NAME: frozenset({FieldType.TEXT}),
    Prefill.ID_NUMBER: frozenset({FieldType.ID_NUMBER, FieldType.TEXT}),
    Prefill.SEX: frozenset({FieldType.CHOICE, FieldType.TEXT}),
    Prefill.NATION: frozenset({FieldType.CHOICE, FieldType.TEXT}),
    Prefill.BIRTH_DATE: frozenset({FieldType.DATE}),
    Prefill.ADDRESS: frozenset({FieldType.ADDRESS, FieldType.TEXT}),
}


class FormFormatError(ValueError):
    """A template that does not follow ``kiosk-form/1``. The message starts with the path of the offending
    field (``steps[1].fields[0].options: ...``); ``path`` holds it alone."""

    def __init__(self, message: str, *, path: str = "", template_code: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.template_code = template_code


# --- the template --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class ShowIf:
    """The field shows (and counts) only while the earlier choice field ``field`` has one of ``values``."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FormField:
    key: str
    type: FieldType
    label: str
    required: bool = False
    help: str = ""
    pattern: str | None = None
    pattern_message: str = ""
    min: Decimal | None = None  # number: smallest value; multi_choice: fewest options
    max: Decimal | None = None
    min_length: int | None = None
    max_length: int | None = None
    decimals: int = 0
    unit: str = ""
    options: tuple[Option, ...] = ()
    prefill: Prefill | None = None
    locked: bool = False
    not_future: bool = False
    not_past: bool = False
    landline: bool = False
    show_if: ShowIf | None = None

    def option_label(self, value: str) -> str:
        return next((o.label for o in self.options if o.value == value), value)


@dataclass(frozen=True, slots=True)
class FormStep:
    title: str
    fields: tuple[FormField, ...]


@dataclass(frozen=True, slots=True)
class PrintSection:
    title: str
    fields: tuple[str, ...]
    columns: int = 2


@dataclass(frozen=True, slots=True)
class SignaturePlacement:
    field: str
    label: str = DEFAULT_SIGNATURE_LABEL
    align: str = "right"  # "left" or "right", under the declaration


@dataclass(frozen=True, slots=True)
class PrintLayout:
    sections: tuple[PrintSection, ...]
    declaration: str = ""
    signature: SignaturePlacement | None = None


@dataclass(frozen=True, slots=True)
class FormTemplate:
    code: str
    version: int
    title: str
    department: str
    intro: str
    item_code: str | None
    steps: tuple[FormStep, ...]
    layout: PrintLayout

    @property
    def fields(self) -> tuple[FormField, ...]:
        """Every field in the order the citizen meets them."""
        return tuple(f for step in self.steps for f in step.fields)

    def field(self, key: str) -> FormField:
        for candidate in self.fields:
            if candidate.key == key:
                return candidate
        raise KeyError(key)

    def step_of(self, key: str) -> int:
        for index, step in enumerate(self.steps):
            if any(f.key == key for f in step.fields):
                return index
        raise KeyError(key)

    @property
    def signature_field(self) -> FormField | None:
        return next((f for f in self.fields if f.type is FieldType.SIGNATURE), None)


def parse_template(data: Any, *, key: str | None = None, version: int | None = None) -> FormTemplate:
    """Check a template (a ``form_templates`` feed entry's ``data``) and build it; raise :class:`FormFormatError`
    naming the field path. With ``key``/``version`` (the feed entry's) the template's code and version must match.
    """
    from kiosk.domain import form_format  # the validator (pydantic) loads only when a template is read

    return form_format.parse_template(data, key=key, version=version)


# --- answers -------------------------------------------------------------------------------------------------

# What the citizen is told about an answer: messages (kiosk.domain.messages) the screens translate by their code; the
# ones with fields are filled in where they are used. ``label`` is the field's label (the template's words), ``n``
# a count.
MSG_CHOOSE = define("form.choose", "请选择一项")()
MSG_CHOOSE_LISTED = define("form.choose_listed", "请从列出的选项中选择")()
MSG_CHOOSE_SOME = define("form.choose_some", "请至少选择一项")()
MSG_PHONE = define("form.phone", "请填写手机号码（11位数字）")()
MSG_PHONE_OR_LANDLINE = define("form.phone_or_landline", "请填写手机号码（11位数字）或带区号的固定电话")()
MSG_ID_EMPTY = define("form.id_empty", "请填写身份证号码（18位）")()
MSG_ID_LENGTH = define("form.id_length", "身份证号码应为18位，现在是{n}位")
MSG_ID_CHARS = define("form.id_chars", "身份证号码只能是数字，最后一位可以是X")()
MSG_ID_BIRTH = define("form.id_birth", "身份证号码中的出生日期不正确，请核对")()
MSG_ID_CHECK = define("form.id_check", "身份证号码校验不正确，请核对")()
MSG_DATE_FORMAT = define("form.date_format", "日期格式应为 年-月-日，例如 2024-05-01")()
MSG_DATE_EMPTY = define("form.date_empty", "请填写{label}，格式为 年-月-日")
MSG_DATE_NONE = define("form.date_none", "没有这一天，请核对日期")()
MSG_DATE_FUTURE = define("form.date_future", "日期不能晚于今天")()
MSG_DATE_PAST = define("form.date_past", "日期不能早于今天")()
MSG_FILL = define("form.fill", "请填写{label}")
MSG_TOO_SHORT = define("form.too_short", "请至少填写{n}个字")
MSG_TOO_LONG = define("form.too_long", "最多填写{n}个字，现在有{m}个字")
MSG_PATTERN = define("form.pattern", "{label}的格式不正确，请核对")
MSG_NUMBER = define("form.number", "请填写数字")()
MSG_INTEGER = define("form.integer", "请填写整数")()
MSG_DECIMALS = define("form.decimals", "最多保留{n}位小数")
MSG_MIN = define("form.min", "不能小于{limit}")
MSG_MAX = define("form.max", "不能大于{limit}")
MSG_FEWEST = define("form.fewest", "请至少选择{n}项")
MSG_MOST = define("form.most", "最多只能选择{n}项")
MSG_SIGN = define("form.sign", "请在签名框内签名")()
MSG_SIGN_AGAIN = define("form.sign_again", "签名没有保存成功，请重新签名")()

_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_LANDLINE_RE = re.compile(r"0\d{9,11}")
_NUMBER_RE = re.compile(r"[+-]?\d{1,15}(?:\.\d{1,8})?")
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2})")
_SPACES_RE = re.compile(r"[\s\-()]+")

Checked: TypeAlias = tuple[Value | Signature | None, str]


def _is_empty(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, bytes | bytearray | list | tuple | set | frozenset):
        return len(raw) == 0
    return False


def _narrow(raw: str) -> str:
    """Full-width digits and letters (an IME's or a pasted value) as plain ASCII, for numbers and codes."""
    return unicodedata.normalize("NFKC", raw).strip()


def _plain_text(raw: str) -> str:
    """One line of text: line breaks and tabs become spaces, other control characters go."""
    text = "".join(
        " " if ch in "\r\n\t" else ch for ch in raw if ch in "\r\n\t" or unicodedata.category(ch) != "Cc"
    )
    return text.strip()


def _required_message(f: FormField) -> str:
    if f.type is FieldType.CHOICE:
        return MSG_CHOOSE
    if f.type is FieldType.MULTI_CHOICE:
        return MSG_CHOOSE_SOME
    if f.type is FieldType.PHONE:
        return MSG_PHONE_OR_LANDLINE if f.landline else MSG_PHONE
    if f.type is FieldType.ID_NUMBER:
        return MSG_ID_EMPTY
    if f.type is FieldType.DATE:
        return MSG_DATE_EMPTY(label=f.label)
    if f.type is FieldType.SIGNATURE:
        return MSG_SIGN
    return MSG_FILL(label=f.label)


def _fmt(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def validate_value(f: FormField, raw: object, *, today: date | None = None) -> Checked:
    """Check one answer: ``(value, "")`` with the value normalised, or ``(None, message)`` with what to do, in
    words a citizen understands. An empty answer to an optional field is ``(None, "")``.

    Accepted raw answers: text types take a ``str``; number a ``str``, ``int`` or ``Decimal``; date a ``str``
    (``2024-05-01``, ``2024/5/1``, ``2024年5月1日``, ``20240501``) or a ``date``; choice a ``str`` (an option's
    value); multi_choice a sequence of option values; signature PNG ``bytes`` or strokes (a sequence of strokes,
    each a sequence of ``(x, y)`` points)."""
    if _is_empty(raw):
        return (None, _required_message(f) if f.required else "")
    if f.type in (FieldType.TEXT, FieldType.ADDRESS):
        return _text(f, raw)
    if f.type is FieldType.NUMBER:
        return _number(f, raw)
    if f.type is FieldType.DATE:
        return _date(f, raw, today or date.today())
    if f.type is FieldType.CHOICE:
        if not isinstance(raw, str) or raw not in {o.value for o in f.options}:
            return (None, MSG_CHOOSE_LISTED)
        return (raw, "")
    if f.type is FieldType.MULTI_CHOICE:
        return _multi(f, raw)
    if f.type is FieldType.PHONE:
        return _phone(f, raw)
    if f.type is FieldType.ID_NUMBER:
        return _id_number(raw, today)
    return _signature(raw)


def _text(f: FormField, raw: object) -> Checked:
    if not isinstance(raw, str):
        return (None, MSG_FILL(label=f.label))
    text = _plain_text(raw)
    if not text:
        return (None, _required_message(f) if f.required else "")
    limit = f.max_length if f.max_length is not None else DEFAULT_MAX_LENGTH[f.type.value]
    if f.min_length is not None and len(text) < f.min_length:
        return (None, MSG_TOO_SHORT(n=f.min_length))
    if len(text) > limit:
        return (None, MSG_TOO_LONG(n=limit, m=len(text)))
    if f.pattern is not None and re.fullmatch(f.pattern, text) is None:
        return (None, f.pattern_message or MSG_PATTERN(label=f.label))
    return (text, "")


def _number(f: FormField, raw: object) -> Checked:
    if isinstance(raw, bool):
        return (None, MSG_NUMBER)
    if isinstance(raw, int | Decimal):
        text = str(raw)
    elif isinstance(raw, str):
        text = _narrow(raw).replace(",", "").replace(" ", "")
    else:
        return (None, MSG_NUMBER)
    if _NUMBER_RE.fullmatch(text) is None:
        return (None, MSG_NUMBER)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return (None, MSG_NUMBER)
    rounded = number.quantize(Decimal(1).scaleb(-f.decimals))
    if rounded != number:
        return (None, MSG_INTEGER if f.decimals == 0 else MSG_DECIMALS(n=f.decimals))
    if f.min is not None and number < f.min:
        return (None, MSG_MIN(limit=_fmt(f.min) + f.unit))
    if f.max is not None and number > f.max:
        return (None, MSG_MAX(limit=_fmt(f.max) + f.unit))
    return (rounded, "")


def _date(f: FormField, raw: object, today: date) -> Checked:
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        day = raw
    elif isinstance(raw, str):
        match = _DATE_RE.fullmatch(_narrow(raw))
        if match is None:
            return (None, MSG_DATE_FORMAT)
        year, month, dd = (match[1], match[2], match[3]) if match[1] else (match[4], match[5], match[6])
        try:
            day = date(int(year), int(month), int(dd))
        except ValueError:
            return (None, MSG_DATE_NONE)
    else:
        return (None, MSG_DATE_FORMAT)
    if day.year < 1880:
        return (None, MSG_DATE_NONE)
    if f.not_future and day > today:
        return (None, MSG_DATE_FUTURE)
    if f.not_past and day < today:
        return (None, MSG_DATE_PAST)
    return (day, "")


def _multi(f: FormField, raw: object) -> Checked:
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence | set | frozenset):
        return (None, MSG_CHOOSE_LISTED)
    chosen = set(raw)
    known = [o.value for o in f.options]
    if not chosen <= set(known):
        return (None, MSG_CHOOSE_LISTED)
    if f.min is not None and len(chosen) < f.min:
        return (None, MSG_FEWEST(n=int(f.min)))
    if f.max is not None and len(chosen) > f.max:
        return (None, MSG_MOST(n=int(f.max)))
    return (tuple(v for v in known if v in chosen), "")


def _phone(f: FormField, raw: object) -> Checked:
    wrong = MSG_PHONE_OR_LANDLINE if f.landline else MSG_PHONE
    if not isinstance(raw, str):
        return (None, wrong)
    digits = _SPACES_RE.sub("", _narrow(raw))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if _MOBILE_RE.fullmatch(digits):
        return (digits, "")
    if f.landline and _LANDLINE_RE.fullmatch(digits):
        area = 3 if digits[1] in "12" else 4  # 010 and 02x are three digits long, the others four
        if 7 <= len(digits) - area <= 8:
            return (f"{digits[:area]}-{digits[area:]}", "")
    return (None, wrong)


def _id_number(raw: object, today: date | None) -> Checked:
    if not isinstance(raw, str):
        return (None, MSG_ID_CHARS)
    number = _narrow(raw).replace(" ", "").upper()
    if len(number) != 18:
        return (None, MSG_ID_LENGTH(n=len(number)))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return (None, MSG_ID_CHARS)
    if id_number_problem(number, today=today):
        born = birth_date_from_id(number)
        if born is None or born > (today or date.today()) or born.year < 1880:
            return (None, MSG_ID_BIRTH)
        return (None, MSG_ID_CHECK)
    return (number, "")


def _signature(raw: object) -> Checked:
    if isinstance(raw, bytes | bytearray):
        data = bytes(raw)
        if not data.startswith(PNG_MAGIC) or len(data) > MAX_SIGNATURE_PNG:
            return (None, MSG_SIGN_AGAIN)
        return (data, "")
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        return (None, MSG_SIGN_AGAIN)
    strokes: list[tuple[tuple[float, float], ...]] = []
    total = 0
    try:
        for stroke in raw:
            points = tuple((float(x), float(y)) for x, y in stroke)
            if any(v != v or v in (float("inf"), float("-inf")) for p in points for v in p):
                return (None, MSG_SIGN_AGAIN)
            total += len(points)
            if points:
                strokes.append(points)
    except (TypeError, ValueError):
        return (None, MSG_SIGN_AGAIN)
    if total < 2:
        return (None, MSG_SIGN)
    if total > MAX_SIGNATURE_POINTS:
        return (None, MSG_SIGN_AGAIN)
    return (tuple(strokes), "")


def display_value(f: FormField, value: Value | None) -> str:
    """A checked value as the citizen reads it back (confirmation screen, printout): labels for choices,
    ``1948年3月15日`` for dates, the unit after numbers."""
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Decimal):
        return f"{value}{f.unit}"
    if isinstance(value, tuple):
        return "、".join(f.option_label(v) for v in value)
    if f.type is FieldType.CHOICE:
        return f.option_label(value)
    return value


# --- prefilling from the card ---------------------------------------------------------------------------------

_NOT_A_NATION = {"其他", "外国血统", ""}


def _card_value(binding: Prefill, identity: Identity) -> str | date | None:
    if binding is Prefill.NAME:
        return identity.name.strip() or None
    if binding is Prefill.ID_NUMBER:
        return identity.id_number.strip() or None
    if binding is Prefill.SEX:
        return identity.sex.strip() or None
    if binding is Prefill.NATION:
        nation = identity.nation.strip()
        if nation in _NOT_A_NATION or nation.endswith("族"):
            return nation or None
        return nation + "族"  # the card says 汉, a form says 汉族
    if binding is Prefill.BIRTH_DATE:
        return identity.birth_date
    return identity.address.strip() or None


def prefill(template: FormTemplate, identity: Identity) -> dict[str, Value]:
    """The answers the card gives, by field key, for the fields bound to it (``prefill``). Card values go in as
    they are: one that does not pass its field's rules (a wrong check digit) shows up in ``problems()``."""
    out: dict[str, Value] = {}
    for f in template.fields:
        if f.prefill is None:
            continue
        value = _card_value(f.prefill, identity)
        if value is None:
            continue
        if f.type is FieldType.CHOICE:
            wanted = {str(value), str(value).removesuffix("族")}
            chosen = next((o.value for o in f.options if o.value in wanted or o.label in wanted), None)
            if chosen is not None:
                out[f.key] = chosen
        else:
            out[f.key] = value
    return out


# --- the filled form -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """An answer that keeps the form from being submitted: which field, on which step, and what to do."""

    key: str
    label: str
    step: int
    message: str


class FormIncompleteError(ValueError):
    """The form still has problems (or no receipt number) and cannot be submitted."""

    def __init__(self, message: str, problems: tuple[FieldProblem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True, slots=True, repr=False)
class FilledForm:
    """A citizen's answers to one template. Immutable: ``with_value`` and friends return a new form.

    ``values`` holds the raw answers (as typed or chosen) by field key, except the signature, which is
    ``signature``. Its ``repr`` shows no answer: they are personal data."""

    template: FormTemplate
    created_at: datetime
    values: Mapping[str, Any] = field(default_factory=dict)
    signature: Signature | None = None
    receipt: str = ""

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None:
            raise ValueError("created_at must carry its UTC offset")
        keys = {f.key: f for f in self.template.fields}
        for key in self.values:
            if key not in keys:
                raise ValueError(f"form {self.template.code} has no field {key!r}")
            if keys[key].type is FieldType.SIGNATURE:
                raise ValueError(f"field {key!r} is the signature: pass it as signature=")
        if self.receipt and not check_receipt(self.receipt):
            raise ValueError("receipt is not a valid receipt number")
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))

    def __repr__(self) -> str:
        return (
            f"FilledForm({self.template.code} v{self.template.version}, {len(self.values)} answers, "
            f"receipt={self.receipt or '-'})"
        )

    __str__ = __repr__

    @classmethod
    def start(
        cls, template: FormTemplate, created_at: datetime, identity: Identity | None = None
    ) -> FilledForm:
        """A new form, prefilled from ``identity`` when there is one."""
        return cls(template, created_at, prefill(template, identity) if identity is not None else {})

    @property
    def template_code(self) -> str:
        return self.template.code

    @property
    def template_version(self) -> int:
        return self.template.version

    def with_value(self, key: str, raw: object) -> FilledForm:
        values = dict(self.values)
        if _is_empty(raw):
            values.pop(key, None)
        else:
            values[key] = raw
        return replace(self, values=values)

    def with_signature(self, signature: Signature | None) -> FilledForm:
        return replace(self, signature=signature)

    def with_receipt(self, receipt: str) -> FilledForm:
        return replace(self, receipt=receipt)

    def raw(self, f: FormField) -> object:
        return self.signature if f.type is FieldType.SIGNATURE else self.values.get(f.key)

    def _walk(self, today: date | None) -> list[tuple[FormField, int, Value | Signature | None, str]]:
        """Every visible field with its step, checked value and message, in order."""
        seen: dict[str, Value | Signature | None] = {}
        out = []
        for step_index, step in enumerate(self.template.steps):
            for f in step.fields:
                if f.show_if is not None:
                    controller = seen.get(f.show_if.field)
                    chosen = controller if isinstance(controller, tuple) else (controller,)
                    if not any(v in f.show_if.values for v in chosen):
                        continue
                value, message = validate_value(f, self.raw(f), today=today)
                seen[f.key] = value
                out.append((f, step_index, value, message))
        return out

    def visible_fields(self, *, today: date | None = None) -> tuple[FormField, ...]:
        """The fields that show with the answers so far (a ``show_if`` hides the others)."""
        return tuple(f for f, _, _, _ in self._walk(today))

    def problems(self, *, today: date | None = None) -> tuple[FieldProblem, ...]:
        """Every visible field whose answer does not pass; a form with problems cannot be submitted."""
        return tuple(
            FieldProblem(f.key, f.label, step, message)
            for f, step, _, message in self._walk(today)
            if message
        )

    def _checked(self, today: date | None) -> tuple[dict[str, Value], Signature | None]:
        walked = self._walk(today)
        problems = tuple(FieldProblem(f.key, f.label, s, m) for f, s, _, m in walked if m)
        if problems:
            raise FormIncompleteError(f"{len(problems)} field(s) need attention", problems)
        values: dict[str, Value] = {}
        signature: Signature | None = None
        for f, _, value, _ in walked:
            if value is None:
                continue
            if f.type is FieldType.SIGNATURE:
                signature = cast(Signature, value)
            else:
                values[f.key] = cast(Value, value)
        return values, signature

    def cleaned(self, *, today: date | None = None) -> dict[str, Value]:
        """The checked answers of the visible fields, empty ones left out (the signature is not among them);
        raises :class:`FormIncompleteError` listing the problems when there are any."""
        return self._checked(today)[0]

    def to_submission(self, *, today: date | None = None) -> dict[str, Any]:
        """The body of the outbox record (kind ``submission``, personal data: sealed) — docs/forms.md."""
        if not self.receipt:
            raise FormIncompleteError("the form has no receipt number yet")
        values, checked = self._checked(today)
        signature: dict[str, Any] | None = None
        if isinstance(checked, bytes):
            signature = {"format": "png", "data": base64.b64encode(checked).decode("ascii")}
        elif checked is not None:
            signature = {
                "format": "strokes",
                "strokes": [[[round(x, 1), round(y, 1)] for x, y in stroke] for stroke in checked],
            }
        return {
            "format": SUBMISSION_FORMAT,
            "template": {"code": self.template.code, "version": self.template.version},
            "item_code": self.template.item_code,
            "receipt": self.receipt,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "values": {key: _wire(self.template.field(key), value) for key, value in values.items()},
            "signature": signature,
        }


def _wire(f: FormField, value: Value) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if f.decimals == 0 else float(value)
    if isinstance(value, tuple):
        return list(value)
    return value
