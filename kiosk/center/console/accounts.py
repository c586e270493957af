"""Operator accounts: a name, a role (viewer sees, operator acts on terminals and rollouts, admin manages
accounts and settings), an Argon2id password hash (argon2-cffi), enabled or not.

A password is checked against its hash and, when the center's Argon2 parameters have changed since it was hashed,
hashed again with the new ones at that sign-in. An unknown name costs as much time as a known one, so timing does
not tell which names exist. Disabling an account, or changing its password, ends its sessions.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kiosk.center.console import settings
from kiosk.center.store import Store, now_iso

log = logging.getLogger(__name__)

ROLES: Final = ("viewer", "operator", "admin")
PASSWORD_MIN: Final = 10
PASSWORD_MAX: Final = 256
NAME_PATTERN: Final = re.compile(r"[0-9A-Za-z_.\-\u4e00-\u9fff]{1,64}")


class AccountError(ValueError):
    """A request on accounts the center refuses (its message says what to do)."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    enabled: bool
    created_at: str
    last_sign_in_at: str | None

    def summary(self) -> dict[str, object]:
        return {
            "name": self.name,
            "role": self.role,
            "enabled": self.enabled,
            "created_at": self.created_at,
            "last_sign_in_at": self.last_sign_in_at,
        }


def role_at_least(role: str, needed: str) -> bool:
    """Whether ``role`` may do what ``needed`` may (viewer < operator < admin)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


@functools.lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hasher(store: Store) -> PasswordHasher:
    """The Argon2id hasher with the center's current parameters (console settings)."""
    current = settings.read(store)
    return _hasher(current.argon2_time_cost, current.argon2_memory_kib, current.argon2_parallelism)


@functools.lru_cache(maxsize=8)
def _decoy(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_kib, parallelism).hash("no account has this password")


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name):
        raise AccountError(
            f"an operator's name is 1-64 letters, digits, Chinese characters or . _ -: {name!r}"
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"a role is one of {', '.join(ROLES)}, not {role!r}")
    return role


def check_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"a password has at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise AccountError(f"a password has at most {PASSWORD_MAX} characters")
    return password


def _account(row: Any) -> Account:
    return Account(
        name=row["name"],
        role=row["role"],
        enabled=bool(row["enabled"]),
        created_at=row["created_at"],
        last_sign_in_at=row["last_sign_in_at"],
    )


def add(store: Store, name: str, role: str, password: str) -> Account:
    """A new, enabled account; ``AccountError`` when the name is taken or anything is unfit."""
    check_name(name)
    check_role(role)
    password_hash = hasher(store).hash(check_password(password))
    with store.transaction() as db:
        added = db.execute(
            "INSERT INTO operators (name, role, password_hash, enabled, created_at) VALUES (?, ?, ?, 1, ?) "
            "ON CONFLICT (name) DO NOTHING",
            (name, role, password_hash, now_iso()),
        ).rowcount
    if not added:
        raise AccountError(f"there is an operator {name} already")
    log.info("operator %s added as %s", name, role)
    found = account(store, name)
    assert found is not None
    return found


def account(store: Store, name: str) -> Account | None:
    rows = store.query("SELECT * FROM operators WHERE name = ?", (name,))
    return _account(rows[0]) if rows else None


def accounts(store: Store) -> list[Account]:
    return [_account(row) for row in store.query("SELECT * FROM operators ORDER BY name")]


def _known(store: Store, name: str) -> Account:
    found = account(store, name)
    if found is None:
        raise AccountError(f"no operator {name} (see: kiosk center operator list)")
    return found


def set_enabled(store: Store, name: str, enabled: bool) -> Account:
    _known(store, name)
    with store.transaction() as db:
        db.execute("UPDATE operators SET enabled = ? WHERE name = ?", (int(enabled), name))
        if not enabled:
            db.execute("DELETE FROM console_sessions WHERE operator = ?", (name,))
    log.info("operator %s %s", name, "enabled" if enabled else "disabled")
    return _known(store, name)


def set_role(store: Store, name: str, role: str) -> Account:
    check_role(role)
    _known(store, name)
    with store.transaction() as db:
        db.execute("UPDATE operators SET role = ? WHERE name = ?", (role, name))
    log.info("operator %s is now %s", name, role)
    return _known(store, name)


def set_password(store: Store, name: str, password: str) -> None:
    _known(store, name)
    password_hash = hasher(store).hash(check_password(password))
    with store.transaction() as db:
        db.execute("UPDATE operators SET password_hash = ? WHERE name = ?", (password_hash, name))
        db.execute("DELETE FROM console_sessions WHERE operator = ?", (name,))
    log.info("operator %s has a new password; their sessions ended", name)


def verify(store: Store, name: str, password: str) -> Account | None:
    """The enabled account ``name`` when ``password`` is its password (rehashed if the parameters changed, the
    sign-in time recorded); None otherwise."""
    current = settings.read(store)
    params = (current.argon2_time_cost, current.argon2_memory_kib, current.argon2_parallelism)
    checker = _hasher(*params)
    rows = (
        store.query("SELECT * FROM operators WHERE name = ?", (name,)) if NAME_PATTERN.fullmatch(name) else []
    )
    stored = str(rows[0]["password_hash"]) if rows else _decoy(*params)
    try:
        # A password longer than any that can be set is checked all the same (against the decoy): same time.
        checker.verify(
            stored if len(password) <= PASSWORD_MAX else _decoy(*params), password[: PASSWORD_MAX + 1]
        )
    except VerifyMismatchError:
        return None
    except (VerificationError, InvalidHashError) as exc:
        log.error("the password hash of operator %s cannot be checked: %s", name, exc)
        return None
    if not rows or not rows[0]["enabled"]:
        return None
    with store.transaction() as db:
        if checker.check_needs_rehash(stored):
            db.execute(
                "UPDATE operators SET password_hash = ? WHERE name = ?", (checker.hash(password), name)
            )
            log.info("the password of operator %s was hashed again with the current parameters", name)
        db.execute("UPDATE operators SET last_sign_in_at = ? WHERE name = ?", (now_iso(), name))
    return _known(store, name)
