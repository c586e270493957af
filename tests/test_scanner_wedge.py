"""The keyboard-wedge classifier: bursts, typing, borderline gaps, STX/ETX framing, interleaving, and the
guarantee that no keystroke is ever lost or reordered."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.scanner.wedge import Decision, Scan, Stroke, WedgeClassifier, WedgeConfig

CONFIG = WedgeConfig(max_gap_ms=40, min_length=4, frame_gap_ms=250)


@dataclass(frozen=True)
class K:
    """One keystroke of a script: what it is, its text, and the gap before it (ms)."""

    stroke: Stroke
    text: str = ""
    gap: float = 0.0


def chars(text: str, gap: float) -> list[K]:
    return [K(Stroke.CHAR, ch, gap) for ch in text]


def enter(gap: float) -> K:
    return K(Stroke.ENTER, "", gap)


class Run:
    """Feeds a script, playing the UI's part: deliver released keys, take scans, hold or pass the current key."""

    def __init__(self, config: WedgeConfig = CONFIG) -> None:
        self.classifier: WedgeClassifier[int] = WedgeClassifier(config)
        self.t = 1000.0
        self.out: list[tuple[str, object]] = []  # ("key", index) reached the field; ("scan", Scan) was taken
        self.held_now: list[bool] = []
        self.n = 0

    def feed(self, script: list[K], *, tick: bool = False) -> Run:
        for k in script:
            self.t += k.gap
            if tick:  # the UI timer, firing as late as it can: just before the next key
                self._deliver(self.classifier.expire(self.t - 0.001))
            decision = self.classifier.feed(k.stroke, self.t, self.n, k.text)
            self._take(decision, self.n)
            self.n += 1
        return self

    def wait(self, ms: float) -> Run:
        self.t += ms
        self._deliver(self.classifier.expire(self.t))
        return self

    def end(self) -> Run:
        self._deliver(self.classifier.flush())
        return self

    def _take(self, decision: Decision[int], index: int) -> None:
        self._deliver(decision.release)
        if decision.scan is not None:
            self.out.append(("scan", decision.scan))
        if decision.current == "pass":
            self.out.append(("key", index))
        self.held_now.append(decision.current == "hold")

    def _deliver(self, tokens: tuple[int, ...]) -> None:
        self.out.extend(("key", i) for i in tokens)

    @property
    def scans(self) -> list[str]:
        return [v.text for kind, v in self.out if isinstance(v, Scan)]

    @property
    def typed(self) -> list[int]:
        return [v for kind, v in self.out if isinstance(v, int)]

    def walk(self) -> list[int]:
        """Every keystroke index in output order, a scan standing for the keys it swallowed."""
        walked: list[int] = []
        for _kind, v in self.out:
            walked.extend(v.keys if isinstance(v, Scan) else [v])  # type: ignore[list-item]
        return walked


def typed_text(run: Run, script: list[K]) -> str:
    return "".join(
        script[i].text if script[i].stroke is Stroke.CHAR else f"<{script[i].stroke.value}>"
        for i in run.typed
    )


# --- bursts and typing ---------------------------------------------------------------------------------------


def test_a_fast_burst_ending_in_enter_is_a_scan_and_nothing_is_typed():
    script = [*chars("A0123456789", 8), enter(8)]
    run = Run().feed(script).end()
    assert run.scans == ["A0123456789"]
    assert run.typed == []
    assert all(run.held_now[:-1])  # every text key was held until the Enter decided


def test_slow_typing_is_released_in_order_and_enter_passes():
    script = [*chars("hello", 120), enter(150)]
    run = Run().feed(script).end()
    assert run.scans == []
    assert typed_text(run, script) == "hello<enter>"


def test_a_held_key_is_released_once_its_gap_has_passed():
    run = Run().feed(chars("a", 0))
    assert run.typed == [] and run.classifier.holding
    assert run.classifier.deadline == pytest.approx(run.t + 40)
    run.wait(40)  # exactly at the deadline: still a possible scan
    assert run.typed == []
    run.wait(1)
    assert run.typed == [0] and not run.classifier.holding


def test_a_fast_burst_without_enter_is_typing_after_all():
    script = chars("abcdef", 5)
    run = Run().feed(script).wait(100)
    assert run.scans == [] and typed_text(run, script) == "abcdef"


def test_too_short_a_burst_is_typing_even_with_enter():
    script = [*chars("abc", 5), enter(5)]
    run = Run().feed(script).end()
    assert run.scans == [] and typed_text(run, script) == "abc<enter>"
    assert Run().feed([*chars("abcd", 5), enter(5)]).scans == ["abcd"]


@pytest.mark.parametrize(("gap", "is_scan"), [(39.9, True), (40.0, True), (40.1, False), (80.0, False)])
def test_borderline_gaps(gap, is_scan):
    script = chars("AB", 0) + chars("CDE", gap) + [enter(gap)]
    run = Run().feed(script).end()
    assert (run.scans == ["ABCDE"]) is is_scan
    if not is_scan:
        assert typed_text(run, script) == "ABCDE<enter>"


def test_a_slow_enter_after_a_fast_burst_is_typing():
    script = [*chars("ABCDEF", 5), enter(60)]
    run = Run().feed(script).end()
    assert run.scans == [] and typed_text(run, script) == "ABCDEF<enter>"


def test_a_pause_inside_a_burst_splits_it_and_only_the_tail_can_be_a_scan():
    script = chars("xy", 5) + chars("Q", 200) + chars("R1234", 5) + [enter(5)]
    run = Run().feed(script).end()
    assert run.scans == ["QR1234"]
    assert typed_text(run, script) == "xy"


def test_other_keys_end_a_burst_and_keep_their_place():
    script = [*chars("ab", 5), K(Stroke.OTHER, "", 5), *chars("cd", 5)]
    run = Run().feed(script).end()
    assert typed_text(run, script) == "ab<other>cd"
    assert run.held_now[2] is False  # Backspace, arrows, shortcuts are never held


def test_an_overlong_burst_is_released_as_typing():
    config = WedgeConfig(max_gap_ms=40, min_length=4, max_length=10)
    script = [*chars("x" * 12, 1), enter(1)]
    run = Run(config).feed(script).end()
    assert run.scans == []
    assert typed_text(run, script) == "x" * 12 + "<enter>"


def test_scan_text_is_cleaned_and_aim_prefix_stripped_when_configured():
    config = WedgeConfig(strip_aim=True)
    run = Run(config).feed([*chars("]Q1https://example.invalid/rate?r=A012", 3), enter(3)])
    assert run.scans == ["https://example.invalid/rate?r=A012"]
    kept = Run().feed([*chars("]Q1ABCD", 3), enter(3)])
    assert kept.scans == ["]Q1ABCD"]


# --- STX / ETX framing -----------------------------------------------------------------------------------------


def stx(gap: float = 0) -> K:
    return K(Stroke.STX, "", gap)


def etx(gap: float) -> K:
    return K(Stroke.ETX, "", gap)


def test_a_frame_is_a_scan_whatever_its_length_or_pace():
    script = [stx(), *chars("A1", 100), etx(100)]  # short and slow: framing wins
    run = Run().feed(script).end()
    assert run.scans == ["A1"] and run.typed == []
    assert run.walk() == list(range(len(script)))


def test_enter_inside_a_frame_is_part_of_it():
    script = [stx(), *chars("ABCD", 3), enter(3), etx(3)]
    run = Run().feed(script).end()
    assert run.scans == ["ABCD"] and run.typed == []


def test_a_frame_that_stalls_is_released_as_typing():
    script = [stx(), *chars("AB", 5)]
    run = Run().feed(script).wait(300)
    assert run.scans == [] and typed_text(run, script) == "<stx>AB"
    run.feed([etx(1)]).end()
    assert typed_text(run, [*script, etx(1)]) == "<stx>AB<etx>"  # a lone ETX is just a key


def test_stx_releases_a_burst_in_progress():
    script = [*chars("ab", 5), stx(5), *chars("XYZ", 5), etx(5)]
    run = Run().feed(script).end()
    assert typed_text(run, script) == "ab"
    assert run.scans == ["XYZ"]


def test_an_empty_frame_is_swallowed_without_a_scan_text():
    run = Run().feed([stx(), etx(5)]).end()
    assert run.scans == [""] and run.typed == []


def test_other_key_aborts_a_frame_and_everything_comes_out_in_order():
    script = [stx(), *chars("AB", 5), K(Stroke.OTHER, "", 5)]
    run = Run().feed(script).end()
    assert typed_text(run, script) == "<stx>AB<other>"


# --- interleaving -----------------------------------------------------------------------------------------------


def test_typing_then_a_scan_then_typing_with_clean_gaps():
    script = [*chars("ab", 150), K(Stroke.CHAR, "S", 200), *chars("CAN-01", 5), enter(5), *chars("cd", 150)]
    run = Run().feed(script, tick=True).end()
    assert run.scans == ["SCAN-01"]
    assert typed_text(run, script) == "abcd"


def test_decisions_do_not_depend_on_when_the_timer_fires():
    script = [*chars("ab", 150), *chars("QRCODE", 3), enter(3), *chars("xyz", 45), stx(20), *chars("F", 10)]
    untimed = Run().feed(script).end()
    timed = Run().feed(script, tick=True).end()
    assert untimed.out == timed.out


# --- properties ----------------------------------------------------------------------------------------------

strokes = st.one_of(
    st.builds(
        K,
        st.just(Stroke.CHAR),
        st.sampled_from("aZ09-:/?=中"),
        st.sampled_from([0, 3, 20, 39, 40, 41, 90, 300]),
    ),
    st.builds(
        K,
        st.sampled_from([Stroke.ENTER, Stroke.STX, Stroke.ETX, Stroke.OTHER]),
        st.just(""),
        st.sampled_from([0, 5, 41, 260]),
    ),
)


@settings(max_examples=300, deadline=None)
@given(script=st.lists(strokes, max_size=60), tick=st.booleans(), min_length=st.integers(1, 6))
def test_every_keystroke_comes_out_exactly_once_in_order(script, tick, min_length):
    run = (
        Run(WedgeConfig(max_gap_ms=40, min_length=min_length, frame_gap_ms=250)).feed(script, tick=tick).end()
    )
    assert run.walk() == list(range(len(script)))
    assert not run.classifier.holding
    # The text: what reached the field and the scans' texts, in output order, hold every character in order.
    pieces = [v.text.replace("\n", "") if isinstance(v, Scan) else script[v].text for _kind, v in run.out]
    assert "".join(pieces) == "".join(k.text for k in script)


@settings(max_examples=200, deadline=None)
@given(script=st.lists(strokes, max_size=60))
def test_the_timer_never_changes_the_outcome(script):
    assert Run().feed(script).end().out == Run().feed(script, tick=True).end().out


@settings(max_examples=200, deadline=None)
@given(
    payload=st.text(st.characters(codec="ascii", categories=["L", "N", "P", "S"]), min_size=4, max_size=80),
    gaps=st.lists(st.floats(0, 40), min_size=80, max_size=80),
)
def test_any_fast_burst_with_enter_is_exactly_its_payload(payload, gaps):
    script = [K(Stroke.CHAR, ch, gaps[i]) for i, ch in enumerate(payload)] + [enter(gaps[-1])]
    run = Run(WedgeConfig(max_gap_ms=40, min_length=4)).feed(script).end()
    assert run.scans == [payload]
    assert run.typed == []


@settings(max_examples=100, deadline=None)
@given(
    text=st.text(st.characters(codec="utf-8", categories=["L", "N", "P"]), max_size=30),
    gaps=st.lists(st.floats(80, 2000), min_size=31, max_size=31),
)
def test_people_typing_never_make_a_scan(text, gaps):
    script = [K(Stroke.CHAR, ch, gaps[i]) for i, ch in enumerate(text)] + [enter(gaps[-1])]
    run = Run().feed(script).end()
    assert run.scans == []
    assert typed_text(run, script) == text + "<enter>"
