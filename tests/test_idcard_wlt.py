"""The optional WLT photo decoder, through real shared libraries with the vendors' entry points
(tests/native/wlt_sim.c): ``unpack`` giving a whole BMP or bare pixels, and the file-based ``GetBmp``."""

from __future__ import annotations

import io
import logging
import os
import tempfile
from pathlib import Path

import pytest
from native_support import native_dir, sdtapi_sim_lib, wlt_getbmp_lib, wlt_sim_lib  # noqa: F401
from PIL import Image

from drivers.idcard.cards import SAMPLES, SimCard
from drivers.idcard.sdtapi import SdtapiReader
from drivers.idcard.wlt import BMP_LEN, RAW_LEN, WltDecoder, bmp_from_pixels, decode_wlt

PHOTO = SAMPLES["elder"].photo


def grey(wlt: bytes, x: int, y: int) -> int:
    """The stand-in decoder's picture: row ``y`` counted from the bottom, as BMP rows are stored."""
    return (y * 2 + wlt[(y * 102 + x) % 1024] // 4) & 0xFF


def picture(bmp: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(bmp))
    image.load()
    return image


@pytest.fixture(autouse=True)
def decoder_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WLT_SIM_MODE", raising=False)


def test_decodes_to_a_102_by_126_bmp(wlt_sim_lib: Path):  # noqa: F811
    bmp = decode_wlt(PHOTO, str(wlt_sim_lib))
    assert bmp is not None and len(bmp) == BMP_LEN == 38862
    image = picture(bmp)
    assert (image.format, image.size, image.mode) == ("BMP", (102, 126), "RGB")
    # the bottom-left pixel is the first stored; the picture follows the input bytes
    assert image.getpixel((0, 125)) == (grey(PHOTO, 0, 0),) * 3
    assert image.getpixel((101, 0)) == (grey(PHOTO, 101, 125),) * 3
    other = decode_wlt(SAMPLES["young"].photo, str(wlt_sim_lib))
    assert other is not None and other != bmp


def test_bare_pixels_are_wrapped_into_the_same_bmp(wlt_sim_lib: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    monkeypatch.setenv("WLT_SIM_MODE", "raw")
    bmp = WltDecoder(str(wlt_sim_lib)).decode(PHOTO)
    assert bmp is not None and len(bmp) == BMP_LEN
    image = picture(bmp)
    assert image.size == (102, 126)
    value = grey(PHOTO, 3, 0)
    assert image.getpixel((3, 125)) == (value, value, value // 2)  # red first in, blue half: channels kept


def test_the_file_based_getbmp_decoder(
    wlt_getbmp_lib: Path,  # noqa: F811
    wlt_sim_lib: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    bmp = WltDecoder(str(wlt_getbmp_lib)).decode(PHOTO)
    assert bmp is not None and picture(bmp).size == (102, 126)
    assert bmp == decode_wlt(PHOTO, str(wlt_sim_lib))  # the same picture as through unpack
    assert os.listdir(tmp_path) == []  # the photo's temporary files are gone


def test_no_library_configured_gives_none(caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.DEBUG, logger="drivers.idcard.wlt"):
        assert decode_wlt(PHOTO, None) is None
        assert decode_wlt(PHOTO, "") is None
    assert "no decoder library configured" in caplog.text


def test_a_missing_library_gives_none_and_says_why(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    missing = str(tmp_path / "libwlt2bmp.so")
    with caplog.at_level(logging.INFO, logger="drivers.idcard.wlt"):
        decoder = WltDecoder(missing)
        assert not decoder.usable and decoder.decode(PHOTO) is None
        assert decode_wlt(PHOTO, missing) is None
    assert "cannot load" in caplog.text and missing in caplog.text


def test_a_library_without_a_decoder_gives_none(sdtapi_sim_lib: Path):  # noqa: F811
    decoder = WltDecoder(str(sdtapi_sim_lib))
    assert not decoder.usable and "neither unpack nor GetBmp" in decoder.problem
    assert decoder.decode(PHOTO) is None


def test_a_failing_decoder_gives_none(
    wlt_sim_lib: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
):
    monkeypatch.setenv("WLT_SIM_MODE", "fail")
    with caplog.at_level(logging.WARNING, logger="drivers.idcard.wlt"):
        assert WltDecoder(str(wlt_sim_lib)).decode(PHOTO) is None
    assert "unpack returned 0" in caplog.text


@pytest.mark.parametrize("photo", [b"", PHOTO[:1000], PHOTO + b"\0"])
def test_a_photo_of_the_wrong_size_is_not_passed_to_the_library(wlt_sim_lib: Path, photo: bytes):  # noqa: F811
    assert decode_wlt(photo, str(wlt_sim_lib)) is None


def test_one_decoder_decodes_many_photos(wlt_sim_lib: Path):  # noqa: F811
    decoder = WltDecoder(str(wlt_sim_lib))
    results = [decoder.decode(sample.photo) for sample in SAMPLES.values()]
    assert all(result is not None and len(result) == BMP_LEN for result in results)
    assert len(set(results)) == len(SAMPLES)


def test_bmp_from_pixels_checks_its_input():
    bmp = bmp_from_pixels(bytes(RAW_LEN), rgb=False)
    assert picture(bmp).size == (102, 126)
    with pytest.raises(ValueError):
        bmp_from_pixels(bytes(RAW_LEN - 1), rgb=True)


def test_from_card_to_picture(
    sdtapi_sim_lib: Path,  # noqa: F811
    wlt_sim_lib: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    card = SimCard.from_identity(SAMPLES["hmt"])
    card_file = tmp_path / "card.bin"
    card_file.write_bytes(card.text + card.photo)
    monkeypatch.setenv("SDTAPI_SIM_CARD", str(card_file))
    monkeypatch.delenv("SDTAPI_SIM_FAULT", raising=False)
    reader = SdtapiReader(str(sdtapi_sim_lib))
    try:
        identity = reader.read_card(timeout=2).result(10).identity
    finally:
        reader.close()
    bmp = decode_wlt(identity.photo, str(wlt_sim_lib))
    assert bmp is not None and picture(bmp).size == (102, 126)
