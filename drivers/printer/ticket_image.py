"""A ticket drawn as one black-and-white picture, for printers without a Chinese font (or with characters their
font lacks) and for the on-screen and PNG previews.

Sizes are for elderly readers on 80 mm paper (576 dots at 203 dpi, 8 dots per mm) and scale with the width: the
queue number fills nine tenths of the paper's width (its digits about 20 mm high), the text lines are 36 dots
(4.5 mm), the QR code is up to 36 mm wide so old phones read it
at arm's length.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from drivers.base import DeviceError, Health
from drivers.printer.jobs import message_for
from drivers.printer.ticket import NO_LINE_START, Ticket
from kiosk.domain.qr import qr_matrix

BASE_WIDTH = 576
MARGIN = 20
TITLE_PX = 46
NUMBER_MAX_PX = 230
LINE_PX = 36
FOOTER_PX = 44
QR_BOX = 290
LINE_SPACING = 1.4
NUMBER_WIDTH = 0.9  # of the printable width: the number must not touch the paper's edge
THRESHOLD = 150  # grey levels below this print black (anti-aliased edges kept crisp, no dithering)

FontType = ImageFont.FreeTypeFont
Draw = Callable[[ImageDraw.ImageDraw, Image.Image, int], None]


@functools.lru_cache(maxsize=32)
def _font(font_path: str, size: int) -> FontType:
    return ImageFont.truetype(font_path, size)


def load_font(font_path: Path | None, size: int) -> FontType:
    """The font at ``size`` pixels; raises DeviceError ``no_font`` when it cannot be used."""
    if font_path is None:
        raise DeviceError(message_for("no_font"), code="no_font", health=Health.OK)
    try:
        return _font(str(font_path), max(1, size))
    except OSError:
        raise DeviceError(message_for("no_font"), code="no_font", health=Health.OK) from None


def wrap(text: str, font: FontType, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width``: anywhere between Chinese characters, between words
    for Latin text (a word longer than a line is broken too)."""
    lines: list[str] = []
    current = ""
    for token in _tokens(text):
        candidate = current + token
        if current and font.getlength(candidate) > width:
            if token[0] in NO_LINE_START and len(current) > 1:  # take the last character along
                lines.append(current[:-1].rstrip())
                current = current[-1] + token
            else:
                lines.append(current.rstrip())
                current = token.lstrip()
        else:
            current = candidate
        while font.getlength(current) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and font.getlength(current[:cut]) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def _tokens(text: str) -> Iterator[str]:
    """Latin words (with their following space) stay whole; every other character stands alone."""
    word = ""
    for char in text:
        if char.isascii() and not char.isspace():
            word += char
            continue
        if word:
            yield word
            word = ""
        yield char
    if word:
        yield word


def qr_image(payload: str, box: int) -> Image.Image:
    """The QR code of ``payload`` (with its quiet zone), whole pixels per module, at most ``box`` wide."""
    matrix = qr_matrix(payload)
    module = max(1, box // len(matrix))
    image = Image.new("1", (len(matrix), len(matrix)), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    return image.resize((len(matrix) * module,) * 2, Image.Resampling.NEAREST)


def render_ticket_image(ticket: Ticket, width_dots: int, font_path: Path | None) -> Image.Image:
    """The whole ticket as a 1-bit image ``width_dots`` wide (as tall as it needs), black on white."""
    if width_dots < 128:
        raise ValueError("a ticket needs at least 128 dots of width")
    scale = width_dots / BASE_WIDTH
    margin = round(MARGIN * scale)
    inner = width_dots - 2 * margin
    title_font = load_font(font_path, round(TITLE_PX * scale))
    line_font = load_font(font_path, round(LINE_PX * scale))
    footer_font = load_font(font_path, round(FOOTER_PX * scale))
    number_font = _fit(ticket.number, font_path, round(inner * NUMBER_WIDTH), round(NUMBER_MAX_PX * scale))

    # Lay out first (the height of each step and how to draw it), then draw on a canvas of the exact height.
    steps: list[tuple[int, Draw]] = []
    gap = round(14 * scale)

    def text_step(line: str, font: FontType, *, center: bool, stroke: int) -> Draw:
        def draw_text(draw: ImageDraw.ImageDraw, canvas: Image.Image, y: int) -> None:
            x = (width_dots - font.getlength(line)) / 2 if center else margin
            draw.text((x, y), line, font=font, fill=0, stroke_width=stroke, stroke_fill=0)

        return draw_text

    def rule_step(draw: ImageDraw.ImageDraw, canvas: Image.Image, y: int) -> None:
        y += gap
        draw.line((margin, y, width_dots - margin, y), fill=0, width=max(1, round(2 * scale)))

    def space_step(draw: ImageDraw.ImageDraw, canvas: Image.Image, y: int) -> None:
        pass

    for line in wrap(ticket.title, title_font, inner):
        steps.append((round(TITLE_PX * scale * 1.3), text_step(line, title_font, center=True, stroke=1)))
    steps.append((gap * 2, rule_step))
    if ticket.number:
        top, bottom = number_font.getbbox(ticket.number)[1::2]
        stroke = max(1, round(3 * scale))

        def number_step(draw: ImageDraw.ImageDraw, canvas: Image.Image, y: int) -> None:
            x = (width_dots - number_font.getlength(ticket.number)) / 2
            draw.text(
                (x, y + gap - top),
                ticket.number,
                font=number_font,
                fill=0,
                stroke_width=stroke,
                stroke_fill=0,
            )

        steps.append((int(bottom - top) + gap * 3, number_step))
    for text in ticket.lines:
        for line in wrap(text, line_font, inner):
            steps.append(
                (round(LINE_PX * scale * LINE_SPACING), text_step(line, line_font, center=False, stroke=0))
            )
    if ticket.qr:
        qr = qr_image(ticket.qr, round(QR_BOX * scale))

        def qr_step(draw: ImageDraw.ImageDraw, canvas: Image.Image, y: int) -> None:
            canvas.paste(qr.convert("L"), ((width_dots - qr.width) // 2, y))

        steps.append((gap, space_step))
        steps.append((qr.height, qr_step))
    if ticket.footer:
        steps.append((gap, space_step))
        for line in wrap(ticket.footer, footer_font, inner):
            steps.append(
                (round(FOOTER_PX * scale * 1.3), text_step(line, footer_font, center=True, stroke=1))
            )
    steps.append((gap * 2, space_step))

    height = margin + sum(h for h, _ in steps)
    canvas = Image.new("L", (width_dots, height), 255)
    draw = ImageDraw.Draw(canvas)
    y = margin
    for h, step in steps:
        step(draw, canvas, y)
        y += h
    return canvas.point(lambda v: 255 if v >= THRESHOLD else 0).convert("1", dither=Image.Dither.NONE)


def _fit(text: str, font_path: Path | None, width: int, max_px: int) -> FontType:
    """The largest font (up to ``max_px``) that draws ``text`` on one line within ``width`` (stroke included)."""
    size = max_px
    font = load_font(font_path, size)
    while size > 12 and text and font.getlength(text) + 8 > width:
        size = max(12, int(size * 0.9))
        font = load_font(font_path, size)
    return font
