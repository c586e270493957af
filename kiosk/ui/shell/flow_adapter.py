"""The one way a Qt-free flow (``kiosk.flows``) reaches QML, as napari's models sit behind one Qt adapter.

``flow_view(flow_class)`` makes a QObject class from what the flow declares: one Qt property a field of its view
(``FIELDS``: name → Python type; ``WRITABLE``: name → the flow's setter), one slot an action (``ACTIONS``: the
name QML calls → the flow's method and its argument types), all notified by ``changed``. Messages in the view
(``kiosk.domain.messages.Message``) are translated when QML reads them, so what shows follows a switch of
language. A screen's view-model subclasses the made class for what only the screen does (navigation, voice), and
hears the flow's own events in ``flow_event``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.flows import Deliver, Flow, Pending
from kiosk.ui.messages import on_language_switched, translate
from kiosk.ui.shell.tasks import run_in_background

_QT_TYPES: dict[type, object] = {
    str: str,
    int: int,
    bool: bool,
    float: float,
    list: "QVariantList",
    dict: "QVariantMap",
}


def present(value: Any) -> Any:
    """A view's value as QML reads it: messages translated, in lists and maps too."""
    if isinstance(value, str):
        return translate(value)
    if isinstance(value, Mapping):
        return {key: present(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [present(item) for item in value]
    return value


class FlowView(QObject):
    """What every flow's view-model has: the flow, the ``changed`` signal, and delivery of the flow's background
    work on the UI thread (``kiosk.ui.shell.tasks``, the one way back from a worker)."""

    # Each made class has its own ``changed`` (Qt takes a property's notify signal only from the class that
    # declares the property, and not when a base class has a signal of that name).
    changed: Signal

    def __init__(self, make_flow: Callable[[Deliver], Flow], parent: QObject | None = None) -> None:
        """``make_flow`` makes the flow, given the delivery of its background work on the UI thread."""
        super().__init__(parent)
        self.flow = make_flow(self.deliver)
        self._view: dict[str, Any] | None = None
        self.flow.subscribe(self._on_flow)
        # Through a slot no view-model overrides: Qt drops that connection with this object, as it does not
        # always drop one to a method a subclass overrode.
        on_language_switched(self._language_switched)

    def deliver(
        self, future: Future[Any], on_result: Callable[[Any], None], on_error: Callable[[BaseException], None]
    ) -> Pending:
        """For the flow: ``future``'s outcome handed to it on the UI thread, dropped with this object."""
        return run_in_background(future, on_result, on_error, parent=self)

    def flow_event(self, event: str) -> None:
        """An event of the flow's own (not ``changed``), for the screen's view-model."""

    def view_value(self, name: str) -> Any:
        if self._view is None:
            self._view = self.flow.view()
        return self._view[name]

    @Slot()
    def refresh(self) -> None:
        """Read the flow's view again and tell QML (the flow changed, or what the view reads around it: the
        session, the language). The view read last is dropped first: QML re-reads its bindings before any
        other receiver of ``changed`` runs."""
        self._view = None
        self.changed.emit()

    @Slot()
    def _language_switched(self) -> None:
        self.refresh()

    def _on_flow(self, event: str) -> None:
        if event == "changed":
            self.refresh()
        else:
            self.flow_event(event)


def flow_view(flow_class: type[Flow]) -> type[FlowView]:
    """A FlowView class for ``flow_class``: a Qt property per field of its view (``FIELDS``, settable where
    ``WRITABLE`` names the flow's setter) and a slot per action (``ACTIONS``)."""
    fields: Mapping[str, type] = flow_class.FIELDS
    actions: Mapping[str, tuple[str, tuple[type, ...]]] = flow_class.ACTIONS
    setters: Mapping[str, str] = flow_class.WRITABLE
    changed = Signal()
    namespace: dict[str, Any] = {"changed": changed}
    for field, kind in fields.items():
        qt_type = _QT_TYPES[kind]

        def getter(self: FlowView, field: str = field) -> Any:
            return present(self.view_value(field))

        if field in setters:

            def setter(self: FlowView, value: Any, method: str = setters[field]) -> None:
                getattr(self.flow, method)(value)

            namespace[field] = Property(qt_type, getter, setter, notify=changed)
        else:
            namespace[field] = Property(qt_type, getter, notify=changed)
    for slot_name, (method, args) in actions.items():

        def action(self: FlowView, *values: Any, method: str = method) -> None:
            getattr(self.flow, method)(*values)

        action.__name__ = slot_name
        namespace[slot_name] = Slot(*args)(action)
    return type(f"{flow_class.__name__}View", (FlowView,), namespace)
