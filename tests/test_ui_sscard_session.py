"""The social security card opens a session like the ID card: the running UI watches the PC/SC reader named in
the settings, through a real pcscd and vpcd with the card emulator as the card. A card that wants its PIN is
explained on the panel (PIN entry on screen is not offered)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pcsc_support import READER, PcscDaemon, pcscd, running_pcscd  # noqa: F401

from drivers.sscard.cards import SAMPLE_CARDS
from drivers.sscard.emulator import VpcdEmulator
from kiosk.roles.kiosk.app import KioskUi
from kiosk.services.devices import Devices
from kiosk.ui.shell.app import WindowOptions, create_application
from kiosk.ui.shell.device_panel import SSCARD_PIN_MESSAGE
from tests.test_sscard_pcsc import card_in_reader, wait_until
from tests.ui_support import PORTRAIT, close_ui

WAIT_MS = 15_000


@pytest.fixture
def sscard_ui(qapp, qtbot, catalog_terminal, ui_settings, running_pcscd):  # noqa: F811
    settings = replace(
        ui_settings,
        idcard_driver="none",
        sscard_driver="pcsc",
        sscard_reader=READER,
        scanner="none",
        session_end_after_removal_s=1,
    )
    devices = Devices(settings)
    ui = KioskUi(
        catalog_terminal,
        create_application(),
        WindowOptions(size=PORTRAIT),
        settings=settings,
        devices=devices,
    )
    emulators: list[VpcdEmulator] = []

    def insert(card) -> VpcdEmulator:
        emulators.append(VpcdEmulator(card, port=running_pcscd.port))
        emulators[-1].insert()
        return emulators[-1]

    try:
        with qtbot.waitSignal(ui.firstFrameShown, timeout=10_000):
            pass
        yield ui, insert
    finally:
        for emulator in emulators:
            emulator.close()
        if running_pcscd.running:  # the next test's card must find the slot empty
            wait_until(lambda: not card_in_reader(READER), "pcscd saw the card leave")
        close_ui(ui, qtbot)
        devices.close()


def test_inserting_the_card_begins_the_session_and_removing_it_ends_it(sscard_ui, qtbot) -> None:
    ui, insert = sscard_ui
    panel = ui.device_panel
    huang = SAMPLE_CARDS["huang"]
    with qtbot.waitSignal(panel.identityRead, timeout=WAIT_MS) as read:
        card = insert(huang)
    identity = read.args[0]
    assert identity.id_number == huang.id_number and identity.card_type.value == "social_security"
    assert ui.session.active and (ui.session.maskedName, ui.session.cardType) == ("黄*英", "social_security")
    qtbot.waitUntil(lambda: "黄*英" in panel.lastRead, timeout=WAIT_MS)
    assert huang.name not in panel.lastRead and huang.id_number not in panel.lastRead

    with qtbot.waitSignal(panel.cardRemoved, timeout=WAIT_MS):
        card.remove()
    assert ui.session.active  # the removal timer runs: a card put back in time keeps the session
    qtbot.waitUntil(lambda: not ui.session.active, timeout=WAIT_MS)
    assert ui.session.identity() is None and ui.navigator.current == "home"


def test_a_card_that_asks_for_its_pin_is_explained_and_opens_nothing(sscard_ui, qtbot) -> None:
    ui, insert = sscard_ui
    panel = ui.device_panel
    with qtbot.waitSignal(panel.cardPlaced, timeout=WAIT_MS):
        card = insert(SAMPLE_CARDS["pin"])
    qtbot.waitUntil(lambda: panel.readProblem != "", timeout=WAIT_MS)
    assert panel.readProblem == SSCARD_PIN_MESSAGE and not ui.session.active
    with qtbot.waitSignal(panel.cardRemoved, timeout=WAIT_MS):
        card.remove()
    assert panel.readProblem == ""
