"""The printed form (自助填表回执): a filled form as an A4 PDF the citizen takes home or hands in.

Title and department, the receipt number large with its QR code and a second QR code for the service rating
(扫码评价), the answers laid out by the template's print layout (label and value cells, one or two columns, long
values wrapped), the declaration, the signature, and on every page the receipt number, the terminal, the time and
the page number. Type sizes suit elderly readers (values 13 pt, the receipt number up to 22 pt).

The page is painted block by block with QTextLayout on a QPdfWriter (real, searchable text in the shipped CJK
font); a block never splits across pages, and a section heading always starts its page with its first row.
Only QImage is used, never QPixmap: this may run on a worker thread once a QGuiApplication exists.

Personal data: the file goes into the temporary folder the caller passes (``<data_dir>/tmp``), under a random
name that says nothing about the person, readable by the terminal's account only; the caller deletes it after
printing.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPaintDevice,
    QPainter,
    QPainterPath,
    QPen,
    QTextLayout,
    QTextOption,
)

from kiosk import __version__
from kiosk.domain.forms import FieldType, FilledForm, FormField, Strokes, display_value, validate_value
from kiosk.domain.receipt import group_receipt
from kiosk.render.fonts import CJK_FONT_FAMILIES, ensure_fonts
from kiosk.render.pdf_writer import a4_writer
from kiosk.render.qr import qr_image

log = logging.getLogger(__name__)

PDF_DPI = 300
MARGINS_MM = QMarginsF(18, 15, 18, 10)  # left, top, right, bottom
FOOTER_MM = 14.0
TITLE_PT = 20.0
DEPARTMENT_PT = 13.0
HEADING_PT = 14.0
LABEL_PT = 12.0
VALUE_PT = 13.0
RECEIPT_PT = 22.0
RECEIPT_MIN_PT = 14.0
SMALL_PT = 11.0
FOOTER_PT = 10.0
LINE_SPACING = 1.3  # MIIT elder guideline: at least 1.3
QR_MM = 24.0
QR_MODULE_PX = 8
SIGNATURE_BOX_MM = (62.0, 20.0)
ROW_MIN_MM = 10.0
LABEL_SHARE = 0.2  # of the page's width, in one and two columns alike so the label column lines up
RATE_PREFIX = "KIOSK-RATE"
FILE_PREFIX = "form-"

LABELS: dict[str, str] = {
    "receipt": "回执编号",
    "receipt_qr": "回执",
    "rate_qr": "扫码评价",
    "filled_at": "填表时间",
    "terminal": "终端编号",
    "printed_at": "打印时间",
    "keep": "凭此编号可查询办理进度，请妥善保管本回执。",
    "department": "受理部门",
    "empty": "（未填写）",
    "declaration": "承诺",
    "date": "日期",
    "page": "第 {n} 页 / 共 {total} 页",
    "made_by": "本表由政务服务自助终端生成",
}


@dataclass(frozen=True)
class FormPrintInfo:
    """What the printout says besides the form: the terminal, when, and where the rating QR code leads.

    ``rating_url`` may hold ``{receipt}`` (replaced, URL-encoded); without one the rating QR code carries
    ``KIOSK-RATE <receipt>``, which the terminal's own scanner and the rating pad understand."""

    terminal_id: str
    printed_at: datetime
    rating_url: str | None = None


class FormPrintError(RuntimeError):
    """The form PDF could not be written."""


def rating_payload(receipt: str, rating_url: str | None = None) -> str:
    """What the 扫码评价 QR code carries for ``receipt``."""
    if rating_url:
        return rating_url.replace("{receipt}", quote(receipt, safe=""))
    return f"{RATE_PREFIX} {receipt}"


# --- type and measures ---------------------------------------------------------------------------------------


def _mm(value: float) -> float:
    return value / 25.4 * PDF_DPI


def _font(point_size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(CJK_FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    for feature in ("locl", "liga"):  # keep Latin digits and letters extractable (see guide_print._font)
        font.setFeature(QFont.Tag(feature), 0)
    return font


@dataclass
class _Text:
    """A paragraph laid out to a width: its layout, height and the width of its widest line."""

    layout: QTextLayout
    height: float
    width: float

    def draw(self, painter: QPainter, x: float, y: float, color: str = "black") -> None:
        painter.save()
        painter.setPen(QColor(color))
        self.layout.draw(painter, QPointF(x, y))
        painter.restore()


def _text(
    text: str,
    font: QFont,
    width: float,
    device: QPaintDevice,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> _Text:
    layout = QTextLayout(text, font, device)
    option = QTextOption(align)
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # long codes and numbers wrap too
    layout.setTextOption(option)
    leading = QFontMetricsF(font, device).lineSpacing() * (LINE_SPACING - 1)
    y = 0.0
    widest = 0.0
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, y))
        y += line.height() + leading
        widest = max(widest, line.naturalTextWidth())
    layout.endLayout()
    return _Text(layout, max(0.0, y - leading), widest)


# --- blocks: measured pieces of the page, never split ----------------------------------------------------------


@dataclass
class _Block:
    height: float
    paint: Callable[[QPainter, float], None]
    keep_with_next: bool = False
    gap_before: float = 0.0


class _Builder:
    """Measures the form into blocks of the page's width."""

    def __init__(self, form: FilledForm, info: FormPrintInfo, device: QPaintDevice, width: float) -> None:
        self.form = form
        self.info = info
        self.device = device
        self.width = width
        self.pad = _mm(2.0)
        self.pad_v = _mm(1.4)
        self.rule = _mm(0.3)

    def text(self, text: str, pt: float, width: float, *, bold: bool = False, center: bool = False) -> _Text:
        align = Qt.AlignmentFlag.AlignHCenter if center else Qt.AlignmentFlag.AlignLeft
        return _text(text, _font(pt, bold), width, self.device, align)

    def blocks(self, today: date | None) -> list[_Block]:
        out = [self.title(), self.receipt_box()]
        values = {
            f.key: validate_value(f, self.form.raw(f), today=today)
            for f in self.form.visible_fields(today=today)
        }
        template = self.form.template
        for section in template.layout.sections:
            fields = [template.field(key) for key in section.fields if key in values]
            if not fields:
                continue
            rows = self.rows(fields, values, section.columns)
            if section.title:
                out.append(self.heading(section.title))
            out.extend(rows)
        if template.layout.declaration:
            out.append(self.declaration(template.layout.declaration))
        placement = template.layout.signature
        if placement is not None:
            out.append(self.signature(placement.label, placement.align))
        return out

    def title(self) -> _Block:
        template = self.form.template
        title = self.text(template.title, TITLE_PT, self.width, bold=True, center=True)
        department = self.text(
            f"{LABELS['department']}：{template.department}", DEPARTMENT_PT, self.width, center=True
        )
        gap = _mm(1.5)

        def paint(p: QPainter, y: float) -> None:
            title.draw(p, 0, y)
            department.draw(p, 0, y + title.height + gap)

        return _Block(title.height + gap + department.height + _mm(3), paint)

    def receipt_box(self) -> _Block:
        receipt = self.form.receipt
        qr = _mm(QR_MM)
        gap = _mm(3)
        text_w = self.width - 2 * qr - 2 * gap - 2 * self.pad
        label = self.text(LABELS["receipt"], LABEL_PT, text_w)
        point = RECEIPT_PT
        shown = group_receipt(receipt)  # in the groups it is read aloud in; the QR code has the plain digits
        number = self.text(shown, point, text_w, bold=True)
        while number.height > number.layout.lineAt(0).height() * 1.01 and point > RECEIPT_MIN_PT:
            point -= 1  # one line if at all possible: it is read out and typed
            number = self.text(shown, point, text_w, bold=True)
        when = self.form.created_at.strftime("%Y-%m-%d %H:%M")
        meta = self.text(
            f"{LABELS['filled_at']}：{when}　{LABELS['terminal']}：{self.info.terminal_id}", SMALL_PT, text_w
        )
        keep = self.text(LABELS["keep"], SMALL_PT, text_w)
        captions = [self.text(LABELS[k], SMALL_PT, qr, center=True) for k in ("receipt_qr", "rate_qr")]
        images = [
            qr_image(receipt, module_px=QR_MODULE_PX),
            qr_image(rating_payload(receipt, self.info.rating_url), module_px=QR_MODULE_PX),
        ]
        line_gap = _mm(1.2)
        text_h = label.height + number.height + meta.height + keep.height + 3 * line_gap
        qr_h = qr + captions[0].height
        height = max(text_h, qr_h) + 2 * self.pad

        def paint(p: QPainter, y: float) -> None:
            p.save()
            p.setPen(QPen(QColor("black"), _mm(0.4)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(0, y, self.width, height))
            p.restore()
            top = y + self.pad + (height - 2 * self.pad - text_h) / 2
            for piece in (label, number, meta, keep):
                piece.draw(p, self.pad, top)
                top += piece.height + line_gap
            x = self.width - self.pad - 2 * qr - gap
            for image, caption in zip(images, captions, strict=True):
                p.drawImage(QRectF(x, y + self.pad, qr, qr), image)
                caption.draw(p, x, y + self.pad + qr)
                x += qr + gap

        return _Block(height, paint, gap_before=0)

    def heading(self, title: str) -> _Block:
        text = self.text(title, HEADING_PT, self.width - 2 * self.pad, bold=True)
        height = text.height + 2 * self.pad_v

        def paint(p: QPainter, y: float) -> None:
            p.fillRect(QRectF(0, y, self.width, height), QColor("#e3e3e3"))
            text.draw(p, self.pad, y + self.pad_v)

        return _Block(height, paint, keep_with_next=True, gap_before=_mm(3.5))

    def value_text(self, f: FormField, checked: tuple[object, str]) -> tuple[str, bool]:
        """The value as printed, and whether it is a real answer (not the 未填写 placeholder)."""
        value, message = checked
        if message:  # not expected on a submitted form; print what was entered rather than nothing
            raw = self.form.raw(f)
            return (str(raw) if raw not in (None, "") else LABELS["empty"], raw not in (None, ""))
        if value is None:
            return (LABELS["empty"], False)
        return (display_value(f, value), True)  # type: ignore[arg-type]

    def rows(
        self, fields: list[FormField], values: Mapping[str, tuple[object, str]], columns: int
    ) -> list[_Block]:
        label_w = self.width * LABEL_SHARE
        half_value_w = self.width / 2 - label_w
        wide_value_w = self.width - label_w
        value_font = _font(VALUE_PT)
        metrics = QFontMetricsF(value_font, self.device)
        rows: list[list[tuple[FormField, float]]] = []
        pending: list[tuple[FormField, float]] = []
        for f in fields:
            text, _ = self.value_text(f, values[f.key])
            wide = (
                columns == 1
                or f.type in (FieldType.ADDRESS, FieldType.MULTI_CHOICE)
                or metrics.horizontalAdvance(text) > half_value_w - 2 * self.pad
            )
            if wide:
                if pending:
                    rows.append(pending)
                    pending = []
                rows.append([(f, wide_value_w)])
            else:
                pending.append((f, half_value_w))
                if len(pending) == 2:
                    rows.append(pending)
                    pending = []
        if pending:
            rows.append(pending)
        return [self.row(row, values, label_w) for row in rows]

    def row(
        self, cells: list[tuple[FormField, float]], values: Mapping[str, tuple[object, str]], label_w: float
    ) -> _Block:
        laid: list[tuple[_Text, _Text, float, bool]] = []
        for f, value_w in cells:
            label = self.text(f.label, LABEL_PT, label_w - 2 * self.pad, bold=True)
            text, answered = self.value_text(f, values[f.key])
            value = self.text(text, VALUE_PT, value_w - 2 * self.pad)
            laid.append((label, value, value_w, answered))
        content = max(max(label.height, value.height) for label, value, _, _ in laid)
        height = max(content + 2 * self.pad_v, _mm(ROW_MIN_MM))
        half = len(cells) == 1 and cells[0][1] < self.width - label_w - 1  # a lone half-width pair

        def paint(p: QPainter, y: float) -> None:
            x = 0.0
            p.save()
            pen = QPen(QColor("#444444"), self.rule)
            for label, value, value_w, answered in laid:
                p.fillRect(QRectF(x, y, label_w, height), QColor("#f0f0f0"))
                p.setPen(pen)
                p.drawRect(QRectF(x, y, label_w, height))
                p.drawRect(QRectF(x + label_w, y, value_w, height))
                label.draw(p, x + self.pad, y + (height - label.height) / 2)
                value.draw(
                    p,
                    x + label_w + self.pad,
                    y + (height - value.height) / 2,
                    "black" if answered else "#555555",
                )
                x += label_w + value_w
            if half:  # keep the grid closed: an empty pair on the right
                p.setPen(pen)
                p.drawRect(QRectF(x, y, self.width - x, height))
            p.restore()

        return _Block(height, paint)

    def declaration(self, text: str) -> _Block:
        body = self.text(text, VALUE_PT, self.width - 2 * self.pad)
        lead = self.text(LABELS["declaration"], HEADING_PT, self.width - 2 * self.pad, bold=True)
        height = lead.height + _mm(1.5) + body.height + 2 * self.pad

        def paint(p: QPainter, y: float) -> None:
            p.save()
            p.setPen(QPen(QColor("black"), _mm(0.4)))
            p.drawRect(QRectF(0, y, self.width, height))
            p.restore()
            lead.draw(p, self.pad, y + self.pad)
            body.draw(p, self.pad, y + self.pad + lead.height + _mm(1.5))

        # the signature follows the declaration it confirms: they go to the next page together
        return _Block(height, paint, keep_with_next=True, gap_before=_mm(4))

    def signature(self, label_text: str, align: str) -> _Block:
        box_w, box_h = (_mm(v) for v in SIGNATURE_BOX_MM)
        label_font = _font(VALUE_PT, bold=True)
        label_w = QFontMetricsF(label_font, self.device).horizontalAdvance(label_text + "：") + _mm(1)
        label = self.text(label_text + "：", VALUE_PT, label_w + _mm(1), bold=True)
        day = self.form.created_at
        when = self.text(f"{LABELS['date']}：{day.year}年{day.month}月{day.day}日", VALUE_PT, label_w + box_w)
        group_w = label_w + box_w
        height = box_h + _mm(2) + when.height
        signature = self.form.signature

        def paint(p: QPainter, y: float) -> None:
            x = self.width - group_w if align == "right" else 0.0
            label.draw(p, x, y + box_h - label.height - _mm(1))
            box = QRectF(x + label_w, y, box_w, box_h)
            p.save()
            p.setPen(QPen(QColor("black"), _mm(0.3)))
            p.drawLine(box.bottomLeft(), box.bottomRight())
            p.restore()
            _draw_signature(p, signature, box.adjusted(_mm(1), _mm(1), -_mm(1), -_mm(1)))
            when.draw(p, x + group_w - when.width, y + box_h + _mm(2))

        return _Block(height, paint, gap_before=_mm(4))


def _draw_signature(painter: QPainter, signature: bytes | Strokes | None, box: QRectF) -> None:
    """The signature fitted into ``box`` keeping its proportions: a PNG as an image, strokes as lines."""
    if not signature:
        return
    painter.save()
    if isinstance(signature, bytes):
        image = QImage()
        if not image.loadFromData(signature, "PNG"):
            log.warning("the signature PNG could not be decoded; printing the form without it")
        else:
            scale = min(box.width() / image.width(), box.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            painter.drawImage(QRectF(box.left(), box.bottom() - h, w, h), image)
    else:
        points = [pt for stroke in signature for pt in stroke]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        span_x, span_y = max(max(xs) - min(xs), 1e-6), max(max(ys) - min(ys), 1e-6)
        scale = min(box.width() / span_x, box.height() / span_y)
        path = QPainterPath()
        for stroke in signature:
            first, *rest = stroke
            path.moveTo(box.left() + (first[0] - min(xs)) * scale, box.top() + (first[1] - min(ys)) * scale)
            for x, y in rest:
                path.lineTo(box.left() + (x - min(xs)) * scale, box.top() + (y - min(ys)) * scale)
        pen = QPen(QColor("black"), _mm(0.5))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
    painter.restore()


def _paginate(blocks: list[_Block], page_h: float, next_top: float) -> list[list[tuple[_Block, float]]]:
    """Blocks placed on pages: a block that does not fit goes to the next page, and so does a heading whose
    first row would not fit after it. Pages after the first start at ``next_top`` (under the 续 header). A
    block taller than a page gets a page of its own (and is clipped)."""
    pages: list[list[tuple[_Block, float]]] = [[]]
    y = 0.0
    for i, block in enumerate(blocks):
        top = y + (block.gap_before if pages[-1] else 0.0)
        need = block.height
        if block.keep_with_next and i + 1 < len(blocks):
            need += blocks[i + 1].gap_before + blocks[i + 1].height
        if pages[-1] and top + need > page_h:
            pages.append([])
            top = next_top
        pages[-1].append((block, top))
        y = top + block.height
    return pages


def _continued_header(builder: _Builder) -> tuple[_Text, float]:
    """On the pages after the first: the form's title with 续, so a loose page still says what it belongs to."""
    text = builder.text(f"{builder.form.template.title}（续）", LABEL_PT, builder.width, bold=True)
    return text, text.height + _mm(4)


# --- the PDF ---------------------------------------------------------------------------------------------------


def render_form_pdf(
    form: FilledForm, tmp_dir: Path, info: FormPrintInfo, *, today: date | None = None
) -> Path:
    """Render ``form`` as an A4 PDF in ``tmp_dir`` (the terminal's ``<data_dir>/tmp``) and return its path.

    The form must have its receipt number. The file appears complete or not at all, under a random name, and
    only the terminal's account can read it (POSIX). Safe to call from a worker thread."""
    if not isinstance(QCoreApplication.instance(), QGuiApplication):
        raise FormPrintError("rendering a form needs a QGuiApplication")
    tmp_dir = Path(tmp_dir)
    if tmp_dir.name != "tmp":
        raise ValueError(f"a filled form holds personal data: render it into <data_dir>/tmp, not {tmp_dir}")
    if not form.receipt:
        raise FormPrintError("the form has no receipt number yet")
    ensure_fonts()
    tmp_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    out_path = tmp_dir / f"{FILE_PREFIX}{uuid.uuid4().hex}.pdf"
    part = out_path.with_name(out_path.name + ".part")

    writer = a4_writer(part, PDF_DPI, MARGINS_MM)
    writer.setTitle(form.template.title)  # never the citizen's name: the title shows in print queues
    writer.setCreator(f"kiosk {__version__}")
    page_w = float(writer.width())
    footer_h = _mm(FOOTER_MM)
    body_h = float(writer.height()) - footer_h
    try:
        builder = _Builder(form, info, writer, page_w)
        header, header_h = _continued_header(builder)
        pages = _paginate(builder.blocks(today), body_h, header_h)
    except BaseException:
        del writer
        part.unlink(missing_ok=True)
        raise

    painter = QPainter()
    if not painter.begin(writer):
        raise FormPrintError(f"cannot write {part}")
    try:
        painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)  # no JPEG: QR modules stay sharp
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for number, placed in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            painter.save()
            painter.setClipRect(QRectF(0, 0, page_w, body_h))
            if number > 1:
                header.draw(painter, 0, 0, "#333333")
                painter.setPen(QPen(QColor("#333333"), _mm(0.2)))
                painter.drawLine(QPointF(0, header.height + _mm(1)), QPointF(page_w, header.height + _mm(1)))
            for block, top in placed:
                block.paint(painter, top)
            painter.restore()
            _draw_footer(painter, QRectF(0, body_h, page_w, footer_h), number, len(pages), form, info)
    except BaseException:
        painter.end()
        part.unlink(missing_ok=True)
        raise
    painter.end()
    del writer
    if os.name == "posix":
        os.chmod(part, 0o600)
    os.replace(part, out_path)
    log.info(
        "form %s v%s printed to %s (%d pages)",
        form.template.code,
        form.template.version,
        out_path,
        len(pages),
    )
    return out_path


def _draw_footer(
    painter: QPainter, area: QRectF, page: int, pages: int, form: FilledForm, info: FormPrintInfo
) -> None:
    """A rule, the receipt number and the page number, then the terminal and the print time."""
    font = _font(FOOTER_PT)
    line_h = QFontMetricsF(font, painter.device()).lineSpacing()
    rule_y = area.bottom() - 2.4 * line_h
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    first = QRectF(area.left(), rule_y + 0.3 * line_h, area.width(), line_h)
    second = first.translated(0, line_h)
    when = info.printed_at.strftime("%Y-%m-%d %H:%M")
    painter.save()
    painter.setPen(QPen(QColor("black"), _mm(0.2)))
    painter.drawLine(QPointF(area.left(), rule_y), QPointF(area.right(), rule_y))
    painter.setFont(font)
    painter.drawText(first, left, f"{LABELS['receipt']}：{group_receipt(form.receipt)}")
    painter.drawText(first, right, LABELS["page"].format(n=page, total=pages))
    painter.drawText(
        second, left, f"{LABELS['terminal']}：{info.terminal_id}　　{LABELS['printed_at']}：{when}"
    )
    painter.drawText(second, right, LABELS["made_by"])
    painter.restore()
