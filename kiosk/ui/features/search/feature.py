"""The search feature as a role registers it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.shell.registry import Feature, Installed

if TYPE_CHECKING:
    from kiosk.ui.shell.app import Shell


def install(shell: Shell) -> Installed:
    from kiosk.ui.features.search.search_screen import SearchScreen

    search = SearchScreen(shell.terminal.catalog, shell.terminal.background, shell.navigator, shell)
    return Installed(view_models={"searchScreen": search}, attributes={"search": search})


FEATURE = Feature(
    name="search",
    screens={"search": "features/search/SearchScreen.qml"},
    view_models=("searchScreen",),
    attributes=("search",),
    install=install,
)
