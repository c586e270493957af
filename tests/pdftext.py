"""The text of a PDF as ``pdftotext`` (poppler-utils) extracts it, normalised so tests can look for Chinese text.

Qt's PDF writer maps each glyph back to the lowest code point the font draws with it. Noto Sans CJK draws many
ideographs with the same glyph as a radical, so extraction yields e.g. ⺠ (U+2EA0) for 民, ⾝ (U+2F9D) for 身,
⼾ (U+2F3E) for 户 and 㬵 (U+3B35) for 胶. NFKC folds the Kangxi radicals (U+2F00–U+2FDF) back, but not the CJK
Radicals Supplement (U+2E80–U+2EFF): ``_RADICALS`` maps those (every one that occurs in the GB 2312 character
set) and the few others NFKC would fold to the wrong character. NFKC also turns full-width punctuation and
ligatures (ﬁ) into their plain forms, so compare against ``normalize(expected)``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

_RADICALS = {
    "\u2e85": "亻",
    "\u2e89": "刂",
    "\u2e90": "尢",
    "\u2e92": "巳",
    "\u2e93": "幺",
    "\u2e95": "彐",
    "\u2e96": "忄",
    "\u2e98": "扌",
    "\u2e99": "攵",
    "\u2ea0": "民",
    "\u2ea1": "氵",
    "\u2ea3": "灬",
    "\u2ea6": "丬",
    "\u2ea8": "犭",
    "\u2ead": "礻",
    "\u2eb0": "纟",
    "\u2eba": "肀",
    "\u2ebe": "艹",
    "\u2ec2": "衤",
    "\u2ec5": "见",
    "\u2ec6": "角",
    "\u2ec8": "讠",
    "\u2ec9": "贝",
    "\u2ecb": "车",
    "\u2ecc": "辶",
    "\u2ed0": "钅",
    "\u2ed3": "长",
    "\u2ed4": "门",
    "\u2ed6": "阝",
    "\u2ed8": "青",
    "\u2ed9": "韦",
    "\u2eda": "页",
    "\u2edb": "风",
    "\u2edc": "飞",
    "\u2edd": "食",
    "\u2ee0": "饣",
    "\u2ee2": "马",
    "\u2ee3": "骨",
    "\u2ee4": "鬼",
    "\u2ee5": "鱼",
    "\u2ee6": "鸟",
    "\u2ee7": "卤",
    "\u2ee8": "麦",
    "\u2ee9": "黄",
    "\u2eea": "黾",
    "\u2eec": "齐",
    "\u2eee": "齿",
    "\u2ef0": "龙",
    # NFKC would give the traditional 戶 (U+6236) and leave the Extension A character alone.
    "\u2f3e": "户",
    "\u3b35": "胶",
}
_TABLE = str.maketrans(_RADICALS)


def normalize(text: str) -> str:
    """Fold radicals to ideographs, then NFKC: apply to both the extracted text and what a test looks for."""
    return unicodedata.normalize("NFKC", text.translate(_TABLE))


def pdf_text(path: Path | str, *, layout: bool = False) -> str:
    """The normalised text of every page of the PDF at ``path`` (``layout``: keep the physical layout)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise RuntimeError("pdftotext (poppler-utils) is not installed")
    args = [exe, "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    result = subprocess.run(args, check=True, capture_output=True)
    return normalize(result.stdout.decode("utf-8"))


def compact(text: str) -> str:
    """``text`` without any whitespace, for finding phrases that a line or cell break may have split."""
    return re.sub(r"\s+", "", text)
