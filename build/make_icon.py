"""Make the program's Windows icon, ``resources/icons/kiosk.ico``, from the project's own icon art.

The icon is the header's emblem: the building of ``resources/icons/department.svg`` in white on a rounded square
of the theme's primary blue (``Theme.primary``), in the sizes Windows asks for (16 to 256 pixels). Sizes up to
128 are stored as 32-bit bitmaps with an alpha channel, 256 as PNG, as Windows' own icons are; the installer
(installer.nsi) and the executables (build/kiosk.spec) use it.

    python build/make_icon.py            # rewrite resources/icons/kiosk.ico
    python build/make_icon.py --check    # exit 1 if the shipped file is not what this script makes

The output is reproducible: the same art, Qt and Pillow make the same bytes.
"""

from __future__ import annotations

import argparse
import io
import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ART = REPO / "resources" / "icons" / "department.svg"
ICON = REPO / "resources" / "icons" / "kiosk.ico"
PRIMARY = "#0B4EA2"  # Theme.primary (resources/qml/KioskUi/Theme.qml)
SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_FROM = 256  # sizes from this one on are stored as PNG


def render(size: int):
    """The icon at ``size`` pixels as an RGBA Pillow image."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import QByteArray, QRectF, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["make_icon"])
    art = ART.read_text(encoding="utf-8").replace('stroke="#000000"', 'stroke="#FFFFFF"')
    if size <= 32:  # thicker lines, so the building still reads at 16 and 24 pixels
        art = art.replace('stroke-width="3.5"', 'stroke-width="5"')
    image = QImage(size, size, QImage.Format.Format_RGBA8888)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(PRIMARY))
    radius = size * 0.2
    painter.drawRoundedRect(QRectF(0, 0, size, size), radius, radius)
    inset = size * (0.14 if size >= 32 else 0.08)  # small sizes: the building as large as it can be
    QSvgRenderer(QByteArray(art.encode("utf-8"))).render(
        painter, QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
    )
    painter.end()
    data = bytes(image.constBits())[: size * size * 4]
    return Image.frombytes("RGBA", (size, size), data)


def bitmap(image) -> bytes:
    """A 32-bit icon bitmap: BITMAPINFOHEADER (height doubled for the mask), BGRA rows bottom-up, AND mask."""
    width, height = image.size
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rgba = image.tobytes()
    rows = []
    for y in reversed(range(height)):
        row = rgba[y * width * 4 : (y + 1) * width * 4]
        rows.append(
            b"".join(bytes((row[i + 2], row[i + 1], row[i], row[i + 3])) for i in range(0, len(row), 4))
        )
    mask_stride = ((width + 31) // 32) * 4
    mask = []
    for y in reversed(range(height)):
        bits = bytearray(mask_stride)
        for x in range(width):
            if rgba[(y * width + x) * 4 + 3] == 0:  # fully transparent
                bits[x // 8] |= 0x80 >> (x % 8)
        mask.append(bytes(bits))
    return header + b"".join(rows) + b"".join(mask)


def png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def make_icon() -> bytes:
    """The .ico file: ICONDIR, one ICONDIRENTRY per size, then the images."""
    images = [png(render(s)) if s >= PNG_FROM else bitmap(render(s)) for s in SIZES]
    out = bytearray(struct.pack("<HHH", 0, 1, len(SIZES)))
    offset = 6 + 16 * len(SIZES)
    for size, data in zip(SIZES, images, strict=True):
        edge = size % 256  # 0 means 256
        out += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    for data in images:
        out += data
    return bytes(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped icon is out of date")
    args = parser.parse_args(argv)
    data = make_icon()
    if args.check:
        if ICON.is_file() and ICON.read_bytes() == data:
            print(f"{ICON.relative_to(REPO)} is up to date")
            return 0
        print(f"{ICON.relative_to(REPO)} is out of date: run python build/make_icon.py", file=sys.stderr)
        return 1
    ICON.write_bytes(data)
    print(f"wrote {ICON.relative_to(REPO)} ({len(data)} bytes, sizes {', '.join(map(str, SIZES))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
