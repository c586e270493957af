"""Receipt numbers never repeat, even when the database that counted them is replaced: the last number issued each
day is also kept in the marker next to the database, and a number is issued past the higher of the two counts. A
citizen's printed receipt stays the only one with its number."""

from __future__ import annotations

import gc
import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import datetime
from pathlib import Path

from kiosk.config import Settings
from kiosk.domain.receipt import parse_receipt
from kiosk.services.forms.demo import seed_demo_forms
from kiosk.services.terminal import Terminal
from kiosk.store import receipts
from kiosk.store.database_marker import MARKER_FILE
from kiosk.store.migrations import MIGRATIONS
from kiosk.store.repair import repair
from tests.test_database_damage import scribble
from tests.test_submission import NOON, card_template, fill_card_form
from tests.test_sync_cli import kiosk

REPO = Path(__file__).resolve().parents[1]


def take_in(settings: Settings, count: int, *, clock=None) -> list[str]:
    """Open the terminal, take in ``count`` forms, close it; the receipt numbers given out."""
    with Terminal.open(settings) as terminal:
        if terminal.citizen.submissions.template("QY-RS-SBKBHK") is None:
            seed_demo_forms(terminal.database)
        service = terminal.citizen.submissions
        if clock is not None:
            service._clock = clock
        template = card_template(terminal)
        numbers = [service.submit(fill_card_form(template)).result(10).receipt for _ in range(count)]
    gc.collect()  # the writer thread's connection goes with it, as at the end of the terminal's process
    return numbers


def today() -> str:
    return datetime.now().astimezone().strftime("%y%m%d")


def sequences(numbers: list[str]) -> list[int]:
    return [parse_receipt(n).sequence for n in numbers]


def test_an_emptied_database_goes_on_past_the_last_printed_number(settings):
    printed = take_in(settings, 3)
    assert sequences(printed) == [1, 2, 3]
    put_in_place(Path("/dev/null"), settings.database_path)  # emptied by a bad copy or a clean-up tool

    after = take_in(settings, 2)
    assert sequences(after) == [4, 5]
    assert not set(printed) & set(after)
    with Terminal.open(settings) as terminal:
        assert terminal.database.replacement is not None  # and the replacement is still said plainly


def put_in_place(source: Path, database: Path) -> None:
    """``source`` as the database, alone: what the database's write-ahead log held is gone with it."""
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    shutil.copy(source, database)


def test_an_older_copy_put_back_goes_on_past_the_last_printed_number(settings, tmp_path):
    early = take_in(settings, 2)
    backup = tmp_path / "kiosk.db.backup"
    with closing(sqlite3.connect(settings.database_path)) as source, closing(sqlite3.connect(backup)) as copy:
        source.backup(copy)  # a consistent copy, as a backup tool makes one
    later = take_in(settings, 3)
    put_in_place(backup, settings.database_path)

    restored = take_in(settings, 2)
    assert sequences(early + later + restored) == [1, 2, 3, 4, 5, 6, 7]
    with Terminal.open(settings) as terminal:
        today = datetime.now().astimezone().strftime("%y%m%d")
        assert (
            receipts.issued(terminal.database.connection(), today) == 7
        )  # the database counts on from there


def test_counters_lost_in_a_repair_go_on_past_the_last_printed_number(settings):
    take_in(settings, 2)
    with closing(sqlite3.connect(settings.database_path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    scribble(settings.database_path, "receipt_counters")  # a failing disk: the counters cannot be read
    report = repair(settings.database_path, MIGRATIONS)
    assert report.outcome("receipt_counters") is not None and not report.outcome("receipt_counters").complete
    with Terminal.open(settings) as terminal:
        assert receipts.issued(terminal.database.connection(), today()) == 0
    assert sequences(take_in(settings, 1)) == [3]


def test_the_database_counts_on_when_the_marker_is_lost(settings):
    take_in(settings, 2)
    (settings.data_dir / MARKER_FILE).unlink()
    assert sequences(take_in(settings, 1)) == [3]
    marker = json.loads((settings.data_dir / MARKER_FILE).read_text(encoding="utf-8"))
    assert marker["receipts"] == {today(): 3}


def test_another_day_starts_from_one_and_the_marker_keeps_recent_days(settings):
    day_one = take_in(settings, 2, clock=lambda: NOON)
    day_two = take_in(settings, 1, clock=lambda: NOON + 86_400)
    assert sequences(day_one) == [1, 2] and sequences(day_two) == [1]
    for suffix in ("", "-wal", "-shm"):
        settings.database_path.with_name(settings.database_path.name + suffix).unlink(missing_ok=True)
    assert sequences(take_in(settings, 1, clock=lambda: NOON)) == [3]  # the clock put back to day one
    assert sequences(take_in(settings, 1, clock=lambda: NOON + 86_400)) == [2]


# A terminal process of its own: opens the data directory, takes in forms, prints their numbers and ends.
_ISSUE = """
import json, sys
from kiosk.config import load_settings
from kiosk.services.forms.demo import seed_demo_forms
from kiosk.services.terminal import Terminal
from tests.test_submission import card_template, fill_card_form
settings = load_settings(data_dir=sys.argv[1], environ={}, overrides={"terminal_id": "QY-QC-0001"})
with Terminal.open(settings) as terminal:
    seed_demo_forms(terminal.database)
    form = fill_card_form(card_template(terminal))
    service = terminal.citizen.submissions
    print(json.dumps([service.submit(form).result(10).receipt for _ in range(int(sys.argv[2]))]))
"""


def issue_in_a_process(data_dir: Path, count: int) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _ISSUE, str(data_dir), str(count)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_no_number_repeats_across_processes_and_a_replaced_database(settings, tmp_path):
    first = issue_in_a_process(settings.data_dir, 3)
    for suffix in ("", "-wal", "-shm"):
        settings.database_path.with_name(settings.database_path.name + suffix).unlink(missing_ok=True)
    second = issue_in_a_process(settings.data_dir, 2)
    numbers = first + second
    assert len(set(numbers)) == len(numbers) == 5
    assert sequences(numbers) == [1, 2, 3, 4, 5]


def test_acknowledging_or_repairing_the_database_keeps_the_numbers_issued(settings):
    take_in(settings, 2)
    put_in_place(Path("/dev/null"), settings.database_path)
    with Terminal.open(settings) as terminal:
        assert terminal.database.replacement is not None
    done = kiosk(settings.data_dir, "database", "acknowledge")
    assert done.returncode == 0, done.stderr
    done = kiosk(settings.data_dir, "database", "repair", "--force")
    assert done.returncode == 0, done.stderr
    marker = json.loads((settings.data_dir / MARKER_FILE).read_text(encoding="utf-8"))
    assert marker["receipts"] == {today(): 2} and marker["replaced"] is None
    assert sequences(take_in(settings, 1)) == [3]
