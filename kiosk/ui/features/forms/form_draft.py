"""The form a citizen is filling, with what the step screen needs around it: which step shows, which fields the
citizen has already been to (their messages show), and what the card filled in. No Qt: the form flow turns it
into screens and signals. Holds personal data for the length of one form only."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.domain.forms import FieldType, FilledForm, FormField, FormTemplate, prefill
from kiosk.ui.features.forms.form_models import is_locked, step_rows, strokes_from_qml, visible_on_step

if TYPE_CHECKING:
    from kiosk.domain.identity import Identity


class FormDraft:
    def __init__(self, template: FormTemplate, identity: Identity) -> None:
        self.form = FilledForm.start(template, datetime.now().astimezone(), identity)
        self.card_values: dict[str, Any] = prefill(template, identity)
        self.holder = (identity.id_number, identity.name)  # whose card filled it: another card starts over
        self.touched: set[str] = set()
        self.step = 0
        self.editing = False  # came back from the review to change an answer

    @property
    def template(self) -> FormTemplate:
        return self.form.template

    @property
    def last_step(self) -> bool:
        return self.step + 1 >= len(self.template.steps)

    def field(self, key: str) -> FormField | None:
        try:
            return self.template.field(key)
        except KeyError:
            return None

    def set_value(self, key: str, value: Any) -> bool:
        """The answer as typed or chosen; False when nothing changed (or the field takes no answer here)."""
        f = self.field(key)
        if f is None or f.type is FieldType.SIGNATURE or is_locked(f, self.form, self.card_values):
            return False
        if isinstance(value, list | tuple):
            value = [str(v) for v in value]
        elif value is not None and not isinstance(value, str):
            value = str(value)
        if self.form.values.get(key) == value or (not value and key not in self.form.values):
            return False
        self.form = self.form.with_value(key, value)
        if f.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
            self.touched.add(key)  # a choice is made in one tap: nothing to wait for
        return True

    def toggled(self, key: str, option: str) -> Any:
        """The answer after a tap on ``option``: a choice takes it, a multi_choice adds or removes it."""
        f = self.field(key)
        if f is None or f.type is not FieldType.MULTI_CHOICE:
            return option
        chosen = set(self.form.values.get(key) or []) ^ {option}
        return [o.value for o in f.options if o.value in chosen]

    def touch(self, key: str) -> bool:
        if key in self.touched:
            return False
        self.touched.add(key)
        return True

    def set_signature(self, strokes: Any) -> None:
        signature = strokes_from_qml(strokes)
        self.form = self.form.with_signature(signature or None)
        signature_field = self.template.signature_field
        if signature_field is not None and signature:
            self.touched.add(signature_field.key)

    def add_stroke(self, points: Any) -> bool:
        stroke = strokes_from_qml([points])
        if not stroke:
            return False
        previous = self.form.signature if isinstance(self.form.signature, tuple) else ()
        self.set_signature([*previous, *stroke])
        return True

    def step_fields(self) -> list[FormField]:
        return visible_on_step(self.form, self.step)

    def rows(self) -> list[dict]:
        return step_rows(self.form, self.step, self.card_values, self.touched)

    def touch_step(self) -> None:
        self.touched.update(f.key for f in self.step_fields())

    def asks_signature(self) -> bool:
        return any(f.type is FieldType.SIGNATURE for f in self.step_fields())

    def signature_strokes(self) -> list[list[list[float]]]:
        signature = self.form.signature
        if not isinstance(signature, tuple):
            return []
        return [[[x, y] for x, y in stroke] for stroke in signature]
