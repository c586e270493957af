"""Ranked catalog search over names and keywords: Chinese substrings, full pinyin, initials and mixed input.

The index lives in memory and is built from what the store saved at import time (the pinyin of every name and
keyword is computed once, then). Each form of every item is joined into one string with a suffix array over it
(:mod:`kiosk.domain.search_segment`), so finding every item that holds a string is a binary search; the guide
text (the last rank) is searched by the store's full-text index instead.

An index is a *base* segment, which is saved to a file and read back at start, and a small *delta* segment of the
items changed since the base was built; the base's copies of those items are hidden. A search looks in both and
merges their results in display order, so they are those of one index built over the whole catalog.

Ranks, best first: exact name (or item code), name prefix, name substring, keyword, guide text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum

from kiosk.domain.pinyin import CJK_RANGES, PinyinForms, is_cjk, matches_from, normalise, split_pattern
from kiosk.domain.search_segment import IndexRow, Segment, build_segment

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


def indexed_row(item: IndexedItem) -> IndexRow:
    """The row the store saves for an item, from its forms."""
    return (
        item.code,
        item.name,
        item.department,
        item.name_forms.chars,
        " ".join(item.name_forms.syllables),
        tuple((f.chars, " ".join(f.syllables)) for f in item.keyword_forms),
    )


_Candidates = Sequence[Iterable[int]]  # one per segment: base, then delta


class SearchIndex:
    """Ranked search over a base segment and the delta of items changed since. Immutable once made, so any
    thread may search it."""

    def __init__(self, items: Iterable[IndexedItem] = ()) -> None:
        self._compose(build_segment(indexed_row(it) for it in items), None, frozenset())

    @classmethod
    def of(cls, base: Segment, delta: Segment | None = None, removed: Iterable[int] = ()) -> SearchIndex:
        """The base's items less ``removed`` (base positions), and the delta's items."""
        index = cls.__new__(cls)
        index._compose(base, delta if delta is not None and len(delta) else None, frozenset(removed))
        return index

    def _compose(self, base: Segment, delta: Segment | None, removed: frozenset[int]) -> None:
        self.base = base
        self.delta = delta
        self.removed = removed
        self._segments = (base,) if delta is None else (base, delta)
        # Where each delta item falls among the base's items: before base item p (and after p - 1).
        self._insert_at: list[int] = []
        if delta is not None:
            everything = range(len(base))
            self._insert_at = [
                bisect_left(everything, delta.display_key(j), key=base.display_key) for j in range(len(delta))
            ]

    def __len__(self) -> int:
        return len(self.base) - len(self.removed) + (len(self.delta) if self.delta is not None else 0)

    def search(
        self, query: str, *, limit: int = 50, count_up_to: int = 1000
    ) -> tuple[list[SearchHit], int, bool]:
        """Ranked hits, at most ``limit``; the number of matching items (counted up to ``count_up_to`` a rank);
        and whether counting stopped early."""
        q = normalise(query)
        if not q:
            return [], 0, False
        found: list[set[int]] = [set() for _ in self._segments]
        ranked: list[tuple[int, int, MatchKind]] = []
        truncated = False
        for kind, per_segment in self._candidates(q):
            fresh = []
            for s, candidates in enumerate(per_segment):
                left = set(candidates) - found[s]
                if s == 0 and self.removed:
                    left -= self.removed
                fresh.append(sorted(left))
            merged = self._in_display_order(fresh, count_up_to)
            if sum(len(f) for f in fresh) > count_up_to:
                truncated = True
            for s, i in merged:
                found[s].add(i)
            room = limit - len(ranked)
            if room > 0:
                ranked.extend((s, i, kind) for s, i in merged[:room])
        hits = [self._hit(s, i, kind) for s, i, kind in ranked]
        return hits, sum(len(f) for f in found), truncated

    def _hit(self, s: int, i: int, kind: MatchKind) -> SearchHit:
        segment = self._segments[s]
        return SearchHit(segment.codes[i], segment.names[i], segment.departments[i], kind.label)

    def _in_display_order(self, fresh: list[list[int]], most: int) -> list[tuple[int, int]]:
        """The first ``most`` of the segments' sorted items, merged in display order."""
        base = fresh[0]
        if len(fresh) == 1 or not fresh[1]:
            return [(0, i) for i in base[:most]]
        delta, at = fresh[1], self._insert_at
        merged: list[tuple[int, int]] = []
        b = d = 0
        while len(merged) < most and (b < len(base) or d < len(delta)):
            if d < len(delta) and (b == len(base) or at[delta[d]] <= base[b]):
                merged.append((1, delta[d]))
                d += 1
            else:
                merged.append((0, base[b]))
                b += 1
        return merged

    # -- candidate streams, one per rank, each a set or stream of items per segment -------------------------

    def _candidates(self, q: str) -> Iterator[tuple[MatchKind, _Candidates]]:
        segments = self._segments
        has_cjk = any(is_cjk(ch) for ch in q)
        has_latin = any(not is_cjk(ch) for ch in q)
        if has_cjk and not has_latin:
            yield MatchKind.EXACT, [s.name_chars.exact_holders(q) for s in segments]
            yield MatchKind.PREFIX, [s.name_chars.prefix_holders(q) for s in segments]
            yield MatchKind.NAME, [s.name_chars.holders(q) for s in segments]
            yield MatchKind.KEYWORD, [s.keyword_items(s.keyword_chars.holders(q)) for s in segments]
        elif has_latin and not has_cjk:
            exact = [s.name_full.exact_holders(q) | s.name_initials.exact_holders(q) for s in segments]
            code = self._item_of_code(q)
            if code is not None:
                exact[code[0]].add(code[1])
            yield MatchKind.EXACT, exact
            yield (
                MatchKind.PREFIX,
                [s.name_full.prefix_holders(q) | s.name_initials.prefix_holders(q) for s in segments],
            )
            yield MatchKind.NAME, [s.name_full.holders(q) | s.name_initials.holders(q) for s in segments]
            yield (
                MatchKind.KEYWORD,
                [
                    s.keyword_items(s.keyword_full.holders(q) | s.keyword_initials.holders(q))
                    for s in segments
                ],
            )
        else:
            pattern = split_pattern(q)
            anchor = max((p for p in pattern if is_cjk(p[0])), key=len)
            occurrences = [s.name_chars.occurrences(anchor) for s in segments]
            starts = [
                self._mixed_starts(s, found, pattern) for s, found in zip(segments, occurrences, strict=True)
            ]
            yield MatchKind.PREFIX, [(i for i, start in found if start == 0) for found in starts]
            yield MatchKind.NAME, [(i for i, start in found if start is not None) for found in starts]
            yield (
                MatchKind.KEYWORD,
                [
                    s.keyword_items(
                        k
                        for k in s.keyword_chars.holders(anchor)
                        if self._mixed_match(s.keyword_forms(k), pattern, len(s.keyword_forms(k).chars))
                        is not None
                    )
                    for s in segments
                ],
            )

    def _mixed_starts(
        self, segment: Segment, occurrences: list[tuple[int, int]], pattern: tuple[str, ...]
    ) -> list[tuple[int, int | None]]:
        """For each occurrence of the anchor, its item and where the pattern matches up to it (if anywhere)."""
        forms: dict[int, PinyinForms] = {}
        found = []
        for i, at in occurrences:
            item_forms = forms.get(i)
            if item_forms is None:
                item_forms = forms[i] = segment.name_forms(i)
            found.append((i, self._mixed_match(item_forms, pattern, at)))
        return found

    def _item_of_code(self, q: str) -> tuple[int, int] | None:
        """The item whose code the query is (the last in display order, should two codes normalise alike)."""
        live = [(0, i) for i in self.base.items_of_code(q) if i not in self.removed]
        if self.delta is not None:
            live += [(1, j) for j in self.delta.items_of_code(q)]
        if not live:
            return None
        return max(live, key=self._order_key)

    def _order_key(self, ref: tuple[int, int]) -> tuple[int, int, int]:
        s, i = ref
        # A delta item falling before base item p sorts after p - 1 and before p.
        return (i, 1, 0) if s == 0 else (self._insert_at[i], 0, i)

    @staticmethod
    def _mixed_match(forms: PinyinForms, pattern: tuple[str, ...], anchor_at: int) -> int | None:
        """The start position where a mixed pattern matches, trying every start up to the anchor."""
        for start in range(0, min(anchor_at, len(forms.chars) - 1) + 1):
            if matches_from(forms.chars, forms.syllables, start, pattern):
                return start
        return None
