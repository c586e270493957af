"""Print jobs as the rest of the terminal sees them: one immutable record per attempt, with the message a citizen
reads when it failed.

Every printer hands back a :class:`PrintJob` in a future, done or failed: a printer fault is an outcome the screen
has to explain ("请联系工作人员补纸"), not an exception to catch. The codes match :class:`drivers.base.Health`
where a health explains the failure, so the screen and the maintenance page speak the same words.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from drivers.base import DeviceError, Health
from kiosk.domain.messages import Message, define, defined


class JobState(StrEnum):
    DONE = "done"
    FAILED = "failed"


# Messages a citizen (or the staff member they call) can act on. The code is the key: support reads the code,
# the screen shows the message (kiosk.domain.messages: translated by the screens, code ``printer.<code>``).
MESSAGES: dict[str, Message] = {
    "paper_out": define("printer.paper_out", "打印机缺纸，请联系工作人员补纸后重试")(),
    "paper_low": define("printer.paper_low", "打印纸即将用完，请联系工作人员及时补纸")(),
    "offline": define("printer.offline", "打印机未连接，请联系工作人员检查打印机电源和连线")(),
    "cover_open": define("printer.cover_open", "打印机盖未关好，请联系工作人员关好后重试")(),
    "printer_error": define("printer.printer_error", "打印机故障，请联系工作人员处理")(),
    "bad_document": define("printer.bad_document", "要打印的文件已损坏，无法打印，请返回重新生成后再试")(),
    "write_failed": define("printer.write_failed", "打印结果无法保存，请联系工作人员检查存储空间")(),
    "render_failed": define("printer.render_failed", "打印内容生成失败，请联系工作人员")(),
    "no_font": define("printer.no_font", "打印所需的中文字体缺失，请联系工作人员")(),
    "bad_status": define("printer.bad_status", "打印机返回的状态无法识别，请联系工作人员检查打印机")(),
    "closed": define("printer.closed", "打印机已关闭，请重新启动打印服务")(),
    "no_such_job": define("printer.no_such_job", "找不到这个打印任务，可能已经打印完成")(),
    "unavailable": define("printer.unavailable", "打印机暂时不能使用，请联系工作人员")(),
    "unsupported": define("printer.unsupported", "这种打印机连接方式在本终端上不可用，请联系工作人员")(),
}

# The health a failure leaves the printer in.
HEALTH_OF: dict[str, Health] = {
    "paper_out": Health.PAPER_OUT,
    "paper_low": Health.PAPER_LOW,
    "offline": Health.OFFLINE,
    "cover_open": Health.COVER_OPEN,
    "closed": Health.OFFLINE,
    "unsupported": Health.OFFLINE,
}


def message_for(code: str) -> Message:
    return MESSAGES.get(code, MESSAGES["printer_error"])


def printer_error(code: str, message: str = "") -> DeviceError:
    """A DeviceError with the standard message of ``code`` (or a more precise one) and the health it implies."""
    return DeviceError(message or message_for(code), code=code, health=HEALTH_OF.get(code, Health.ERROR))


def _message(text: str, code: str) -> str:
    """A stored job's message as the :class:`Message` it was, when its code still has those words (a retained
    job read back after a restart is then translated like a fresh one)."""
    wording = defined().get(code)
    if wording is not None and not wording.fields and wording.template == text:
        return wording()
    return text


def new_job_id() -> str:
    """Sortable by time, unique across restarts: retained jobs are files named after their id."""
    return f"{datetime.now(UTC):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"


@dataclass(frozen=True, slots=True)
class PrintJob:
    """One print job after an attempt.

    ``document`` is what the printer holds: for a failed A4 job, the copy it keeps for :meth:`retry` (the
    caller's own file may be gone); otherwise the file that was printed. ``output`` is where a file backend put
    the printout (a PDF in the output folder, a ticket's ESC/POS bytes), None for paper.
    """

    id: str
    title: str
    printer: str  # the backend: pdf, system, file, network, ...
    state: JobState
    document: Path | None = None
    pages: int | None = None
    copies: int = 1
    code: str = ""
    message: str = ""
    output: Path | None = None
    attempts: int = 1
    submitted_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def ok(self) -> bool:
        return self.state is JobState.DONE

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (paths and times as strings), for ``--json`` and the retained-job records."""
        return {
            "id": self.id,
            "title": self.title,
            "printer": self.printer,
            "state": self.state.value,
            "document": str(self.document) if self.document else None,
            "pages": self.pages,
            "copies": self.copies,
            "code": self.code,
            "message": self.message,
            "message_code": getattr(self.message, "code", ""),
            "output": str(self.output) if self.output else None,
            "attempts": self.attempts,
            "submitted_at": self.submitted_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PrintJob:
        """The inverse of :meth:`to_dict`; raises ValueError (or KeyError, TypeError) on a damaged record."""
        return cls(
            id=str(data["id"]),
            title=str(data["title"]),
            printer=str(data["printer"]),
            state=JobState(data["state"]),
            document=Path(data["document"]) if data.get("document") else None,
            pages=int(data["pages"]) if data.get("pages") is not None else None,
            copies=int(data.get("copies", 1)),
            code=str(data.get("code", "")),
            message=_message(str(data.get("message", "")), str(data.get("message_code", ""))),
            output=Path(data["output"]) if data.get("output") else None,
            attempts=int(data.get("attempts", 1)),
            submitted_at=datetime.fromisoformat(data["submitted_at"]),
            finished_at=datetime.fromisoformat(data["finished_at"]),
        )
