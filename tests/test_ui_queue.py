"""取号 and 预约签到 on the citizen's kiosk, against a real hall (``kiosk hall serve`` as a process on 127.0.0.1), under
the real Qt Quick scene offscreen, with the ticket printer writing its ESC/POS bytes to a file (or the network
printer simulator, out of paper).

A citizen taps 取号排队 and a service: the ticket prints (the bytes hold the number and the QR code of the ticket's
phone page) and the number is said. Out of paper, the ticket is shown large on the screen and stays in the hall.
A 实名 service asks for the card (the simulated reader); the hall gets the card's number and name, the kiosk keeps
none of it. An appointment is checked in by its code on the digit pad or by card; too early, too late and unknown
codes get plain words. The hall unreachable: a plain message to ask the staff, and the catalog works on. A take
whose answer was lost is sent again with the same request id: one ticket, never two.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from ui_support import build_ui, close_ui, item, settle, shows_text, tap, texts, wait_for

from drivers.idcard.cards import SAMPLES
from drivers.printer.simulator import EscPosSimulator
from kiosk.config import Settings
from kiosk.hall.appointments import apply_page
from kiosk.protocol import HMAC_SHA256, FeedEntry
from kiosk.protocol.hall import appointment_person_hash
from kiosk.roles.kiosk.app import KioskUi
from kiosk.services.devices import Devices
from kiosk.services.queue.problems import UNREACHABLE
from kiosk.services.terminal import Terminal
from kiosk.store.hall_credentials import store_hall_credentials
from kiosk.ui.shell.app import WindowOptions, create_application
from kiosk.ui.shell.screenshot import visual_items
from tests.hall_support import HallProcess
from tests.test_frozen_program import read_escpos

ELDER = SAMPLES["elder"]
WAIT_MS = 15_000


# --- the hall, the kiosk ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallProcess]:
    """The demo hall, served by a process of its own for the module's tests."""
    process = HallProcess(tmp_path_factory.mktemp("hall") / "hall.db")
    try:
        process.demo()
        process.start()
        yield process
    finally:
        process.close()


def enrolled(settings: Settings, hall: HallProcess, url: str | None = None, **changes: object) -> Settings:
    """``settings`` of a new terminal of ``hall`` (``kiosk hall terminal add`` + ``kiosk hall enroll``)."""
    terminal_id, secret_hex = hall.add_terminal("取号机")
    settings = replace(settings, **changes)  # type: ignore[arg-type]
    return store_hall_credentials(
        settings, url or hall.url, terminal_id, HMAC_SHA256, bytes.fromhex(secret_hex)
    )


@pytest.fixture
def ticket_file(tmp_path: Path) -> Path:
    return tmp_path / "ticket.bin"


@pytest.fixture
def queue_settings(ui_settings: Settings, hall: HallProcess, ticket_file: Path) -> Settings:
    return enrolled(ui_settings, hall, ticket_printer="file", ticket_target=str(ticket_file))


def open_ui(terminal: Terminal, settings: Settings, qtbot, size=(1080, 1920)) -> KioskUi:  # type: ignore[no-untyped-def]
    ui = build_ui(terminal, settings, size)
    wait_for(qtbot, lambda: ui.view_model("queueScreen") is not None)
    settle(ui, qtbot)
    return ui


@pytest.fixture
def kiosk(qapp, qtbot, catalog_terminal, queue_settings) -> Iterator[KioskUi]:  # type: ignore[no-untyped-def]
    ui = open_ui(catalog_terminal, queue_settings, qtbot)
    yield ui
    close_ui(ui, qtbot)


def terminal_tickets(hall: HallProcess, settings: Settings) -> list[dict[str, object]]:
    rows = hall.admin.db.rows(
        "SELECT label, service, state, priority, masked_name, person_hash FROM tickets WHERE taken_by = ? "
        "ORDER BY seq",
        (settings.hall_terminal_id,),
    )
    return [dict(row) for row in rows]


def open_services(ui: KioskUi, qtbot) -> None:  # type: ignore[no-untyped-def]
    tap(ui, "queueTile", qtbot)
    assert ui.navigator.current == "queue"
    wait_for(qtbot, lambda: ui.queue.state == "ready", WAIT_MS)
    settle(ui, qtbot)


def take(ui: KioskUi, qtbot, code: str) -> None:  # type: ignore[no-untyped-def]
    tap(ui, f"queueService_{code}")
    wait_for(qtbot, lambda: ui.navigator.current == "queueTicket", WAIT_MS)
    wait_for(qtbot, lambda: ui.queue.printState not in ("", "printing"), WAIT_MS)
    settle(ui, qtbot)


def waiting_shown(ui: KioskUi, code: str) -> str:
    return str(item(ui, f"queueServiceWaiting_{code}").property("text"))


# --- taking a ticket --------------------------------------------------------------------------------------------


def test_without_a_hall_there_is_no_queue_tile(qapp, qtbot, catalog_terminal, ui_settings) -> None:  # type: ignore[no-untyped-def]
    ui = open_ui(catalog_terminal, ui_settings, qtbot)
    try:
        assert not item(ui, "queueTile").isVisible()
        assert item(ui, "formsTile").isVisible()
    finally:
        close_ui(ui, qtbot)


def test_a_ticket_is_taken_printed_with_its_number_and_qr_code_and_said(  # type: ignore[no-untyped-def]
    kiosk, qtbot, hall, queue_settings, ticket_file
) -> None:
    assert item(kiosk, "queueTile").isVisible()
    open_services(kiosk, qtbot)
    assert shows_text(kiosk, "清城区政务服务中心")
    assert [row["code"] for row in kiosk.queue.services] == ["ZH", "SB", "BDC", "GA", "SW", "QY"]
    for name in ("综合受理", "社保医保", "不动产登记", "公安户政", "税务", "企业开办"):
        assert shows_text(kiosk, name), name
    before = {row["code"]: row["waiting"] for row in kiosk.queue.services}

    take(kiosk, qtbot, "SW")
    assert kiosk.queue.printState == "printed"
    [ticket] = terminal_tickets(hall, queue_settings)
    number = str(ticket["label"])
    assert ticket["service"] == "SW" and ticket["state"] == "waiting"
    assert item(kiosk, "queueTicketNumber").property("text") == number
    assert shows_text(kiosk, "号票已打印")
    ahead = before["SW"]
    assert kiosk.queue.ticketAhead == ahead

    printout = read_escpos(ticket_file.read_bytes())
    assert printout.cut
    assert number in printout.text and "清城区政务服务中心" in printout.text
    assert "业务：税务" in printout.text and "请留意叫号" in printout.text
    assert ("前面没有人等候" if ahead == 0 else f"前面还有 {ahead} 人等候") in printout.text
    assert "办理窗口：2、7、8 号窗口" in printout.text
    [qr] = printout.qr_payloads
    assert qr == kiosk.queue.ticketQr and qr.startswith(f"{hall.url}/t/")

    said = kiosk.queue.flow.spoken()
    assert said.startswith(f"您的号码是 {number}，前面")

    # The services follow the hall: a ticket taken at another terminal shows in the count, unasked.
    tap(kiosk, "backButton", qtbot)
    assert kiosk.navigator.current == "queue"
    wait_for(qtbot, lambda: kiosk.queue.services[4]["waiting"] == before["SW"] + 1)
    with hall.client("其他取号机") as other:
        other.take("SW")
    wait_for(qtbot, lambda: kiosk.queue.services[4]["waiting"] == before["SW"] + 2)
    settle(kiosk, qtbot)
    assert f"{before['SW'] + 2} 人等候" in waiting_shown(kiosk, "SW")

    tap(kiosk, "homeButton", qtbot)
    assert kiosk.navigator.atHome and kiosk.queue.state == "idle"


def test_in_english_the_ticket_and_what_is_said_are_english(
    kiosk, qtbot, hall, queue_settings, ticket_file
) -> None:  # type: ignore[no-untyped-def]
    kiosk.app_state.setProperty("language", "en")
    open_services(kiosk, qtbot)
    assert shows_text(kiosk, "Appointment check-in") and shows_text(kiosk, "ID card needed")
    take(kiosk, qtbot, "QY")
    [ticket] = terminal_tickets(hall, queue_settings)
    printout = " ".join(read_escpos(ticket_file.read_bytes()).text.split())  # (lines wrap between words)
    assert "Service: 企业开办" in printout and "Counters: 7, 8" in printout
    assert "Please listen for your number" in printout and "业务" not in printout
    said = kiosk.queue.flow.spoken()
    assert said.startswith(f"Your number is {ticket['label']}.")
    assert shows_text(kiosk, "Your ticket is printed")


def test_out_of_paper_the_ticket_is_shown_large_and_stays_in_the_hall(  # type: ignore[no-untyped-def]
    qapp, qtbot, catalog_terminal, ui_settings, hall
) -> None:
    with EscPosSimulator(state="paper_out") as printer:
        settings = enrolled(ui_settings, hall, ticket_printer="network", ticket_target=printer.target)
        ui = open_ui(catalog_terminal, settings, qtbot)
        try:
            open_services(ui, qtbot)
            take(ui, qtbot, "ZH")
            assert ui.queue.printState == "failed"
            [ticket] = terminal_tickets(hall, settings)
            number = str(ticket["label"])
            assert ticket["state"] == "waiting", "the ticket stays valid in the hall"
            assert item(ui, "queueTicketNumber").property("text") == number
            assert shows_text(ui, "号票没有打印出来，但您的号码有效")
            assert shows_text(ui, "请用手机拍下这个屏幕，或记住您的号码")
            assert shows_text(ui, "打印机缺纸")
            qr = item(ui, "onlineQr")
            assert qr.isVisible() and qr.property("loaded") and qr.width() >= 300
            assert printer.printed() == b"", "nothing half-printed"
            assert "号票没有打印出来" in ui.queue.flow.spoken()

            # Paper in: 重新打印 prints the same ticket.
            printer.set_state("ok")
            tap(ui, "queuePrintAgainButton")
            wait_for(qtbot, lambda: ui.queue.printState == "printed", WAIT_MS)
            assert number in read_escpos(printer.wait_printed(until=b"\x1dV")).text
            assert len(terminal_tickets(hall, settings)) == 1
        finally:
            close_ui(ui, qtbot)


def test_a_real_name_service_takes_the_card_from_the_reader_and_keeps_nothing_of_it(  # type: ignore[no-untyped-def]
    qapp, qtbot, catalog_terminal, ui_settings, hall, tmp_path
) -> None:
    settings = enrolled(
        ui_settings,
        hall,
        idcard_driver="simulator",
        ticket_printer="file",
        ticket_target=str(tmp_path / "t.bin"),
    )
    devices = Devices(settings)
    ui = KioskUi(catalog_terminal, create_application(), WindowOptions(size=(1080, 1920)), settings=settings,
                 devices=devices)  # fmt: skip
    try:
        wait_for(qtbot, lambda: ui.view_model("queueScreen") is not None)
        settle(ui, qtbot)
        open_services(ui, qtbot)
        assert shows_text(ui, "需刷身份证")
        tap(ui, "queueService_GA", qtbot)
        assert ui.navigator.current == "identify"
        assert shows_text(ui, "公安户政需要实名取号")
        ui.device_panel.placeCard("elder")
        wait_for(qtbot, lambda: ui.navigator.current == "queueTicket", WAIT_MS)
        wait_for(qtbot, lambda: ui.queue.printState == "printed", WAIT_MS)
        settle(ui, qtbot)
        assert ui.navigator.stack() == ("home", "queue", "queueTicket")
        [ticket] = terminal_tickets(hall, settings)
        assert ticket["service"] == "GA" and ticket["masked_name"] == ELDER.masked_name
        assert ticket["person_hash"] and ELDER.id_number not in str(ticket)
        # 绿色通道 by the card's age (the sample holder is over 70).
        assert ticket["priority"] == "green" and ui.queue.ticketLane == "优先办理：高龄"

        # One open ticket per person and service: said plainly, with the number they have.
        tap(ui, "backButton", qtbot)
        tap(ui, "queueService_GA", qtbot)
        wait_for(qtbot, lambda: ui.queue.takeProblem != "", WAIT_MS)
        settle(ui, qtbot)
        assert ui.queue.takeProblem == f"您已经取过公安户政的号（{ticket['label']}），请等候叫号，不用再取"
        assert item(ui, "queueTakeProblem").isVisible()
        assert len(terminal_tickets(hall, settings)) == 1

        # Nothing of the card is kept on the kiosk.
        ui.reset_session()
        close_ui(ui, qtbot)
        ui = None
        for path in settings.data_dir.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for secret in (ELDER.id_number, ELDER.name):
                    assert secret.encode("utf-8") not in data, path
                    assert secret.encode("utf-16-le") not in data, path
    finally:
        if ui is not None:
            close_ui(ui, qtbot)
        devices.close()


# --- 预约签到 ---------------------------------------------------------------------------------------------------


def book(hall: HallProcess, code: str, day: date, starts: str, ends: str, id_number: str = "") -> None:
    """An appointment as the hall has it after pulling the center's feed (the hall's own code applies it)."""
    salt = "0123456789abcdef0123456789abcdef"
    person = {"hash": appointment_person_hash(salt, id_number or f"44180219{code}"), "salt": salt,
              "masked_name": "陈*英"}  # fmt: skip
    data = {"code": code, "hall": "", "service": "SB", "day": day.isoformat(), "starts": starts, "ends": ends,
            "person": person}  # fmt: skip
    entry = FeedEntry(key=code, version=1, deleted=False, data=data)
    apply_page(hall.admin.db, [entry], f"test-{code}", str(hall.admin.db.meta("hall_code")))


def key_in(ui: KioskUi, qtbot, code: str) -> None:  # type: ignore[no-untyped-def]
    tap(ui, "queueCodeKey_clear")
    for digit in code:
        tap(ui, f"queueCodeKey_{digit}")
    settle(ui, qtbot)
    assert ui.queue.codeTyped == code


def check_in(ui: KioskUi, qtbot, code: str) -> str:  # type: ignore[no-untyped-def]
    """Key ``code`` in and tap 签到: the ticket's number, or the message shown."""
    key_in(ui, qtbot, code)
    tap(ui, "queueCodeSubmit")
    wait_for(
        qtbot,
        lambda: (
            not ui.queue.busy and (ui.queue.checkinProblem != "" or ui.navigator.current == "queueTicket")
        ),
    )
    settle(ui, qtbot)
    return ui.queue.ticketNumber if ui.navigator.current == "queueTicket" else ui.queue.checkinProblem


def test_check_in_by_code_and_by_card_early_late_and_unknown(kiosk, qtbot, hall, queue_settings) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now()
    today = now.date()
    if now.hour == 0 and now.minute < 5:
        pytest.skip("no appointment window has passed yet today")
    window = ((now - timedelta(minutes=5)).strftime("%H:%M"), min(now + timedelta(minutes=30), now.replace(
        hour=23, minute=59)).strftime("%H:%M"))  # fmt: skip
    book(hall, "31415926", today, *window)
    book(hall, "27182818", today - timedelta(days=1), "09:00", "09:30")
    book(hall, "16180339", today + timedelta(days=1), "10:00", "10:30")
    book(hall, "14142135", today, "23:58", "23:59")
    book(hall, "57721566", today, window[0], window[1], id_number=ELDER.id_number)

    open_services(kiosk, qtbot)
    tap(kiosk, "queueCheckinTile", qtbot)
    assert kiosk.navigator.current == "queueCheckin"

    assert (
        check_in(kiosk, qtbot, "99999999")
        == "没有找到这个预约码，请对照预约短信核对后重新输入，或咨询工作人员"
    )
    assert item(kiosk, "queueCheckinProblem").isVisible()
    assert check_in(kiosk, qtbot, "27182818") == (
        f"您的预约是 {today - timedelta(days=1)} 的，已经过期，请现场取号，或重新预约"
    )
    assert (
        check_in(kiosk, qtbot, "16180339") == f"您的预约是 {today + timedelta(days=1)} 的，请在预约当天来签到"
    )
    if now < now.replace(hour=23, minute=20):
        assert check_in(kiosk, qtbot, "14142135") == (
            "您预约的时间是 23:58-23:59，还没到签到时间，请在 23:28 以后再来签到"
        )
    assert terminal_tickets(hall, queue_settings) == []

    number = check_in(kiosk, qtbot, "31415926")
    [ticket] = terminal_tickets(hall, queue_settings)
    assert number == ticket["label"] and str(number).startswith("B")
    assert ticket["priority"] == "appointment"
    assert kiosk.queue.ticketLane == f"预约签到：{window[0]}-{window[1]}"
    assert shows_text(kiosk, f"预约签到：{window[0]}-{window[1]}")
    tap(kiosk, "backButton", qtbot)
    assert kiosk.navigator.current == "queue", "返回 from the ticket goes to the services, not the check-in"

    # By card: the appointment booked with it.
    tap(kiosk, "queueCheckinTile", qtbot)
    kiosk.session.begin(ELDER)
    settle(kiosk, qtbot)
    assert shows_text(kiosk, f"已读取 {ELDER.masked_name} 的证件")
    tap(kiosk, "queueCheckinCardButton")
    wait_for(qtbot, lambda: kiosk.navigator.current == "queueTicket", WAIT_MS)
    assert len(terminal_tickets(hall, queue_settings)) == 2
    assert kiosk.queue.ticketLane.startswith("预约签到：")


# --- the hall away ------------------------------------------------------------------------------------------------


class AnswerLosingLink:
    """A TCP relay on 127.0.0.1 to the hall that, while ``losing``, carries requests to the hall and drops the
    answers (the connection is closed when the answer starts): the hall does the work, the kiosk never hears."""

    def __init__(self, port: int) -> None:
        self.upstream = port
        self.losing = False
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._sockets: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
                upstream = socket.create_connection(("127.0.0.1", self.upstream))
            except OSError:
                return
            self._sockets |= {client, upstream}
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, answers: bool) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if answers and self.losing:
                    break
                target.sendall(data)
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._listener.close()
        for sock in self._sockets:
            sock.close()


def test_a_take_whose_answer_was_lost_is_sent_again_and_gives_one_ticket(  # type: ignore[no-untyped-def]
    qapp, qtbot, catalog_terminal, ui_settings, hall, tmp_path
) -> None:
    link = AnswerLosingLink(hall.port)
    settings = enrolled(ui_settings, hall, url=link.url, ticket_printer="file",
                        ticket_target=str(tmp_path / "t.bin"))  # fmt: skip
    ui = open_ui(catalog_terminal, settings, qtbot)
    try:
        open_services(ui, qtbot)
        link.losing = True
        tap(ui, "queueService_SB")
        assert ui.queue.busy
        wait_for(qtbot, lambda: ui.queue.canRetry, 20_000)
        settle(ui, qtbot)
        [ticket] = terminal_tickets(hall, settings)  # the hall did take it (it answered the retries the same)
        assert "号还没有取到" in ui.queue.takeProblem and "再试不会多取一个号" in ui.queue.takeProblem
        retry = next(
            i
            for i in visual_items(ui.window.contentItem())
            if i.objectName() == "queueRetryButton" and i.isVisible()
        )

        link.losing = False
        tap(ui, retry)
        wait_for(qtbot, lambda: ui.navigator.current == "queueTicket", WAIT_MS)
        assert ui.queue.ticketNumber == ticket["label"]
        assert len(terminal_tickets(hall, settings)) == 1, "one ticket, never two"
    finally:
        close_ui(ui, qtbot)
        link.close()


def test_the_hall_unreachable_says_to_ask_the_staff_and_the_catalog_works_on(  # type: ignore[no-untyped-def]
    kiosk, qtbot, hall
) -> None:
    open_services(kiosk, qtbot)
    hall.stop()
    try:
        # Lost while the citizen looks at the services (the event stream ends) …
        wait_for(qtbot, lambda: kiosk.queue.state == "unreachable", WAIT_MS)
        settle(kiosk, qtbot)
        assert kiosk.queue.problem == UNREACHABLE
        # … and away when the services are opened.
        tap(kiosk, "homeButton", qtbot)
        tap(kiosk, "queueTile", qtbot)
        wait_for(qtbot, lambda: kiosk.queue.state == "unreachable", WAIT_MS)
        settle(kiosk, qtbot)
        assert item(kiosk, "queueUnreachable").isVisible()
        assert shows_text(kiosk, "暂时不能取号，请咨询工作人员")
        assert shows_text(kiosk, "请咨询工作人员。本机的其他功能")
        assert not any("正在" in text for text in texts(kiosk)), "no spinner"

        tap(kiosk, "homeButton", qtbot)
        kiosk.browser.showFacets("department")
        wait_for(qtbot, lambda: kiosk.browser.facetsState == "ready")
        assert kiosk.browser.facets.count > 0
    finally:
        hall.start()

    # The hall back: the services again.
    tap(kiosk, "homeButton", qtbot)
    tap(kiosk, "queueTile", qtbot)
    wait_for(qtbot, lambda: kiosk.queue.state == "ready", WAIT_MS)
