"""The printed guide (办事指南): a real A4 PDF read back with poppler-utils and QtPdf, and its preview pages."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import qrcode
from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtQml import QQmlComponent, QQmlEngine

from kiosk.domain.catalog import Material, ServiceItem, parse_catalog
from kiosk.render.guide_print import LABELS_EN, LABELS_ZH, GuideDocumentInfo, render_guide_pdf
from kiosk.render.preview import PdfReadError, opened_pdf, page_count, render_pdf_pages
from kiosk.ui.features.guide.preview_images import PreviewImageProvider
from tests.pdftext import compact, normalize, pdf_text


def test_the_pdf_tools_are_installed():
    assert shutil.which("pdftotext") and shutil.which("pdfinfo"), (
        "install poppler-utils (scripts/setup.sh does)"
    )


A4_POINTS = (595.28, 841.89)
MARGIN_PT = 15 / 25.4 * 72  # the guide keeps at least 15 mm clear on each side
URL = "https://www.gdzwfw.gov.cn/portal/v2/guide/11440100MB2C92110C4440111001?from=kiosk"
INFO = GuideDocumentInfo(terminal_id="GZ-TH-0042", printed_at=datetime(2026, 11, 22, 9, 5), language="zh_CN")


def guide_item(
    *, conditions: int = 2, materials: int | None = None, online_url: str | None = URL, **changes: Any
) -> ServiceItem:
    raw: dict[str, Any] = {
        "code": "11440100MB2C92110C4440111001",
        "name": "居民身份证换领（有效期满换领）",
        "department": {"code": "GA", "name": "广州市公安局"},
        "handling": {
            "type": "承诺件",
            "time_limit_days": 20,
            "fee": "工本费20元",
            "online_url": online_url,
            "locations": [
                {
                    "name": "天河区政务服务中心",
                    "address": "广州市天河区华观路1933号",
                    "hours": "周一至周五 9:00-17:00",
                    "phone": "020-12345",
                },
                {
                    "name": "石牌街道便民服务中心",
                    "address": "广州市天河区石牌东路38号",
                    "hours": "",
                    "phone": "",
                },
            ],
        },
        "conditions": [
            f"第{n + 1}项条件：申请人为本市户籍居民，居民身份证有效期满前三个月内申请换领。"
            for n in range(conditions)
        ],
        "materials": [
            {"name": "居民身份证原件", "required": True, "copies": 1, "note": "核验后退还"},
            {"name": "户口簿", "required": True, "copies": 1, "note": ""},
            {"name": "一寸近期免冠彩色照片", "required": False, "copies": 2, "note": "白色背景"},
        ]
        if materials is None
        else [
            {
                "name": f"证明材料第{n + 1}号",
                "required": n % 3 != 2,
                "copies": 1 + n % 2,
                "note": "需本人到场采集人像和指纹信息；未满十六周岁的由监护人陪同办理" if n % 4 == 0 else "",
            }
            for n in range(materials)
        ],
        "legal_basis": ["《中华人民共和国居民身份证法》第十一条"],
        "version": 1,
        "updated_at": "2026-10-01T09:00:00+08:00",
    }
    for key, value in changes.items():
        if key in raw["handling"]:
            raw["handling"][key] = value
        else:
            raw[key] = value
    entry = parse_catalog({"format": "kiosk-catalog/1", "items": [raw]})[0]
    assert entry.item is not None
    return entry.item


def render(
    tmp_path: Path, item: ServiceItem, info: GuideDocumentInfo = INFO, name: str = "guide.pdf"
) -> Path:
    path = render_guide_pdf(item, tmp_path / name, info)
    assert path == tmp_path / name and path.is_file()
    return path


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdf_images(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def word_boxes(path: Path) -> list[tuple[str, float, float, float, float]]:
    """Every word pdftotext finds, with its box in points: (word, x_min, y_min, x_max, y_max)."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [
        (w, float(a), float(b), float(c), float(d))
        for a, b, c, d, w in re.findall(pattern, out.decode("utf-8"))
    ]


def test_the_guide_is_an_a4_pdf_of_real_text_with_every_section(qapp, tmp_path: Path) -> None:
    item = guide_item()
    path = render(tmp_path, item)

    info = pdfinfo(path)
    assert "A4" in info["Page size"]
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (width, height) == pytest.approx(A4_POINTS, abs=1)
    assert normalize(item.name) in normalize(info["Title"])
    assert info["Creator"].startswith("kiosk")
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    font_rows = fonts.splitlines()[2:]
    assert font_rows and all(" yes " in row for row in font_rows)  # embedded
    assert any("NotoSansCJK" in row for row in font_rows)

    text = pdf_text(path)
    flat = compact(text)
    for expected in [
        item.name,
        "办事指南",
        item.code,
        "广州市公安局",
        "承诺件",
        "申办条件",
        "第1项条件",
        "第2项条件",
        "申请材料",
        "材料名称",
        "份数",
        "备注",
        "居民身份证原件",
        "户口簿",
        "一寸近期免冠彩色照片",
        "白色背景",
        "办理时限",
        "20 个工作日",
        "收费标准",
        "工本费20元",
        "办理地点",
        "天河区政务服务中心",
        "广州市天河区华观路1933号",
        "周一至周五 9:00-17:00",
        "020-12345",
        "石牌街道便民服务中心",
        "广州市天河区石牌东路38号",
        "设定依据",
        "《中华人民共和国居民身份证法》第十一条",
        "网上办理",
        URL,
        "GZ-TH-0042",
        "2026-11-22 09:05",
        "本指南仅供参考，以窗口最新要求为准",
    ]:
        assert compact(normalize(expected)) in flat, expected
    # required-ness is spelled out in words, never shown by colour alone: two 必要 rows, one 非必要, plus the header
    assert flat.count("非必要") == 1 + 1
    assert flat.count("必要") == 2 + 1 + 2
    pages = page_count(path)
    assert all(f"第{n}页/共{pages}页" in flat for n in range(1, pages + 1))
    assert not list(tmp_path.glob("*.part"))


def test_codes_and_urls_keep_their_digits_and_letters(qapp, tmp_path: Path) -> None:
    """Latin runs with digits and ligature pairs must stay extractable text (not glyphs without a mapping)."""
    url = "https://example.gov.cn/office/file-flow/2026?id=A1B2C3"
    item = guide_item(code="GD-2026-MB2C9", online_url=url, fee="Official fee: 0 (fifty-fifty office)")
    text = pdf_text(render(tmp_path, item, GuideDocumentInfo("KX-2C-0042", INFO.printed_at, "en")))
    flat = compact(text)
    for expected in ["GD-2026-MB2C9", url, "Officialfee:0(fifty-fiftyoffice)", "KX-2C-0042"]:
        assert compact(expected) in flat, expected


def test_the_qr_code_encodes_the_online_url(qapp, tmp_path: Path) -> None:
    path = render(tmp_path, guide_item(online_url=URL))

    images = pdf_images(path)
    assert len(images) == 1
    assert images[0][2] == "image" and images[0][8] != "jpeg"  # lossless: the modules stay sharp
    assert int(images[0][12]) >= 150  # x-ppi: about 36 mm wide on paper

    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "img")], check=True)
    image = QImage(str(next(tmp_path.glob("img-*.png"))))
    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    expected.add_data(URL)
    expected.make(fit=True)
    matrix = expected.get_matrix()
    module = image.width() / len(matrix)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            gray = QColor(image.pixel(int((x + 0.5) * module), int((y + 0.5) * module))).lightness()
            assert (gray < 128) == dark, (x, y)
    assert compact(URL) in compact(pdf_text(path))


def test_without_an_online_url_the_guide_says_so_and_has_no_qr_code(qapp, tmp_path: Path) -> None:
    path = render(tmp_path, guide_item(online_url=None))

    assert pdf_images(path) == []
    flat = compact(pdf_text(path))
    assert compact(normalize("本事项暂不支持网上办理")) in flat
    assert "https://" not in flat


def test_a_long_guide_flows_onto_several_pages_within_the_margins(qapp, tmp_path: Path) -> None:
    item = guide_item(conditions=30, materials=40, legal_basis=["依据" + "Y" * 150])
    # long unbreakable runs must wrap inside the page and inside their table cell
    item = replace(
        item, materials=(*item.materials, Material("超长材料" + "W" * 90, True, 1, "https://" + "q" * 120))
    )
    path = render(tmp_path, item)

    pages = page_count(path)
    assert pages >= 3
    flat = compact(pdf_text(path))
    for n in range(1, 31):
        assert f"第{n}项条件" in flat
    for m in item.materials[:-1]:
        assert compact(normalize(m.name)) in flat
    # the long runs are all there (pdftotext reads a wrapped cell's lines in between its neighbours' lines)
    assert "Y" * 150 in flat and flat.count("W") == 90 and flat.count("q") == 120
    assert f"第{pages}页/共{pages}页" in flat

    boxes = word_boxes(path)
    assert boxes
    for word, x_min, y_min, x_max, y_max in boxes:
        assert x_min >= MARGIN_PT - 1 and x_max <= A4_POINTS[0] - MARGIN_PT + 1, word
        assert y_min >= MARGIN_PT - 1 and y_max <= A4_POINTS[1] - 8 / 25.4 * 72, word

    images = render_pdf_pages(path, 600)
    assert len(images) == pages
    for image in images:
        assert image.width() == 600
        assert image.height() == pytest.approx(600 * A4_POINTS[1] / A4_POINTS[0], abs=2)
        assert not image.isNull()


def test_pages_break_between_rows_and_never_after_a_heading(qapp, tmp_path: Path) -> None:
    path = render(tmp_path, guide_item(conditions=12, materials=40))
    pages = [compact(p) for p in pdf_text(path).split("\f") if p.strip()]
    assert len(pages) >= 3
    note_start, note_end = compact(normalize("需本人到场采集")), compact(normalize("由监护人陪同办理"))
    seen = 0
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页/共{len(pages)}页" in page
        names = [n for n in range(1, 41) if f"证明材料第{n}号" in page]
        seen += len(names)
        with_note = [n for n in names if n % 4 == 1]
        # a row's note is on the same page as its name: no row is cut in two
        assert page.count(note_start) == page.count(note_end) == len(with_note), number
        body = page.split(compact(normalize("本指南仅供参考")))[0]
        for heading in ("申办条件", "申请材料", "办理时限", "收费标准", "办理地点", "设定依据", "网上办理"):
            assert not body.endswith(compact(normalize(heading))), (number, heading)
    assert seen == 40  # each material on exactly one page


def test_english_labels_keep_the_item_content_as_provided(qapp, tmp_path: Path) -> None:
    item = guide_item()
    info = GuideDocumentInfo(terminal_id="GZ-TH-0042", printed_at=INFO.printed_at, language="en")
    flat = compact(pdf_text(render(tmp_path, item, info)))

    for label in [
        "Service Guide",
        "Item code",
        "Department",
        "Conditions",
        "Materials",
        "Required",
        "Optional",
        "Copies",
        "Note",
        "Time limit",
        "20 working days",
        "Fee",
        "Where to apply",
        "Address",
        "Legal basis",
        "Apply online",
        "Terminal",
        "Printed at",
        "For reference only",
        "Page1of",
    ]:
        assert compact(label) in flat, label
    for content in [item.name, "居民身份证原件", "广州市天河区华观路1933号", "工本费20元"]:
        assert compact(normalize(content)) in flat, content
    for chinese_label in ["申办条件", "申请材料", "办理时限", "终端编号", "打印时间"]:
        assert compact(normalize(chinese_label)) not in flat, chinese_label
    assert set(LABELS_EN) == set(LABELS_ZH)


def test_on_the_spot_items_and_empty_sections(qapp, tmp_path: Path) -> None:
    item = guide_item(
        type="即办件",
        time_limit_days=0,
        fee="",
        locations=[],
        conditions=0,
        legal_basis=[],
        materials=0,
        name="<临时>救助 & 申请",
    )
    flat = compact(pdf_text(render(tmp_path, item)))

    assert compact(normalize("<临时>救助 & 申请")) in flat  # printed as text, not taken for markup
    assert compact(normalize("即办件")) in flat
    assert compact(normalize("办理时限即办")) in flat
    assert flat.count(compact(normalize("未注明"))) == 5  # conditions, materials, fee, locations, legal basis
    assert "工作日" not in flat


def test_rendering_from_a_worker_thread(qapp, tmp_path: Path) -> None:
    results: dict[str, object] = {}

    def work(name: str) -> None:
        try:
            results[name] = render_guide_pdf(guide_item(materials=12), tmp_path / f"{name}.pdf", INFO)
        except BaseException as exc:
            results[name] = exc

    threads = [threading.Thread(target=work, args=(f"t{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert set(results) == {"t0", "t1"}
    for result in results.values():
        assert isinstance(result, Path), result
        assert page_count(result) >= 1
        assert compact(normalize("居民身份证换领")) in compact(pdf_text(result))


def test_page_count_and_render_pdf_pages_reject_what_is_not_a_pdf(qapp, tmp_path: Path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf")
    with pytest.raises(PdfReadError):
        page_count(junk)
    with pytest.raises(PdfReadError):
        render_pdf_pages(tmp_path / "missing.pdf", 300)
    with pytest.raises(ValueError):
        render_pdf_pages(junk, 0)


def test_preview_provider_serves_pages_of_the_current_document(qapp, tmp_path: Path) -> None:
    path = render(tmp_path, guide_item(conditions=30, materials=40))
    pages = page_count(path)
    provider = PreviewImageProvider()
    size = QSize()

    blank = provider.requestImage("0?v=1", size, QSize(300, -1))
    assert blank.width() <= 1  # no document yet

    provider.set_document(path)
    first = provider.requestImage("0?v=1", size, QSize(300, -1))
    assert first.width() == 300 and size == first.size()
    assert first.height() == pytest.approx(300 * A4_POINTS[1] / A4_POINTS[0], abs=2)
    assert first.pixelColor(2, 2) == QColor("white")  # paper, not transparency
    last = provider.requestImage(f"{pages - 1}?v=1", size, QSize(-1, -1))
    assert last.width() > 300 and not last.isNull()
    assert provider.requestImage(f"{pages}?v=1", size, QSize(300, -1)).width() <= 1
    assert provider.requestImage("x?v=1", size, QSize(300, -1)).width() <= 1

    by_height = provider.requestImage("0?v=1", size, QSize(0, 500))
    assert by_height.height() == pytest.approx(500, abs=1)

    provider.set_document(None)
    assert provider.requestImage("0?v=2", size, QSize(300, -1)).width() <= 1


def test_preview_provider_is_safe_to_call_from_several_threads(qapp, tmp_path: Path) -> None:
    path = render(tmp_path, guide_item(conditions=30, materials=40))
    pages = page_count(path)
    provider = PreviewImageProvider()
    provider.set_document(path)
    sizes: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for n in range(6):
                image = provider.requestImage(
                    f"{(n + offset) % pages}?v=1", QSize(), QSize(240 + 40 * (n % 2), 0)
                )
                sizes.append((image.width(), image.height()))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    provider.set_document(path)  # a new document while pages are being served
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert len(sizes) == 24 and {w for w, _ in sizes} == {240, 280}


def test_qml_shows_preview_pages(qapp, qtbot, tmp_path: Path) -> None:
    path = render(tmp_path, guide_item())
    provider = PreviewImageProvider()
    provider.set_document(path)
    engine = QQmlEngine()
    engine.addImageProvider(PreviewImageProvider.PROVIDER_ID, provider)
    component = QQmlComponent(engine)
    component.setData(
        b'import QtQuick\nImage { source: "image://preview/0?v=1"; sourceSize.width: 420 }',
        QUrl("inline.qml"),
    )
    image = component.create()
    assert image is not None, component.errorString()
    qtbot.waitUntil(lambda: image.property("implicitWidth") > 0, timeout=10000)
    assert image.property("implicitWidth") == 420
    assert image.property("implicitHeight") == pytest.approx(420 * A4_POINTS[1] / A4_POINTS[0], abs=2)
    image.deleteLater()


def test_printing_guides_again_and_again_keeps_nothing_alive(qapp, tmp_path: Path) -> None:
    """A terminal prints guides for weeks: each printout's PDF writer (and what it holds) must go with it."""
    import gc

    from PySide6.QtGui import QPdfWriter

    def writers() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, QPdfWriter))

    item = guide_item()
    render(tmp_path, item)  # anything made once per process is made now
    before = writers()
    for n in range(5):
        render(tmp_path, item, name=f"again-{n}.pdf")
    assert writers() == before


def test_one_thread_reads_one_pdf_after_another_with_one_document_object(qapp, tmp_path: Path) -> None:
    """QtPdf keeps memory for every document object ever made; a terminal reads thousands of PDFs, so a thread
    reuses one object. Each read still sees its own file, and a bad file in between spoils nothing."""
    short = render(tmp_path, guide_item(conditions=1, materials=1), name="short.pdf")
    long = render(tmp_path, guide_item(conditions=30, materials=40), name="long.pdf")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf")
    with opened_pdf(short) as first:
        short_pages = first.pageCount()
    with pytest.raises(PdfReadError), opened_pdf(junk):
        pass
    with opened_pdf(long) as second:
        assert second is first
        assert second.pageCount() > short_pages
    assert page_count(short) == short_pages and render_pdf_pages(short, 100)[0].width() == 100

    elsewhere: list[object] = []

    def read() -> None:
        with opened_pdf(short) as document:
            elsewhere.append(document)

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(timeout=60)
    assert elsewhere and elsewhere[0] is not first  # a QObject belongs to its thread
