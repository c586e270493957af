"""What the counter tells its staff, as messages (``kiosk.domain.messages``): the screen says them in the staff's
language, and they follow a switch of it. The hall's refusals are said by their code; a code not listed here is
shown in the hall's own words (Chinese)."""

from __future__ import annotations

from kiosk.domain.messages import define

# What happened (a short confirmation under the buttons).
CALLED = define("counter.called", "已叫 {number} 号")
NOBODY_WAITS = define("counter.nobody_waits", "现在没有人在等候")()
RECALLED = define("counter.recalled", "已重呼 {number} 号")
NO_SHOW = define("counter.no_show", "{number} 号已过号；本人来了请按“过号归队”")
PUT_BACK = define("counter.put_back", "{number} 号已重新排队，很快会被叫到")
TRANSFERRED = define("counter.transferred", "{number} 号已转到{place}")
HELD = define("counter.held", "{number} 号已挂起，补齐材料后按“恢复挂起”")
RESUMED = define("counter.resumed", "已恢复办理 {number} 号")
FINISHED = define("counter.finished", "{number} 号已办结")
GREEN = define("counter.green", "{number} 号已走绿色通道（{reason}）")
PAUSED = define("counter.paused", "已暂停服务：恢复服务前本窗口不叫号")()
REOPENED = define("counter.reopened", "已恢复服务")()
SIGNED_IN = define("counter.signed_in", "工号 {staff} 已在{counter}登录")
SIGNED_OUT = define("counter.signed_out", "已退出登录")()

# Why nothing was done.
LINK_DOWN = define("counter.link_down", "与排队服务的连接已断开，操作没有执行。恢复连接后请再试")()
STILL_BUSY = define("counter.still_busy", "上一个操作还在进行，请稍候")()
UNAVAILABLE = define(
    "counter.unavailable", "连不上排队服务，操作可能没有完成。恢复连接后请看当前的号再决定"
)()
NOT_ENROLLED = define(
    "counter.not_enrolled", "本机还没有登记到排队服务，不能叫号。请联系运维人员（kiosk hall enroll）"
)()
CONFIG_WRONG = define("counter.config_wrong", "排队服务的地址或凭据配置有误，请联系运维人员")()
TAKEN_ELSEWHERE = define("counter.taken_elsewhere", "本窗口已在另一台终端登录，或已从别处退出，请重新登录")()
SIGN_OUT_FIRST = define("counter.sign_out_first", "请先退出登录（F12），再关闭窗口")()
NO_CURRENT = define("counter.no_current", "当前没有正在办理的号")()
NOTHING_HELD = define("counter.nothing_held", "本窗口没有挂起的号")()
BAD_NUMBER = define("counter.bad_number", "请输入号码，例如 A012")()
BAD_COUNTER = define("counter.bad_counter", "请输入窗口号（数字）")()
BAD_STAFF = define("counter.bad_staff", "请输入工号")()
BAD_PIN = define("counter.bad_pin_format", "密码是 4 到 12 位数字")()
NO_SUCH_COUNTER = define("counter.no_such_counter", "本大厅没有 {counter} 号窗口")

# The hall's refusals, by its codes (docs/hall.md, "Errors"), in words that say what to do.
REFUSALS = {
    "bad_pin": define("counter.refused.bad_pin", "工号或密码不对，请重新输入")(),
    "pin_locked": define(
        "counter.refused.pin_locked", "密码错误次数过多，这个工号已锁定 5 分钟，请稍后再试"
    )(),
    "counter_busy": define("counter.refused.counter_busy", "正在办理一个号：请先办结、挂起、转移或过号")(),
    "counter_paused": define("counter.refused.counter_paused", "本窗口已暂停服务：请先恢复服务（F11）")(),
    "counter_closed": define("counter.refused.counter_closed", "本窗口未开放：请重新登录")(),
    "counter_taken": define("counter.refused.counter_taken", "这个窗口已由别的工号登录：请其先退出")(),
    "no_current_ticket": NO_CURRENT,
    "nothing_held": NOTHING_HELD,
    "which_held": define("counter.refused.which_held", "挂起的号不止一个：请选择要恢复的号")(),
    "same_counter": define("counter.refused.same_counter", "不能转移到本窗口")(),
    "unknown_service": define("counter.refused.unknown_service", "没有这项业务")(),
    "unknown_counter": define("counter.refused.unknown_counter", "没有这个窗口")(),
}
UNKNOWN_TICKET = define("counter.refused.unknown_ticket", "今天没有 {number} 号")
NOT_WAITING = define("counter.refused.ticket_not_waiting", "{number} 号不在等候中，不能叫")
NOT_NO_SHOW = define("counter.refused.ticket_not_no_show", "{number} 号不是过号，无需归队")
ELSEWHERE = define("counter.refused.staff_elsewhere", "工号 {staff} 已在{counter}登录：请先在那里退出")
ELSEWHERE_SOMEWHERE = define(
    "counter.refused.staff_elsewhere_somewhere", "工号 {staff} 已在另一个窗口登录：请先在那里退出"
)
HALL_SAYS = define("counter.hall_says", "{text}")

# 绿色通道 reasons as staff choose them (the hall's codes), and the hall's words for them on a ticket.
GREEN_REASONS = {
    "disability": define("counter.green.disability", "残疾")(),
    "pregnancy": define("counter.green.pregnancy", "孕妇")(),
    "age": define("counter.green.age", "高龄")(),
}
REASON_WORDS = {str(m): m for m in GREEN_REASONS.values()}
APPOINTMENT = define("counter.appointment", "预约 {window}")


def priority_reason(text: str) -> str:
    """A ticket's priority reason as the hall words it (高龄, 预约 09:00-09:30), as a message when it is one the
    counter knows (said in the staff's language), else as it is."""
    if text in REASON_WORDS:
        return REASON_WORDS[text]
    if text.startswith("预约 "):
        return APPOINTMENT(window=text.removeprefix("预约 "))
    return text
