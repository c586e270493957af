"""Regenerate the shipped CJK fonts in ``resources/fonts/`` from Debian's ``fonts-noto-cjk``.

The terminal never relies on system fonts: it ships a subset of Noto Sans CJK SC (Regular and Bold)
that covers ASCII/Latin-1, general punctuation, common symbols and arrows, CJK symbols and
punctuation, full-width forms, every character of GB 2312 (both levels and the symbol rows) and
every non-ASCII character that appears in the project's QML, translation and Python files.

    python build/subset_fonts.py            # rewrite resources/fonts/
    python build/subset_fonts.py --check    # exit 1 if the shipped files are not what this script makes

The output is reproducible: same source fonts + same fontTools + same project text = same bytes
(the ``head.modified`` timestamp of the source font is kept rather than set to "now").
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

REPO = Path(__file__).resolve().parent.parent
FONTS_DIR = REPO / "resources" / "fonts"
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")  # Debian package fonts-noto-cjk
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
FAMILY = "Noto Sans CJK SC"
WEIGHTS = ("Regular", "Bold")
LICENSE_NAME = "LICENSE-OFL.txt"

# Whole Unicode blocks to keep (only code points the source font actually has end up in the subset).
BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0020, 0x007E, "ASCII"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x20A0, 0x20CF, "Currency Symbols"),
    (0x2100, 0x214F, "Letterlike Symbols (℃ № ™)"),
    (0x2150, 0x218F, "Number Forms (Ⅰ Ⅱ Ⅲ)"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2200, 0x22FF, "Mathematical Operators"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics (① ②)"),
    (0x2500, 0x257F, "Box Drawing"),
    (0x25A0, 0x25FF, "Geometric Shapes (▶ ◀ ● ○ ■ □ ▲ ▼)"),
    (0x2600, 0x26FF, "Miscellaneous Symbols (★ ☆ ☎ ⚠)"),
    (0x2700, 0x27BF, "Dingbats (✓)"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x3200, 0x32FF, "Enclosed CJK Letters and Months (㈠ ㊣)"),
    (0xFE30, 0xFE4F, "CJK Compatibility Forms"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
)

# Single symbols the UI uses; listed so a missing one is reported rather than silently dropped.
SYMBOLS = "✓★☆☎←→↑↓↖↗↘↙▶◀▲▼●○◎◇◆□■△▽×÷±√∞≈≠≤≥℃№※§¥￥€…—·•‰"

# Characters outside GB 2312 that are common in personal and place names read from ID cards and
# shown back to the citizen (GB 2312 covers them only partly).
NAME_EXTRAS = "喆堃昇玥珺祎琇琰瑄昱晗煜炜彧翀骞赟钰铖镕劼浛汭淏沄垚犇燚焱淼鑫磊玙琬璟瑭喾埗氹冚"

# Project files whose text the UI shows (and the demo catalog); every character above ASCII is kept.
PROJECT_GLOBS = (
    "resources/**/*.qml",
    "resources/translations/*.ts",
    "kiosk/**/*.py",
    "resources/demo/**/*.json",
    "resources/demo/**/*.toml",
)

# OpenType layout features to keep. Vertical-text features and the 'locl' variants for the
# Japanese/Korean/Traditional faces would roughly double the glyph count for nothing.
LAYOUT_FEATURES = ["ccmp", "calt", "liga", "kern", "mark", "mkmk"]
DROP_TABLES = ["BASE", "VORG", "vhea", "vmtx", "JSTF", "DSIG"]
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # names plus the licence description and URL


def gb2312_chars() -> Iterator[str]:
    """Every character of GB 2312: symbol rows 0xA1-0xA9 and the hanzi rows 0xB0-0xF7 (levels 1 and 2)."""
    rows = [*range(0xA1, 0xAA), *range(0xB0, 0xF8)]
    for row in rows:
        for col in range(0xA1, 0xFF):
            try:
                yield bytes((row, col)).decode("gb2312")
            except UnicodeDecodeError:
                continue  # unassigned code in the table


def project_chars(repo: Path = REPO) -> dict[str, list[str]]:
    """Non-ASCII characters found in the project's UI text files, with the files they come from."""
    found: dict[str, list[str]] = {}
    for pattern in PROJECT_GLOBS:
        for path in sorted(repo.glob(pattern)):
            if any(part in {"dist", "work", ".venv"} for part in path.relative_to(repo).parts):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for ch in set(re.findall(r"[^\x00-\x7f]", text)):
                if ch.isprintable() and ch != "\ufffd":
                    found.setdefault(ch, []).append(path.relative_to(repo).as_posix())
    return found


def wanted_codepoints(repo: Path = REPO) -> tuple[set[int], set[int]]:
    """(all code points to keep, the explicitly listed ones a missing glyph should be reported for)."""
    explicit = {ord(c) for c in SYMBOLS + NAME_EXTRAS}
    explicit |= {ord(c) for c in gb2312_chars()}
    explicit |= {ord(c) for c in project_chars(repo)}
    ranges = {cp for lo, hi, _ in BLOCKS for cp in range(lo, hi + 1)}
    return ranges | explicit, explicit


def find_face(collection: Path, family: str) -> int:
    """Index of the face in a TTC whose name table family (ID 16, else ID 1) is ``family``."""
    ttc = TTCollection(str(collection), lazy=True)
    for index, font in enumerate(ttc.fonts):
        name = font["name"]
        if (name.getDebugName(16) or name.getDebugName(1)) == family:
            return index
    raise SystemExit(f"{collection}: no face named {family!r}")


def subset_options() -> subset.Options:
    options = subset.Options()
    options.layout_features = list(LAYOUT_FEATURES)
    options.drop_tables = sorted(set(options.drop_tables) | set(DROP_TABLES))
    options.name_IDs = list(NAME_IDS)
    options.name_languages = [0x0409]
    options.hinting = False  # unhinted outlines: smaller, and kiosk text is large
    options.desubroutinize = False  # keep CFF subroutines, they save space
    options.notdef_outline = True  # a visible box if an unexpected character ever reaches the font
    options.glyph_names = False
    options.recalc_timestamp = False
    options.prune_unicode_ranges = True
    return options


def build_weight(weight: str, codepoints: Iterable[int], source_dir: Path) -> tuple[bytes, set[int]]:
    """Subset one weight; returns the OTF bytes and the code points the result maps."""
    collection = source_dir / f"NotoSansCJK-{weight}.ttc"
    index = find_face(collection, FAMILY)
    options = subset_options()
    font = TTFont(str(collection), fontNumber=index, recalcTimestamp=False, lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=True)
    covered = set(font.getBestCmap())
    font.close()
    return buffer.getvalue(), covered


def licence_text(copyright_notice: str) -> str:
    """The SIL OFL 1.1 text from the Debian copyright file, headed by the fonts' copyright notice."""
    text = DEBIAN_COPYRIGHT.read_text(encoding="utf-8")
    match = re.search(r"^License: SIL-1\.1\n((?: .*\n)+)", text, re.MULTILINE)
    if not match:
        raise SystemExit(f"{DEBIAN_COPYRIGHT}: no 'License: SIL-1.1' paragraph")
    body = [line[1:] for line in match.group(1).splitlines()]
    body = ["" if line == "." else line for line in body]
    header = [
        f"{copyright_notice}",
        "",
        f"The files NotoSansCJKsc-{WEIGHTS[0]}.otf and NotoSansCJKsc-{WEIGHTS[1]}.otf are subsets (Modified",
        "Versions) of Noto Sans CJK SC from https://github.com/notofonts/noto-cjk, distributed under",
        "the SIL Open Font License, Version 1.1, reproduced below.",
        "",
    ]
    return "\n".join([*header, *body]).rstrip() + "\n"


def generate(source_dir: Path, repo: Path = REPO) -> tuple[dict[str, bytes], list[str]]:
    """All output files (name -> bytes) and a list of warnings."""
    keep, explicit = wanted_codepoints(repo)
    outputs: dict[str, bytes] = {}
    warnings: list[str] = []
    notice = ""
    for weight in WEIGHTS:
        data, covered = build_weight(weight, keep, source_dir)
        outputs[f"NotoSansCJKsc-{weight}.otf"] = data
        missing = sorted(explicit - covered)
        if missing:
            listing = " ".join(f"{chr(cp)}(U+{cp:04X})" for cp in missing)
            warnings.append(f"{weight}: not in the source font, left out: {listing}")
        if not notice:
            notice = TTFont(io.BytesIO(data))["name"].getDebugName(0) or ""
    outputs[LICENSE_NAME] = licence_text(notice).encode("utf-8")
    return outputs, warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source-dir",
        type=Path,
        default=SOURCE_DIR,
        help=f"folder with NotoSansCJK-Regular.ttc and -Bold.ttc (default {SOURCE_DIR})",
    )
    parser.add_argument(
        "--out-dir", type=Path, default=FONTS_DIR, help=f"output folder (default {FONTS_DIR})"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the output folder differs from a fresh build",
    )
    args = parser.parse_args(argv)

    outputs, warnings = generate(args.source_dir)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)

    if args.check:
        stale = [
            name
            for name, data in outputs.items()
            if not (args.out_dir / name).is_file() or (args.out_dir / name).read_bytes() != data
        ]
        for name in stale:
            print(f"out of date: {args.out_dir / name}", file=sys.stderr)
        return 1 if stale else 0

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in outputs.items():
        # Write through a temporary file so an interrupted run never leaves a truncated font behind.
        with tempfile.NamedTemporaryFile(dir=args.out_dir, delete=False) as tmp:
            tmp.write(data)
        Path(tmp.name).chmod(0o644)
        Path(tmp.name).replace(args.out_dir / name)
        print(f"{args.out_dir / name}: {len(data) / 1_000_000:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
