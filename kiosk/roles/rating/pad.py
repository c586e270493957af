"""The rating pad's screen state (``pad`` in QML): the counter it faces, who serves there, the ticket being served,
the rating at 办结 (through the rating flow, ``padRating`` in QML), its countdown, the thanks, and the link to the
hall.

Phases: ``idle`` (the counter and its staff member), ``serving`` ("正在为 A012 号办理"), ``rating`` (the five levels,
then the reasons of a bad one; the flow's own states: checking, rating, submitting, error), ``thanks`` (the rating
was taken, kept for the hall, or had been given already), ``missed`` (the countdown ran out or the citizen chose
not to rate: they can still rate with the ticket's QR code). Thanks and missed stand for a few seconds, then the pad
shows the counter again and the citizen's display choices (elder mode, language) go back to the terminal's.

The hall follower and the counter watch run on the follower's thread; what they say reaches this object through
queued signals, on the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.flows.rating import DONE, ERROR, IDLE, REFUSED, RatingFlow
from kiosk.roles.rating.countdown import Countdown
from kiosk.roles.rating.photos import StaffPhotoProvider, photo_image
from kiosk.ui.shell.flow_adapter import flow_view
from kiosk.ui.shell.tasks import run_in_background

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.hall_client import HallClient, HallFollower
    from kiosk.protocol.hall import HallEvent, HallState
    from kiosk.services.background import Background
    from kiosk.services.rating_pad.counter_watch import CounterPicture, CounterWatch, Finished
    from kiosk.services.rating_pad.ratings import PadRatings
    from kiosk.ui.shell.app_state import AppState

log = logging.getLogger(__name__)

IDLE_PHASE, SERVING, RATING, THANKS, MISSED = "idle", "serving", "rating", "thanks", "missed"
THANKS_S = 8  # the thanks stand this long
MISSED_S = 15  # the way to rate later (the QR code) stands a little longer: it is read, not glanced at
DELIVER_EVERY_MS = 60_000  # kept ratings are tried again this often while the hall is connected

# What an operator must do before the pad can work (shown instead of the counter).
NOT_ENROLLED, NO_COUNTER, UNKNOWN_COUNTER = "not_enrolled", "no_counter", "unknown_counter"


class PadRatingView(flow_view(RatingFlow)):  # type: ignore[misc]
    """The rating flow as QML sees it on the pad (``padRating``)."""


class RatingPad(QObject):
    changed = Signal()
    # From the follower's thread; delivered queued on the UI thread.
    _picture_came = Signal(object)
    _finish_came = Signal(object)
    _rated_came = Signal(str)
    _link_came = Signal(bool)

    def __init__(
        self,
        settings: Settings,
        background: Background,
        rating: PadRatingView,
        app_state: AppState,
        photos: StaffPhotoProvider,
        say: Callable[[str], None],
        parent: QObject | None = None,
        *,
        thanks_s: float = THANKS_S,
        missed_s: float = MISSED_S,
    ) -> None:
        super().__init__(parent)
        from PySide6.QtCore import Qt

        self._settings = settings
        self._background = background
        self.rating = rating
        self._app_state = app_state
        self._photos = photos
        self._say = say
        self._ratings: PadRatings | None = None
        self._follower: HallFollower | None = None
        self._watch: CounterWatch | None = None
        self._problem = "" if settings.rating_counter else NO_COUNTER
        self._link = "connecting"
        self._phase = IDLE_PHASE
        self._picture: CounterPicture | None = None
        self._photo_version = ""  # shown
        self._photo_wanted = ""  # asked for
        self._ticket_id = ""
        self._ticket_number = ""
        self._rated_staff = ("", "")  # (name, number) of who served the ticket being rated
        self._pending = 0
        self._closed = False
        self.countdown = Countdown(settings.idle_timeout_s, settings.idle_warning_s, self)
        self.countdown.expired.connect(self._countdown_expired)
        self._end_timer = QTimer(self, singleShot=True)
        self._end_timer.timeout.connect(self.back_to_counter)
        self._thanks_ms = int(thanks_s * 1000)
        self._missed_ms = int(missed_s * 1000)
        self._end_left = 0
        self._end_tick = QTimer(self, interval=1000)
        self._end_tick.timeout.connect(self._count_end)
        self._deliver_timer = QTimer(self, interval=DELIVER_EVERY_MS)
        self._deliver_timer.timeout.connect(self.deliver_kept)
        queued = Qt.ConnectionType.QueuedConnection
        self._picture_came.connect(self._on_picture, queued)
        self._finish_came.connect(self._on_finished, queued)
        self._rated_came.connect(self._on_rated, queued)
        self._link_came.connect(self._on_link, queued)
        rating.changed.connect(self._on_flow_changed)
        app_state.languageChanged.connect(self.changed)

    # --- following the hall ----------------------------------------------------------------------------------

    def not_enrolled(self) -> None:
        self._problem = NOT_ENROLLED
        self.changed.emit()

    def follow(self, client: HallClient, ratings: PadRatings) -> None:
        """Follow the hall for counter ``rating_counter`` (the follower runs on a thread of its own)."""
        from datetime import UTC, datetime, timedelta

        from kiosk.hall_client import HallFollower
        from kiosk.services.rating_pad.counter_watch import CounterWatch

        if self._closed or self._problem:
            return
        self._ratings = ratings
        self._watch = CounterWatch(
            self._settings.rating_counter,
            on_picture=self._picture_came.emit,
            on_finished=self._finish_came.emit,
            on_rated=self._rated_came.emit,
            hall_now=lambda: datetime.now(UTC) + timedelta(seconds=client.skew),
        )
        self._follower = HallFollower(
            client,
            on_state=self._state_from_hall,
            on_event=self._event_from_hall,
            on_link=self._link_came.emit,
            idle_timeout=4.0,
            reconnect_max_s=4.0,
        )
        self._follower.start()
        self._refresh_pending()
        log.info(
            "rating pad of counter %d following the hall at %s",
            self._settings.rating_counter,
            client.base_url,
        )

    def _state_from_hall(self, state: HallState) -> None:  # the follower's thread
        assert self._watch is not None
        self._watch.on_state(state)

    def _event_from_hall(self, event: HallEvent) -> None:  # the follower's thread
        assert self._watch is not None
        self._watch.on_event(event)

    @Slot(object)
    def _on_picture(self, picture: CounterPicture) -> None:
        self._picture = picture
        self._problem = "" if picture.known else UNKNOWN_COUNTER
        if self._phase in (IDLE_PHASE, SERVING):
            self._phase = SERVING if picture.serving_number else IDLE_PHASE
        self._want_photo(picture)
        self.changed.emit()

    @Slot(object)
    def _on_finished(self, finished: Finished) -> None:
        from kiosk.services.rating_pad.ratings import PadRatings

        if self._ratings is not None:
            self._ratings.asking(finished.ticket_id, finished.number)
            if finished.rated:
                self._ratings.note_rated(finished.ticket_id)
        log.info(
            "%s finished at counter %d: asking for the rating", finished.number, self._settings.rating_counter
        )
        self.ask(finished.ticket_id, finished.number, finished.staff_name, finished.staff_no)
        self.rating.flow.open(PadRatings.subject(finished.ticket_id), skippable=True)

    @Slot(str)
    def _on_rated(self, ticket_id: str) -> None:
        if self._ratings is not None:
            self._ratings.note_rated(ticket_id)

    @Slot(bool)
    def _on_link(self, connected: bool) -> None:
        self._link = "online" if connected else "reconnecting"
        log.info("rating pad: the hall %s", "is connected" if connected else "is away (reconnecting)")
        if connected:
            self.deliver_kept()
            self._deliver_timer.start()
        else:
            self._deliver_timer.stop()
        self.changed.emit()

    # --- the rating --------------------------------------------------------------------------------------

    def ask(self, ticket_id: str, number: str, staff_name: str, staff_no: str) -> None:
        """Show the rating of ``number`` (the flow is opened by the caller) and start its countdown."""
        self._end_timer.stop()
        self._end_tick.stop()
        self._ticket_id, self._ticket_number = ticket_id, number
        self._rated_staff = (staff_name, staff_no)
        self._phase = RATING
        self.countdown.start()
        self._say("rate_service")
        self.changed.emit()

    @Slot(int)
    def chooseLevel(self, level: int) -> None:
        """A level tapped: a good one (3-5) is the whole rating and is given at once; a bad one asks why."""
        flow = self.rating.flow
        flow.choose_level(level)
        if flow.view()["level"] == level and not flow.bad:
            flow.submit()

    @Slot(str)
    def toggleReason(self, reason: str) -> None:
        self.rating.flow.toggle_reason(reason)

    @Slot()
    def submit(self) -> None:
        self.rating.flow.submit()

    @Slot()
    def retry(self) -> None:
        self.rating.flow.retry()

    @Slot()
    def chooseAgain(self) -> None:
        """Back from the reasons to the five levels: the same ticket, nothing chosen."""
        from kiosk.services.rating_pad.ratings import PadRatings

        if self._phase == RATING and self._ticket_id:
            self.rating.flow.open(PadRatings.subject(self._ticket_id), skippable=True)

    @Slot()
    def skip(self) -> None:
        """跳过: no rating now (the ticket's QR code still takes one)."""
        if self._phase == RATING:
            log.info("rating of %s skipped", self._ticket_number)
            self._end(MISSED, self._missed_ms)

    @Slot()
    def _countdown_expired(self) -> None:
        if self._phase == RATING:
            log.info("rating of %s not given before the countdown ran out", self._ticket_number)
            self._end(MISSED, self._missed_ms)

    @Slot()
    def _on_flow_changed(self) -> None:
        state = self.rating.flow.state
        if self._phase == RATING and state in (DONE, REFUSED):
            self._end(THANKS, self._thanks_ms)
            self._refresh_pending()
            return
        if self._phase == RATING and state == ERROR:
            self.countdown.poke()  # what went wrong is read before the time runs on
        self.changed.emit()

    def _end(self, phase: str, after_ms: int) -> None:
        self.countdown.stop()
        if phase == MISSED:
            self.rating.flow.leave()
        self._phase = phase
        self._end_left = max(1, after_ms // 1000)
        self._end_timer.start(after_ms)
        self._end_tick.start()
        self.changed.emit()

    @Slot()
    def _count_end(self) -> None:
        self._end_left = max(0, self._end_left - 1)
        self.changed.emit()

    @Slot()
    def back_to_counter(self) -> None:
        """The citizen has gone: the counter again, and the terminal's own display choices."""
        self._end_timer.stop()
        self._end_tick.stop()
        self.countdown.stop()
        if self.rating.flow.state != IDLE:
            self.rating.flow.leave()
        self._ticket_id = self._ticket_number = ""
        picture = self._picture
        self._phase = SERVING if picture is not None and picture.serving_number else IDLE_PHASE
        self._app_state.end_session()
        self.changed.emit()

    # --- kept ratings --------------------------------------------------------------------------------------

    @Slot()
    def deliver_kept(self) -> None:
        """Send the ratings kept while the hall was away (on a worker)."""
        if self._ratings is None or self._closed:
            return
        run_in_background(
            self._background.run(self._ratings.deliver),
            lambda delivery: self._refresh_pending(),
            lambda exc: log.error("kept ratings could not be delivered: %s", exc),
            parent=self,
        )

    def _refresh_pending(self) -> None:
        if self._ratings is None:
            return
        run_in_background(
            self._background.run(self._ratings.pending), self._set_pending, lambda exc: None, parent=self
        )

    def _set_pending(self, count: int) -> None:
        if count != self._pending:
            self._pending = count
            self.changed.emit()

    # --- the photo ---------------------------------------------------------------------------------------

    def _want_photo(self, picture: CounterPicture) -> None:
        version = picture.staff_photo
        if not version:
            self._photo_version = self._photo_wanted = ""
            return
        if self._photos.has(version):
            self._photo_version = self._photo_wanted = version
            return
        if version == self._photo_wanted or self._ratings is None:
            return
        self._photo_wanted = version
        client = self._ratings.client
        staff_no = picture.staff_no

        def fetch() -> Any:
            return photo_image(client.staff_photo(staff_no).data)

        def shown(image: Any) -> None:
            if self._photo_wanted != version:
                return
            self._photos.put(version, image)
            self._photo_version = version
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            log.warning("the photo of staff %s could not be shown (%s): a placeholder instead", staff_no, exc)
            if self._photo_wanted == version:
                self._photo_wanted = ""

        run_in_background(self._background.run(fetch), shown, failed, parent=self)

    def show_photo(self, version: str, image: Any) -> None:
        """Show ``image`` as the photo of ``version`` (the screenshots' sample)."""
        self._photos.put(version, image)
        self._photo_version = self._photo_wanted = version
        self.changed.emit()

    # --- what QML reads ----------------------------------------------------------------------------------

    @Property(str, notify=changed)
    def phase(self) -> str:
        return self._phase

    @Property(str, notify=changed)
    def link(self) -> str:
        """``connecting`` (not yet), ``online``, ``reconnecting`` (the link was lost)."""
        return self._link

    @Property(str, notify=changed)
    def problem(self) -> str:
        """What an operator must set up before the pad works (empty: nothing)."""
        number = self._settings.rating_counter
        if self._problem == NOT_ENROLLED:
            return self.tr("本评价器还没有连接排队服务。请运维人员在本机运行 kiosk hall enroll 登记。")
        if self._problem == NO_COUNTER:
            return self.tr("本评价器还没有设置对应的窗口。请运维人员设置 rating_counter（窗口号）。")
        if self._problem == UNKNOWN_COUNTER:
            return self.tr("排队服务中没有 %1 号窗口。请运维人员检查 rating_counter 设置。").replace(
                "%1", str(number)
            )
        return ""

    @Property(int, notify=changed)
    def counterNumber(self) -> int:
        return self._settings.rating_counter

    @Property(str, notify=changed)
    def counterName(self) -> str:
        return self._picture.name if self._picture is not None else ""

    @Property(str, notify=changed)
    def counterState(self) -> str:
        """``open``, ``paused`` or ``closed`` (nobody signed in)."""
        return self._picture.state if self._picture is not None else "closed"

    @Property(str, notify=changed)
    def staffName(self) -> str:
        if self._phase in (RATING, THANKS, MISSED) and self._rated_staff[0]:
            return self._rated_staff[0]
        return self._picture.staff_name if self._picture is not None else ""

    @Property(str, notify=changed)
    def staffNo(self) -> str:
        if self._phase in (RATING, THANKS, MISSED) and self._rated_staff[1]:
            return self._rated_staff[1]
        return self._picture.staff_no if self._picture is not None else ""

    @Property(str, notify=changed)
    def photoSource(self) -> str:
        """The staff member's photo for an Image (empty: none, the placeholder shows)."""
        return (
            f"image://{StaffPhotoProvider.PROVIDER_ID}/{self._photo_version}" if self._photo_version else ""
        )

    @Property(str, notify=changed)
    def servingNumber(self) -> str:
        return self._picture.serving_number if self._picture is not None else ""

    @Property(str, notify=changed)
    def ticketNumber(self) -> str:
        """The ticket being rated (or just rated)."""
        return self._ticket_number

    @Property(int, notify=changed)
    def pending(self) -> int:
        """Ratings kept on the pad for the hall."""
        return self._pending

    @Property(str, notify=changed)
    def thanksNote(self) -> str:
        """What the thanks add (kept for the hall, we will look into it, rated already); empty for plain thanks."""
        from kiosk.ui.messages import translate

        message = self.rating.flow.view()["message"]
        code = getattr(message, "code", "")
        if not message or code == "rating.thanks":
            return ""
        if (
            code == "rating.thanks_bad"
        ):  # (the kiosk's words promise a reply; the pad knows no one to reply to)
            return self.tr("我们会认真核实，改进服务。")
        return translate(message)

    @Property(int, notify=changed)
    def endSecondsLeft(self) -> int:
        return self._end_left

    @Property(QObject, constant=True)
    def timer(self) -> QObject:
        """The rating's countdown (``secondsLeft``, ``totalSeconds``, ``fraction``, ``warning``, ``running``)."""
        return self.countdown

    # --- screenshots -------------------------------------------------------------------------------------

    def demo(self, picture: CounterPicture, *, link: str = "online", phase: str = IDLE_PHASE) -> None:
        """Show ``picture`` as if the hall had said it (the screenshots; nothing is sent)."""
        self._link = link
        self._on_picture(picture)
        if phase in (THANKS, MISSED):
            self._ticket_number = "A012"
            self._end(phase, 60_000)

    def close(self) -> None:
        self._closed = True
        self.countdown.stop()
        self._end_timer.stop()
        self._end_tick.stop()
        self._deliver_timer.stop()
        if self._follower is not None:
            self._follower.stop(timeout=5)
