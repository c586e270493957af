"""The rating pad (评价器): the shell with the pad's screen, following the hall for the counter it faces.

The pad (``pad`` in QML, :class:`~kiosk.roles.rating.pad.RatingPad`) and its rating flow (``padRating``) are made
just after the first frame, like a feature of the citizen's UI; then the hall client is made on a worker
(``requests`` takes a while to load) and the pad follows the hall. A pad not enrolled with a hall, or not told
its counter (``rating_counter``), says so plainly and follows nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from kiosk.ui.shell.app import Shell, WindowOptions
from kiosk.ui.shell.registry import Feature, Installed

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication

    from kiosk.config import Settings
    from kiosk.hall_client import HallClient
    from kiosk.roles.rating.pad import RatingPad
    from kiosk.services.lazy_terminal import LazyTerminal
    from kiosk.services.rating_pad.ratings import PadRatings
    from kiosk.services.terminal import Terminal

log = logging.getLogger(__name__)

MAIN_QML = "roles/rating/Main.qml"
# The pad is a tablet (8-10 inch, 800×1280 or 1280×800) seen from as near as a kiosk: its pixels are about 1.8
# times as dense, so the theme's sizes (made for 1080×1920) are drawn 1.8 times as large for the same look.
PORTRAIT = (800, 1280)
LANDSCAPE = (1280, 800)


def window_size(settings: Settings) -> tuple[int, int]:
    """The pad's window when it is not full screen, by the orientation setting."""
    return PORTRAIT if settings.orientation == "portrait" else LANDSCAPE


def _install(shell: Shell) -> Installed:
    from kiosk.roles.rating.pad import PadRatingView, RatingPad

    assert isinstance(shell, PadUi)

    def make_flow(deliver):  # type: ignore[no-untyped-def]
        from kiosk.flows.rating import RatingFlow

        return RatingFlow(shell.pad_ratings, shell.settings.terminal_id, lambda: None, deliver)

    rating = PadRatingView(make_flow, shell)
    say = (lambda key: shell.voice.say(key)) if shell.settings.voice_prompts else (lambda key: None)
    pad = RatingPad(
        shell.settings,
        shell.terminal.background,
        rating,
        shell.app_state,
        shell.photos,
        say,
        shell,
        **shell.timing,
    )
    shell.app.installEventFilter(pad.countdown)  # any touch gives the citizen the full time again
    return Installed(
        view_models={"pad": pad, "padRating": rating},
        attributes={"pad": pad, "pad_rating": rating},
        reset=lambda: None,
        close=pad.close,
    )


PAD = Feature(
    name="rating-pad",
    screens={},
    view_models=("pad", "padRating"),
    install=_install,
    attributes=("pad", "pad_rating"),
)


class PadUi(Shell):
    """The running rating pad of one counter."""

    def __init__(
        self,
        terminal: Terminal | LazyTerminal,
        app: QGuiApplication,
        options: WindowOptions,
        settings: Settings | None = None,
        *,
        follow: bool = True,
        thanks_s: float | None = None,
        missed_s: float | None = None,
    ) -> None:
        """``follow``: follow the hall once the pad is made (the screenshots do not). ``thanks_s``, ``missed_s``:
        how long the thanks and the way to rate later stand (tests shorten them)."""
        from kiosk.roles.rating.photos import StaffPhotoProvider

        self.photos = StaffPhotoProvider()
        self.timing = {
            name: value
            for name, value in (("thanks_s", thanks_s), ("missed_s", missed_s))
            if value is not None
        }
        self._ratings: PadRatings | None = None
        self.client: HallClient | None = None
        self._closed = False
        super().__init__(
            terminal,  # type: ignore[arg-type]  # a LazyTerminal offers what the shell uses
            app,
            options,
            main_qml=MAIN_QML,
            features=(PAD,),
            settings=settings,
            watch_devices=False,
            show_catalog=False,
        )
        self.engine.addImageProvider(StaffPhotoProvider.PROVIDER_ID, self.photos)
        if follow:
            if self.view_model("pad") is not None:  # made already (no window shown: tests)
                self._begin()
            else:
                self.firstFrameShown.connect(self._begin)

    @property
    def rating_pad(self) -> RatingPad:
        pad: RatingPad = self.pad
        return pad

    def pad_ratings(self) -> PadRatings:
        """The pad's ratings (the rating flow asks on first use; made with the hall client)."""
        if self._ratings is None:
            raise RuntimeError("the hall is not followed yet")
        return self._ratings

    def use_ratings(self, ratings: PadRatings) -> None:
        """Rate through ``ratings`` without following a hall (the screenshots)."""
        self._ratings = ratings
        self.client = ratings.client

    @Slot()
    def _update_idle(self) -> None:
        # The pad has no idle reset of its own: its rating has a countdown, and the counter screen never ends.
        self.idle.set_active(False)

    def citizen_busy(self) -> bool:
        """The citizen is rating: 暂停服务 waits for the rating to end."""
        from kiosk.roles.rating.pad import RATING

        pad = self.view_model("pad")
        return pad is not None and pad.phase == RATING

    @Slot()
    def _begin(self) -> None:
        from kiosk.store.hall_credentials import has_hall
        from kiosk.ui.shell.tasks import run_in_background

        pad = self.rating_pad
        if not self.settings.rating_counter:
            log.warning("this rating pad has no counter (setting rating_counter): saying so on screen")
            return
        if not has_hall(self.settings):
            log.warning(
                "this rating pad is not enrolled with a hall (kiosk hall enroll): saying so on screen"
            )
            pad.not_enrolled()
            return
        run_in_background(
            self.terminal.background.run(self._make_ratings),
            self._follow,
            lambda exc: log.error("the hall cannot be followed: %s", exc),
            parent=self,
        )

    def _make_ratings(self) -> PadRatings:
        from kiosk.hall_client import HallClient
        from kiosk.services.rating_pad.ratings import PadRatings
        from kiosk.store.hall_credentials import hall_credentials
        from kiosk.store.keystore import Keystore
        from kiosk.store.pad_outbox import PadOutbox
        from kiosk.store.sealing import Sealer

        c = hall_credentials(self.settings)
        # Short deadlines and no retries of its own: a rating the hall does not take at once is kept on the pad
        # and sent again when the link is back, so the citizen never waits on a dead line.
        client = HallClient(c.url, c.terminal_id, c.secret, c.algorithm, timeout=(2.0, 5.0), retry_for=0)
        sealer = Sealer(Keystore.for_data_dir(self.settings.data_dir), self.settings.crypto_suite)
        outbox = PadOutbox.in_data_dir(self.settings.data_dir, sealer)
        return PadRatings(client, outbox, self.terminal.background)

    def _follow(self, ratings: PadRatings) -> None:
        if self._closed:
            ratings.client.close()
            return
        self._ratings = ratings
        self.client = ratings.client
        self.rating_pad.follow(ratings.client, ratings)

    def close(self) -> None:
        self._closed = True
        pad = self.view_model("pad")
        if pad is not None:
            self.app.removeEventFilter(pad.countdown)
        super().close()  # (the pad's close stops the follower)
        if self.client is not None:
            self.client.close()


__all__ = ["LANDSCAPE", "PAD", "PORTRAIT", "PadUi", "WindowOptions", "window_size"]
