"""The small page a ticket's QR code opens on a phone on the hall's Wi-Fi (``/t/<token>``): where the ticket
stands in the queue, refreshed every 15 seconds, and once it is done, the five levels to rate it (一次一评) for a
citizen who left the counter without rating on the pad.

Plain HTML with its style inline: no script, no font or library from a CDN (the hall's Wi-Fi may not reach the
internet). The token in the address is the ticket's own random token, not its number, so numbers cannot be
walked through; everything shown is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import parse_qs

from kiosk.protocol.models import RATING_COMMENT_MAX, RATING_LEVELS, RATING_REASONS

_STYLE = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f4f6f8;
color:#1a1a1a;line-height:1.5}
main{max-width:32rem;margin:0 auto;padding:1.2rem}
h1{font-size:1.1rem;color:#34495e;margin:.2rem 0 1rem}
.number{font-size:4.5rem;font-weight:700;letter-spacing:.05em;color:#0b5394;margin:0}
.service{font-size:1.3rem;margin:.2rem 0 1rem}
.state{font-size:1.4rem;background:#fff;border-radius:.6rem;padding:1rem;border:2px solid #0b5394}
.state.called{border-color:#b45f06;color:#7f3f00}
.note{color:#444;font-size:1rem}
fieldset{border:0;padding:0;margin:1rem 0}
label{display:block;font-size:1.2rem;padding:.6rem;margin:.3rem 0;background:#fff;border-radius:.5rem;
border:1px solid #c8d0d8}
textarea{width:100%;font-size:1.1rem;min-height:4rem;box-sizing:border-box}
button{font-size:1.3rem;padding:.8rem 1.6rem;background:#0b5394;color:#fff;border:0;border-radius:.5rem;width:100%}
.problem{color:#990000;font-weight:700}
"""


def _state_text(ticket: dict[str, Any]) -> tuple[str, str]:
    state = ticket["state"]
    counter = escape(ticket.get("counter_name") or "")
    if state == "waiting":
        ahead = ticket.get("waiting_ahead")
        return "", f"等候中，前面还有 {ahead} 人" if ahead is not None else "等候中"
    if state == "called":
        return "called", f"请到 {counter} 办理"
    if state == "held":
        return "called", f"已挂起：补齐材料后请回到 {counter}"
    if state == "no_show":
        return "", "已过号：请到窗口联系工作人员"
    return "", "已办结"


def render_page(
    hall_name: str, ticket: dict[str, Any] | None, *, problem: str | None = None, thanks: bool = False
) -> str:
    title = escape(hall_name)
    if ticket is None:
        body = "<p class='state'>没有找到这个号。请核对号票上的二维码，或咨询大厅工作人员。</p>"
        return _page(title, body, refresh=False)
    kind, text = _state_text(ticket)
    parts = [
        f"<p class='number'>{escape(ticket['number'])}</p>",
        f"<p class='service'>{escape(ticket['service_name'])}</p>",
        f"<p class='state {kind}'>{text}</p>",
    ]
    if ticket.get("priority_reason"):
        parts.append(f"<p class='note'>{escape(ticket['priority_reason'])}</p>")
    if problem:
        parts.append(f"<p class='problem'>{escape(problem)}</p>")
    done = ticket["state"] == "finished"
    if done and (ticket.get("rated") or thanks):
        parts.append("<p class='state'>感谢您的评价！</p>")
    elif done:
        parts.append(_rating_form(ticket))
    else:
        parts.append("<p class='note'>本页每 15 秒自动刷新。叫号时请留意大厅屏幕和广播。</p>")
    return _page(title, "\n".join(parts), refresh=not done)


def _rating_form(ticket: dict[str, Any]) -> str:
    levels = "".join(
        f"<label><input type='radio' name='level' value='{level}' required> {escape(name)}</label>"
        for level, name in RATING_LEVELS.items()
    )
    reasons = "".join(
        f"<label><input type='checkbox' name='reason' value='{escape(reason)}'> {escape(reason)}</label>"
        for reason in RATING_REASONS
    )
    return (
        "<form method='post' action='" + escape(_rating_path(ticket)) + "'>"
        "<h1>请您评价本次服务</h1>"
        f"<fieldset>{levels}</fieldset>"
        "<h1>不满意时，请选择原因（可多选）</h1>"
        f"<fieldset>{reasons}</fieldset>"
        f"<textarea name='comment' maxlength='{RATING_COMMENT_MAX}' placeholder='意见和建议（选填）'></textarea>"
        "<p><button type='submit'>提交评价</button></p></form>"
    )


def _rating_path(ticket: dict[str, Any]) -> str:
    follow = str(ticket.get("follow_url", ""))
    token = follow.rsplit("/t/", 1)[-1]
    return f"/t/{token}/rating"


def _page(title: str, body: str, *, refresh: bool) -> str:
    meta = "<meta http-equiv='refresh' content='15'>" if refresh else ""
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"{meta}<title>{title}</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{title}</h1>{body}</main></body></html>"
    )


def rating_form_problem(raw: bytes) -> tuple[dict[str, Any], str | None]:
    """The rating a posted form holds, or what is wrong with it (in plain words)."""
    try:
        fields = parse_qs(
            raw.decode("utf-8"), keep_blank_values=True, max_num_fields=20, strict_parsing=False
        )
    except (UnicodeDecodeError, ValueError):
        return {}, "提交的内容有误，请重新评价"
    levels = fields.get("level", [])
    if len(levels) != 1 or levels[0] not in {"1", "2", "3", "4", "5"}:
        return {}, "请选择一个满意程度"
    level = int(levels[0])
    reasons = [r for r in fields.get("reason", []) if r]
    if any(r not in RATING_REASONS for r in reasons) or len(set(reasons)) != len(reasons):
        return {}, "提交的原因有误，请重新选择"
    comment = (fields.get("comment", [""]) or [""])[0].replace("\x00", "").strip()[:RATING_COMMENT_MAX]
    if level <= 2 and not reasons:
        return {}, "选择“不满意”或“非常不满意”时，请选择至少一个原因"
    if level > 2:
        reasons = []
    if "其他" in reasons and not comment:
        return {}, "选择“其他”时，请写下您的意见"
    return {"level": level, "reasons": reasons, "comment": comment}, None
