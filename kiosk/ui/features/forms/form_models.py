"""What the form screens read: the offered templates, the fields of the step on screen and the answers on the
review, built from the domain's form (kiosk/domain/forms.py) so that every rule and message stays there.

The field rows are plain dicts, one per visible field, rebuilt after every answer; :class:`FieldListModel` hands
QML only the rows and roles that changed, so a field being typed into keeps its delegate (and its focus and the
keyboard) while the message of another field appears, and a ``show_if`` field slides in or out alone.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
)
from PySide6.QtQml import QJSValue

from kiosk.domain.forms import (
    DEFAULT_MAX_LENGTH,
    FieldType,
    FilledForm,
    FormField,
    FormTemplate,
    display_value,
    validate_value,
)
from kiosk.domain.identity import mask_id_number, mask_name, mask_text
from kiosk.flows.forms import is_locked, visible_on_step
from kiosk.ui.messages import local_date, translate
from kiosk.ui.shell.list_models import FIRST_ROLE, RoleListModel

# A text pattern made of digits only (a postcode, a bank account): the digit pad suits it better than pinyin.
_DIGITS_PATTERN = re.compile(r"(?:\\d|\d|\[0-9\]|\{\d+(?:,\d*)?\}|[+*?])+")

# What a typed answer may hold at most: a field keeps the citizen from typing past what the rules allow.
_TYPED_LIMITS = {FieldType.PHONE: 20, FieldType.ID_NUMBER: 18, FieldType.NUMBER: 20, FieldType.DATE: 10}

FIELD_ROLES = (
    "key",
    "fieldType",  # text, address, phone, id_number, number, date, choice, multi_choice, signature
    "label",
    "mandatory",  # required by the template ("required" is a QML keyword)
    "help",
    "value",  # the answer as text (text types; dates as YYYY-MM-DD); "" when empty
    "chosen",  # the chosen option values (choice: at most one)
    "displayText",  # the answer as the citizen reads it back (locked fields show this)
    "options",  # [{value, label}]
    "locked",  # from the card and not to be changed here
    "fromCard",  # the answer is what the card says
    "message",  # the domain's message, once the citizen has left the field or pressed 下一步
    "hasProblem",  # the answer does not pass (whether or not the message shows yet)
    "maxLength",
    "unit",
    "decimals",
    "signed",  # a signature field that holds a signature
    "digitsOnly",  # a text field whose pattern takes digits only
    "maskedText",  # a personal answer read from the card, as the screen shows it (陈*英); "" for the others
)

# Card values a passer-by should not read off a public screen: shown masked, as the progress screen and
# ``Identity`` show them (the printout has them whole). Sex and nation are choices and stay as they are.
_MASKS = {
    "name": mask_name,
    "id_number": mask_id_number,
    "address": mask_text,
}


@dataclass(frozen=True, slots=True)
class TemplateRow:
    """A form in the list of forms this terminal offers (nothing personal)."""

    code: str
    title: str
    department: str
    intro: str


def template_rows(templates: Sequence[FormTemplate]) -> list[TemplateRow]:
    return [TemplateRow(t.code, t.title, t.department, t.intro) for t in templates]


def raw_text(raw: object) -> str:
    """An answer as the text a field shows for editing."""
    if raw is None or isinstance(raw, bytes | tuple | list):
        return ""
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, Decimal):
        return format(raw, "f")
    return str(raw)


def from_card(f: FormField, form: FilledForm, card_values: dict[str, Any]) -> bool:
    """The answer is what the card says (the citizen has not changed it)."""
    return f.key in card_values and form.values.get(f.key) == card_values[f.key]


def masked_card_text(f: FormField, form: FilledForm, card_values: dict[str, Any]) -> str:
    """A personal answer read from the card as a public screen may show it; "" when it is not one (typed
    answers stay visible: the citizen checks them)."""
    if f.prefill is None or not from_card(f, form, card_values):
        return ""
    raw = form.raw(f)
    if f.prefill == "birth_date" and isinstance(raw, date):
        # The year only, in the language shown: 1948年**月**日 / **/**/1948.
        return QCoreApplication.translate("FormModels", "%1年**月**日").replace("%1", str(raw.year))
    mask = _MASKS.get(f.prefill)
    return mask(raw_text(raw)) if mask is not None and raw_text(raw) else ""


def field_row(f: FormField, form: FilledForm, card_values: dict[str, Any], touched: Collection[str]) -> dict:
    raw = form.raw(f)
    checked, message = validate_value(f, raw)
    chosen: list[str] = []
    if f.type is FieldType.CHOICE and isinstance(raw, str):
        chosen = [raw]
    elif f.type is FieldType.MULTI_CHOICE and isinstance(raw, list | tuple):
        chosen = [o.value for o in f.options if o.value in raw]
    if f.type is FieldType.SIGNATURE:
        shown = ""
    elif checked is not None and not isinstance(checked, bytes):
        shown = _shown(f, checked)
    else:
        shown = raw_text(raw)
    limit = f.max_length or DEFAULT_MAX_LENGTH.get(f.type.value) or _TYPED_LIMITS.get(f.type, 0)
    return {
        "key": f.key,
        "fieldType": f.type.value,
        "label": f.label,
        "mandatory": f.required,
        "help": f.help,
        "value": raw_text(raw),
        "chosen": chosen,
        "displayText": shown,
        "options": [{"value": o.value, "label": o.label} for o in f.options],
        "locked": is_locked(f, form, card_values),
        "fromCard": from_card(f, form, card_values),
        "message": translate(message) if f.key in touched else "",
        "hasProblem": bool(message),
        "maxLength": limit,
        "unit": f.unit,
        "decimals": f.decimals,
        "signed": f.type is FieldType.SIGNATURE and bool(form.signature),
        "digitsOnly": bool(f.pattern and _DIGITS_PATTERN.fullmatch(f.pattern)),
        "maskedText": masked_card_text(f, form, card_values),
    }


def _shown(f: FormField, checked: Any) -> str:
    """A checked answer as the screen reads it back: dates in the language shown, the rest as the domain says
    (choices by their labels, numbers with their units: the template's own words)."""
    if isinstance(checked, date):
        return local_date(checked)
    return display_value(f, checked)


def step_rows(
    form: FilledForm, step: int, card_values: dict[str, Any], touched: Collection[str]
) -> list[dict]:
    return [field_row(f, form, card_values, touched) for f in visible_on_step(form, step)]


def review_steps(form: FilledForm, empty_text: str, card_values: dict[str, Any] | None = None) -> list[dict]:
    """Every visible answer by step, as the citizen reads it back; ``empty_text`` for an optional answer left
    empty. Personal answers read from the card (``card_values``) are masked (``fromCard``): the citizen did not
    type them and need not check them, and the printout has them whole; what the citizen typed is shown in full
    to be checked. The signature is a row of its own type (the screen draws it)."""
    card = card_values or {}
    visible = {f.key for f in form.visible_fields()}
    steps = []
    for index, step in enumerate(form.template.steps):
        answers = []
        for f in step.fields:
            if f.key not in visible:
                continue
            checked, _ = validate_value(f, form.raw(f))
            if f.type is FieldType.SIGNATURE:
                text = ""
            elif checked is None:
                text = empty_text if not form.raw(f) else raw_text(form.raw(f))
            else:
                text = _shown(f, checked)
            masked = masked_card_text(f, form, card)
            answers.append(
                {
                    "key": f.key,
                    "label": f.label,
                    "fieldType": f.type.value,
                    "text": masked or text,
                    "fromCard": bool(masked),
                }
            )
        steps.append({"index": index, "title": step.title, "answers": answers})
    return steps


class FieldListModel(RoleListModel):
    """The fields of the step on screen: dict rows keyed by ``key``, updated in place (see the module doc)."""

    def __init__(self, roles: Sequence[str] = FIELD_ROLES, parent: QObject | None = None) -> None:
        super().__init__(roles, parent)
        self._rows: list[dict] = []

    def _value(self, row: Any, name: str) -> Any:
        return row.get(name)

    def update(self, rows: Sequence[dict]) -> None:
        """Show ``rows``: rows whose key left are removed, new keys inserted where they belong, and changed
        rows announced role by role. Rows keep the template's order, so this is never a reordering."""
        new = [dict(r) for r in rows]
        new_keys = [r["key"] for r in new]
        old_keys = [r["key"] for r in self._rows]
        before = len(self._rows)
        if not set(new_keys) & set(old_keys):
            if new or self._rows:
                self.beginResetModel()
                self._rows = new
                self.endResetModel()
        else:
            for i in range(len(self._rows) - 1, -1, -1):
                if self._rows[i]["key"] not in new_keys:
                    self.beginRemoveRows(QModelIndex(), i, i)
                    del self._rows[i]
                    self.endRemoveRows()
            for i, row in enumerate(new):
                if i >= len(self._rows) or self._rows[i]["key"] != row["key"]:
                    self.beginInsertRows(QModelIndex(), i, i)
                    self._rows.insert(i, row)
                    self.endInsertRows()
                    continue
                changed = [
                    FIRST_ROLE + c
                    for c, name in enumerate(self._roles)
                    if self._rows[i].get(name) != row.get(name)
                ]
                if changed:
                    self._rows[i] = row
                    index = self.index(i, 0)
                    self.dataChanged.emit(index, index, changed)
        if len(self._rows) != before:
            self.countChanged.emit()

    def clear(self) -> None:
        self.update([])

    def rows(self) -> tuple[dict, ...]:
        return tuple(dict(r) for r in self._rows)

    def row_of(self, key: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r["key"] == key), -1)


def strokes_from_qml(raw: Any) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Strokes from QML (lists of ``[x, y]`` or ``{x, y}``), rounded to 0.1; anything malformed is left out."""
    out = []
    for stroke in _plain(raw) or ():
        points = []
        for point in _plain(stroke) or ():
            try:
                point = _plain(point)
                x, y = (point["x"], point["y"]) if isinstance(point, dict) else point
                points.append((round(float(x), 1), round(float(y), 1)))
            except (TypeError, ValueError, KeyError):
                continue
        if points:
            out.append(tuple(points))
    return tuple(out)


def _plain(value: Any) -> Any:
    """A JavaScript value handed through a QML signal (``var``) as the Python value it holds."""
    return value.toVariant() if isinstance(value, QJSValue) else value
