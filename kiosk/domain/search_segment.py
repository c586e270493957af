"""One immutable piece of the search index: items in display order and their searchable forms, each form joined
into one string with a suffix array over it.

A segment is built from the rows the store saved at import time (:data:`IndexRow`), or read back whole from the
index file (:mod:`kiosk.domain.search_file`): every part is a string or an array of integers, so reading it back is
a few copies, not a Python step per item. Items' codes, names and pinyin are cut out of those strings only for the
few items a search returns.

Keywords are indexed once each, not once per item that has them: a catalog repeats a few hundred keywords over
its many thousand items, so the keyword forms stay small and a keyword match reaches its items through a
postings list.

Building runs off the UI thread but shares the interpreter lock with it. A Python loop gives the lock up every
switch interval, but one C call (``sorted`` over a million strings, ``array(map(...))``) keeps it until it
returns; so no step here hands C more than a small multiple of :data:`CHUNK` elements at once.
"""

from __future__ import annotations

import random
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate, compress, pairwise
from operator import itemgetter, sub
from typing import Any, TypeAlias

from kiosk.domain.pinyin import PinyinForms, normalise

# What the index needs of one item, as the store saved it: code, name, department, the name's searchable
# characters, their syllables joined by spaces, and the keywords as (characters, syllables joined by spaces).
IndexRow = tuple[str, str, str, str, str, tuple[tuple[str, str], ...]]

SORT_CHARS = 10  # suffixes are sorted on this many characters; longer queries are checked one by one
CHUNK = 4096  # the most elements one C-level call (a sort, a copy) gets: a few milliseconds holding the lock

_SEP = "\x00"  # starts every piece in a joined form; a normalised query never holds it


# An array of integers: ``array('i')`` when built, a memoryview over the file's bytes when read back.
IntSequence: TypeAlias = "array[int] | memoryview[int]"


def int_array(values: Iterable[int] = ()) -> array[int]:
    return array("i", values)


def display_key(chars: str, code: str) -> tuple[int, str]:
    """Items are listed shorter names first, then by code."""
    return len(chars), code


# -- sorting suffixes without holding the interpreter lock for long ------------------------------------------


def release(values: list[Any]) -> None:
    """Empty a large list a CHUNK at a time: freeing a hundred thousand objects at once keeps the lock."""
    while values:
        del values[-CHUNK:]


def _sort_suffixes(
    text: str, positions: array[int], owners: array[int], into: tuple[array[int], array[int]]
) -> None:
    """Append ``positions`` (and their ``owners``) to ``into`` ordered by the SORT_CHARS characters that follow
    each position (stable).

    A sample sort: splitters from a sample of the keys cut the positions into buckets in one Python pass, then
    each bucket is sorted by one C call of bounded size. Keys equal to a splitter get buckets of their own,
    already in order, so a key repeated a hundred thousand times never meets a sort. Buckets are arrays and a
    bucket's keys exist only while it is sorted, so nothing large is ever freed at once either.
    """
    k = SORT_CHARS
    n = len(positions)
    if n <= 2 * CHUNK:
        keys = [text[p : p + k] for p in positions]
        order = sorted(range(n), key=keys.__getitem__)
        _take(into[0], positions, order)
        _take(into[1], owners, order)
        return
    rng = random.Random(n)
    sample = sorted([text[positions[i] : positions[i] + k] for i in rng.sample(range(n), 16 * n // CHUNK)])
    splitters = sorted(set(sample[8::8]))
    count = len(splitters)
    below = [(int_array(), int_array()) for _ in range(count + 1)]
    equal = [(int_array(), int_array()) for _ in range(count)]
    for p, o in zip(positions, owners, strict=True):
        key = text[p : p + k]
        j = bisect_left(splitters, key)
        bucket = equal[j] if j < count and splitters[j] == key else below[j]
        bucket[0].append(p)
        bucket[1].append(o)
    for j in range(count + 1):
        part_positions, part_owners = below[j]
        if part_positions:
            _sort_suffixes(text, part_positions, part_owners, into)  # sorted, or split again if still large
        below[j] = (int_array(), int_array())
        if j < count:
            into[0].extend(equal[j][0])
            into[1].extend(equal[j][1])
            equal[j] = (int_array(), int_array())


def _take(target: array[int], source: Sequence[int], run: list[int]) -> None:
    """Append ``source[i]`` for every ``i`` of ``run``, a CHUNK at a time."""
    for start in range(0, len(run), CHUNK):
        part = run[start : start + CHUNK]
        if len(part) == 1:
            target.append(source[part[0]])
        elif part:
            target.extend(int_array(itemgetter(*part)(source)))


class JoinedForm:
    """One form (say, the initials of every name) of all owners (items or keywords), joined into one string with
    a suffix array over it.

    Owner ``o``'s piece is ``text[starts[o] + 1 : starts[o + 1]]``. Only positions where a match may start (a
    character, a syllable) are indexed; they are sorted by the text that follows them, so every owner holding
    a string is one binary search away, however large the catalog.
    """

    __slots__ = ("first_owners", "firsts", "owners", "starts", "suffixes", "text")

    def __init__(
        self,
        text: str,
        starts: IntSequence,
        suffixes: IntSequence,
        owners: IntSequence,
        firsts: IntSequence,
        first_owners: IntSequence,
    ) -> None:
        self.text = text
        self.starts = starts
        self.suffixes = suffixes
        self.owners = owners
        self.firsts = firsts
        self.first_owners = first_owners

    @classmethod
    def build(cls, pieces: Sequence[str], syllables: Sequence[str] | None = None) -> JoinedForm:
        """Every character of each piece may start a match, or, given each piece's syllables (joined by
        spaces), only the first character of each syllable."""
        # Each piece starts with _SEP and the last one is followed by it: a piece is exactly a query when the
        # query followed by _SEP starts it (see exact_holders).
        text = _SEP + _SEP.join(pieces) + _SEP
        starts = int_array([0])
        starts.extend(accumulate(len(p) + 1 for p in pieces))
        positions, owners = int_array(), int_array()
        firsts: list[int] = []
        for o, piece in enumerate(pieces):
            if not piece:
                continue
            at = starts[o] + 1
            firsts.append(o)
            if syllables is None:
                positions.extend(range(at, at + len(piece)))
                owners.extend(int_array([o]) * len(piece))
            else:
                lengths = [len(syllable) for syllable in syllables[o].split(" ")]
                positions.extend(accumulate(lengths[:-1], initial=at))
                owners.extend(int_array([o]) * len(lengths))
        suffixes, suffix_owners = int_array(), int_array()
        _sort_suffixes(text, positions, owners, (suffixes, suffix_owners))
        first_positions, first_owners = int_array(), int_array()
        _sort_suffixes(
            text,
            int_array([starts[o] + 1 for o in firsts]),
            int_array(firsts),
            (first_positions, first_owners),
        )
        return cls(text, starts, suffixes, suffix_owners, first_positions, first_owners)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def piece(self, owner: int) -> str:
        return self.text[self.starts[owner] + 1 : self.starts[owner + 1]]

    def _range(self, positions: IntSequence, needle: str) -> tuple[int, int]:
        text, key = self.text, needle[:SORT_CHARS]
        width = len(key)
        lo = bisect_left(positions, key, key=lambda p: text[p : p + width])
        hi = bisect_right(positions, key, lo=lo, key=lambda p: text[p : p + width])
        return lo, hi

    def holders(self, needle: str) -> set[int]:
        """Owners holding ``needle`` at a match position."""
        if not needle:
            return set()
        lo, hi = self._range(self.suffixes, needle)
        if len(needle) <= SORT_CHARS:
            return set(self.owners[lo:hi])
        text, suffixes, owners = self.text, self.suffixes, self.owners
        return {owners[i] for i in range(lo, hi) if text.startswith(needle, suffixes[i])}

    def prefix_holders(self, needle: str) -> set[int]:
        """Owners whose piece starts with ``needle``."""
        if not needle:
            return set()
        lo, hi = self._range(self.firsts, needle)
        if len(needle) <= SORT_CHARS:
            return set(self.first_owners[lo:hi])
        text, firsts, owners = self.text, self.firsts, self.first_owners
        return {owners[i] for i in range(lo, hi) if text.startswith(needle, firsts[i])}

    def exact_holders(self, needle: str) -> set[int]:
        """Owners whose piece is ``needle``."""
        if not needle:
            return set()
        if len(needle) < SORT_CHARS:
            # The pieces that are the needle are those starting with the needle and then the separator.
            lo, hi = self._range(self.firsts, needle + _SEP)
            return set(self.first_owners[lo:hi])
        lo, hi = self._range(self.firsts, needle)
        text, firsts, owners, starts = self.text, self.firsts, self.first_owners, self.starts
        width = len(needle)
        return {
            owners[i]
            for i in range(lo, hi)
            if starts[owners[i] + 1] - firsts[i] == width and text.startswith(needle, firsts[i])
        }

    def occurrences(self, needle: str) -> list[tuple[int, int]]:
        """(owner, offset within the owner's piece) of every occurrence, in owner order."""
        if not needle:
            return []
        lo, hi = self._range(self.suffixes, needle)
        text, suffixes, owners, starts = self.text, self.suffixes, self.owners, self.starts
        found = [
            (owners[i], suffixes[i] - starts[owners[i]] - 1)
            for i in range(lo, hi)
            if text.startswith(needle, suffixes[i])
        ]
        return sorted(found)


class TextTable:
    """Strings kept as one string and the offsets between them: ``text[offsets[i]:offsets[i + 1]]``."""

    __slots__ = ("offsets", "text")

    def __init__(self, text: str, offsets: IntSequence) -> None:
        self.text = text
        self.offsets = offsets

    @classmethod
    def build(cls, values: Sequence[str]) -> TextTable:
        offsets = int_array([0])
        offsets.extend(accumulate(len(v) for v in values))
        return cls("".join(values), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        return self.text[self.offsets[i] : self.offsets[i + 1]]


class Segment:
    """Items in display order (shorter names first, then by code) with every form the search looks in."""

    __slots__ = (
        "_by_code",
        "_shared_codes",
        "codes",
        "departments",
        "keyword_chars",
        "keyword_full",
        "keyword_initials",
        "keyword_syllables",
        "name_chars",
        "name_full",
        "name_initials",
        "name_syllables",
        "names",
        "normalised_codes",
        "postings",
        "postings_at",
    )

    def __init__(
        self,
        *,
        codes: TextTable,
        names: TextTable,
        departments: TextTable,
        normalised_codes: str,
        name_chars: JoinedForm,
        name_full: JoinedForm,
        name_initials: JoinedForm,
        name_syllables: TextTable,
        keyword_chars: JoinedForm,
        keyword_full: JoinedForm,
        keyword_initials: JoinedForm,
        keyword_syllables: TextTable,
        postings: IntSequence,
        postings_at: IntSequence,
    ) -> None:
        self.codes = codes
        self.names = names
        self.departments = departments
        self.normalised_codes = normalised_codes  # item codes as queries are normalised, joined by _SEP
        self.name_chars = name_chars
        self.name_full = name_full
        self.name_initials = name_initials
        self.name_syllables = name_syllables
        self.keyword_chars = keyword_chars
        self.keyword_full = keyword_full
        self.keyword_initials = keyword_initials
        self.keyword_syllables = keyword_syllables
        self.postings = postings  # items of keyword k: postings[postings_at[k]:postings_at[k + 1]]
        self.postings_at = postings_at
        codes_list = normalised_codes.split(_SEP) if len(codes) else []
        self._by_code: dict[str, int] = {}
        for start in range(0, len(codes_list), CHUNK):
            self._by_code.update(
                zip(codes_list[start : start + CHUNK], range(start, start + CHUNK), strict=False)
            )
        self._shared_codes: dict[str, list[int]] = {}  # codes that normalise alike ("GA-1", "ga1"): rare
        if len(self._by_code) != len(codes_list):
            for i, code in enumerate(codes_list):
                self._shared_codes.setdefault(code, []).append(i)
            self._shared_codes = {c: items for c, items in self._shared_codes.items() if len(items) > 1}

    def __len__(self) -> int:
        return len(self.codes)

    # -- what a search needs of one item ------------------------------------------------------------------

    def display_key(self, i: int) -> tuple[int, str]:
        starts = self.name_chars.starts
        return starts[i + 1] - starts[i] - 1, self.codes[i]

    def name_forms(self, i: int) -> PinyinForms:
        syllables = self.name_syllables[i]
        return PinyinForms(self.name_chars.piece(i), tuple(syllables.split(" ")) if syllables else ())

    def keyword_forms(self, k: int) -> PinyinForms:
        syllables = self.keyword_syllables[k]
        return PinyinForms(self.keyword_chars.piece(k), tuple(syllables.split(" ")) if syllables else ())

    def items_of_code(self, normalised_code: str) -> list[int]:
        """Items whose code normalises to the query, in display order."""
        if normalised_code in self._shared_codes:
            return self._shared_codes[normalised_code]
        i = self._by_code.get(normalised_code)
        return [] if i is None else [i]

    def keyword_items(self, keywords: Iterable[int]) -> set[int]:
        """Items having any of the keywords.

        Every step is a C iterator, and only keywords shared by several items take a Python step: a catalog of
        keywords all its own (one item each) may match a million of them with a one-letter query.
        """
        postings, at = self.postings, self.postings_at
        chosen = list(keywords)
        found = set(map(postings.__getitem__, map(at.__getitem__, chosen)))  # the first item of each
        counts = map(sub, map(at.__getitem__, map((1).__add__, chosen)), map(at.__getitem__, chosen))
        for k in compress(chosen, map((1).__lt__, counts)):
            found.update(postings[at[k] + 1 : at[k + 1]])
        return found


def build_segment(rows: Iterable[IndexRow]) -> Segment:
    """A segment of the given items (in any order)."""
    ordered = list(rows)
    if any(display_key(a[3], a[0]) > display_key(b[3], b[0]) for a, b in pairwise(ordered)):
        ordered = _in_display_order(ordered)
    keyword_ids: dict[tuple[str, str], int] = {}
    postings_of: list[list[int]] = []
    for i, row in enumerate(ordered):
        for keyword in row[5]:
            k = keyword_ids.setdefault(keyword, len(keyword_ids))
            if k == len(postings_of):
                postings_of.append([])
            holders = postings_of[k]
            if not holders or holders[-1] != i:
                holders.append(i)
    keywords = list(keyword_ids)
    postings = int_array()
    for holders in postings_of:
        postings.extend(holders)
    postings_at = int_array([0])
    postings_at.extend(accumulate(len(h) for h in postings_of))
    release(postings_of)  # a list a keyword: a million of them in a catalog of keywords each its own
    chars = [row[3] for row in ordered]
    syllables = [row[4] for row in ordered]
    keyword_chars = [c for c, _ in keywords]
    keyword_syllables = [s for _, s in keywords]
    normalised_codes = [normalise(row[0]) for row in ordered]
    segment = Segment(
        codes=TextTable.build([row[0] for row in ordered]),
        names=TextTable.build([row[1] for row in ordered]),
        departments=TextTable.build([row[2] for row in ordered]),
        normalised_codes=_SEP.join(normalised_codes),
        name_chars=JoinedForm.build(chars),
        name_full=_build_form(syllables, full=True),
        name_initials=_build_form(syllables, full=False),
        name_syllables=TextTable.build(syllables),
        keyword_chars=JoinedForm.build(keyword_chars),
        keyword_full=_build_form(keyword_syllables, full=True),
        keyword_initials=_build_form(keyword_syllables, full=False),
        keyword_syllables=TextTable.build(keyword_syllables),
        postings=postings,
        postings_at=postings_at,
    )
    release(normalised_codes)
    return segment


def _build_form(syllables: list[str], *, full: bool) -> JoinedForm:
    """The full pinyin (matches start at a syllable) or the initials of each owner."""
    pieces = [s.replace(" ", "") if full else _initials(s) for s in syllables]
    form = JoinedForm.build(pieces, syllables if full else None)
    release(pieces)
    return form


def _initials(syllables: str) -> str:
    return "".join([s[0] for s in syllables.split(" ")]) if syllables else ""


def _in_display_order(rows: list[IndexRow]) -> list[IndexRow]:
    # Rows from the store come in display order already; this serves a few items given in any order.
    return sorted(rows, key=lambda row: display_key(row[3], row[0]))


# -- a segment as named parts (strings and integer arrays), for the index file --------------------------------

Part: TypeAlias = "str | IntSequence"

_FORMS = (
    "name_chars",
    "name_full",
    "name_initials",
    "keyword_chars",
    "keyword_full",
    "keyword_initials",
)
_TABLES = ("codes", "names", "departments", "name_syllables", "keyword_syllables")
_FORM_PARTS = ("text", "starts", "suffixes", "owners", "firsts", "first_owners")


def segment_parts(segment: Segment) -> dict[str, Part]:
    parts: dict[str, Part] = {
        "normalised_codes": segment.normalised_codes,
        "postings": segment.postings,
        "postings_at": segment.postings_at,
    }
    for name in _TABLES:
        table: TextTable = getattr(segment, name)
        parts[f"{name}.text"] = table.text
        parts[f"{name}.offsets"] = table.offsets
    for name in _FORMS:
        form: JoinedForm = getattr(segment, name)
        for part in _FORM_PARTS:
            parts[f"{name}.{part}"] = getattr(form, part)
    return parts


def segment_from_parts(parts: dict[str, Part]) -> Segment:
    """The segment the parts describe; ValueError if parts are missing, of the wrong kind or do not fit."""

    def text(name: str) -> str:
        value = parts.get(name)
        if not isinstance(value, str):
            raise ValueError(f"index part {name} missing or not text")
        return value

    def ints(name: str) -> IntSequence:
        value = parts.get(name)
        if value is None or isinstance(value, str):
            raise ValueError(f"index part {name} missing or not integers")
        return value

    tables = {name: TextTable(text(f"{name}.text"), ints(f"{name}.offsets")) for name in _TABLES}
    forms = {
        name: JoinedForm(*(text(f"{name}.text") if p == "text" else ints(f"{name}.{p}") for p in _FORM_PARTS))  # type: ignore[arg-type]
        for name in _FORMS
    }
    items = len(tables["codes"])
    keywords = len(forms["keyword_chars"])
    for name in ("names", "departments", "name_syllables"):
        if len(tables[name]) != items:
            raise ValueError(f"index part {name} has {len(tables[name])} entries for {items} items")
    for name in ("name_chars", "name_full", "name_initials"):
        if len(forms[name]) != items:
            raise ValueError(f"index part {name} has {len(forms[name])} entries for {items} items")
    for name in ("keyword_full", "keyword_initials"):
        if len(forms[name]) != keywords:
            raise ValueError(f"index part {name} has {len(forms[name])} entries for {keywords} keywords")
    postings_at = ints("postings_at")
    if len(tables["keyword_syllables"]) != keywords or len(postings_at) != keywords + 1:
        raise ValueError(f"keyword parts do not fit {keywords} keywords")
    for table in tables.values():
        if len(table.offsets) and table.offsets[len(table.offsets) - 1] != len(table.text):
            raise ValueError("a text table's offsets do not reach its end")
    for form in forms.values():
        if form.starts[len(form.starts) - 1] != len(form.text) - 1 or len(form.suffixes) != len(form.owners):
            raise ValueError("a joined form's parts do not fit its text")
    return Segment(
        codes=tables["codes"],
        names=tables["names"],
        departments=tables["departments"],
        normalised_codes=text("normalised_codes"),
        name_chars=forms["name_chars"],
        name_full=forms["name_full"],
        name_initials=forms["name_initials"],
        name_syllables=tables["name_syllables"],
        keyword_chars=forms["keyword_chars"],
        keyword_full=forms["keyword_full"],
        keyword_initials=forms["keyword_initials"],
        keyword_syllables=tables["keyword_syllables"],
        postings=ints("postings"),
        postings_at=postings_at,
    )
