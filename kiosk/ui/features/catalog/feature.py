"""The catalog feature as a role registers it: the departments, categories and themes, their items, narrowing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.shell.registry import Feature, Installed

if TYPE_CHECKING:
    from kiosk.ui.shell.app import Shell


def install(shell: Shell) -> Installed:
    from kiosk.ui.features.catalog.catalog_browser import CatalogBrowser

    browser = CatalogBrowser(shell.terminal.catalog, shell.terminal.background, shell.navigator, shell)
    return Installed(view_models={"catalogBrowser": browser}, attributes={"browser": browser})


FEATURE = Feature(
    name="catalog",
    screens={
        "facets": "features/catalog/FacetsScreen.qml",  # departments, categories, 一件事 themes
        "items": "features/catalog/ItemsScreen.qml",
        "narrow": "features/catalog/NarrowScreen.qml",  # the departments (or categories) a long list narrows to
    },
    view_models=("catalogBrowser",),
    attributes=("browser",),
    install=install,
)
