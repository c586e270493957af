"""The rating pad's ratings (docs/rating-pad.md): one rating per ticket reaches the hall once; a rating given while
the hall is away is kept on the pad, sealed, and sent once when the hall is back. The real hall as a process on
127.0.0.1, reached through a link the test can cut; the pad's outbox a real folder with the real keystore."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.domain.rating import Rating
from kiosk.hall_client import HallClient, HallRefused
from kiosk.services.background import Background
from kiosk.services.rating.service import THANKS_BAD
from kiosk.services.rating_pad.ratings import ALREADY_RATED, KEPT, PadRatings
from kiosk.store.keystore import Keystore
from kiosk.store.pad_outbox import PadOutbox
from kiosk.store.sealing import Sealer
from tests.hall_support import CuttableLink, HallProcess, running_hall


@pytest.fixture
def hall_process(tmp_path: Path) -> Iterator[HallProcess]:
    yield from running_hall(tmp_path)


@pytest.fixture
def link(hall_process: HallProcess) -> Iterator[CuttableLink]:
    relay = CuttableLink(hall_process.port)
    yield relay
    relay.close()


@pytest.fixture
def pad(hall_process: HallProcess, link: CuttableLink, tmp_path: Path) -> Iterator[PadRatings]:
    terminal_id, secret = hall_process.add_terminal("3号窗口评价器")
    client = HallClient(link.url, terminal_id, bytes.fromhex(secret), "HMAC-SHA256", retry_for=0)
    outbox = PadOutbox.in_data_dir(
        tmp_path / "pad", Sealer(Keystore.for_data_dir(tmp_path / "pad"), "standard")
    )
    background = Background()
    yield PadRatings(client, outbox, background)
    background.shutdown()
    client.close()


def finished_ticket(hall: HallProcess, counter: int = 3) -> str:
    staff = hall.client(f"{counter}号窗口")
    staff.take("ZH")
    called = staff.call_next(counter)
    assert called.ticket is not None
    staff.finish(counter)
    staff.close()
    return called.ticket.id


def bad_rating(ticket_id: str) -> Rating:
    return Rating(
        subject=PadRatings.subject(ticket_id),
        level=2,
        rated_at=datetime.now().astimezone(),
        reasons=("等待时间长",),
        comment="",
    )


def test_a_rating_reaches_the_hall_once_and_a_second_is_refused(
    hall_process: HallProcess, pad: PadRatings
) -> None:
    ticket_id = finished_ticket(hall_process)
    assert not pad.already_rated(PadRatings.subject(ticket_id))
    outcome = pad.submit(bad_rating(ticket_id), None).result(30)
    assert (outcome.status, outcome.message) == ("accepted", THANKS_BAD)
    assert pad.pending() == 0
    assert hall_process.client().ticket(ticket_id).rated
    assert pad.already_rated(PadRatings.subject(ticket_id))

    again = pad.submit(bad_rating(ticket_id), None).result(30)
    assert (again.status, again.message) == ("duplicate", ALREADY_RATED)
    with pytest.raises(HallRefused) as refused:
        hall_process.client().rate(ticket_id, 5)
    assert refused.value.code == "already_rated"
    rows = hall_process.admin.db.rows("SELECT level, reasons, source FROM ratings")
    assert [(r["level"], r["source"]) for r in rows] == [(2, "pad")]


def test_a_rating_given_while_the_hall_is_away_is_kept_sealed_and_sent_once_when_it_returns(
    hall_process: HallProcess, pad: PadRatings, link: CuttableLink, tmp_path: Path
) -> None:
    ticket_id = finished_ticket(hall_process)
    link.cut()
    rating = Rating(
        subject=PadRatings.subject(ticket_id),
        level=1,
        rated_at=datetime.now().astimezone(),
        reasons=("服务态度差", "其他"),
        comment="窗口工作人员一直在看手机",
    )
    outcome = pad.submit(rating, None).result(30)
    assert (outcome.status, outcome.message) == ("accepted", KEPT)
    assert pad.pending() == 1 and pad.already_rated(PadRatings.subject(ticket_id))
    files = list((tmp_path / "pad" / "rating-pad" / "outbox").iterdir())
    assert len(files) == 1
    assert "工作人员".encode() not in files[0].read_bytes()  # sealed: the comment may name someone

    assert pad.deliver().kept == 1  # still away: it stays
    link.restore()
    delivered = pad.deliver()
    assert (delivered.sent, delivered.kept) == (1, 0) and pad.pending() == 0
    assert pad.deliver().sent == 0  # nothing twice
    rows = hall_process.admin.db.rows("SELECT level, comment FROM ratings")
    assert [(r["level"], r["comment"]) for r in rows] == [(1, "窗口工作人员一直在看手机")]


def test_a_kept_rating_whose_answer_was_lost_is_sent_again_and_taken_once(
    hall_process: HallProcess, pad: PadRatings
) -> None:
    """The hall took it but the pad never heard (killed before the file left): sent again under its request id,
    the hall answers as before, and the file leaves."""
    ticket_id = finished_ticket(hall_process)
    kept = pad.outbox.keep(ticket_id, "A001", 4, (), "", now=time.time())
    pad.client.rate(ticket_id, 4, request_id=kept.request_id)  # the first send, its answer lost
    assert pad.deliver().sent == 1 and pad.pending() == 0
    assert hall_process.admin.db.rows("SELECT COUNT(*) FROM ratings")[0][0] == 1


def test_a_kept_file_that_cannot_be_opened_is_set_aside_not_sent(pad: PadRatings, tmp_path: Path) -> None:
    folder = tmp_path / "pad" / "rating-pad" / "outbox"
    folder.mkdir(parents=True)
    (folder / ("0" * 32 + ".rating")).write_bytes(b"not sealed at all")
    assert pad.pending() == 0 and pad.deliver().sent == 0
    assert (tmp_path / "pad" / "rating-pad" / "damaged" / ("0" * 32 + ".rating")).exists()
