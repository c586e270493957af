"""Messages for people: what went wrong (or what to do) as a stable code with its parameters, and its Chinese
default wording.

The drivers, the domain and the services never say anything to a citizen in a finished language. They hand
over a :class:`Message`: a ``str`` whose value is the Chinese default (so logs, the command line and ``str()``
read as before) that also carries ``code``, the Chinese ``template`` and the ``params`` it was filled with. The
touch UI says it in the citizen's language: ``kiosk.ui.messages`` translates by the code through Qt's catalogs
(the English texts are in ``resources/translations/kiosk_en.ts``, context ``Messages``, one entry per code).

Every wording is declared once, at import, with :func:`define`: ``PAPER_OUT = define("printer.paper_out",
"打印机缺纸，…")``. A wording with ``{name}`` fields is called with them (``PIN_WRONG(n=2)``); one without is
called with nothing. A parameter may be a number, a plain text (a name from the catalog, shown as it is) or
another :class:`Message` (translated too). A field called ``n`` holding a number picks the plural form of the
translation ("1 character", "2 characters").

This module sits in the domain, the bottom of the layers, because the domain and the drivers both speak in it
(the drivers stand on the domain, never the other way round); it imports nothing of the project and nothing of Qt.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeAlias

Param: TypeAlias = "str | int | Message"


class Message(str):
    """A text for a person: the Chinese default as the string's value, plus ``code``, ``template`` and
    ``params`` for translating it. Immutable, like the ``str`` it is."""

    __slots__ = ("code", "params", "template")
    code: str
    template: str
    params: Mapping[str, Param]

    def __new__(cls, code: str, template: str, params: Mapping[str, Param] | None = None) -> Message:
        values = dict(params or {})
        text = fill(template, values) if values else template
        self = super().__new__(cls, text)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "params", MappingProxyType(values))
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a Message cannot be changed ({name})")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.code, self.template, dict(self.params)))

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {str(self)!r})"

    @property
    def plural_count(self) -> int | None:
        """The number that picks a plural form (the ``n`` parameter), if there is one."""
        n = self.params.get("n")
        return n if isinstance(n, int) and not isinstance(n, bool) else None


class Wording:
    """One kind of message: its code and its Chinese template. Call it with the template's fields to get a
    :class:`Message`."""

    __slots__ = ("code", "fields", "module", "template")

    def __init__(self, code: str, template: str, module: str = "") -> None:
        self.code = code
        self.template = template
        self.fields = fields_of(template)
        self.module = module  # where it was declared

    def __call__(self, **params: Param) -> Message:
        if set(params) != self.fields:
            raise TypeError(f"message {self.code} takes {sorted(self.fields)}, got {sorted(params)}")
        return Message(self.code, self.template, params)

    def __repr__(self) -> str:
        return f"Wording({self.code!r}, {self.template!r})"


_DEFINED: dict[str, Wording] = {}


def define(code: str, template: str) -> Wording:
    """Declare a wording. A code names one wording: declaring it again with another text is a mistake."""
    if not code or code.strip() != code or " " in code:
        raise ValueError(f"a message code is one word like 'printer.paper_out', not {code!r}")
    known = _DEFINED.get(code)
    if known is not None:
        if known.template != template:
            raise ValueError(f"message code {code} is already declared with another text")
        return known
    module = sys._getframe(1).f_globals.get("__name__", "")
    wording = _DEFINED[code] = Wording(code, template, module)
    return wording


def defined() -> dict[str, Wording]:
    """Every wording declared so far (by the modules imported so far), by code."""
    return dict(_DEFINED)


def fields_of(template: str) -> frozenset[str]:
    """The ``{name}`` fields of a template."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def fill(template: str, params: Mapping[str, object]) -> str:
    """The template with its fields filled in; a field without a value stays as it is written."""
    return string.Formatter().vformat(template, (), _Leave(params))


class _Leave(dict[str, object]):
    def __init__(self, params: Mapping[str, object]) -> None:
        super().__init__({k: str(v) for k, v in params.items()})

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
