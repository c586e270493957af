"""Pinyin forms of Chinese text, for search by full pinyin (``shebaoka``) and initials (``sbk``).

Each character of a name becomes one *syllable*: a Chinese character its toneless pinyin (phrase-aware, so
银行 is ``yin hang``), a letter or digit itself (lower-cased); punctuation and spaces are dropped.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import re
import sys
import types
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or (0xF900 <= code <= 0xFAFF)
    )


# The ranges of is_cjk, as a regular expression class: one C-level pass instead of a Python call per character.
CJK_RANGES = "\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002a6df\uf900-\ufaff"
_NOT_KEPT = re.compile(f"[^{CJK_RANGES}A-Za-z0-9]+")


def normalise(text: str) -> str:
    """Fold full-width forms and case, keep only CJK characters, letters and digits."""
    return _NOT_KEPT.sub("", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True, slots=True)
class PinyinForms:
    """A text's searchable characters, one syllable per character, and the joined forms."""

    chars: str
    syllables: tuple[str, ...]

    @property
    def full(self) -> str:
        return "".join(self.syllables)

    @property
    def initials(self) -> str:
        return "".join(s[0] for s in self.syllables)


# pypinyin accepts a list of syllables from its error handler; one per character keeps positions aligned.
_ONE_PER_CHARACTER: Any = list


@lru_cache(maxsize=4096)
def pinyin_forms(text: str) -> PinyinForms:
    # Cached whole as well: a catalog repeats a few hundred keywords over its many thousand items.
    # Runs between punctuation are read on their own (a phrase never spans a bracket) and cached, since names
    # repeat the same department, county and village words many times.
    runs = _RUNS.split(unicodedata.normalize("NFKC", text))
    if len(runs) == 1:
        chars, syllables = _run_pinyin(runs[0])
        return PinyinForms(chars, syllables)
    read = [_run_pinyin(run) for run in runs]
    return PinyinForms("".join([c for c, _ in read]), tuple([s for _, run in read for s in run]))


_RUNS = re.compile(r"[^\w]+")


@lru_cache(maxsize=65536)
def _run_pinyin(run: str) -> tuple[str, tuple[str, ...]]:
    chars = normalise(run)
    if not chars:
        return "", ()
    lazy_pinyin = _lazy_pinyin()
    syllables = lazy_pinyin(chars, errors=_ONE_PER_CHARACTER)
    # lazy_pinyin yields one entry per character when errors splits non-Chinese runs into characters.
    if len(syllables) != len(chars):
        syllables = [lazy_pinyin(ch, errors=_ONE_PER_CHARACTER)[0] for ch in chars]
    return chars, tuple(s.lower() for s in syllables)


@lru_cache(maxsize=1)
def _lazy_pinyin() -> Any:
    """pypinyin's reader, loaded on first use: its dictionaries take a while to load, only text indexing needs them.

    pypinyin reads each of its two dictionaries (3 MB of JSON) with one ``json.loads`` when imported, a third of a
    second holding the interpreter lock, during which the UI cannot draw: so they are read here first, member by
    member, and pypinyin finds them ready (:func:`_preload_dictionaries`).

    They are some two hundred thousand lists and dicts that live as long as the process and never change. Left
    where they load, the cycle collector walks them again on every full collection, tens of milliseconds each
    and dozens of them while a large catalog is imported; so once loaded they go, with everything else alive
    by then, to the collector's permanent generation. Only the young generations are collected first: a full
    collection walks every object of the process in one go, the same stall again.
    """
    _preload_dictionaries()
    from pypinyin import lazy_pinyin

    gc.collect(1)
    gc.freeze()
    return lazy_pinyin


# pypinyin's dictionary modules, the JSON file each reads, and the type of its keys.
_DICTIONARIES = (("pinyin_dict", int), ("phrases_dict", str))
_BLANK = re.compile(r"[ \t\n\r]*")


def _preload_dictionaries() -> None:
    """Put pypinyin's dictionary modules in ``sys.modules``, each read from its JSON file a member at a time (every
    step a short call that lets other threads run). Should the files not be where this version keeps them, or
    not read as expected, pypinyin reads them itself."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        return
    folder = Path(next(iter(spec.submodule_search_locations)))
    for name, key_type in _DICTIONARIES:
        module_name = f"pypinyin.{name}"
        if module_name in sys.modules:
            continue
        try:
            members = dict(_json_members((folder / f"{name}.json").read_text(encoding="utf-8"), key_type))
        except (OSError, ValueError, IndexError):
            return
        module = types.ModuleType(module_name)
        setattr(module, name, members)
        sys.modules[module_name] = module


def _json_members(text: str, key_type: type) -> Iterator[tuple[Any, Any]]:
    """The members of the JSON object ``text``, one decode each."""
    decoder = json.JSONDecoder()
    at = _BLANK.match(text, 0).end()  # type: ignore[union-attr]
    if text[at] != "{":
        raise ValueError("not a JSON object")
    at = _BLANK.match(text, at + 1).end()  # type: ignore[union-attr]
    while text[at] != "}":
        key, at = decoder.raw_decode(text, at)
        at = _BLANK.match(text, at).end()  # type: ignore[union-attr]
        if text[at] != ":":
            raise ValueError("a JSON object member without ':'")
        value, at = decoder.raw_decode(text, _BLANK.match(text, at + 1).end())  # type: ignore[union-attr]
        yield key_type(key), value
        at = _BLANK.match(text, at).end()  # type: ignore[union-attr]
        if text[at] == ",":
            at = _BLANK.match(text, at + 1).end()  # type: ignore[union-attr]


def matches_from(chars: str, syllables: tuple[str, ...], start: int, pattern: tuple[str, ...]) -> bool:
    """Whether ``pattern`` matches the syllables from ``start``, IME style.

    The pattern is a tuple of parts: a Chinese character must equal the character at its position; a run of
    letters may be spelled over consecutive syllables, each given in full or by a prefix (``shebk`` → she bao ka).
    """

    def walk(pos: int, part: int, offset: int) -> bool:
        if part == len(pattern):
            return True
        piece = pattern[part]
        if pos >= len(chars):
            return False
        if is_cjk(piece[0]):
            return chars[pos] == piece and walk(pos + 1, part + 1, 0)
        rest = piece[offset:]
        syllable = syllables[pos]
        # Consume as much of this syllable as the letters allow, trying longer spellings first.
        for take in range(min(len(rest), len(syllable)), 0, -1):
            if syllable[:take] != rest[:take]:
                continue
            if take == len(rest):
                if walk(pos + 1, part + 1, 0):
                    return True
            elif walk(pos + 1, part, offset + take):
                return True
        return False

    return walk(start, 0, 0)


def split_pattern(query: str) -> tuple[str, ...]:
    """Split a normalised query into Chinese characters and letter/digit runs: 社保k → (社, 保, k)."""
    parts: list[str] = []
    for ch in query:
        if is_cjk(ch) or not parts or is_cjk(parts[-1][0]):
            parts.append(ch)
        else:
            parts[-1] += ch
    return tuple(parts)
