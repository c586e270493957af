"""Strict JSON: the one parser both ends use for what comes over the network (docs/protocol.md, "Errors").

Python's ``json`` module takes more than JSON: ``NaN`` and ``Infinity``, numbers that overflow to infinity
(``1e999``), integers of any size, the same key twice (the last one wins), lone surrogates (``"\\ud800"``, which no
UTF-8 text can hold) and NUL characters, and it recurses once per level of nesting until the interpreter gives up.
Each of these has hurt: a lone surrogate made the center fail while answering, after it had stored the batch; an
answer nested 200,000 deep crashed ``kiosk enroll``. Here they are refused, each with a message naming where:

- the text must be UTF-8 without a byte order mark, and JSON (RFC 8259);
- nesting is limited (``max_depth``), checked on the raw bytes before the parser recurses at all;
- numbers must be finite, and integers within ±(2^53 − 1), as I-JSON (RFC 7493) asks, so that every
  implementation on the way reads the same value;
- an object names each key once;
- text (keys and values) must be valid Unicode and hold no NUL character.

Problems of the first two kinds make the whole text unusable (:class:`JsonProblem` is raised). The others are
located: :func:`parse` returns them with their path, so the center can answer one bad record of a batch on its
own and store the rest; :func:`loads` raises the first.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Final

MAX_SAFE_INTEGER: Final = 2**53 - 1
_MAX_INTEGER_DIGITS: Final = len(str(MAX_SAFE_INTEGER))

Path = tuple[str | int, ...]

# A JSON string: what is inside it does not nest. The pattern is the "unrolled loop" form, linear and fast.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1
# Only a \u escape can put a surrogate or a NUL into a parsed string (raw control characters are invalid JSON,
# and UTF-8 cannot encode a surrogate), so the tree is walked for them only when such an escape appears.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:[dD][89a-fA-F]|0000)")
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class JsonProblem(ValueError):
    """Why a JSON text (or a part of it) is refused: ``path`` (``("records", 2, "body")``) and ``message``.
    ``str()`` is ``"<root>.<path>: <message>"``, e.g. ``body.records.2.body: key "x" appears twice``."""

    def __init__(self, path: Path, message: str, root: str = "body") -> None:
        self.path = path
        self.message = message
        self.root = root
        super().__init__(f"{format_path(path, root)}: {message}")

    def relative_to(self, prefix: Path, root: str = "") -> str:
        """The message with the path relative to ``prefix`` (which it must start with), e.g. a record's
        problem as ``body.comment: ...`` for the record's own answer."""
        rest = self.path[len(prefix) :]
        location = format_path(rest, root)
        return f"{location}: {self.message}" if location else self.message


def format_path(path: Sequence[str | int], root: str = "body") -> str:
    """``body.records.2.body.comment``; a key that is not plain text is shown JSON-escaped."""
    parts = [root] if root else []
    for part in path:
        if isinstance(part, int):
            parts.append(str(part))
        elif _BAD_TEXT.search(part) or not part.isprintable() or "." in part:
            parts.append(json.dumps(part))
        else:
            parts.append(part)
    return ".".join(parts)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed text and its located problems (empty when the whole text is acceptable). Where a problem is,
    the value may hold a placeholder instead of the refused number or the repeated key's first value."""

    value: Any
    problems: tuple[JsonProblem, ...]


class _Refused:
    """Placeholder for a number that is refused (kept in the tree so the walk can say where it was)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class _Repeated(dict[str, Any]):
    """An object in which a key appeared more than once (the walk reports it, with the object's path)."""

    repeated: str = ""


def _shown(text: str) -> str:
    return text if len(text) <= 24 else text[:20] + "…"


def nesting_depth(data: bytes) -> int:
    """How deep arrays and objects nest in ``data`` (``{}`` is 1, ``[[1]]`` is 2), counted without parsing.

    Strings are taken out first (brackets in text do not nest); for a text that is not JSON the count may be
    off, but never below what a parser would reach before failing."""
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(0, max(accumulate(map(_STEP.__getitem__, brackets)), default=0))


def parse(data: bytes | str, *, max_depth: int, root: str = "body") -> Parsed:
    """Parse ``data`` (UTF-8 bytes, or text) strictly. Raises :class:`JsonProblem` when the text as a whole is
    unusable (empty, not UTF-8, not JSON, nested deeper than ``max_depth``); returns the value with the located
    problems otherwise."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if not raw.strip():
        raise JsonProblem((), "empty (a JSON value is expected)", root)
    if raw.startswith(b"\xef\xbb\xbf"):
        raise JsonProblem((), "starts with a byte order mark (send UTF-8 without one)", root)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonProblem(
            (), f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})", root
        ) from None
    # Fewer opening brackets than the limit (most answers and requests): no need to count the nesting.
    if raw.count(b"[") + raw.count(b"{") > max_depth and nesting_depth(raw) > max_depth:
        raise JsonProblem((), f"nested deeper than {max_depth} levels", root)
    flagged = False

    def number(message: str) -> _Refused:
        nonlocal flagged
        flagged = True
        return _Refused(message)

    def parse_float(literal: str) -> Any:
        value = float(literal)
        if math.isinf(value):
            return number(f"number {_shown(literal)} is out of range (numbers must be finite)")
        return value

    def parse_int(literal: str) -> Any:
        digits = literal.lstrip("-")
        if len(digits) > _MAX_INTEGER_DIGITS or int(digits) > MAX_SAFE_INTEGER:
            return number(f"integer {_shown(literal)} is out of range (at most 2^53-1 either way)")
        return int(literal)

    def parse_constant(name: str) -> Any:
        return number(f"{name} is not a JSON number")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal flagged
        result = dict(items)
        if len(result) == len(items):
            return result
        flagged = True
        marked = _Repeated(result)
        seen: set[str] = set()
        for key, _ in items:
            if key in seen:
                marked.repeated = key
                break
            seen.add(key)
        return marked

    decoder = json.JSONDecoder(
        object_pairs_hook=pairs,
        parse_float=parse_float,
        parse_int=parse_int,
        parse_constant=parse_constant,
        strict=True,
    )
    try:
        value = decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise JsonProblem(
            (), f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})", root
        ) from None
    except RecursionError:  # not reached after the depth check; kept so no input can ever crash a caller
        raise JsonProblem((), f"nested deeper than {max_depth} levels", root) from None
    if not flagged and _SUSPECT_ESCAPE.search(raw) is None:
        return Parsed(value, ())
    return Parsed(value, tuple(_problems(value, root)))


def loads(data: bytes | str, *, max_depth: int, root: str = "body") -> Any:
    """The value of ``data``, or :class:`JsonProblem` for the first thing wrong with it."""
    parsed = parse(data, max_depth=max_depth, root=root)
    if parsed.problems:
        raise parsed.problems[0]
    return parsed.value


def _text_problem(text: str) -> str | None:
    found = _BAD_TEXT.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "text must not hold a NUL character (\\u0000)"
    return f"text must be valid Unicode (a lone surrogate \\u{ord(found.group()):04x})"


def _problems(value: Any, root: str) -> list[JsonProblem]:
    """Every located problem, in document order (the nesting is bounded, so recursion is safe)."""
    found: list[JsonProblem] = []

    def walk(node: Any, path: Path) -> None:
        if isinstance(node, str):
            problem = _text_problem(node)
            if problem:
                found.append(JsonProblem(path, problem, root))
        elif isinstance(node, _Refused):
            found.append(JsonProblem(path, node.message, root))
        elif isinstance(node, dict):
            if isinstance(node, _Repeated):
                found.append(JsonProblem(path, f"key {json.dumps(node.repeated)} appears twice", root))
            for key, item in node.items():
                problem = _text_problem(key)
                if problem:
                    found.append(JsonProblem((*path, key), f"key: {problem}", root))
                walk(item, (*path, key))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, (*path, index))

    walk(value, ())
    return found
