"""The A4 test page staff print when they install or service a printer (``kiosk print test --printer a4``).

What it lets them judge by eye: that Chinese prints in the shipped font (title, details, a line in the large
size of the printed guides for elderly readers), the grey scale (toner or ink running low shows as patches that
merge), that a phone reads the QR code (its text is printed under it to compare), and where the printer puts
the page on the sheet (corner marks 5 mm and a frame 10 mm from the paper's edges, a cross at the centre).

Drawn with QPainter on a QPdfWriter at 300 dpi in millimetres, so the PDF is vector text in embedded fonts.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPen

from kiosk import __version__
from kiosk.render.fonts import CJK_FONT_FAMILIES, ensure_fonts
from kiosk.render.pdf_writer import a4_writer
from kiosk.render.qr import paint_qr

DPI = 300
PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
GREY_STEPS = 11  # 0 %, 10 %, ... 100 % black
QR_MM = 40.0
TITLE = "打印测试页"
LARGE_TEXT = "长辈大字：请带好身份证"


class PageRenderError(RuntimeError):
    """The test page could not be written."""


def _mm(value: float) -> float:
    return value * DPI / 25.4


def _font(point_size: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(CJK_FONT_FAMILIES)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    for feature in ("locl", "liga"):  # keep every glyph mappable back to its text (see guide_print)
        font.setFeature(QFont.Tag(feature), 0)
    return font


def qr_payload(terminal_id: str, printed_at: datetime) -> str:
    return f"KIOSK-PRINT-TEST {terminal_id} {printed_at:%Y-%m-%d %H:%M:%S}"


def render_test_page(
    out_path: Path, *, terminal_id: str, printed_at: datetime, printer_label: str = ""
) -> Path:
    """Write the test page as a one-page A4 PDF at ``out_path`` (complete or not at all); returns the path."""
    if not isinstance(QCoreApplication.instance(), QGuiApplication):
        raise PageRenderError("rendering the test page needs a QGuiApplication")
    ensure_fonts()
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    part = out_path.with_name(f".{out_path.name}.part")
    writer = a4_writer(part, DPI, QMarginsF(0, 0, 0, 0))
    writer.setTitle(TITLE)
    writer.setCreator(f"kiosk {__version__}")
    painter = QPainter()
    if not painter.begin(writer):
        raise PageRenderError(f"cannot write {part}")
    try:
        _draw(painter, terminal_id=terminal_id, printed_at=printed_at, printer_label=printer_label)
    except BaseException:
        painter.end()
        part.unlink(missing_ok=True)
        raise
    painter.end()
    del writer
    os.replace(part, out_path)
    return out_path


def _text(
    painter: QPainter, rect_mm: tuple[float, float, float, float], text: str, font: QFont, flags: int
) -> None:
    x, y, w, h = rect_mm
    painter.setFont(font)
    painter.drawText(QRectF(_mm(x), _mm(y), _mm(w), _mm(h)), flags, text)


def _draw(painter: QPainter, *, terminal_id: str, printed_at: datetime, printer_label: str) -> None:
    black = QColor("black")
    center = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
    left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    wrap_left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _alignment_marks(painter)

    _text(painter, (20, 18, 170, 16), TITLE, _font(28, bold=True), center)
    painter.setPen(QPen(black, _mm(0.4)))
    painter.drawLine(QPointF(_mm(20), _mm(37)), QPointF(_mm(190), _mm(37)))

    rows = [
        ("终端编号", terminal_id),
        ("打印时间", printed_at.strftime("%Y-%m-%d %H:%M:%S")),
        ("打印机", printer_label or "默认"),
        ("软件版本", f"kiosk {__version__}"),
    ]
    for n, (key, value) in enumerate(rows):
        row_y = 42 + n * 9
        _text(painter, (24, row_y, 32, 8), f"{key}：", _font(14, bold=True), left)
        _text(painter, (56, row_y, 130, 8), value, _font(14), left)

    _text(painter, (20, 82, 170, 7), "字号对照（长辈模式正文不小于 18 磅）", _font(12, bold=True), left)
    y = 90.0
    for points, sample in (
        (12, "12 磅：办事指南 申请材料 ABC 0123456789"),
        (18, "18 磅：办事指南 申请材料 0123"),
    ):
        _text(painter, (24, y, 166, points * 0.55), sample, _font(points), left)
        y += points * 0.55 + 2
    _text(painter, (20, y, 170, 20), LARGE_TEXT, _font(30, bold=True), left)  # the large print of the guides

    _grey_scale(painter, top_mm=153)

    payload = qr_payload(terminal_id, printed_at)
    paint_qr(painter, payload, QRectF(_mm(20), _mm(191), _mm(QR_MM), _mm(QR_MM)))
    _text(painter, (66, 193, 124, 8), "二维码", _font(14, bold=True), left)
    _text(
        painter,
        (66, 202, 124, 28),
        f"用手机扫一扫，应显示：\n{payload}",
        _font(12),
        wrap_left,
    )

    _text(painter, (20, 237, 170, 7), "检查要点", _font(14, bold=True), left)
    checks = (
        "1. 文字清晰、无缺行缺字，大字一行完整。",
        "2. 灰阶色块 0%–100% 逐级变深，相邻两块能分清。",
        "3. 二维码能被手机扫出上面的内容。",
        "4. 四角标记（距纸边 5 毫米）和方框（距纸边 10 毫米）完整，四边距离相等。",
        "如有问题：清洁打印头、更换硒鼓或墨盒，或检查打印机纸张设置为 A4。",
    )
    _text(painter, (24, 245, 162, 36), "\n".join(checks), _font(12), wrap_left)


def _alignment_marks(painter: QPainter) -> None:
    """Corner marks 5 mm from the edges, a frame 10 mm in, a centre cross and ticks at each edge's middle."""
    painter.save()
    painter.setPen(QPen(QColor("black"), _mm(0.3)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset, arm = 5.0, 10.0
    for x, dx in ((inset, 1), (PAGE_W_MM - inset, -1)):
        for y, dy in ((inset, 1), (PAGE_H_MM - inset, -1)):
            corner = QPointF(_mm(x), _mm(y))
            painter.drawLine(corner, QPointF(_mm(x + dx * arm), _mm(y)))
            painter.drawLine(corner, QPointF(_mm(x), _mm(y + dy * arm)))
    painter.setPen(QPen(QColor("#555555"), _mm(0.2)))
    painter.drawRect(QRectF(_mm(10), _mm(10), _mm(PAGE_W_MM - 20), _mm(PAGE_H_MM - 20)))
    cx, cy = PAGE_W_MM / 2, PAGE_H_MM / 2
    painter.setPen(QPen(QColor("#999999"), _mm(0.2)))
    painter.drawLine(QPointF(_mm(cx - 4), _mm(cy)), QPointF(_mm(cx + 4), _mm(cy)))
    painter.drawLine(QPointF(_mm(cx), _mm(cy - 4)), QPointF(_mm(cx), _mm(cy + 4)))
    painter.setPen(QPen(QColor("black"), _mm(0.3)))
    for a, b in (
        ((cx, 0.0), (cx, 8.0)),
        ((cx, PAGE_H_MM - 8), (cx, PAGE_H_MM)),
        ((0.0, cy), (8.0, cy)),
        ((PAGE_W_MM - 8, cy), (PAGE_W_MM, cy)),
    ):
        painter.drawLine(QPointF(_mm(a[0]), _mm(a[1])), QPointF(_mm(b[0]), _mm(b[1])))
    painter.restore()


def _grey_scale(painter: QPainter, *, top_mm: float) -> None:
    _text(painter, (20, top_mm, 170, 7), "灰阶", _font(14, bold=True), int(Qt.AlignmentFlag.AlignLeft))
    width = 170 / GREY_STEPS
    painter.save()
    for step in range(GREY_STEPS):
        level = 1.0 - step / (GREY_STEPS - 1)
        rect = QRectF(_mm(20 + step * width), _mm(top_mm + 8), _mm(width), _mm(16))
        painter.fillRect(rect, QColor.fromRgbF(level, level, level))
        painter.setPen(QPen(QColor("black"), _mm(0.2)))
        painter.drawRect(rect)
        _text(
            painter,
            (20 + step * width, top_mm + 25, width, 6),
            f"{step * 10}%",
            _font(10),
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
        )
    painter.restore()
