"""The forms this terminal offers (the list screen of 自助填表): the cached templates, read off the UI thread each
time the list opens, so a template the center published a minute ago is there."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.domain.forms import FormTemplate
from kiosk.services.usage import events as usage
from kiosk.ui.features.forms.form_models import template_rows
from kiosk.ui.shell.list_models import ValueListModel
from kiosk.ui.shell.tasks import BackgroundCall, run_in_background

if TYPE_CHECKING:
    from kiosk.services.background import Background
    from kiosk.services.citizen import CitizenServices

log = logging.getLogger(__name__)

# Not asked yet, loading, ready, none cached, could not be read.
IDLE, LOADING, READY, EMPTY, ERROR = "idle", "loading", "ready", "empty", "error"


class TemplateList(QObject):
    changed = Signal()

    def __init__(
        self, services: Callable[[], CitizenServices], background: Background, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._background = background
        self._state = IDLE
        self._templates: dict[str, FormTemplate] = {}
        self.model = ValueListModel(("code", "title", "department", "intro"), self)
        self._call: BackgroundCall | None = None

    @property
    def state(self) -> str:
        return self._state

    def template(self, code: str) -> FormTemplate | None:
        return self._templates.get(code)

    def load(self) -> None:
        """Read the cached templates on a worker (the first read loads the template checker)."""
        if self._call is not None:
            self._call.cancel()
        self._set_state(LOADING)
        try:
            submissions = self._services().submissions
        except Exception as exc:
            log.error("the forms cannot be offered (E-FORMS): %s", exc)
            usage.error_shown("E-FORMS")
            self._set_state(ERROR)
            return
        self._call = run_in_background(
            self._background.run(submissions.templates), self._show, self._on_failed, parent=self
        )

    def load_now(self) -> None:
        """Read them on this thread (screenshots only: a citizen's screen never waits like this)."""
        self._show(self._services().submissions.templates())

    def clear(self) -> None:
        if self._call is not None:
            self._call.cancel()
            self._call = None
        self._templates = {}
        self.model.clear()
        self._set_state(IDLE)

    def _show(self, templates: list[FormTemplate]) -> None:
        self._call = None
        self._templates = {t.code: t for t in templates}
        self.model.replace(template_rows(templates))
        self._set_state(READY if templates else EMPTY)

    def _on_failed(self, exc: BaseException) -> None:
        self._call = None
        log.error("cannot read the cached form templates (E-FORMS): %s", exc)
        usage.error_shown("E-FORMS")
        self._set_state(ERROR)

    def _set_state(self, state: str) -> None:
        self._state = state
        self.changed.emit()
