"""Representative states of the form screens for screenshots (``FormFlow.demo_state``): the 社保卡补换卡 demo form
filled by the elderly sample card holder, step by step, through the same slots the screens call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.ui.features.forms.form_flow import FormFlow
    from kiosk.ui.shell.identity_session import IdentitySession
    from kiosk.ui.shell.navigator import Navigator

DEMO_FORM = "QY-RS-SBKBHK"
DEMO_STATES: dict[str, str] = {
    "forms": "the forms this terminal offers",
    "step": "the first step, prefilled from the card (name and ID number locked), a phone number typed",
    "step-problems": "the first step after 下一步 with the phone number missing",
    "choice": "the second step: choices, with the follow-up questions of 补卡",
    "signature": "the last step: 邮寄到家 with its address, and a signature on the pad",
    "review": "every answer before 确认提交",
    "done": "the receipt number, printed",
    "print-failed": "the receipt number; the printer is out of paper",
    "no-printer": "the receipt number on a terminal without an A4 printer",
}

# A made-up signature (陈 in a few strokes), in the pad's coordinates.
SIGNATURE = (
    ((60, 60), (90, 55), (88, 80), (70, 110)),
    ((60, 60), (62, 150)),
    ((120, 50), (200, 48)),
    ((110, 90), (210, 88)),
    ((160, 30), (150, 120), (120, 160)),
    ((160, 110), (210, 160)),
    ((260, 70), (300, 70), (330, 60)),
    ((290, 40), (285, 140), (330, 150), (380, 130)),
)


def _answer_first_step(flow: FormFlow) -> None:
    flow.setValue("phone", "13800138000")
    flow.touch("phone")


def _answer_second_step(flow: FormFlow) -> None:
    flow.toggle("apply_type", "reissue")
    flow.toggle("reissue_reason", "lost")
    flow.setValue("lost_date", "2026-11-01")
    flow.toggle("bank", "gdrcu")


def _answer_last_step(flow: FormFlow) -> None:
    flow.toggle("collect", "mail")
    flow.setValue("mail_address", "广东省清远市清新区太平镇禾丰村委会下围村12号")
    flow.setValue("postcode", "511800")
    flow.setSignature([[[x * 1.8 + 40, y * 1.6 + 20] for x, y in stroke] for stroke in SIGNATURE])


def answer_demo_form(flow: FormFlow) -> None:
    """Answer every step of the demo form as the sample card holder does, and go on to the review."""
    answers = (_answer_first_step, _answer_second_step, _answer_last_step)
    for answer in answers:
        answer(flow)
        flow.next()


def apply_demo_state(flow: FormFlow, which: str, session: IdentitySession, navigator: Navigator) -> None:
    if which not in DEMO_STATES:
        raise ValueError(f"unknown form screen state {which!r}; known: {', '.join(DEMO_STATES)}")
    from drivers.idcard.cards import SAMPLES

    navigator.home()
    identity: Any = SAMPLES["elder"]
    if not session.active:
        session.begin(identity)
    flow.load_templates_now()
    navigator.push("forms")
    if which == "forms":
        return
    flow.choose(DEMO_FORM)
    if which == "step-problems":
        flow.next()
        return
    _answer_first_step(flow)
    if which == "step":
        return
    flow.next()
    _answer_second_step(flow)
    if which == "choice":
        return
    flow.next()
    _answer_last_step(flow)
    if which == "signature":
        return
    flow.review()
    if which == "review":
        return
    if which == "done":
        flow.show_done_demo("printed")
    elif which == "print-failed":
        from drivers.printer.jobs import message_for

        flow.show_done_demo("failed", message_for("paper_out"))  # as the printer says it
    else:
        flow.show_done_demo("noPrinter")
