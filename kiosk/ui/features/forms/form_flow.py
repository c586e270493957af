"""Filling in a government form (自助填表): choosing a template, one step per screen, the review, taking it in,
printing it.

Screens: ``forms`` (the templates this terminal offers) → the identity prompt when no card was read →
``formStep`` (one step; the answers checked by the domain as they are given) → ``formReview`` → ``formDone``
(replacing the review and the steps, so 返回 cannot submit again). The form lives here, in memory, as the
domain's immutable :class:`~kiosk.domain.forms.FilledForm`; it is prefilled from the session's identity.

A form left with 返回 (from its first step, or the navigation bar) is kept while the list of forms is open:
choosing the same form again goes on where the citizen was. Leaving the list, 首页, the idle reset and the end
of the session forget it (:meth:`FormFlow.clear`), together with every answer in the list models.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.domain.forms import FilledForm, FormIncompleteError, FormTemplate
from kiosk.domain.messages import define
from kiosk.domain.receipt import group_receipt, make_receipt
from kiosk.flows.forms import FormDraft
from kiosk.ui.features.forms.form_demo import apply_demo_state
from kiosk.ui.features.forms.form_models import FieldListModel, review_steps, step_rows, strokes_from_qml
from kiosk.ui.features.forms.form_printing import FormPrinting
from kiosk.ui.features.forms.form_templates import TemplateList
from kiosk.ui.messages import on_language_switched, translate
from kiosk.ui.shell.list_models import ValueListModel
from kiosk.ui.shell.tasks import BackgroundCall, run_in_background

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.services.background import Background
    from kiosk.services.citizen import CitizenServices
    from kiosk.services.forms.submission import Submitted
    from kiosk.ui.shell.identity_prompt import IdentityPrompt
    from kiosk.ui.shell.identity_session import IdentitySession
    from kiosk.ui.shell.navigator import Navigator

log = logging.getLogger(__name__)

# What this screen says itself, as messages (kiosk.domain.messages) so that what shows follows a later language switch.
IDENTIFY_PURPOSE = define("forms.identify_purpose", "填写表单前，请先读取您的身份证")()
_NOT_SUBMITTED = define("forms.not_submitted", "表单暂时无法提交，请稍后再试，或到服务窗口办理")()

# The form: none, being filled (steps and review), being taken in, taken in (the done screen).
NO_FORM, FILLING, SUBMITTING, DONE = "idle", "filling", "submitting", "done"
FORM_SCREENS = ("formStep", "formReview")


class FormFlow(QObject):
    changed = Signal()  # the form's state, its step, the answers
    templatesChanged = Signal()
    signatureChanged = Signal()
    printChanged = Signal()
    problemsShown = Signal(int)  # 下一步 found problems: the row of the first one, to scroll it into view
    finished = Signal(str)  # the citizen is done with the form of this receipt number: offer the rating

    def __init__(
        self,
        services: Callable[[], CitizenServices],
        session: IdentitySession,
        prompt: IdentityPrompt,
        navigator: Navigator,
        background: Background,
        settings: Settings,
        say: Callable[[str], None],
        printer: Callable[[], Any] | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._session = session
        self._prompt = prompt
        self._navigator = navigator
        self._settings = settings
        self._say = say
        self._templates = TemplateList(services, background, self)
        self._templates.changed.connect(self.templatesChanged)
        self._fields = FieldListModel(parent=self)
        self._submit_call: BackgroundCall | None = None
        self._state = NO_FORM
        self._draft: FormDraft | None = None
        self._review: list[dict] = []
        self._submit_message = ""
        self._receipt = ""
        self._printing = FormPrinting(
            background, settings.data_dir / "tmp", settings.terminal_id, printer, parent=self
        )
        self._printing.changed.connect(self.printChanged)
        self._printing.finished.connect(lambda ok: say("take_printout" if ok else "print_failed"))
        navigator.left.connect(self._on_screen_left)
        session.started.connect(self._on_identity)
        on_language_switched(self._on_language_switched)

    # --- the list of forms ---------------------------------------------------------------------------------

    @Slot()
    def showForms(self) -> None:
        """Open the list of the forms this terminal offers."""
        self._navigator.push("forms")
        self._templates.load()

    @Slot()
    def retryTemplates(self) -> None:
        self._templates.load()

    @Slot(str)
    def choose(self, code: str) -> None:
        """Start the form ``code`` (or go on with it, if it is the one left a moment ago) once the citizen is
        identified."""
        template = self._templates.template(code)
        if template is None:
            log.warning("form %s is not among the offered forms", code)
            return
        purpose = IDENTIFY_PURPOSE
        if self._draft is not None and self._draft.template.code == code and self._state == FILLING:
            self._prompt.run_with_identity(purpose, self._open_step)
            return
        self.clear_form()
        self._prompt.run_with_identity(purpose, lambda: self._start(template))

    def _start(self, template: FormTemplate) -> None:
        identity = self._session.identity()
        if identity is None:
            return
        self._draft = FormDraft(template, identity)
        self._submit_message = ""
        self._set_state(FILLING)
        log.info("form %s v%s started", template.code, template.version)
        self._open_step()

    def _open_step(self) -> None:
        self._refresh()
        self._prompt.open("formStep")
        self._on_step_opened()

    # --- answering ---------------------------------------------------------------------------------------------

    @Slot(str, "QVariant")
    def setValue(self, key: str, value: Any) -> None:
        """The citizen's answer to ``key`` as typed or chosen (a multi_choice takes the list of values)."""
        if self._draft is not None and self._draft.set_value(key, value):
            self._refresh()

    @Slot(str, str)
    def toggle(self, key: str, option: str) -> None:
        """A tap on an option: a choice takes it; a multi_choice adds or removes it."""
        if self._draft is not None:
            self.setValue(key, self._draft.toggled(key, option))

    @Slot(str)
    def touch(self, key: str) -> None:
        """The citizen left the field: its message shows from now on."""
        if self._draft is not None and self._draft.touch(key):
            self._refresh()

    @Slot("QVariant")
    def setSignature(self, strokes: Any) -> None:
        """The strokes of the signature pad: a list of strokes, each a list of points (``[x, y]`` or ``{x, y}``)
        in the pad's own coordinates."""
        if self._draft is not None:
            self._draft.set_signature(strokes_from_qml(strokes))
            self.signatureChanged.emit()
            self._refresh()

    @Slot("QVariant")
    def addStroke(self, points: Any) -> None:
        """One more stroke (the finger lifted)."""
        if self._draft is not None and self._draft.add_stroke(strokes_from_qml([points])):
            self.signatureChanged.emit()
            self._refresh()

    @Slot()
    def clearSignature(self) -> None:
        self.setSignature([])

    # --- moving through the steps ----------------------------------------------------------------------------

    @Slot()
    def next(self) -> None:
        """The next step, or the review after the last one, unless this step has problems: then every problem
        shows at its field and the screen scrolls to the first."""
        if self._draft is None or self._state != FILLING or self._show_step_problems():
            return
        if self._draft.last_step:
            self.review()
        else:
            self._go_to_step(self._draft.step + 1)

    @Slot()
    def previous(self) -> None:
        """The step before; from the first step, back to the list of forms (the form is kept while it shows)."""
        if self._draft is None or self._draft.step == 0:
            self._navigator.back()
        else:
            self._go_to_step(self._draft.step - 1)

    @Slot()
    def review(self) -> None:
        """Every answer on one screen, once no step has a problem (else the first problem's step shows it)."""
        draft = self._draft
        if draft is None or self._state != FILLING or self._show_step_problems():
            return
        problems = draft.form.problems()
        if problems:
            draft.touched.update(p.key for p in problems)
            self._go_to_step(problems[0].step)
            self._show_step_problems()
            return
        draft.editing = False
        self._review = review_steps(draft.form, self.tr("（未填写）"), draft.card_values)
        self.changed.emit()
        self._navigator.push("formReview")

    @Slot(int)
    def editStep(self, index: int) -> None:
        """From the review: change the answers of step ``index``; 回到核对页 (or 下一步 to the end) comes back."""
        if self._draft is None or not 0 <= index < len(self._draft.template.steps):
            return
        self._draft.editing = True
        self._go_to_step(index)
        if self._navigator.current == "formReview":
            self._navigator.back()

    def _go_to_step(self, index: int) -> None:
        assert self._draft is not None
        self._draft.step = index
        self._refresh()
        self._on_step_opened()

    def _on_step_opened(self) -> None:
        if self._draft is not None and self._draft.asks_signature():
            self._say("sign_here")

    def _show_step_problems(self) -> bool:
        """Touch every field of the step; True (and the first problem's row announced) when any fails."""
        if self._draft is None:
            return False
        self._draft.touch_step()
        self._refresh()
        first = next((i for i, row in enumerate(self._fields.rows()) if row["hasProblem"]), -1)
        if first >= 0:
            self.problemsShown.emit(first)
        return first >= 0

    def _refresh(self) -> None:
        draft = self._draft
        self._fields.update(
            step_rows(draft.form, draft.step, draft.card_values, draft.touched) if draft is not None else []
        )
        self.changed.emit()

    def _on_language_switched(self) -> None:
        """The answers' messages, dates and the review in the new language."""
        draft = self._draft
        if draft is not None and self._review:
            self._review = review_steps(draft.form, self.tr("（未填写）"), draft.card_values)
        self._refresh()

    # --- taking it in -------------------------------------------------------------------------------------------

    @Slot()
    def submit(self) -> None:
        """确认提交: number the form and queue it for the center; a form with a problem goes back to it."""
        draft = self._draft
        if draft is None or self._state != FILLING:
            return
        try:
            future = self._services().submissions.submit(draft.form)
        except FormIncompleteError as exc:
            log.info("form %s not submitted: %d problem(s)", draft.template.code, len(exc.problems))
            if self._navigator.current == "formReview":
                self._navigator.back()
            draft.touched.update(p.key for p in exc.problems)
            self._go_to_step(exc.problems[0].step if exc.problems else 0)
            self._show_step_problems()
            return
        except Exception as exc:
            self._on_submit_failed(exc)
            return
        self._submit_message = ""
        self._set_state(SUBMITTING)
        self._submit_call = run_in_background(future, self._on_submitted, self._on_submit_failed, parent=self)

    def _on_submitted(self, submitted: Submitted) -> None:
        self._submit_call = None
        if self._draft is not None:
            self._draft.form = submitted.form
        self._receipt = submitted.receipt
        self._set_state(DONE)  # before the screens go: leaving them must not drop the form now
        self._say("form_submitted")
        self._show_done()
        self._printing.start(submitted.form)

    def _show_done(self) -> None:
        """The done screen in place of the review and the steps: 返回 from it goes to the list of forms."""
        if self._navigator.current == "formReview":
            self._navigator.back()
        if self._navigator.current == "formStep":
            self._navigator.replace("formDone")
        else:
            self._navigator.push("formDone")

    def _on_submit_failed(self, exc: BaseException) -> None:
        self._submit_call = None
        log.error("form could not be taken in (E-FORM-SUBMIT): %s", getattr(exc, "code", type(exc).__name__))
        message = getattr(exc, "message", "")
        self._submit_message = message or _NOT_SUBMITTED
        self._set_state(FILLING)

    @Slot()
    def printAgain(self) -> None:
        self._printing.printAgain()

    @Slot()
    def done(self) -> None:
        """完成 (or 不打印，直接完成): the form is over; the rating of its case follows."""
        receipt = self._receipt
        self.clear()
        self._navigator.home()
        if receipt:
            self.finished.emit(receipt)

    # --- forgetting ---------------------------------------------------------------------------------------------

    def clear_form(self) -> None:
        """Forget the form: its answers, signature, receipt and printout (the list of forms stays)."""
        if self._submit_call is not None:
            self._submit_call.cancel()
            self._submit_call = None
        self._printing.close()
        had_signature = self._draft is not None and self._draft.form.signature is not None
        self._draft = None
        self._review = []
        self._submit_message = ""
        self._receipt = ""
        self._state = NO_FORM
        self._refresh()
        if had_signature:
            self.signatureChanged.emit()

    def clear(self) -> None:
        """Forget the form and everything of the citizen in it."""
        self.clear_form()
        self._templates.clear()

    @Slot(str)
    def _on_screen_left(self, screen: str) -> None:
        if screen == "forms":
            self.clear()
        elif screen == "formDone":
            self.clear_form()
        elif screen == "formReview" and self._state == FILLING:
            self._review = []
            self.changed.emit()

    @Slot()
    def _on_identity(self) -> None:
        """A card was read. Another citizen's card ends the form of the previous one, whose answers they must
        not see; the same card read again changes nothing."""
        identity = self._session.identity()
        draft = self._draft
        if draft is None or identity is None or self._state not in (FILLING, SUBMITTING):
            return
        if (identity.id_number, identity.name) == draft.holder:
            return
        log.info("another card was read: the form being filled is dropped")
        self.clear_form()
        while self._navigator.current in FORM_SCREENS:
            self._navigator.back()

    def _set_state(self, state: str) -> None:
        self._state = state
        self.changed.emit()

    # --- tests and screenshots ---------------------------------------------------------------------------------

    def form(self) -> FilledForm | None:
        """The form being filled."""
        return self._draft.form if self._draft is not None else None

    @property
    def printing(self) -> FormPrinting:
        return self._printing

    def demo_state(self, which: str) -> None:
        """Put the form screens into a representative state for screenshots, with a demo card in the session
        (names in :data:`kiosk.ui.features.forms.form_demo.DEMO_STATES`)."""
        apply_demo_state(self, which, self._session, self._navigator)

    def load_templates_now(self) -> None:
        """Read the templates on this thread (screenshots only)."""
        self._templates.load_now()

    def show_done_demo(self, print_state: str, message: str = "") -> None:
        """The done screen for the form being filled, with a made-up receipt and nothing taken in or printed
        (screenshots only)."""
        if self._draft is None:
            return
        self._receipt = make_receipt(self._settings.terminal_id, date.today(), 42)
        self._draft.form = self._draft.form.with_receipt(self._receipt)
        self._set_state(DONE)
        self._show_done()
        self._printing.set_demo(print_state, message)

    # --- what QML reads ------------------------------------------------------------------------------------------

    @Property(QObject, constant=True)
    def templates(self) -> ValueListModel:
        return self._templates.model

    @Property(str, notify=templatesChanged)
    def templatesState(self) -> str:
        """``idle``, ``loading``, ``ready``, ``empty`` (none cached) or ``error``."""
        return self._templates.state

    @Property(QObject, constant=True)
    def fields(self) -> FieldListModel:
        """The visible fields of the step on screen (form_models.FIELD_ROLES)."""
        return self._fields

    @Property(str, notify=changed)
    def state(self) -> str:
        """``idle``, ``filling`` (the steps and the review), ``submitting`` or ``done``."""
        return self._state

    @Property(str, notify=changed)
    def draftCode(self) -> str:
        """The form kept from a moment ago (choosing it again goes on with it)."""
        return self._draft.template.code if self._draft is not None and self._state == FILLING else ""

    @Property(str, notify=changed)
    def title(self) -> str:
        return self._draft.template.title if self._draft is not None else ""

    @Property(str, notify=changed)
    def department(self) -> str:
        return self._draft.template.department if self._draft is not None else ""

    @Property(str, notify=changed)
    def intro(self) -> str:
        return self._draft.template.intro if self._draft is not None else ""

    @Property(int, notify=changed)
    def stepIndex(self) -> int:
        return self._draft.step if self._draft is not None else 0

    @Property(int, notify=changed)
    def stepCount(self) -> int:
        return len(self._draft.template.steps) if self._draft is not None else 0

    @Property(str, notify=changed)
    def stepTitle(self) -> str:
        return self._draft.template.steps[self._draft.step].title if self._draft is not None else ""

    @Property(bool, notify=changed)
    def stepOk(self) -> bool:
        """No answer on this step fails (下一步 looks ready)."""
        return not any(row["hasProblem"] for row in self._fields.rows())

    @Property(bool, notify=changed)
    def editing(self) -> bool:
        return self._draft is not None and self._draft.editing

    @Property("QVariantList", notify=changed)
    def reviewSteps(self) -> list[dict]:
        """Every visible answer by step: ``{index, title, answers: [{key, label, fieldType, text}]}``."""
        return self._review

    @Property("QVariantList", notify=signatureChanged)
    def signatureStrokes(self) -> list[list[list[float]]]:
        return self._draft.signature_strokes() if self._draft is not None else []

    @Property(str, notify=changed)
    def submitMessage(self) -> str:
        return translate(self._submit_message)

    @Property(str, notify=changed)
    def receipt(self) -> str:
        return self._receipt

    @Property("QVariantList", notify=changed)
    def receiptParts(self) -> list[str]:
        """The receipt number in the groups it is read out in: terminal, day, number and check digit."""
        return group_receipt(self._receipt).split(" ") if self._receipt else []

    @Property(bool, constant=True)
    def canPrint(self) -> bool:
        return self._printing.configured

    @Property(str, notify=printChanged)
    def printState(self) -> str:
        """``noPrinter``, ``""`` (not yet), ``printing``, ``printed`` or ``failed``."""
        return self._printing.state

    @Property(str, notify=printChanged)
    def printMessage(self) -> str:
        return self._printing.message
