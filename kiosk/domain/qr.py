"""QR codes: the one place the program encodes one (the printed guide and form, the test page, the screens, the
ticket printer's drawn tickets and the command line all draw from this matrix).

Error correction level M (15 % of the code may be lost: a smudged printout still reads) and a quiet zone of four
modules, as the standard asks, unless a caller that prints to a terminal asks for less. ``qrcode`` is imported on
first use: it is slow to import and nothing needs it to start.
"""

from __future__ import annotations

QUIET_ZONE = 4  # modules of white around the code, as the standard asks

QrMatrix = tuple[tuple[bool, ...], ...]


def qr_matrix(payload: str, *, border: int = QUIET_ZONE) -> QrMatrix:
    """The modules of the QR code of ``payload``, row by row (True: dark), the quiet zone included."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    code.add_data(payload)
    code.make(fit=True)
    return tuple(tuple(bool(module) for module in row) for row in code.get_matrix())


def qr_text(payload: str, *, border: int = 2) -> str:
    """The QR code in block characters, two rows of modules a line, dark modules left blank and light ones drawn
    (most terminals show light text on dark, so the code reads right there); each line ends with a newline."""
    matrix = qr_matrix(payload, border=border)
    size = len(matrix)
    glyphs = ("█", "▄", "▀", "\u00a0")  # by (upper dark) + 2 × (lower dark); past the last row counts as dark

    def dark(row: int, col: int) -> int:
        return 1 if row >= size or matrix[row][col] else 0

    lines = (
        "".join(glyphs[dark(row, col) + 2 * dark(row + 1, col)] for col in range(size))
        for row in range(0, size, 2)
    )
    return "".join(line + "\n" for line in lines)
