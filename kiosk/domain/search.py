"""Ranked catalog search over names and keywords: Chinese substrings, full pinyin, initials and mixed input.

The index lives in memory and is built from what the store saved at import time (the pinyin of every name and
keyword is computed once, then). Each form of every item is joined into one string with a suffix array over it,
so finding every item that holds a string is a binary search; the guide text (the last rank) is searched by the
store's full-text index instead.

Ranks, best first: exact name (or item code), name prefix, name substring, keyword, guide text.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum

from kiosk.domain.pinyin import CJK_RANGES, PinyinForms, is_cjk, matches_from, normalise, split_pattern

# A token of the guide text index: one Chinese character, or a run of other letters and digits.
_FTS_TOKEN = re.compile(f"[{CJK_RANGES}]|[^\\W_{CJK_RANGES}]+")


def fts_text(text: str) -> str:
    """Text as the full-text index stores it: every Chinese character its own token, words kept whole.

    The rule of the search migration's ``fts_text`` (kiosk.store.migrations), which indexed the first items and
    must keep agreeing with this one; here it is one pass of a regular expression instead of a Python step per
    character, since a large catalog holds millions of characters of guide text.
    """
    return " ".join(_FTS_TOKEN.findall(text.lower()))


class MatchKind(IntEnum):
    EXACT = 0
    PREFIX = 1
    NAME = 2
    KEYWORD = 3
    TEXT = 4

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class IndexedItem:
    """What the index needs of one item (built by the store from its saved search terms)."""

    code: str
    name: str
    department: str
    name_forms: PinyinForms
    keyword_forms: tuple[PinyinForms, ...]


@dataclass(frozen=True, slots=True)
class SearchHit:
    code: str
    name: str
    department: str
    match: str  # exact | prefix | name | keyword | text


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: tuple[SearchHit, ...]
    total: int
    truncated: bool  # more items matched than were counted; ``total`` is then a lower bound


_ITEM = "\x00"  # starts every item's text in a joined form
_WORD = "\x01"  # separates an item's keywords


class _JoinedForm:
    """One form (say, the initials of every name) of all items, joined into one string, with a suffix array.

    Only positions where a match may start (a character, a syllable) are indexed; they are sorted by the text
    that follows them, so every item holding a string is one binary search away, however large the catalog.
    """

    SORT_CHARS = 10  # suffixes are sorted on this many characters; longer queries are checked one by one

    def __init__(self, per_item: Iterable[list[tuple[str, tuple[int, ...]]]]) -> None:
        parts: list[str] = []
        starts: list[int] = []
        boundaries: list[int] = []
        owners: list[int] = []
        first: list[int] = []
        first_items: list[int] = []
        offset = 0
        for item, pieces in enumerate(per_item):
            starts.append(offset)
            parts.append(_ITEM)
            offset += 1
            for i, (text, syllable_starts) in enumerate(pieces):
                if i:
                    parts.append(_WORD)
                    offset += 1
                elif text:
                    first.append(offset)
                    first_items.append(item)
                boundaries.extend(offset + s for s in syllable_starts)
                owners.extend(item for _ in syllable_starts)
                parts.append(text)
                offset += len(text)
        self.text = text = "".join(parts)
        self.starts = array("l", starts)
        k = self.SORT_CHARS
        order = sorted(range(len(boundaries)), key=lambda i: text[boundaries[i] : boundaries[i] + k])
        self._suffixes = array("l", (boundaries[i] for i in order))
        self._owners = array("l", (owners[i] for i in order))
        first_order = sorted(range(len(first)), key=lambda i: text[first[i] : first[i] + k])
        self._firsts = array("l", (first[i] for i in first_order))
        self._first_owners = array("l", (first_items[i] for i in first_order))

    def _range(self, positions: array, needle: str) -> tuple[int, int]:
        text, key = self.text, needle[: self.SORT_CHARS]
        width = len(key)
        lo = bisect_left(positions, key, key=lambda p: text[p : p + width])
        hi = bisect_right(positions, key, lo=lo, key=lambda p: text[p : p + width])
        return lo, hi

    def items(self, needle: str) -> set[int]:
        """Items holding ``needle`` at a match position."""
        if not needle:
            return set()
        lo, hi = self._range(self._suffixes, needle)
        if len(needle) <= self.SORT_CHARS:
            return set(self._owners[lo:hi])
        text, suffixes, owners = self.text, self._suffixes, self._owners
        return {owners[i] for i in range(lo, hi) if text.startswith(needle, suffixes[i])}

    def prefix_items(self, needle: str) -> set[int]:
        """Items whose first piece starts with ``needle``."""
        if not needle:
            return set()
        lo, hi = self._range(self._firsts, needle)
        if len(needle) <= self.SORT_CHARS:
            return set(self._first_owners[lo:hi])
        text, firsts, owners = self.text, self._firsts, self._first_owners
        return {owners[i] for i in range(lo, hi) if text.startswith(needle, firsts[i])}

    def occurrences(self, needle: str) -> list[tuple[int, int]]:
        """(item, offset within the item's text) of every occurrence, in item order."""
        if not needle:
            return []
        lo, hi = self._range(self._suffixes, needle)
        text, suffixes, owners, starts = self.text, self._suffixes, self._owners, self.starts
        found = [
            (owners[i], suffixes[i] - starts[owners[i]] - 1)
            for i in range(lo, hi)
            if text.startswith(needle, suffixes[i])
        ]
        return sorted(found)


def _chars(forms: PinyinForms) -> list[tuple[str, tuple[int, ...]]]:
    return [(forms.chars, tuple(range(len(forms.chars))))]


def _full(forms: PinyinForms) -> list[tuple[str, tuple[int, ...]]]:
    starts, at = [], 0
    for s in forms.syllables:
        starts.append(at)
        at += len(s)
    return [(forms.full, tuple(starts))]


def _initials(forms: PinyinForms) -> list[tuple[str, tuple[int, ...]]]:
    return [(forms.initials, tuple(range(len(forms.initials))))]


class SearchIndex:
    """In-memory ranked search. Immutable once built, so any thread may search it."""

    def __init__(self, items: Iterable[IndexedItem]) -> None:
        ordered = sorted(items, key=lambda it: (len(it.name_forms.chars), it.code))
        self.items: tuple[IndexedItem, ...] = tuple(ordered)
        self._by_name: dict[str, list[int]] = {}
        self._by_code: dict[str, int] = {}
        self._by_pinyin: dict[str, list[int]] = {}
        for i, it in enumerate(ordered):
            self._by_name.setdefault(it.name_forms.chars, []).append(i)
            self._by_code[normalise(it.code)] = i
            self._by_pinyin.setdefault(it.name_forms.full, []).append(i)
            if it.name_forms.initials != it.name_forms.full:
                self._by_pinyin.setdefault(it.name_forms.initials, []).append(i)
        self._names = _JoinedForm(_chars(it.name_forms) for it in ordered)
        self._names_full = _JoinedForm(_full(it.name_forms) for it in ordered)
        self._names_initials = _JoinedForm(_initials(it.name_forms) for it in ordered)
        self._keywords = _JoinedForm([p for f in it.keyword_forms for p in _chars(f)] for it in ordered)
        self._keywords_full = _JoinedForm([p for f in it.keyword_forms for p in _full(f)] for it in ordered)
        self._keywords_initials = _JoinedForm(
            [p for f in it.keyword_forms for p in _initials(f)] for it in ordered
        )

    def __len__(self) -> int:
        return len(self.items)

    def search(
        self, query: str, *, limit: int = 50, count_up_to: int = 1000
    ) -> tuple[list[tuple[int, MatchKind]], int, bool]:
        """Ranked (item index, match kind) pairs, at most ``limit``; the number of matching items (counted up to
        ``count_up_to`` a rank); and whether counting stopped early."""
        q = normalise(query)
        if not q:
            return [], 0, False
        found: set[int] = set()
        ranked: list[tuple[int, MatchKind]] = []
        truncated = False
        for kind, candidates in self._candidates(q):
            fresh = sorted((candidates if isinstance(candidates, set) else set(candidates)) - found)
            if len(fresh) > count_up_to:
                fresh, truncated = fresh[:count_up_to], True
            found.update(fresh)
            room = limit - len(ranked)
            if room > 0:
                ranked.extend((i, kind) for i in fresh[:room])
        return ranked, len(found), truncated

    # -- candidate streams, one per rank, each in display order -----------------------------------------

    def _candidates(self, q: str) -> Iterator[tuple[MatchKind, Iterable[int]]]:
        has_cjk = any(is_cjk(ch) for ch in q)
        has_latin = any(not is_cjk(ch) for ch in q)
        if has_cjk and not has_latin:
            yield MatchKind.EXACT, self._by_name.get(q, ())
            yield MatchKind.PREFIX, self._names.prefix_items(q)
            yield MatchKind.NAME, self._names.items(q)
            yield MatchKind.KEYWORD, self._keywords.items(q)
        elif has_latin and not has_cjk:
            exact = list(self._by_pinyin.get(q, ()))
            if q in self._by_code:
                exact.insert(0, self._by_code[q])
            yield MatchKind.EXACT, exact
            yield (
                MatchKind.PREFIX,
                self._merge(self._names_full.prefix_items(q), self._names_initials.prefix_items(q)),
            )
            yield (
                MatchKind.NAME,
                self._merge(self._names_full.items(q), self._names_initials.items(q)),
            )
            yield (
                MatchKind.KEYWORD,
                self._merge(self._keywords_full.items(q), self._keywords_initials.items(q)),
            )
        else:
            pattern = split_pattern(q)
            anchor = max((p for p in pattern if is_cjk(p[0])), key=len)
            yield (
                MatchKind.PREFIX,
                (
                    i
                    for i, at in self._names.occurrences(anchor)
                    if self._mixed_match(self.items[i].name_forms, pattern, at) == 0
                ),
            )
            yield (
                MatchKind.NAME,
                (
                    i
                    for i, at in self._names.occurrences(anchor)
                    if self._mixed_match(self.items[i].name_forms, pattern, at) is not None
                ),
            )
            yield (
                MatchKind.KEYWORD,
                (
                    i
                    for i in self._keywords.items(anchor)
                    if any(
                        self._mixed_match(f, pattern, len(f.chars)) is not None
                        for f in self.items[i].keyword_forms
                    )
                ),
            )

    @staticmethod
    def _mixed_match(forms: PinyinForms, pattern: tuple[str, ...], anchor_at: int) -> int | None:
        """The start position where a mixed pattern matches, trying every start up to the anchor."""
        for start in range(0, min(anchor_at, len(forms.chars) - 1) + 1):
            if matches_from(forms.chars, forms.syllables, start, pattern):
                return start
        return None

    @staticmethod
    def _merge(*streams: set[int]) -> set[int]:
        """Items in any of the streams."""
        return set().union(*streams)
