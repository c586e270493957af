"""A card that stays on the reader, in the running UI with the simulated reader (the real driver over a
pseudo-terminal): after the idle reset or 结束办理 it opens no session by itself, since it may be someone else's;
the identity screen offers it, and reads it when the citizen taps 读取这张证件 or lifts it and places it again; a card
whose read failed is read when the identity screen opens; a card read while another screen covers the identity
screen takes the citizen on once the identity screen shows again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from ui_support import PORTRAIT, close_ui, item, settle, shows_text, tap, wait_for

from drivers.idcard.cards import SAMPLES
from drivers.idcard.simulator import Fault, SimulatedSam
from kiosk.roles.kiosk.app import KioskUi
from kiosk.services.devices import Devices
from kiosk.ui.shell.app import WindowOptions, create_application
from kiosk.ui.shell.screenshot import visual_items

WAIT_MS = 15_000


def build(catalog_terminal, settings, devices: Devices, qtbot) -> KioskUi:
    ui = KioskUi(
        catalog_terminal,
        create_application(),
        WindowOptions(size=PORTRAIT),
        settings=settings,
        devices=devices,
    )
    with qtbot.waitSignal(ui.firstFrameShown, timeout=10_000):
        pass
    wait_for(qtbot, lambda: hasattr(ui, "identity_prompt"))
    return ui


@pytest.fixture
def reader_settings(ui_settings):
    return replace(ui_settings, idcard_driver="simulator", sscard_driver="none")


@pytest.fixture
def reader_ui(qapp, qtbot, catalog_terminal, reader_settings) -> Iterator[KioskUi]:
    devices = Devices(reader_settings)
    ui = build(catalog_terminal, reader_settings, devices, qtbot)
    # A card the reader finds at its very first look is one nobody was seen placing: let it look first.
    let_the_reader_look(ui, qtbot, 1)
    try:
        yield ui
    finally:
        close_ui(ui, qtbot)
        devices.close()


def simulator(ui: KioskUi) -> SimulatedSam:
    return ui.device_panel.devices().id_card().simulator  # type: ignore[attr-defined]


def let_the_reader_look(ui: KioskUi, qtbot, looks: int = 5) -> None:
    """Wait until the reader has asked for a card a few more times (so anything it would do, it has done)."""
    sim = simulator(ui)
    start = sim.stats().commands.get("FIND_CARD", 0)
    wait_for(qtbot, lambda: sim.stats().commands.get("FIND_CARD", 0) >= start + looks, WAIT_MS)
    settle(ui, qtbot)


def ask_for_identity(ui: KioskUi, qtbot) -> list[str]:
    """What 办件进度 does: the identity prompt, then the progress screen in its place."""
    went_on: list[str] = []

    def action() -> None:
        went_on.append("progress")
        ui.identity_prompt.open("progress")

    ui.identity_prompt.run_with_identity("查询办件进度，请先读取您的身份证", action)
    assert ui.navigator.current == "identify"
    settle(ui, qtbot)
    return went_on


def read_left_card_button(ui: KioskUi):
    notice = item(ui, "identifyCardLeft")
    return next(
        i
        for i in visual_items(notice)
        if i.isVisible() and i.metaObject().className().startswith("BigButton")
    )


def test_a_card_left_after_the_idle_reset_is_read_only_when_the_citizen_asks(reader_ui, qtbot):
    ui, panel = reader_ui, reader_ui.device_panel
    panel.placeCard("elder")
    wait_for(qtbot, lambda: ui.session.active, WAIT_MS)
    ui.reset_session()  # the idle reset: the citizen walked away and left the card
    assert not ui.session.active and ui.navigator.atHome
    let_the_reader_look(ui, qtbot)
    assert not ui.session.active  # the card lies there, and is not read again
    assert panel.cardLeft

    went_on = ask_for_identity(ui, qtbot)  # the next citizen taps 办件进度
    let_the_reader_look(ui, qtbot)
    assert not ui.session.active and went_on == []
    assert item(ui, "identifyCardLeft").isVisible()
    assert shows_text(ui, "读卡器上已经放着一张证件")
    ui.app_state.setProperty("language", "en")
    settle(ui, qtbot)
    assert shows_text(ui, "A card is already on the reader")

    tap(ui, read_left_card_button(ui), qtbot)  # "it is mine"
    wait_for(qtbot, lambda: went_on == ["progress"], WAIT_MS)
    assert ui.session.maskedName == "陈*英"
    assert ui.navigator.stack() == ("home", "progress")
    assert not panel.cardLeft


def test_a_card_lifted_and_placed_again_on_the_identity_screen_is_read(reader_ui, qtbot):
    ui, panel = reader_ui, reader_ui.device_panel
    panel.placeCard("young")
    wait_for(qtbot, lambda: ui.session.active, WAIT_MS)
    ui.session.end()  # 结束办理, the card stays on the reader
    let_the_reader_look(ui, qtbot)
    assert not ui.session.active

    went_on = ask_for_identity(ui, qtbot)
    panel.placeCard("young")  # the demo's sample card: lifted and laid down again, as a hand does
    wait_for(qtbot, lambda: went_on == ["progress"], WAIT_MS)
    assert ui.session.active and ui.navigator.current == "progress"


def test_a_card_whose_read_failed_is_read_when_the_identity_screen_opens(reader_ui, qtbot):
    ui, panel = reader_ui, reader_ui.device_panel
    sim = simulator(ui)
    sim.inject(Fault.READ_FAIL)
    panel.placeCard("elder")
    wait_for(qtbot, lambda: panel.readProblem != "", WAIT_MS)
    assert not ui.session.active and not panel.cardLeft
    sim.clear_faults()  # the card lies better now

    went_on = ask_for_identity(ui, qtbot)
    wait_for(qtbot, lambda: went_on == ["progress"], WAIT_MS)
    assert ui.session.maskedName == "陈*英"


def test_a_card_read_while_another_screen_covers_the_prompt_goes_on_when_it_shows(reader_ui, qtbot):
    ui, panel = reader_ui, reader_ui.device_panel
    went_on = ask_for_identity(ui, qtbot)
    ui.navigator.push("maintenance")  # where the demo's sample cards are placed
    panel.placeCard("hmt")
    wait_for(qtbot, lambda: ui.session.active, WAIT_MS)
    settle(ui, qtbot)
    assert went_on == [] and ui.navigator.current == "maintenance"  # not behind the citizen's back
    ui.navigator.back()
    wait_for(qtbot, lambda: went_on == ["progress"])
    assert ui.navigator.stack() == ("home", "progress")


def test_a_card_on_the_reader_when_the_terminal_starts_waits_for_the_citizen(
    qapp, qtbot, catalog_terminal, reader_settings
):
    devices = Devices(reader_settings)
    devices.id_card().simulator.place(SAMPLES["elder"])  # type: ignore[attr-defined]  # left overnight
    ui = build(catalog_terminal, reader_settings, devices, qtbot)
    try:
        wait_for(qtbot, lambda: ui.device_panel.cardLeft, WAIT_MS)
        let_the_reader_look(ui, qtbot)
        assert not ui.session.active
    finally:
        close_ui(ui, qtbot)
        devices.close()


def test_the_ways_to_show_an_identity_are_information_not_buttons(reader_ui, qtbot):
    ask_for_identity(reader_ui, qtbot)
    ways = item(reader_ui, "identifyWays")
    names = {i.objectName() for i in visual_items(ways)}
    assert {"identifyWay_idcard", "identifyWay_sscard", "identifyWay_qrcode"} <= names
    kinds = {i.metaObject().className() for i in visual_items(ways)}
    assert not any(kind.startswith(("QQuickMouseArea", "QQuickTapHandler", "BigButton")) for kind in kinds)
