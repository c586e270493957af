"""Leaving the done screen of a form: 返回 and 完成 both lead to the rating of the new case, which the citizen
may skip; nothing forces it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ui_support import build_ui, close_ui, settle, tap, wait_for

from kiosk.config import Settings
from kiosk.roles.kiosk.app import KioskUi
from kiosk.services.forms.demo import seed_demo_forms
from kiosk.services.lazy_terminal import LazyTerminal


@pytest.fixture
def forms_ui(qapp, qtbot, ui_settings: Settings) -> Iterator[KioskUi]:
    terminal = LazyTerminal(ui_settings)
    seed_demo_forms(terminal.open().database)
    ui = build_ui(terminal, ui_settings)  # type: ignore[arg-type]
    settle(ui, qtbot)
    yield ui
    close_ui(ui, qtbot)
    terminal.close()


def submit_a_form(ui: KioskUi, qtbot: Any) -> str:
    ui.forms.demo_state("review")  # a filled form with the sample card, at the review
    settle(ui, qtbot)
    tap(ui, "formSubmitButton")
    wait_for(qtbot, lambda: ui.navigator.current == "formDone")
    wait_for(qtbot, lambda: ui.forms.printState == "printed", 30_000)
    settle(ui, qtbot)
    return ui.forms.receipt


@pytest.mark.parametrize("button", ["backButton", "formDoneButton"], ids=["返回", "完成"])
def test_leaving_the_done_screen_offers_the_rating_of_the_case(forms_ui, qtbot, button):
    ui = forms_ui
    receipt = submit_a_form(ui, qtbot)
    assert receipt

    tap(ui, button, qtbot)
    wait_for(qtbot, lambda: ui.navigator.current == "rating")
    settle(ui, qtbot)
    assert ui.navigator.stack() == ("home", "rating")
    assert ui.rating.skippable  # offered, never forced
    assert ui.forms.form() is None and ui.forms.receipt == ""

    tap(ui, "ratingSkipButton", qtbot)
    assert ui.navigator.current == "home"
    assert ui.session.active  # the citizen is still there: only 结束办理 ends the session
