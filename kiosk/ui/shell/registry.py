"""The screen registry: how a feature of the touch UI joins a role, in one place.

A feature says, in one :class:`Feature` value, which screens it has (the navigator's name and its QML file), which
context properties QML knows its view-models by, and how to make them: ``install(shell)`` makes the view-models
(after the first frame, or when first used) and returns them with what ends a citizen's session for them. The shell
names the screens to the navigator and to QML, sets the context properties, and calls every feature's reset at the
end of a session; nothing else in the shell or the role names a feature's screen or view-model.

This module is imported before the first frame: it loads nothing of the features (each feature imports its
view-models inside its ``install``).

Adding a screen to a feature: one more entry in its ``screens``. Adding a feature: a ``feature.py`` beside its
view-models, named in the role's feature list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from kiosk.ui.shell.app import Shell


# Plain classes rather than dataclasses: the registry is read before the first frame, and making a dataclass costs
# more than the start can spare. Neither is changed once made.


class Installed:
    """A feature's view-models, made.

    ``view_models``: context property name → object. ``attributes``: short names the shell answers for them
    (``shell.search``), for the command line's screenshots and the tests. ``reset``: ends a citizen's session for
    the feature (default: ``clear()`` of every view-model that has one). ``close``: when the UI closes."""

    __slots__ = ("attributes", "close", "reset", "view_models")

    def __init__(
        self,
        view_models: Mapping[str, QObject],
        attributes: Mapping[str, QObject] | None = None,
        reset: Callable[[], None] | None = None,
        close: Callable[[], None] | None = None,
    ) -> None:
        self.view_models = dict(view_models)
        self.attributes = dict(attributes or {})
        self.reset = reset
        self.close = close

    def reset_session(self) -> None:
        if self.reset is not None:
            self.reset()
            return
        for view_model in self.view_models.values():
            clear = getattr(view_model, "clear", None)
            if callable(clear):
                clear()


class Feature:
    """One feature of the touch UI as a role uses it.

    ``screens``: the navigator's name of each screen → its QML file under ``resources/qml``. ``view_models``: the
    context property names ``install`` sets (null in QML until then). ``attributes``: the short names of
    :class:`Installed`, known before installing, so that asking the shell for one installs the feature."""

    __slots__ = ("attributes", "install", "name", "screens", "view_models")

    def __init__(
        self,
        name: str,
        screens: Mapping[str, str],
        view_models: tuple[str, ...],
        install: Callable[[Shell], Installed],
        attributes: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.screens = dict(screens)
        self.view_models = tuple(view_models)
        self.install = install
        self.attributes = tuple(attributes)

    def __repr__(self) -> str:
        return f"Feature({self.name!r}, screens={sorted(self.screens)})"


def check_features(features: tuple[Feature, ...], shell_screens: Mapping[str, str]) -> dict[str, str]:
    """Every screen of the role (the shell's own and the features'), each name once: name → QML file."""
    screens = dict(shell_screens)
    view_models: set[str] = set()
    attributes: set[str] = set()
    for feature in features:
        for screen, qml in feature.screens.items():
            if screen in screens:
                raise ValueError(f"screen {screen!r} of feature {feature.name!r} is already registered")
            screens[screen] = qml
        for names, kind, taken in (
            (feature.view_models, "view-model", view_models),
            (feature.attributes, "attribute", attributes),
        ):
            for name in names:
                if name in taken:
                    raise ValueError(f"{kind} {name!r} of feature {feature.name!r} is already registered")
                taken.add(name)
    return screens


def view_model_of(installed: Mapping[str, Installed], name: str) -> Any:
    """The view-model known to QML as ``name`` among the installed features (None: not installed)."""
    for parts in installed.values():
        if name in parts.view_models:
            return parts.view_models[name]
    return None
