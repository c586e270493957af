"""The rating pad's screens for ``kiosk screenshot`` (names start with ``pad-``), rendered offscreen from the real
QML through the pad's view-model, with a sample counter (3号窗口, 李秀梅, 工号 1003) and no hall: the rating is the
real rating flow over ratings kept in a throwaway folder (the hall it names does not answer, so a rating given is
kept, as on a pad whose hall is away). Nothing is written to the terminal's data directory.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPainterPath

from kiosk.config import Settings
from kiosk.roles.rating.app import PadUi, window_size
from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.services.rating_pad.counter_watch import CounterPicture
from kiosk.ui.shell.app import WindowOptions, create_application
from kiosk.ui.shell.screenshot import ScreenshotError, grab_window, spin, wait_until
from kiosk.ui.shell.tasks import pending_calls

log = logging.getLogger(__name__)

SCREENS: dict[str, str] = {
    "pad-idle": "评价器: the counter between tickets, with its staff member's photo",
    "pad-idle-no-photo": "评价器: the counter's staff member without a photo (the placeholder)",
    "pad-serving": "评价器: 正在为 A012 号办理",
    "pad-rate": "评价器: 办结, the five levels and the countdown",
    "pad-reasons": "评价器: a bad level chosen, the reasons with two ticked",
    "pad-reasons-missing": "评价器: 提交评价 without a reason",
    "pad-countdown": "评价器: the countdown's warning over its last seconds",
    "pad-thanks": "评价器: thanks",
    "pad-thanks-kept": "评价器: thanks, the rating kept on the pad while the hall is away",
    "pad-missed": "评价器: no rating given (the way to rate later with the ticket's QR code)",
    "pad-reconnecting": "评价器: serving, the link to the hall lost (正在重新连接…)",
    "pad-closed": "评价器: the counter closed (nobody signed in)",
    "pad-not-configured": "评价器: a pad that was not told its counter",
    "pad-out-of-service": "评价器: 暂停服务, the terminal taken out of service",
}

SAMPLE_TICKET = "H0DEMO1-20261123-SB-12"  # (a hall names a ticket by its service and number)
SAMPLE_PHOTO_VERSION = "sample0000000001"


def sample_picture(*, serving: bool = False, photo: bool = True, state: str = "open") -> CounterPicture:
    staffed = state != "closed"
    return CounterPicture(
        number=3,
        known=True,
        name="3号窗口·社保医保",
        state=state,
        staff_no="1003" if staffed else "",
        staff_name="李秀梅" if staffed else "",
        staff_photo=SAMPLE_PHOTO_VERSION if photo and staffed else "",
        serving_id="H0DEMO1-20261123-ZH-12" if serving else "",
        serving_number="A012" if serving else "",
    )


def sample_photo(width: int = 300, height: int = 400) -> QImage:
    """A drawn head-and-shoulders portrait standing in for a staff member's photo (no real person)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    backdrop = QLinearGradient(0, 0, 0, height)
    backdrop.setColorAt(0, QColor("#CFDDEE"))
    backdrop.setColorAt(1, QColor("#9DB4D3"))
    painter.fillRect(image.rect(), backdrop)
    painter.setPen(Qt.PenStyle.NoPen)
    shoulders = QPainterPath()
    shoulders.addRoundedRect(
        QRectF(width * 0.1, height * 0.66, width * 0.8, height * 0.5), width * 0.3, width * 0.3
    )
    painter.setBrush(QColor("#1F3A63"))  # a dark uniform
    painter.drawPath(shoulders)
    painter.setBrush(QColor("#FFFFFF"))  # the collar
    painter.drawPolygon(
        [
            QPointF(width * 0.40, height * 0.66),
            QPointF(width * 0.5, height * 0.78),
            QPointF(width * 0.60, height * 0.66),
        ]
    )
    painter.setBrush(QColor("#E8C4A6"))
    painter.drawRect(QRectF(width * 0.43, height * 0.52, width * 0.14, height * 0.14))  # the neck
    painter.drawEllipse(QRectF(width * 0.31, height * 0.20, width * 0.38, height * 0.36))  # the face
    painter.setBrush(QColor("#2B2420"))  # the hair
    hair = QPainterPath()
    hair.addEllipse(QRectF(width * 0.29, height * 0.15, width * 0.42, height * 0.24))
    painter.drawPath(hair)
    painter.end()
    return image


class PadDriver:
    """Drives a pad (no hall) to a named state and grabs it."""

    def __init__(self, ui: PadUi, outbox_dir: Path) -> None:
        from kiosk.hall_client import HallClient
        from kiosk.services.rating_pad.ratings import PadRatings
        from kiosk.store.keystore import Keystore
        from kiosk.store.pad_outbox import PadOutbox
        from kiosk.store.sealing import Sealer

        self.ui = ui
        self.pad = ui.rating_pad
        # Nothing listens on port 9 of this machine: a rating given is kept, as while the hall is away.
        client = HallClient(
            "http://127.0.0.1:9", "Q-00000000", bytes(32), "HMAC-SHA256", timeout=(1.0, 1.0), retry_for=0
        )
        keys = Keystore.for_data_dir(outbox_dir)
        ratings = PadRatings(
            client, PadOutbox.in_data_dir(outbox_dir, Sealer(keys, "standard")), ui.terminal.background
        )
        ui.use_ratings(ratings)

    def settle(self) -> None:
        wait_until(lambda: pending_calls() == 0, "background calls")
        spin(80)

    def _rate(self, picture: CounterPicture) -> None:
        from kiosk.services.rating_pad.ratings import PadRatings

        self.pad.demo(picture)
        self.pad.ask(SAMPLE_TICKET, "B012", picture.staff_name, picture.staff_no)
        self.pad.rating.flow.open(PadRatings.subject(SAMPLE_TICKET), skippable=True)
        wait_until(lambda: self.pad.rating.flow.state == "rating", "the rating")

    def go(self, screen: str) -> None:
        pad = self.pad
        pad.show_photo(SAMPLE_PHOTO_VERSION, sample_photo())
        if screen == "pad-idle":
            pad.demo(sample_picture())
        elif screen == "pad-idle-no-photo":
            pad.demo(sample_picture(photo=False))
        elif screen == "pad-serving":
            pad.demo(sample_picture(serving=True))
        elif screen == "pad-reconnecting":
            pad.demo(sample_picture(serving=True), link="reconnecting")
        elif screen == "pad-closed":
            pad.demo(sample_picture(state="closed"))
        elif screen == "pad-not-configured":
            pass  # (a pad made with rating_counter = 0)
        elif screen in ("pad-rate", "pad-countdown"):
            self._rate(sample_picture())
            if screen == "pad-countdown":
                countdown = pad.countdown
                countdown.backdate(countdown.totalSeconds - 12)
        elif screen in ("pad-reasons", "pad-reasons-missing"):
            self._rate(sample_picture())
            pad.chooseLevel(2)
            if screen == "pad-reasons":
                pad.toggleReason("等待时间长")
                pad.toggleReason("多次跑动")
            else:
                pad.submit()
        elif screen == "pad-thanks":
            from kiosk.services.rating_pad.ratings import PadRatings

            self._rate(sample_picture())
            pad.rating.flow.show_sample("done", PadRatings.subject(SAMPLE_TICKET), "")
        elif screen == "pad-thanks-kept":
            self._rate(sample_picture())
            pad.chooseLevel(5)
            wait_until(lambda: pad.phase == "thanks", "the thanks")
        elif screen == "pad-missed":
            self._rate(sample_picture())
            pad.skip()
        elif screen == "pad-out-of-service":
            pad.demo(sample_picture())
            self.ui.service_state.show_demo()
        else:
            raise ScreenshotError(f"unknown screen {screen!r}; known: {', '.join(SCREENS)}")
        self.settle()

    def grab(self, path: Path) -> Path:
        return grab_window(self.ui.window, path)


def render(
    settings: Settings,
    targets: dict[str, Path],
    *,
    size: tuple[int, int] | None = None,
    elder: bool | None = None,
    language: str | None = None,
) -> list[Path]:
    """``kiosk screenshot`` for the pad's screens (no hall, nothing written to the data directory)."""
    app = create_application(offscreen=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-pad-screens-") as scratch:
        for screen, path in targets.items():
            # A pad told its counter, but for the screen of one that was not.
            counter = 0 if screen == "pad-not-configured" else 3
            pad_settings = replace(settings, rating_counter=counter, voice_prompts=False)
            terminal = LazyTerminal(pad_settings)
            ui = PadUi(
                terminal,
                app,
                WindowOptions(size=size or window_size(pad_settings)),
                pad_settings,
                follow=False,
            )
            try:
                wait_until(
                    lambda ui=ui: ui.view_model("pad") is not None, "the pad"
                )  # (just after the first frame)
                if elder is not None:
                    ui.app_state.setProperty("elderMode", elder)
                if language is not None:
                    ui.app_state.setProperty("language", language)
                driver = PadDriver(ui, Path(scratch) / screen)  # (each its own: a kept rating stays)
                driver.go(screen)
                written.append(driver.grab(path))
                log.info("screenshot %s -> %s", screen, path)
            finally:
                ui.close()
                terminal.background.shutdown()
                spin(30)
    return written


__all__ = ["SCREENS", "render", "sample_photo"]
