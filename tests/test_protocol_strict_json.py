"""The strict JSON both ends parse network bodies with: what it refuses, with which message, and that it takes
every JSON value it should (property tests against the standard library)."""

from __future__ import annotations

import json
import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.protocol.canonical import canonical_json
from kiosk.protocol.strict_json import MAX_SAFE_INTEGER, JsonProblem, loads, nesting_depth, parse

DEPTH = 32


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b'{"x": 1e999}', "body.x: number 1e999 is out of range (numbers must be finite)"),
        (b'{"x": -1e400}', "body.x: number -1e400 is out of range (numbers must be finite)"),
        (b'{"x": NaN}', "body.x: NaN is not a JSON number"),
        (b'{"x": [Infinity]}', "body.x.0: Infinity is not a JSON number"),
        (b'{"x": -Infinity}', "body.x: -Infinity is not a JSON number"),
        (
            b'{"n": 9007199254740992}',
            "body.n: integer 9007199254740992 is out of range (at most 2^53-1 either way)",
        ),
        (b'{"n": ' + b"9" * 5000 + b"}", "body.n: integer 99999999999999999999… is out of range"),
        (b'{"a": 1, "b": {"c": 2, "c": 3}}', 'body.b: key "c" appears twice'),
        (b'{"k": "a\\u0000b"}', "body.k: text must not hold a NUL character (\\u0000)"),
        (b'{"k": "\\ud800"}', "body.k: text must be valid Unicode (a lone surrogate \\ud800)"),
        (b'{"k": ["ok", "\\udfff x"]}', "body.k.1: text must be valid Unicode (a lone surrogate \\udfff)"),
        (
            b'{"\\ud800": 1}',
            'body."\\ud800": key: text must be valid Unicode (a lone surrogate \\ud800)',
        ),
        (b'{"a.b": "\\u0000"}', 'body."a.b": text must not hold a NUL character (\\u0000)'),
    ],
    ids=[
        "overflow",
        "negative-overflow",
        "nan",
        "infinity",
        "minus-infinity",
        "big-integer",
        "huge-integer",
        "duplicate-key",
        "nul",
        "surrogate",
        "low-surrogate",
        "surrogate-key",
        "dotted-key",
    ],
)
def test_located_problems_name_where_they_are(text: bytes, message: str) -> None:
    with pytest.raises(JsonProblem) as caught:
        loads(text, max_depth=DEPTH)
    assert str(caught.value).startswith(message)
    str(caught.value).encode("utf-8")  # a message is always text that can be sent back


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"", "body: empty (a JSON value is expected)"),
        (b"   ", "body: empty (a JSON value is expected)"),
        (b"\xef\xbb\xbf{}", "body: starts with a byte order mark (send UTF-8 without one)"),
        (b'{"a": "\xff"}', "body: not UTF-8 (byte 0xff at offset 7)"),
        (b'"\xed\xa0\x80"', "body: not UTF-8 (byte 0xed at offset 1)"),  # a surrogate encoded in UTF-8
        (b'{"a": 1,}', "body: not valid JSON (Expecting property name enclosed in double quotes"),
        (b'{"a": "tab\there"}', "body: not valid JSON (Invalid control character"),
        (b"[1] [2]", "body: not valid JSON (Extra data"),
        (b"[" * 200_000 + b"]" * 200_000, f"body: nested deeper than {DEPTH} levels"),
        (b'{"a":' * 33 + b"1" + b"}" * 33, f"body: nested deeper than {DEPTH} levels"),
    ],
    ids=[
        "empty",
        "blank",
        "bom",
        "latin1",
        "utf8-surrogate",
        "trailing-comma",
        "control",
        "extra",
        "deep",
        "33",
    ],
)
def test_unusable_texts_are_refused_whole(text: bytes, message: str) -> None:
    with pytest.raises(JsonProblem) as caught:
        parse(text, max_depth=DEPTH)
    assert str(caught.value).startswith(message)
    assert caught.value.path == ()


def test_nesting_is_counted_before_parsing_and_brackets_in_text_do_not_count() -> None:
    started = time.perf_counter()
    with pytest.raises(JsonProblem, match="nested deeper"):
        loads(b"[" * 1_000_000, max_depth=DEPTH)
    assert time.perf_counter() - started < 5  # counted, not recursed into (a parser would give up or crash)
    assert loads(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "b": "\\"[["}', max_depth=1)
    assert loads(b"[" * DEPTH + b"]" * DEPTH, max_depth=DEPTH) is not None


def test_every_problem_of_a_text_is_located() -> None:
    parsed = parse(
        b'{"records": [{"k": 1}, {"k": "\\u0000"}, {"k": 1, "k": 2}, {"n": NaN}, {"ok": "\\ud83d\\ude00"}]}',
        max_depth=DEPTH,
    )
    assert [(p.path, p.relative_to(p.path[:2])) for p in parsed.problems] == [
        (("records", 1, "k"), "k: text must not hold a NUL character (\\u0000)"),
        (("records", 2), 'key "k" appears twice'),
        (("records", 3, "n"), "n: NaN is not a JSON number"),
    ]
    assert parsed.value["records"][4] == {"ok": "😀"}  # an escaped surrogate pair is one character


def test_limits_that_are_fine() -> None:
    assert loads(f"[{MAX_SAFE_INTEGER}, {-MAX_SAFE_INTEGER}, 1e308, 1e-400, 12.0]", max_depth=2) == [
        MAX_SAFE_INTEGER,
        -MAX_SAFE_INTEGER,
        1e308,
        0.0,
        12.0,
    ]
    assert loads(b'"\\\\u0000 is how JSON escapes NUL"', max_depth=1) == "\\u0000 is how JSON escapes NUL"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")), children
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values, st.booleans())
def test_any_strict_value_reads_as_the_standard_library_reads_it(value: object, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert loads(text.encode("utf-8"), max_depth=64) == json.loads(text)
    canonical_json(loads(text, max_depth=64))  # what is accepted always has a canonical form
    assert nesting_depth(text.encode("utf-8")) == _depth(value)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_no_input_raises_anything_but_a_json_problem(data: bytes) -> None:
    try:
        parsed = parse(data, max_depth=8)
    except JsonProblem as exc:
        str(exc).encode("utf-8")
        return
    if not parsed.problems:
        canonical_json(parsed.value)
        assert not _has_bad_number(parsed.value)


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


def _has_bad_number(value: object) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, list):
        return any(_has_bad_number(v) for v in value)
    if isinstance(value, dict):
        return any(_has_bad_number(v) for v in value.values())
    return False
