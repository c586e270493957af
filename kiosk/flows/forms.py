"""Filling a form as a flow: the form a citizen is filling, with what a step screen needs around it: which step
shows, which fields the citizen has already been to (their messages show), and what the card filled in. Qt-free:
the kiosk's form screens (``kiosk.ui.features.forms``) turn it into screens and signals, and any role may reuse
it. Holds personal data for the length of one form only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from kiosk.domain.forms import (
    FieldType,
    FilledForm,
    FormField,
    FormIncompleteError,
    FormTemplate,
    Strokes,
    prefill,
    validate_value,
)
from kiosk.domain.messages import define
from kiosk.domain.receipt import group_receipt
from kiosk.flows import Deliver, Flow, Pending

if TYPE_CHECKING:
    from kiosk.domain.identity import Identity
    from kiosk.services.forms.submission import SubmissionService, Submitted

log = logging.getLogger(__name__)


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


# The form: none, being filled (steps and review), being taken in, taken in (the done screen).
NO_FORM, FILLING, SUBMITTING, DONE = "idle", "filling", "submitting", "done"

_NOT_SUBMITTED = define("forms.not_submitted", "表单暂时无法提交，请稍后再试，或到服务窗口办理")()


class FormFilling(Flow):
    """One citizen's form, from the first answer to the receipt number, Qt-free.

    Events: ``changed``; ``signature`` (the drawn signature changed); ``step`` (another step shows);
    ``incomplete`` (the form came back from being taken in with problems: the step of the first shows them);
    ``submitted`` (taken in: ``receipt`` and ``form`` hold the numbered form)."""

    FIELDS: ClassVar[dict[str, type]] = {
        "state": str,  # idle, filling (the steps and the review), submitting or done
        "draftCode": str,  # the form kept from a moment ago (choosing it again goes on with it)
        "title": str,
        "department": str,
        "intro": str,
        "stepIndex": int,
        "stepCount": int,
        "stepTitle": str,
        "stepOk": bool,  # no answer on this step fails (下一步 looks ready)
        "editing": bool,  # came back from the review to change an answer
        "submitMessage": str,
        "receipt": str,
        "receiptParts": list,  # the receipt number in the groups it is read out in
    }
    ACTIONS: ClassVar[dict[str, tuple[str, tuple[Any, ...]]]] = {
        "setValue": ("set_value", (str, "QVariant")),  # a multi_choice takes the list of values
        "toggle": ("toggle", (str, str)),  # a tap on an option
        "touch": ("touch", (str,)),  # the citizen left the field: its message shows from now on
    }

    def __init__(self, submissions: Callable[[], SubmissionService], deliver: Deliver) -> None:
        super().__init__()
        self._submissions = submissions
        self._deliver = deliver
        self._call: Pending | None = None
        self.state = NO_FORM
        self.draft: FormDraft | None = None
        self.receipt = ""
        self._submit_message = ""

    # --- filling -------------------------------------------------------------------------------------------

    def start(self, template: FormTemplate, identity: Identity) -> None:
        self.draft = FormDraft(template, identity)
        self._submit_message = ""
        self.state = FILLING
        log.info("form %s v%s started", template.code, template.version)
        self.notify()

    def set_value(self, key: str, value: Any) -> None:
        if self.draft is not None and self.draft.set_value(key, value):
            self.notify()

    def toggle(self, key: str, option: str) -> None:
        if self.draft is not None:
            self.set_value(key, self.draft.toggled(key, option))

    def touch(self, key: str) -> None:
        if self.draft is not None and self.draft.touch(key):
            self.notify()

    def set_signature(self, signature: Strokes) -> None:
        if self.draft is not None:
            self.draft.set_signature(signature)
            self.notify("signature")
            self.notify()

    def add_stroke(self, stroke: Strokes) -> None:
        if self.draft is not None and self.draft.add_stroke(stroke):
            self.notify("signature")
            self.notify()

    def go_to_step(self, index: int) -> None:
        assert self.draft is not None
        self.draft.step = index
        self.notify()
        self.notify("step")

    def set_editing(self, editing: bool) -> None:
        if self.draft is not None:
            self.draft.editing = editing

    def touch_step(self) -> bool:
        """Every field of the step shows its message from now on; True when any of them fails."""
        if self.draft is None:
            return False
        self.draft.touch_step()
        self.notify()
        return not self._step_ok()

    def first_problem_step(self) -> int | None:
        """The step of the form's first problem (its fields touched), or None when the form has none."""
        if self.draft is None:
            return None
        problems = self.draft.form.problems()
        if not problems:
            return None
        self.draft.touched.update(p.key for p in problems)
        return problems[0].step

    # --- taking it in ----------------------------------------------------------------------------------------

    def submit(self) -> None:
        """Number the form and queue it for the center; a form with a problem goes back to its step."""
        draft = self.draft
        if draft is None or self.state != FILLING:
            return
        try:
            future = self._submissions().submit(draft.form)
        except FormIncompleteError as exc:
            log.info("form %s not submitted: %d problem(s)", draft.template.code, len(exc.problems))
            draft.touched.update(p.key for p in exc.problems)
            draft.step = exc.problems[0].step if exc.problems else 0
            self.notify("incomplete")
            return
        except Exception as exc:
            self._on_failed(exc)
            return
        self._submit_message = ""
        self._set_state(SUBMITTING)
        self._call = self._deliver(future, self._on_submitted, self._on_failed)

    def show_numbered(self, receipt: str) -> None:
        """The form as if taken in under ``receipt``, nothing written (screenshots)."""
        if self.draft is not None:
            self.receipt = receipt
            self.draft.form = self.draft.form.with_receipt(receipt)
            self._set_state(DONE)

    def clear(self) -> None:
        """Forget the form: its answers, signature and receipt."""
        if self._call is not None:
            self._call.cancel()
            self._call = None
        had_signature = self.draft is not None and self.draft.form.signature is not None
        self.draft = None
        self._submit_message = ""
        self.receipt = ""
        self.state = NO_FORM
        self.notify()
        if had_signature:
            self.notify("signature")

    @property
    def form(self) -> FilledForm | None:
        return self.draft.form if self.draft is not None else None

    # --- what a screen shows ---------------------------------------------------------------------------------

    def view(self) -> dict[str, Any]:
        draft = self.draft
        template = draft.template if draft is not None else None
        return {
            "state": self.state,
            "draftCode": template.code if template is not None and self.state == FILLING else "",
            "title": template.title if template is not None else "",
            "department": template.department if template is not None else "",
            "intro": template.intro if template is not None else "",
            "stepIndex": draft.step if draft is not None else 0,
            "stepCount": len(template.steps) if template is not None else 0,
            "stepTitle": template.steps[draft.step].title
            if draft is not None and template is not None
            else "",
            "stepOk": self._step_ok(),
            "editing": draft is not None and draft.editing,
            "submitMessage": self._submit_message,
            "receipt": self.receipt,
            "receiptParts": group_receipt(self.receipt).split(" ") if self.receipt else [],
        }

    # --- inside ------------------------------------------------------------------------------------------------

    def _step_ok(self) -> bool:
        draft = self.draft
        if draft is None:
            return True
        return not any(validate_value(f, draft.form.raw(f))[1] for f in draft.step_fields())

    def _on_submitted(self, submitted: Submitted) -> None:
        self._call = None
        if self.draft is not None:
            self.draft.form = submitted.form
        self.receipt = submitted.receipt
        self._set_state(DONE)  # before the screens go: leaving them must not drop the form now
        self.notify("submitted")

    def _on_failed(self, exc: BaseException) -> None:
        self._call = None
        log.error("form could not be taken in (E-FORM-SUBMIT): %s", getattr(exc, "code", type(exc).__name__))
        message = getattr(exc, "message", "")
        self._submit_message = message or _NOT_SUBMITTED
        self._set_state(FILLING)

    def _set_state(self, state: str) -> None:
        self.state = state
        self.notify()
