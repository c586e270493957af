"""The printed service guide (办事指南): an A4 PDF of one service item.

The guide is laid out by ``QTextDocument`` (HTML) and painted page by page onto a ``QPdfWriter`` with a footer
on every page, so the text stays real, selectable text in embedded CJK fonts. Only QImage is used, never QPixmap:
everything here may run on a worker thread once a QGuiApplication exists.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextDocument,
    QTextOption,
    QTextTable,
)

from kiosk import __version__
from kiosk.domain.catalog import HandlingType, ServiceItem
from kiosk.render.fonts import CJK_FONT_FAMILIES, ensure_fonts
from kiosk.render.pdf_writer import a4_writer, layout_device
from kiosk.render.qr import qr_image

log = logging.getLogger(__name__)

# --- labels, one dict per language (the item's own content is printed as provided) -----------------------------

LABELS_ZH: dict[str, str] = {
    "doc_kind": "办事指南",
    "code": "事项编码",
    "department": "实施部门",
    "handling_type": "办件类型",
    "conditions": "申办条件",
    "materials": "申请材料",
    "no": "序号",
    "material_name": "材料名称",
    "required_col": "必要/非必要",
    "required": "必要",
    "optional": "非必要",
    "copies": "份数",
    "note": "备注",
    "time_limit": "办理时限",
    "on_the_spot": "即办",
    "working_day": "{n} 个工作日",
    "working_days": "{n} 个工作日",
    "fee": "收费标准",
    "free": "不收费",
    "locations": "办理地点",
    "address": "地址",
    "hours": "办公时间",
    "phone": "咨询电话",
    "legal_basis": "设定依据",
    "online": "网上办理",
    "online_hint": "用手机扫描二维码，或在浏览器中输入以下网址办理：",
    "no_online": "本事项暂不支持网上办理。",
    "not_stated": "未注明",
    "terminal": "终端编号",
    "printed_at": "打印时间",
    "disclaimer": "本指南仅供参考，以窗口最新要求为准。",
    "page": "第 {n} 页 / 共 {total} 页",
    "colon": "：",
    f"type.{HandlingType.ON_THE_SPOT.value}": "即办件",
    f"type.{HandlingType.PROMISED.value}": "承诺件",
}

LABELS_EN: dict[str, str] = {
    "doc_kind": "Service Guide",
    "code": "Item code",
    "department": "Department",
    "handling_type": "Handling type",
    "conditions": "Conditions",
    "materials": "Materials",
    "no": "No.",
    "material_name": "Material",
    "required_col": "Required/Optional",
    "required": "Required",
    "optional": "Optional",
    "copies": "Copies",
    "note": "Note",
    "time_limit": "Time limit",
    "on_the_spot": "On the spot",
    "working_day": "{n} working day",
    "working_days": "{n} working days",
    "fee": "Fee",
    "free": "Free of charge",
    "locations": "Where to apply",
    "address": "Address",
    "hours": "Opening hours",
    "phone": "Phone",
    "legal_basis": "Legal basis",
    "online": "Apply online",
    "online_hint": "Scan the QR code with your phone, or enter this address in a browser:",
    "no_online": "This service cannot be applied for online yet.",
    "not_stated": "Not stated",
    "terminal": "Terminal",
    "printed_at": "Printed at",
    "disclaimer": "For reference only; the latest requirements at the service window prevail.",
    "page": "Page {n} of {total}",
    "colon": ": ",
    f"type.{HandlingType.ON_THE_SPOT.value}": "Handled on the spot",
    f"type.{HandlingType.PROMISED.value}": "Handled within a promised time",
}

LABELS: dict[str, dict[str, str]] = {"zh_CN": LABELS_ZH, "en": LABELS_EN}

SECTION_NUMBERS: dict[str, tuple[str, ...]] = {
    "zh_CN": ("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、"),
    "en": tuple(f"{n}. " for n in range(1, 11)),
}

# --- page geometry and type ------------------------------------------------------------------------------------

PDF_DPI = 300
MARGINS_MM = QMarginsF(18, 16, 18, 10)  # left, top, right, bottom (the footer sits above the bottom margin)
FOOTER_MM = 15.0
BODY_PT = 12.0
FOOTER_PT = 10.0
QR_URL = "qr://online"
QR_SIZE_PX = 136  # CSS px of 1/96 in: 36 mm on paper
QR_MODULE_PX = 8
CELL_PADDING_PX = 5  # CSS px
MAX_LAYOUT_PASSES = 40

_CSS = f"""
p, li, td {{ font-size: {BODY_PT}pt; line-height: 150%; color: #000000; }}
p.title {{ font-size: 22pt; font-weight: bold; line-height: 130%; margin-top: 0px; margin-bottom: 0px; }}
p.kind {{ font-size: 14pt; margin-top: 4px; margin-bottom: 12px; }}
p.h {{ font-size: 15pt; font-weight: bold; line-height: 140%; margin-top: 20px; margin-bottom: 8px;
      background-color: #e3e3e3; }}
p.loc {{ font-weight: bold; margin-top: 8px; margin-bottom: 0px; }}
p.field {{ margin-top: 0px; margin-bottom: 0px; margin-left: 20px; }}
p.cell {{ margin: 0px; }}
p.qr {{ line-height: 100%; margin-top: 4px; margin-bottom: 0px; }}
p.gap {{ font-size: 4pt; line-height: 100%; margin: 0px; }}
td {{ border-width: 1px; border-style: solid; border-color: #444444; }}
td.th {{ font-weight: bold; background-color: #e3e3e3; }}
td.key {{ font-weight: bold; background-color: #f0f0f0; }}
"""
_TABLE = (
    f'<table width="100%" border="1" cellspacing="0" cellpadding="{CELL_PADDING_PX}" '
    'style="border-collapse: collapse; border-color: #444444;{extra}">'
)
# A small real paragraph after a table: the next heading then keeps its top margin, and a page break before it
# counts from this line (a table's own bottom margin can reach past the page's end and cost a blank page).
_AFTER_TABLE = '<p class="gap">&nbsp;</p>'

# Blocks that must not end up split from what follows them carry a user state (``-qt-user-state`` in the HTML):
# the kind times _KIND plus an index. The layout pass finds them in the laid-out document.
_KIND = 1000
_HEADING, _LOCATION, _ROW = 1, 2, 3


@dataclass(frozen=True)
class GuideDocumentInfo:
    """What the printout says about itself: the terminal, when, and the language of its labels."""

    terminal_id: str
    printed_at: datetime
    language: str  # "zh_CN" or "en": the labels only; the item's content is printed as provided


class GuidePrintError(RuntimeError):
    """The guide PDF could not be written, or a PDF could not be read for the preview."""


def _labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS_ZH)


# --- fonts -----------------------------------------------------------------------------------------------------


def _font(point_size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(CJK_FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    # Qt's PDF writer maps glyphs back to text through the font's cmap. Noto Sans CJK's 'locl' swaps the digits
    # of Latin runs ("MB2C92110") and 'liga' joins "fi", "fl" into glyphs outside it: such text would vanish
    # from search and copy, so both stay off (the printout looks the same).
    for feature in ("locl", "liga"):
        font.setFeature(QFont.Tag(feature), 0)
    return font


# --- the document ----------------------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _time_limit(item: ServiceItem, t: dict[str, str]) -> str:
    days = item.handling.time_limit_days
    if days <= 0:
        return t["on_the_spot"]
    return t["working_day" if days == 1 else "working_days"].format(n=days)


def _break(state: int, breaks: frozenset[int]) -> str:
    return " page-break-before: always;" if state in breaks else ""


def guide_html(item: ServiceItem, info: GuideDocumentInfo, breaks: frozenset[int] = frozenset()) -> str:
    """The guide in the HTML subset QTextDocument understands; the QR code is the image resource ``qr://online``.

    ``breaks`` holds the user states of the headings, locations and material rows that start a new page.
    """
    t = _labels(info.language)
    numbers = SECTION_NUMBERS.get(info.language, SECTION_NUMBERS["zh_CN"])
    h = item.handling
    colon = t["colon"]
    out: list[str] = []
    section = 0

    def heading(key: str) -> None:
        nonlocal section
        state = _HEADING * _KIND + section
        out.append(
            f'<p class="h" style="-qt-user-state: {state};{_break(state, breaks)}">'
            f"{numbers[section]}{_e(t[key])}</p>"
        )
        section += 1

    def para(text: str) -> None:
        out.append(f"<p>{_e(text)}</p>")

    def numbered(lines: tuple[str, ...]) -> None:
        out.append('<ol style="margin-top: 0px; margin-bottom: 0px; -qt-list-indent: 1;">')
        out.extend(f"<li>{_e(line)}</li>" for line in lines)
        out.append("</ol>")

    def materials_header(extra: str = "") -> None:
        out.append(_TABLE.format(extra=extra))
        out.append(
            "<thead><tr>"
            f'<td class="th" width="7%" align="center">{_e(t["no"])}</td>'
            f'<td class="th" width="36%">{_e(t["material_name"])}</td>'
            f'<td class="th" width="17%" align="center">{_e(t["required_col"])}</td>'
            f'<td class="th" width="11%" align="center">{_e(t["copies"])}</td>'
            f'<td class="th" width="29%">{_e(t["note"])}</td>'
            "</tr></thead>"
        )

    out.append(f'<p class="title" align="center">{_e(item.name)}</p>')
    out.append(f'<p class="kind" align="center">{_e(t["doc_kind"])}</p>')
    out.append(_TABLE.format(extra=""))
    for key, value in (
        ("code", item.code),
        ("department", item.department.name),
        ("handling_type", t.get(f"type.{h.type.value}", h.type.value)),
    ):
        out.append(f'<tr><td class="key" width="22%">{_e(t[key])}</td><td width="78%">{_e(value)}</td></tr>')
    out.append(f"</table>{_AFTER_TABLE}")

    heading("conditions")
    if item.conditions:
        numbered(item.conditions)
    else:
        para(t["not_stated"])

    heading("materials")
    if item.materials:
        materials_header()
        for n, m in enumerate(item.materials):
            state = _ROW * _KIND + n
            if n and state in breaks:  # Qt cannot move a table row to the next page: start a new table there
                out.append("</table>")
                materials_header(_break(state, breaks))
            required = f"<b>{_e(t['required'])}</b>" if m.required else _e(t["optional"])
            out.append(
                f'<tr><td align="center"><p class="cell" style="-qt-user-state: {state};">{n + 1}</p></td>'
                f'<td>{_e(m.name)}</td><td align="center">{required}</td>'
                f'<td align="center">{m.copies}</td><td>{_e(m.note)}</td></tr>'
            )
        out.append(f"</table>{_AFTER_TABLE}")
    else:
        para(t["not_stated"])

    heading("time_limit")
    para(_time_limit(item, t))

    heading("fee")
    para(t["free"] if h.fee == LABELS_ZH["free"] else h.fee or t["not_stated"])  # 不收费: the usual fee

    heading("locations")
    for n, loc in enumerate(h.locations):
        state = _LOCATION * _KIND + n
        out.append(
            f'<p class="loc" style="-qt-user-state: {state};{_break(state, breaks)}">{_e(loc.name)}</p>'
        )
        for key, value in (("address", loc.address), ("hours", loc.hours), ("phone", loc.phone)):
            if value:
                out.append(f'<p class="field"><b>{_e(t[key])}{colon}</b>{_e(value)}</p>')
    if not h.locations:
        para(t["not_stated"])

    heading("legal_basis")
    if len(item.legal_basis) > 1:
        numbered(item.legal_basis)
    else:
        para(item.legal_basis[0] if item.legal_basis else t["not_stated"])

    heading("online")
    if h.online_url:
        para(t["online_hint"])
        out.append(f'<p class="qr"><img src="{QR_URL}" width="{QR_SIZE_PX}" height="{QR_SIZE_PX}"></p>')
        para(h.online_url)
    else:
        para(t["no_online"])

    return "<html><body>" + "\n".join(out) + "</body></html>"


# --- pagination ------------------------------------------------------------------------------------------------


def _layout_document(
    item: ServiceItem, info: GuideDocumentInfo, device: QPdfWriter, page: QSizeF
) -> QTextDocument:
    """Lay the guide out on pages of ``page`` size, moving to the next page any heading that would be left at
    the foot of a page, and any short section, location or material row that a page break would split.

    Qt has no CSS page-break-inside, so this lays out, finds the first such split, asks for a page break there
    and lays out again (each break only moves what follows it, so the passes converge top to bottom)."""
    qr = qr_image(item.handling.online_url, module_px=QR_MODULE_PX) if item.handling.online_url else None
    breaks: set[int] = set()
    for _ in range(MAX_LAYOUT_PASSES):
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(layout_device(device.resolution()))
        doc.setDefaultFont(_font(BODY_PT))
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # long URLs and codes wrap too
        doc.setDefaultTextOption(option)
        doc.setDocumentMargin(0)
        doc.setDefaultStyleSheet(_CSS)
        if qr is not None:
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(QR_URL), qr)
        doc.setHtml(guide_html(item, info, frozenset(breaks)))
        doc.setPageSize(page)
        split = _first_split(doc, page.height(), breaks)
        if split is None:
            break
        breaks.add(split)
    return doc


def _marked_blocks(doc: QTextDocument) -> Iterator[QTextBlock]:
    block = doc.begin()
    while block.isValid():
        if block.userState() >= _KIND:
            yield block
        block = block.next()


def _first_split(doc: QTextDocument, page_h: float, breaks: set[int]) -> int | None:
    """The state of the first marked block that should start a new page, or None when the layout is fine."""
    layout = doc.documentLayout()
    line_h = QFontMetricsF(doc.defaultFont(), layout.paintDevice()).lineSpacing() * 1.5
    marked = list(_marked_blocks(doc))
    heading: QTextBlock | None = None
    for i, block in enumerate(marked):
        state = block.userState()
        kind = state // _KIND
        if kind == _HEADING:
            heading = block
        rect = layout.blockBoundingRect(block)
        top = rect.top()
        page_top = (top // page_h) * page_h
        # already at a page's top (or just under a repeated table header), or already moved
        if top - page_top < 3 * line_h or state in breaks:
            continue
        if kind == _ROW:
            end = _bottom(doc, block, line_h)
        else:  # a heading's group ends at the next heading, a location's at the next marked block
            stop = next(
                (b for b in marked[i + 1 :] if kind != _HEADING or b.userState() // _KIND == _HEADING), None
            )
            end = _bottom(doc, stop.previous() if stop is not None else doc.lastBlock(), line_h)
        if end <= page_top + page_h + 0.5:
            continue
        height = end - top
        if kind == _HEADING:
            split = height <= page_h / 3 or page_top + page_h - top < rect.height() + 3 * line_h
        else:
            split = height <= page_h / 3
        if not split:
            continue
        # the first location or row of a section takes its heading along
        target = heading if kind != _HEADING and state % _KIND == 0 and heading is not None else block
        before = target.previous()
        if before.isValid() and _bottom(doc, before, line_h) > page_top + page_h:
            continue  # what comes before already reaches the next page: a break would leave a blank page
        return target.userState()
    return None


def _bottom(doc: QTextDocument, block: QTextBlock, line_h: float) -> float:
    """Where ``block`` ends on the page: its text, the extra line spacing under the last line and, in a table,
    the tallest cell of its row with the cell's padding and border (Qt lets those run past the page's end)."""
    layout = doc.documentLayout()
    extra = line_h / 3  # line-height 150%: the spacing below the text's own height
    table = doc.frameAt(block.position())
    if not isinstance(table, QTextTable):
        return layout.blockBoundingRect(block).bottom() + extra
    row = table.cellAt(block.position()).row()
    text_bottom = max(
        layout.blockBoundingRect(table.cellAt(row, column).lastCursorPosition().block()).bottom()
        for column in range(table.columns())
    )
    return text_bottom + extra + (CELL_PADDING_PX + 1) * PDF_DPI / 96


# --- the PDF ---------------------------------------------------------------------------------------------------


def _require_gui_app() -> None:
    if not isinstance(QCoreApplication.instance(), QGuiApplication):
        raise GuidePrintError("rendering the guide needs a QGuiApplication")


def render_guide_pdf(item: ServiceItem, out_path: Path, info: GuideDocumentInfo) -> Path:
    """Render the item's guide as an A4 PDF with embedded CJK fonts. Safe to call from a worker thread.

    The file appears complete or not at all (written beside ``out_path``, then renamed). Returns ``out_path``.
    """
    _require_gui_app()
    ensure_fonts()
    t = _labels(info.language)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    part = out_path.with_name(out_path.name + ".part")

    writer = a4_writer(part, PDF_DPI, MARGINS_MM)
    writer.setTitle(f"{item.name} {t['doc_kind']}")
    writer.setCreator(f"kiosk {__version__}")

    footer_h = FOOTER_MM / 25.4 * PDF_DPI
    page_w = float(writer.width())
    body_h = float(writer.height()) - footer_h
    doc = _layout_document(item, info, writer, QSizeF(page_w, body_h))
    pages = doc.pageCount()

    painter = QPainter()
    if not painter.begin(writer):
        raise GuidePrintError(f"cannot write {part}")
    try:
        painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)  # no JPEG: the QR code stays sharp
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.Text, QColor("black"))
        for page in range(pages):
            if page:
                writer.newPage()
            clip = QRectF(0, page * body_h, page_w, body_h)
            painter.save()
            painter.translate(0, -page * body_h)
            painter.setClipRect(clip)
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.palette = palette
            ctx.clip = clip
            doc.documentLayout().draw(painter, ctx)
            painter.restore()
            _draw_footer(painter, QRectF(0, body_h, page_w, footer_h), page + 1, pages, info)
    except BaseException:
        painter.end()  # closes the file
        part.unlink(missing_ok=True)
        raise
    painter.end()
    del doc, writer
    os.replace(part, out_path)
    return out_path


def _draw_footer(painter: QPainter, area: QRectF, page: int, pages: int, info: GuideDocumentInfo) -> None:
    """A rule, then the disclaimer and the page number, then the terminal and the print time."""
    t = _labels(info.language)
    font = _font(FOOTER_PT)
    line_h = QFontMetricsF(font, painter.device()).lineSpacing()
    rule_y = area.bottom() - 2.3 * line_h
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    first = QRectF(area.left(), rule_y + 0.25 * line_h, area.width(), line_h)
    second = first.translated(0, line_h)
    when = info.printed_at.strftime("%Y-%m-%d %H:%M")
    painter.save()
    painter.setPen(QPen(QColor("black"), PDF_DPI / 25.4 * 0.2))  # 0.2 mm
    painter.drawLine(QPointF(area.left(), rule_y), QPointF(area.right(), rule_y))
    painter.setFont(font)
    painter.drawText(first, left, t["disclaimer"])
    painter.drawText(first, right, t["page"].format(n=page, total=pages))
    painter.drawText(
        second, left, f"{t['terminal']}{t['colon']}{info.terminal_id}　　{t['printed_at']}{t['colon']}{when}"
    )
    painter.restore()
