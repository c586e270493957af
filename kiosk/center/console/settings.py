"""The console's settings, kept in the center's database (table ``console_settings``) so every worker reads the
same: session lifetimes, the Argon2 parameters, the center's name in the header, whether cookies are always
Secure. A value not set has its default here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kiosk.center.store import Store, now_iso

# name → (default, smallest, largest) for the numbers; text settings have no bounds.
NUMBERS: Final[dict[str, tuple[int, int, int]]] = {
    "session_idle_minutes": (30, 1, 24 * 60),
    "session_absolute_hours": (12, 1, 7 * 24),
    "argon2_time_cost": (3, 1, 10),  # argon2-cffi's defaults (RFC 9106, the low-memory profile)
    "argon2_memory_kib": (65536, 8, 1_048_576),
    "argon2_parallelism": (4, 1, 16),
    "secure_cookie": (0, 0, 1),  # 1: Secure even where the request came over plain HTTP (behind a proxy)
}
TEXTS: Final[dict[str, str]] = {"center_name": "政务自助终端管理中心"}


class SettingError(ValueError):
    """An unknown setting, or a value out of its bounds."""


@dataclass(frozen=True)
class ConsoleSettings:
    session_idle_minutes: int
    session_absolute_hours: int
    argon2_time_cost: int
    argon2_memory_kib: int
    argon2_parallelism: int
    secure_cookie: int
    center_name: str


def read(store: Store) -> ConsoleSettings:
    stored = {row["name"]: row["value"] for row in store.query("SELECT name, value FROM console_settings")}
    values: dict[str, int | str] = {}
    for name, (default, low, high) in NUMBERS.items():
        try:
            number = int(stored.get(name, default))
        except ValueError:
            number = default
        values[name] = min(max(number, low), high)
    for name, text in TEXTS.items():
        values[name] = stored.get(name) or text
    return ConsoleSettings(**values)  # type: ignore[arg-type]


def write(store: Store, name: str, value: str) -> None:
    """Set one setting (checked against its bounds)."""
    if name in NUMBERS:
        _default, low, high = NUMBERS[name]
        try:
            number = int(value)
        except ValueError:
            raise SettingError(f"{name} is a whole number, not {value!r}") from None
        if not low <= number <= high:
            raise SettingError(f"{name} is {low} to {high}")
        value = str(number)
    elif name in TEXTS:
        value = value.strip()
        if not 1 <= len(value) <= 64:
            raise SettingError(f"{name} is 1 to 64 characters")
    else:
        raise SettingError(f"no console setting {name!r} (known: {', '.join([*NUMBERS, *TEXTS])})")
    with store.transaction() as db:
        db.execute(
            "INSERT INTO console_settings (name, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (name, value, now_iso()),
        )
