"""Filling a form as a flow: the form a citizen is filling, with what a step screen needs around it: which step
shows, which fields the citizen has already been to (their messages show), and what the card filled in. Qt-free:
the kiosk's form screens (``kiosk.ui.features.forms``) turn it into screens and signals, and any role may reuse
it. Holds personal data for the length of one form only."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.domain.forms import FieldType, FilledForm, FormField, FormTemplate, Strokes, prefill

if TYPE_CHECKING:
    from kiosk.domain.identity import Identity


def is_locked(f: FormField, form: FilledForm, card_values: dict[str, Any]) -> bool:
    """Locked by the template and actually filled from the card: a locked field the card left empty stays
    open, or the citizen could never finish the form."""
    return f.locked and f.key in card_values and form.values.get(f.key) == card_values[f.key]


def visible_on_step(form: FilledForm, step: int) -> list[FormField]:
    keys = {f.key for f in form.visible_fields()}
    return [f for f in form.template.steps[step].fields if f.key in keys]


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

    def set_signature(self, signature: Strokes) -> None:
        """The signature as drawn: strokes of points (the screen rounds and cleans what the pad hands it)."""
        self.form = self.form.with_signature(signature or None)
        signature_field = self.template.signature_field
        if signature_field is not None and signature:
            self.touched.add(signature_field.key)

    def add_stroke(self, stroke: Strokes) -> bool:
        """One more stroke (as ``strokes`` of one); False when it holds no point."""
        if not stroke:
            return False
        previous = self.form.signature if isinstance(self.form.signature, tuple) else ()
        self.set_signature((*previous, *stroke))
        return True

    def step_fields(self) -> list[FormField]:
        return visible_on_step(self.form, self.step)

    def touch_step(self) -> None:
        self.touched.update(f.key for f in self.step_fields())

    def asks_signature(self) -> bool:
        return any(f.type is FieldType.SIGNATURE for f in self.step_fields())

    def signature_strokes(self) -> list[list[list[float]]]:
        signature = self.form.signature
        if not isinstance(signature, tuple):
            return []
        return [[[x, y] for x, y in stroke] for stroke in signature]
