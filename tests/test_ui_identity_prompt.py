"""Screens that need the citizen's identity ask for it when reached, and go on to where the citizen was going."""

from __future__ import annotations

from ui_support import settle, shows_text, wait_for

from drivers.idcard.cards import SAMPLES


def test_without_a_session_the_prompt_opens_and_the_card_takes_the_citizen_on(kiosk, qtbot):
    ui = kiosk
    ui.search.show()
    settle(ui, qtbot)
    went_on: list[str] = []

    def action() -> None:
        went_on.append("yes")
        ui.identity_prompt.open("progress")

    ui.identity_prompt.run_with_identity("查询办件进度，请先读取您的身份证", action)
    settle(ui, qtbot)
    assert ui.navigator.stack() == ("home", "search", "identify")
    assert shows_text(ui, "请出示您的身份证件")
    assert shows_text(ui, "查询办件进度，请先读取您的身份证")
    assert went_on == []

    ui.session.begin(SAMPLES["elder"])
    settle(ui, qtbot)
    assert went_on == ["yes"]
    # The prompt gave its place to the screen that asked: 返回 goes back to where the citizen was.
    assert ui.navigator.stack() == ("home", "search", "progress")
    ui.navigator.back()
    settle(ui, qtbot)
    assert ui.navigator.current == "search"


def test_back_from_the_prompt_forgets_what_was_asked(kiosk, qtbot):
    ui = kiosk
    went_on: list[str] = []
    ui.identity_prompt.run_with_identity("", lambda: went_on.append("yes"))
    settle(ui, qtbot)
    assert ui.navigator.current == "identify"
    ui.navigator.back()
    settle(ui, qtbot)
    assert not ui.identity_prompt.waiting
    ui.session.begin(SAMPLES["young"])  # a card placed later starts a session, and nothing else
    settle(ui, qtbot)
    assert went_on == [] and ui.navigator.atHome


def test_with_a_session_the_screen_opens_at_once(kiosk, qtbot):
    ui = kiosk
    ui.session.begin(SAMPLES["elder"])
    went_on: list[str] = []
    ui.identity_prompt.run_with_identity("", lambda: went_on.append("yes"))
    assert went_on == ["yes"]
    assert ui.navigator.current != "identify"


def test_a_failed_read_is_shown_and_the_prompt_stays(kiosk, qtbot):
    ui = kiosk
    ui.identity_prompt.run_with_identity("", lambda: None)
    settle(ui, qtbot)
    ui.identity_prompt.set_problem("身份码无效或已过期，请在手机上刷新身份码后重新扫描")
    wait_for(qtbot, lambda: shows_text(ui, "身份码无效或已过期，请在手机上刷新身份码后重新扫描"))
    assert ui.navigator.current == "identify"
    ui.reset_session()
    settle(ui, qtbot)
    assert ui.navigator.atHome and ui.identity_prompt.problem == ""


def test_a_card_read_while_the_prompt_is_covered_takes_the_citizen_on_when_it_shows(kiosk, qtbot):
    ui = kiosk
    went_on: list[str] = []

    def action() -> None:
        went_on.append("yes")
        ui.identity_prompt.open("progress")

    ui.identity_prompt.run_with_identity("", action)
    ui.navigator.push("maintenance")
    settle(ui, qtbot)
    ui.session.begin(SAMPLES["elder"])  # the demo places its sample cards from the maintenance screen
    settle(ui, qtbot)
    assert went_on == [] and ui.identity_prompt.waiting
    ui.navigator.back()
    settle(ui, qtbot)
    assert went_on == ["yes"]
    assert ui.navigator.stack() == ("home", "progress")


def test_the_same_card_read_again_changes_nothing(kiosk, qtbot):
    ui = kiosk
    started: list[str] = []
    ui.session.started.connect(lambda: started.append("started"))
    ui.session.begin(SAMPLES["elder"])
    ui.session.begin(SAMPLES["elder"])  # lifted and put back
    assert started == ["started"] and ui.session.active
    ui.session.begin(SAMPLES["young"])  # another citizen's card
    assert started == ["started", "started"] and ui.session.maskedName == SAMPLES["young"].masked_name


def test_the_prompt_says_aloud_whether_a_card_already_lies_on_the_reader(qapp):
    from kiosk.ui.shell.identity_prompt import IdentityPrompt
    from kiosk.ui.shell.identity_session import IdentitySession
    from kiosk.ui.shell.navigator import Navigator

    spoken: list[str] = []
    card_left = [False]
    navigator = Navigator({"identify"})
    prompt = IdentityPrompt(IdentitySession(), navigator, spoken.append, card_left=lambda: card_left[0])
    prompt.run_with_identity("", lambda: None)
    navigator.back()
    card_left[0] = True  # the previous citizen's card stayed on the reader
    prompt.run_with_identity("", lambda: None)
    assert spoken == ["place_card", "card_left"]
