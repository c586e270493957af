"""Filling in a government form (自助填表): choosing a template, one step per screen, the review, taking it in,
printing it.

Screens: ``forms`` (the templates this terminal offers) → the identity prompt when no card was read →
``formStep`` (one step; the answers checked by the domain as they are given) → ``formReview`` → ``formDone``
(replacing the review and the steps, so 返回 cannot submit again). The form itself, its answers and its state are
the Qt-free flow :class:`kiosk.flows.forms.FormFilling`, shown to QML through the shell's one flow adapter; this
view-model adds what only the screens do: the list of forms, the step's rows, the review, navigation, the
identity prompt, voice and printing.

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

from kiosk.domain.forms import FilledForm
from kiosk.domain.messages import define
from kiosk.domain.receipt import make_receipt
from kiosk.flows.forms import DONE, FILLING, NO_FORM, SUBMITTING, FormFilling
from kiosk.services.usage import events as usage
from kiosk.ui.features.forms.form_demo import apply_demo_state
from kiosk.ui.features.forms.form_models import FieldListModel, review_steps, step_rows, strokes_from_qml
from kiosk.ui.features.forms.form_printing import FormPrinting
from kiosk.ui.features.forms.form_templates import TemplateList
from kiosk.ui.messages import on_language_switched
from kiosk.ui.shell.flow_adapter import flow_view
from kiosk.ui.shell.list_models import ValueListModel

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.services.background import Background
    from kiosk.services.citizen import CitizenServices
    from kiosk.ui.shell.identity_prompt import IdentityPrompt
    from kiosk.ui.shell.identity_session import IdentitySession
    from kiosk.ui.shell.navigator import Navigator

log = logging.getLogger(__name__)

# What this screen says itself, as messages (kiosk.domain.messages) so that what shows follows a later language switch.
IDENTIFY_PURPOSE = define("forms.identify_purpose", "填写表单前，请先读取您的身份证")()

FORM_SCREENS = ("formStep", "formReview")

__all__ = ["DONE", "FILLING", "FORM_SCREENS", "IDENTIFY_PURPOSE", "NO_FORM", "SUBMITTING", "FormFlow"]


class FormFlow(flow_view(FormFilling)):  # type: ignore[misc]
    templatesChanged = Signal()
    reviewChanged = Signal()  # (with every change of the flow: Qt takes no notify signal from a base class)
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
        self._fields = FieldListModel()  # (parented below: the adapter's QObject is not made yet)
        super().__init__(lambda deliver: FormFilling(lambda: services().submissions, deliver), parent)
        self._fields.setParent(self)
        self._session = session
        self._prompt = prompt
        self._navigator = navigator
        self._settings = settings
        self._say = say
        self._templates = TemplateList(services, background, self)
        self._templates.changed.connect(self.templatesChanged)
        self._review: list[dict] = []
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
        draft = self.flow.draft
        if draft is not None and draft.template.code == code and self.flow.state == FILLING:
            self._prompt.run_with_identity(purpose, self._open_step)
            return
        self.clear_form()

        def start() -> None:
            identity = self._session.identity()
            if identity is not None:
                self.flow.start(template, identity)
                self._open_step()

        self._prompt.run_with_identity(purpose, start)

    def _open_step(self) -> None:
        self.refresh()
        self._prompt.open("formStep")
        self._on_step_opened()

    # --- answering (setValue, toggle and touch are the flow's) ---------------------------------------------

    @Slot("QVariant")
    def setSignature(self, strokes: Any) -> None:
        """The strokes of the signature pad: a list of strokes, each a list of points (``[x, y]`` or ``{x, y}``)
        in the pad's own coordinates."""
        self.flow.set_signature(strokes_from_qml(strokes))

    @Slot("QVariant")
    def addStroke(self, points: Any) -> None:
        """One more stroke (the finger lifted)."""
        self.flow.add_stroke(strokes_from_qml([points]))

    @Slot()
    def clearSignature(self) -> None:
        self.setSignature([])

    # --- moving through the steps ----------------------------------------------------------------------------

    @Slot()
    def next(self) -> None:
        """The next step, or the review after the last one, unless this step has problems: then every problem
        shows at its field and the screen scrolls to the first."""
        draft = self.flow.draft
        if draft is None or self.flow.state != FILLING or self._show_step_problems():
            return
        if draft.last_step:
            self.review()
        else:
            self.flow.go_to_step(draft.step + 1)

    @Slot()
    def previous(self) -> None:
        """The step before; from the first step, back to the list of forms (the form is kept while it shows)."""
        draft = self.flow.draft
        if draft is None or draft.step == 0:
            self._navigator.back()
        else:
            self.flow.go_to_step(draft.step - 1)

    @Slot()
    def review(self) -> None:
        """Every answer on one screen, once no step has a problem (else the first problem's step shows it)."""
        draft = self.flow.draft
        if draft is None or self.flow.state != FILLING or self._show_step_problems():
            return
        step = self.flow.first_problem_step()
        if step is not None:
            self.flow.go_to_step(step)
            self._show_step_problems()
            return
        self.flow.set_editing(False)
        self._review = review_steps(draft.form, self.tr("（未填写）"), draft.card_values)
        self.refresh()
        self._navigator.push("formReview")

    @Slot(int)
    def editStep(self, index: int) -> None:
        """From the review: change the answers of step ``index``; 回到核对页 (or 下一步 to the end) comes back."""
        draft = self.flow.draft
        if draft is None or not 0 <= index < len(draft.template.steps):
            return
        self.flow.set_editing(True)
        self.flow.go_to_step(index)
        if self._navigator.current == "formReview":
            self._navigator.back()

    def _on_step_opened(self) -> None:
        draft = self.flow.draft
        if draft is not None and draft.asks_signature():
            self._say("sign_here")

    def _show_step_problems(self) -> bool:
        """Touch every field of the step; True (and the first problem's row announced) when any fails."""
        if not self.flow.touch_step():
            return False
        first = next((i for i, row in enumerate(self._fields.rows()) if row["hasProblem"]), -1)
        if first >= 0:
            self.problemsShown.emit(first)
        return first >= 0

    @Slot()
    def refresh(self) -> None:
        """The step's rows (they show the answers, the card's values and the messages) before QML reads the
        rest."""
        draft = self.flow.draft
        self._fields.update(
            step_rows(draft.form, draft.step, draft.card_values, draft.touched) if draft is not None else []
        )
        super().refresh()
        self.reviewChanged.emit()

    @Slot()
    def _on_language_switched(self) -> None:
        """The answers' messages, dates and the review in the new language."""
        draft = self.flow.draft
        if draft is not None and self._review:
            self._review = review_steps(draft.form, self.tr("（未填写）"), draft.card_values)
        self.refresh()

    def flow_event(self, event: str) -> None:
        if event == "signature":
            self.signatureChanged.emit()
        elif event == "step":
            self._on_step_opened()
        elif event == "incomplete":
            if self._navigator.current == "formReview":
                self._navigator.back()
            self.refresh()
            self._on_step_opened()
            self._show_step_problems()
        elif event == "submitted":
            self._say("form_submitted")
            self._show_done()
            form = self.flow.form
            if form is not None:
                usage.form_submitted(form.template.code)
                self._printing.start(form)

    # --- taking it in (submit is the flow's) ------------------------------------------------------------------

    @Slot()
    def submit(self) -> None:
        """确认提交: number the form and queue it for the center; a form with a problem goes back to it."""
        self.flow.submit()

    def _show_done(self) -> None:
        """The done screen in place of the review and the steps: 返回 from it goes to the list of forms."""
        if self._navigator.current == "formReview":
            self._navigator.back()
        if self._navigator.current == "formStep":
            self._navigator.replace("formDone")
        else:
            self._navigator.push("formDone")

    @Slot()
    def printAgain(self) -> None:
        self._printing.printAgain()

    @Slot()
    def done(self) -> None:
        """完成 (or 不打印，直接完成): the form is over; the rating of its case follows."""
        receipt = self.flow.receipt
        self.clear()
        self._navigator.home()
        if receipt:
            self.finished.emit(receipt)

    # --- forgetting ---------------------------------------------------------------------------------------------

    def clear_form(self) -> None:
        """Forget the form: its answers, signature, receipt and printout (the list of forms stays)."""
        self._printing.close()
        self._review = []
        self.flow.clear()

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
        elif screen == "formReview" and self.flow.state == FILLING:
            self._review = []
            self.refresh()

    @Slot()
    def _on_identity(self) -> None:
        """A card was read. Another citizen's card ends the form of the previous one, whose answers they must
        not see; the same card read again changes nothing."""
        identity = self._session.identity()
        draft = self.flow.draft
        if draft is None or identity is None or self.flow.state not in (FILLING, SUBMITTING):
            return
        if (identity.id_number, identity.name) == draft.holder:
            return
        log.info("another card was read: the form being filled is dropped")
        self.clear_form()
        while self._navigator.current in FORM_SCREENS:
            self._navigator.back()

    # --- tests and screenshots ---------------------------------------------------------------------------------

    def form(self) -> FilledForm | None:
        """The form being filled."""
        return self.flow.form

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
        if self.flow.draft is None:
            return
        self.flow.show_numbered(make_receipt(self._settings.terminal_id, date.today(), 42))
        self._show_done()
        self._printing.set_demo(print_state, message)

    # --- what QML reads besides the flow's view ------------------------------------------------------------------

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

    @Property("QVariantList", notify=reviewChanged)
    def reviewSteps(self) -> list[dict]:
        """Every visible answer by step: ``{index, title, answers: [{key, label, fieldType, text}]}``."""
        return self._review

    @Property("QVariantList", notify=signatureChanged)
    def signatureStrokes(self) -> list[list[list[float]]]:
        draft = self.flow.draft
        return draft.signature_strokes() if draft is not None else []

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
