"""The printed form: a real A4 PDF read back with poppler-utils (text, pages, images) and its QR codes decoded
module by module."""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import qrcode
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from drivers.idcard.cards import SAMPLES
from kiosk.domain.forms import FilledForm, parse_template
from kiosk.domain.receipt import group_receipt, make_receipt
from kiosk.render.form_print import FormPrintError, FormPrintInfo, rating_payload, render_form_pdf
from tests.pdftext import compact, normalize, pdf_text

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "resources" / "demo" / "forms"
TODAY = date(2026, 11, 22)
CST = timezone(timedelta(hours=8))
CREATED = datetime(2026, 11, 22, 9, 5, tzinfo=CST)
RECEIPT = make_receipt("T-7f3a9c21", TODAY, 42)
INFO = FormPrintInfo(terminal_id="T-7f3a9c21", printed_at=datetime(2026, 11, 22, 9, 6))
A4_POINTS = (595.28, 841.89)
MARGIN_PT = 15 / 25.4 * 72
STROKES = [[(0, 10), (5, 0), (10, 10), (15, 0)], [(20, 0), (20, 10), (30, 10)]]


def demo(name: str) -> dict[str, Any]:
    return json.loads((DEMO_DIR / f"{name}.json").read_text(encoding="utf-8"))


def sbk_form(**answers: Any) -> FilledForm:
    form = FilledForm.start(parse_template(demo("sbk-bhk")), CREATED, SAMPLES["elder"])
    base = {"phone": "13812345678", "apply_type": "reissue", "reissue_reason": "lost", "bank": "gdrcu"}
    base |= {"collect": "mail", "mail_address": "广东省清远市清新区太平镇禾丰村委会下围村12号（小卖部代收）"}
    for key, value in {**base, **answers}.items():
        form = form.with_value(key, value)
    return form.with_signature(STROKES).with_receipt(RECEIPT)


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdf_images(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def qr_matches(image: QImage, payload: str) -> bool:
    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    expected.add_data(payload)
    expected.make(fit=True)
    matrix = expected.get_matrix()
    module = image.width() / len(matrix)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            gray = QColor(image.pixel(int((x + 0.5) * module), int((y + 0.5) * module))).lightness()
            if (gray < 128) != dark:
                return False
    return True


def extracted_images(path: Path, folder: Path) -> list[QImage]:
    folder.mkdir()
    subprocess.run(["pdfimages", "-png", str(path), str(folder / "img")], check=True)
    return [QImage(str(p)) for p in sorted(folder.glob("img-*.png"))]


def test_the_form_is_an_a4_pdf_with_the_answers_and_the_receipt(qapp, tmp_path: Path) -> None:
    tmp = tmp_path / "data" / "tmp"
    path = render_form_pdf(sbk_form(), tmp, INFO, today=TODAY)

    assert path.parent == tmp and re.fullmatch(r"form-[0-9a-f]{32}\.pdf", path.name)
    assert [p.name for p in tmp.iterdir()] == [path.name]  # nothing else, no .part left
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600
    info = pdfinfo(path)
    assert "A4" in info["Page size"] and info["Pages"] == "1"
    assert normalize(info["Title"]) == normalize(
        "社会保障卡补换卡申请表"
    )  # the form's, never the citizen's name
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert any("NotoSansCJK" in row and " yes " in row for row in fonts.splitlines()[2:])

    flat = compact(pdf_text(path))
    # The number is printed in its three groups, to be read aloud (the QR code carries the plain digits).
    assert re.search(r"\s+".join(group_receipt(RECEIPT).split(" ")), pdf_text(path))
    elder = SAMPLES["elder"]
    for expected in [
        "社会保障卡补换卡申请表",
        "受理部门：清远市人力资源和社会保障局",
        "回执编号",
        RECEIPT,
        "扫码评价",
        "申请人基本信息",
        "姓名",
        elder.name,
        "公民身份号码",
        elder.id_number,
        "性别",
        "女",
        "汉族",
        "13812345678",
        "补卡",
        "遗失",
        "广东农信",
        "邮寄到家（到付）",
        "广东省清远市清新区太平镇禾丰村委会下围村12号（小卖部代收）",
        "（未填写）",  # the optional postcode
        "本人承诺以上信息真实有效",
        "申请人（签名）：",
        "日期：2026年11月22日",
        "填表时间：2026-11-2209:05",
        "终端编号：T-7f3a9c21",
        "打印时间：2026-11-2209:06",
        "第1页/共1页",
    ]:
        assert compact(normalize(expected)) in flat, expected
    # hidden by show_if (换卡 was not chosen): not printed
    assert compact(normalize("换卡原因")) not in flat and compact(normalize("芯片故障")) not in flat


def test_the_two_qr_codes_carry_the_receipt_and_the_rating(qapp, tmp_path: Path) -> None:
    path = render_form_pdf(sbk_form(), tmp_path / "tmp", INFO, today=TODAY)
    images = pdf_images(path)
    assert len(images) == 2  # a signature of strokes is drawn, not an image
    assert all(row[8] != "jpeg" for row in images)  # lossless: the modules stay sharp
    receipt_qr, rating_qr = extracted_images(path, tmp_path / "img")
    assert qr_matches(receipt_qr, RECEIPT)
    assert qr_matches(rating_qr, f"KIOSK-RATE {RECEIPT}")
    assert rating_payload(RECEIPT) == f"KIOSK-RATE {RECEIPT}"

    url = "https://pj.gdzwfw.gov.cn/rate?no={receipt}&from=kiosk"
    info = FormPrintInfo(INFO.terminal_id, INFO.printed_at, rating_url=url)
    path = render_form_pdf(sbk_form(), tmp_path / "tmp", info, today=TODAY)
    _, rating_qr = extracted_images(path, tmp_path / "img2")
    assert qr_matches(rating_qr, f"https://pj.gdzwfw.gov.cn/rate?no={RECEIPT}&from=kiosk")


def _png_signature() -> bytes:
    image = QImage(400, 150, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QPen(QColor("black"), 6))
    painter.drawLine(20, 120, 150, 30)
    painter.drawLine(150, 30, 300, 110)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_a_png_signature_is_printed_as_an_image(qapp, tmp_path: Path) -> None:
    form = sbk_form().with_signature(_png_signature())
    path = render_form_pdf(form, tmp_path / "tmp", INFO, today=TODAY)
    images = pdf_images(path)
    assert len(images) == 3
    assert (images[2][3], images[2][4]) == ("400", "150")


def long_template(fields: int = 75) -> dict[str, Any]:
    steps = []
    for s in range(3):
        steps.append(
            {
                "title": f"第{s + 1}部分",
                "fields": [
                    {
                        "key": f"f{s}_{n}",
                        "type": "address" if n % 5 == 0 else "text",
                        "label": f"项目{s + 1}-{n + 1}",
                    }
                    for n in range(fields // 3)
                ],
            }
        )
    steps[0]["fields"][0] = {
        "key": "name",
        "type": "text",
        "label": "姓名",
        "prefill": "name",
        "required": True,
    }
    steps[0]["fields"][1] = {
        "key": "id_number",
        "type": "id_number",
        "label": "公民身份号码",
        "prefill": "id_number",
    }
    steps[2]["fields"].append({"key": "sign", "type": "signature", "label": "签名", "required": True})
    return {
        "format": "kiosk-form/1",
        "code": "LONG-1",
        "version": 1,
        "title": "家庭经济状况核对授权及申报表",
        "department": "清远市民政局",
        "steps": steps,
        "print": {
            "sections": [
                {
                    "title": f"第{s + 1}部分",
                    "fields": [f["key"] for f in step["fields"] if f["type"] != "signature"],
                }
                for s, step in enumerate(steps)
            ],
            "declaration": "本人承诺以上申报内容真实完整。" * 6,
        },
    }


def test_a_long_form_flows_onto_several_pages_within_the_margins(qapp, tmp_path: Path) -> None:
    template = parse_template(long_template())
    form = FilledForm.start(template, CREATED, SAMPLES["elder"])
    for f in template.fields:
        if f.key.startswith("f"):
            long = f.type.value == "address"
            form = form.with_value(
                f.key, ("广东省清远市英德市大站镇上坪村委会" * 3) if long else f"答案{f.key}"
            )
    form = form.with_signature(STROKES).with_receipt(RECEIPT)
    path = render_form_pdf(form, tmp_path / "tmp", INFO, today=TODAY)

    pages = int(pdfinfo(path)["Pages"])
    assert pages >= 3
    texts = [compact(p) for p in pdf_text(path).split("\f") if p.strip()]
    assert len(texts) == pages
    for number, page in enumerate(texts, start=1):
        assert f"第{number}页/共{pages}页" in page
        assert compact(RECEIPT) in page  # every page names its form by the receipt number
        if number > 1:
            assert compact(normalize("家庭经济状况核对授权及申报表（续）")) in page
        for heading in ("第1部分", "第2部分", "第3部分"):  # a heading never ends a page
            body = page.split(compact(normalize("回执编号：")))[0]
            assert not body.endswith(compact(normalize(heading))), (number, heading)
    flat = "".join(texts)
    for f in template.fields:
        if f.key.startswith("f"):
            assert compact(normalize(f.label)) in flat, f.key
    addresses = sum(f.type.value == "address" for f in template.fields)
    assert flat.count(compact(normalize("广东省清远市英德市大站镇上坪村委会"))) == 3 * addresses
    assert compact(SAMPLES["elder"].id_number) in flat
    # the declaration and the signature are on the last page, together
    assert compact(normalize("本人承诺以上申报内容真实完整")) in texts[-1]
    assert compact(normalize("申请人（签名）：")) in texts[-1]

    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True).stdout
    boxes = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">', out.decode()
    )
    assert boxes
    for x_min, y_min, x_max, y_max in ((float(v) for v in box) for box in boxes):
        assert x_min >= MARGIN_PT - 1 and x_max <= A4_POINTS[0] - MARGIN_PT + 1
        assert y_min >= MARGIN_PT - 1 and y_max <= A4_POINTS[1] - 8 / 25.4 * 72


def test_every_demo_template_prints(qapp, tmp_path: Path) -> None:
    for path in sorted(DEMO_DIR.glob("*.json")):
        template = parse_template(json.loads(path.read_text(encoding="utf-8")))
        form = (
            FilledForm.start(template, CREATED, SAMPLES["young"])
            .with_signature(STROKES)
            .with_receipt(RECEIPT)
        )
        pdf = render_form_pdf(form, tmp_path / "tmp", INFO, today=TODAY)
        flat = compact(pdf_text(pdf))
        assert compact(normalize(template.title)) in flat, path.name
        assert compact(normalize("黄嘉豪")) in flat and SAMPLES["young"].id_number in flat, path.name
        assert int(pdfinfo(pdf)["Pages"]) <= 2, path.name


def test_personal_data_goes_only_to_the_tmp_folder(qapp, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tmp"):
        render_form_pdf(sbk_form(), tmp_path / "Desktop", INFO, today=TODAY)
    assert not (tmp_path / "Desktop").exists()
    with pytest.raises(FormPrintError, match="receipt"):
        render_form_pdf(sbk_form().with_receipt(""), tmp_path / "tmp", INFO, today=TODAY)
    assert not list(tmp_path.rglob("*.pdf*"))


def test_a_signature_that_does_not_decode_leaves_its_box_empty(qapp, tmp_path: Path) -> None:
    broken = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # passes the form's check, fails to decode
    path = render_form_pdf(sbk_form().with_signature(broken), tmp_path / "tmp", INFO, today=TODAY)
    assert len(pdf_images(path)) == 2
    assert compact(normalize("申请人（签名）：")) in compact(pdf_text(path))
