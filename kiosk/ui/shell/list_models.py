"""List models the screens' ListViews read: rows are the service layer's immutable values, roles their fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Signal,
)

FIRST_ROLE = 0x0101  # Qt.UserRole + 1


class RoleListModel(QAbstractListModel):
    """The role plumbing every list model of the screens shares: each name in ``roles`` is a QML role, read
    from a row by :meth:`_value`; ``count`` follows the rows."""

    countChanged = Signal()

    def __init__(self, roles: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._roles = tuple(roles)
        self._rows: Sequence[Any] = ()

    def _value(self, row: Any, name: str) -> Any:
        """A row's value for a role: the attribute of that name (rows are dataclasses unless overridden)."""
        return getattr(row, name, None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, QByteArray]:
        return {FIRST_ROLE + i: QByteArray(name.encode()) for i, name in enumerate(self._roles)}

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = role - FIRST_ROLE
        if not 0 <= column < len(self._roles):
            return None
        return self._value(self._rows[index.row()], self._roles[column])

    def _count(self) -> int:
        return len(self._rows)

    count = Property(int, _count, notify=countChanged)


class ValueListModel(RoleListModel):
    """Rows of frozen dataclasses (Facet, ItemSummary, SearchHit); each named field is a QML role."""

    def __init__(self, fields: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(fields, parent)
        self._rows: tuple[Any, ...] = ()

    def replace(self, rows: Sequence[Any]) -> None:
        """Show new rows (a new result replaces the old one whole; rows are never edited in place). New rows
        that only add to the end of the old ones are inserted there, so a list showing them keeps its place."""
        if not rows and not self._rows:
            return
        old = len(self._rows)
        if 0 < old < len(rows) and tuple(rows[:old]) == self._rows:
            self.beginInsertRows(QModelIndex(), old, len(rows) - 1)
            self._rows = tuple(rows)
            self.endInsertRows()
        else:
            self.beginResetModel()
            self._rows = tuple(rows)
            self.endResetModel()
        self.countChanged.emit()

    def clear(self) -> None:
        self.replace(())

    def row(self, index: int) -> Any:
        return self._rows[index]

    def rows(self) -> tuple[Any, ...]:
        return self._rows
