"""The rating feature (好差评) as a role registers it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.shell.registry import Feature, Installed

if TYPE_CHECKING:
    from kiosk.ui.shell.app import Shell


def install(shell: Shell) -> Installed:
    from kiosk.ui.features.rating.rating_screen import RatingScreen

    rating = RatingScreen(
        shell.citizen_services, shell.session, shell.navigator, shell.settings, shell.voice.say, shell
    )
    shell.on_scan(rating.on_scan)  # a rating code opens the rating of its case or visit
    return Installed(view_models={"ratingScreen": rating}, attributes={"rating": rating})


FEATURE = Feature(
    name="rating",
    screens={"rating": "features/rating/RatingScreen.qml"},
    view_models=("ratingScreen",),
    attributes=("rating",),
    install=install,
)
