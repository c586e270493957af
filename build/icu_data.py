"""ICU's data library for the Linux bundle, trimmed to what Qt uses of it.

The Linux wheels' Qt is built with ICU, whose data library (libicudata.so.NN, 30.6 MiB) holds the locale data
of every language and 190 legacy character sets. Qt Core is the only part of Qt that calls ICU, and only for
four things (objdump -T libQt6Core.so.6 lists the functions): case mapping (u_strToUpper/Lower, whose
tables are compiled into libicuuc), character set conversion (ucnv_*), collation (ucol_*), and calendars and
time zone names (ucal_*). The program uses Chinese and English. So the trimmed library keeps:

- every item that is not locale data (likely subtags, supplemental data, time zones, normalization ...) but the
  four no such call reads (NOT_READ: character names, the IDNA mapping, NFKC case folding, confusables);
- the root, English and Chinese locale data of the categories those calls read: the locale bundles themselves
  (calendars), collation (coll/, 1.5 MiB with the pinyin order of zh), time zone names (zone/), and the language
  and region names ICU builds generic time zone names from (lang/, region/);
- the converters of the Chinese character sets (GB18030, GBK, GB 2312, Big5); UTF-8/16/32, ASCII and
  ISO-8859-1 are built into the code and need no data.

It leaves out the locale data of the other languages, the converters of other character sets, and what nothing
calls: units (unit/), currencies (curr/), transliteration (translit/), spelled-out numbers (rbnf/) and the
break iterators with their dictionaries (brkitr/: Qt breaks text with its own tables). 30.6 MiB become 4.3.

The data is ICU's "common data" package, a table of contents of named items (icudtNNl/coll/zh.res, ...),
exported by the library as the symbol icudtNN_dat. The trimmed package is written in the same format and
assembled into a library of the same name with binutils (as, ld), which the Linux build already needs.

    python build/icu_data.py LIBICUDATA OUT_DIR     # writes OUT_DIR/libicudata.so.NN and prints what it kept
    python build/icu_data.py --probe LIBICUDATA ICU_LIB_DIR   # what ICU answers with that data (JSON)
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Locale data kept: the root locale and every Chinese and English locale (zh_Hans_CN, en_US_POSIX, ...).
KEPT_LOCALES = re.compile(r"^(root|zh|en)(_[A-Za-z0-9]+)*$")
# A locale bundle's name (language, script, region, variants: sr_Latn_BA, es_419, de__PHONEBOOK), as opposed to
# the package's other items (pool, res_index, supplementalData, tzdbNames, ...).
LOCALE_NAME = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_([A-Z]{2}|[0-9]{3})?)?(_[A-Z0-9]+)*$|^root$")
# Categories whose locale data is kept for the kept locales (the top level is "").
LOCALE_CATEGORIES = {"", "coll", "zone", "lang", "region"}
# Converters kept: GB18030, GBK (windows-936 on ibm-1386), GB 2312 (EUC-CN), Big5 (windows-950 on ibm-1373).
KEPT_CONVERTERS = {
    "gb18030",
    "windows-936-2000",
    "ibm-1386_P100-2001",
    "ibm-1383_P110-1999",
    "windows-950-2000",
    "ibm-1373_P100-2002",
}

# Items that are not locale data and that none of Qt's calls reads: Unicode character names (u_charName), the
# IDNA mapping (uidna_*; Qt maps host names itself), NFKC case folding (a Normalizer2 instance of its own) and the
# spoof checker's confusables (uspoof_*).
NOT_READ = {"unames.icu", "uts46.nrm", "nfkc_cf.nrm", "confusables.cfu"}

_MAGIC = b"\xda\x27"
_FORMAT = b"CmnD"
_ALIGN = 16
_FILL = b"\xaa"  # what ICU's own package tool pads with


@dataclass(frozen=True)
class Item:
    name: str  # without the package prefix: "coll/zh.res"
    data: bytes


@dataclass(frozen=True)
class Package:
    header: bytes  # the package's own data header, copied as it is
    prefix: str  # "icudt73l/"
    items: tuple[Item, ...]


def kept(name: str) -> bool:
    """Whether an item of the package (named without its prefix) stays in the trimmed library."""
    category, _, file = name.rpartition("/")
    stem, _, extension = file.rpartition(".")
    if extension == "cnv":
        return category == "" and stem in KEPT_CONVERTERS
    if "/" in category or category not in LOCALE_CATEGORIES:
        return False  # unit/, curr/, translit/, rbnf/, brkitr/
    if extension == "res" and LOCALE_NAME.match(stem):
        return bool(KEPT_LOCALES.match(stem))
    return name not in NOT_READ  # not locale data: pool.res, supplementalData.res, ucadata.icu, nfkc.nrm, ...


def parse(blob: bytes) -> Package:
    """The common data package `blob` starts with (its items' lengths come from the offsets between them)."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != _MAGIC or blob[12:16] != _FORMAT:
        raise ValueError("not an ICU common data package")
    toc = blob[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    names = [toc[offset : toc.index(b"\0", offset)].decode("ascii") for offset, _ in entries]
    prefix = names[0].split("/", 1)[0] + "/"
    if not all(name.startswith(prefix) for name in names):
        raise ValueError("items of more than one package")
    ends = [offset for _, offset in entries[1:]] + [len(toc)]
    items = tuple(
        Item(name.removeprefix(prefix), toc[start:end])
        for name, (_, start), end in zip(names, entries, ends, strict=True)
    )
    return Package(blob[:header_size], prefix, items)


def _pad(size: int) -> int:
    return -size % _ALIGN


def serialize(package: Package) -> bytes:
    """The package in ICU's common data format: header, table of contents, names, items aligned to 16 bytes."""
    names = b"".join(f"{package.prefix}{item.name}".encode("ascii") + b"\0" for item in package.items)
    toc_size = 4 + 8 * len(package.items)
    data_start = toc_size + len(names)
    data_start += _pad(len(package.header) + data_start)
    entries, data, name_offset = [], bytearray(), toc_size
    for item in package.items:
        entries.append((name_offset, data_start + len(data)))
        name_offset += len(package.prefix) + len(item.name) + 1
        data += item.data + _FILL * _pad(len(item.data))
    toc = struct.pack("<I", len(package.items)) + b"".join(struct.pack("<II", *e) for e in entries) + names
    return package.header + toc + _FILL * _pad(len(package.header) + len(toc)) + bytes(data)


def trimmed(package: Package) -> Package:
    return Package(package.header, package.prefix, tuple(item for item in package.items if kept(item.name)))


def data_symbol(library: Path) -> tuple[str, int, int]:
    """The library's icudtNN_dat symbol: its name, file offset and size (the data is the library's .rodata)."""
    symbols = subprocess.run(
        ["nm", "-D", "-S", "--defined-only", str(library)], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"^([0-9a-f]+) ([0-9a-f]+) R (icudt\d+_dat)$", symbols, re.MULTILINE)
    if not match:
        raise ValueError(f"{library}: no icudtNN_dat symbol")
    address, size = int(match.group(1), 16), int(match.group(2), 16)
    # nm gives a virtual address: the loaded segment that holds it says where that is in the file.
    headers = subprocess.run(
        ["readelf", "-lW", str(library)], capture_output=True, text=True, check=True
    ).stdout
    for offset, vaddr, filesz in re.findall(
        r"^\s*LOAD\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)", headers, re.MULTILINE
    ):
        start, file_offset, length = int(vaddr, 16), int(offset, 16), int(filesz, 16)
        if start <= address and address + size <= start + length:
            return match.group(3), address - start + file_offset, size
    raise ValueError(f"{library}: {match.group(3)} is not in a loaded segment")


def build_library(blob: bytes, symbol: str, soname: str, out_dir: Path) -> Path:
    """A shared library named `soname` that exports `blob` as the read-only symbol `symbol`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data_file = out_dir / f"{symbol}.dat"
    data_file.write_bytes(blob)
    source = out_dir / f"{symbol}.s"
    source.write_text(
        "\t.section .rodata\n"
        f"\t.globl {symbol}\n"
        f"\t.type {symbol}, @object\n"
        f"\t.balign {_ALIGN}\n"
        f"{symbol}:\n"
        f'\t.incbin "{data_file}"\n'
        f"\t.size {symbol}, . - {symbol}\n"
        '\t.section .note.GNU-stack,"",@progbits\n',
        encoding="ascii",
    )
    obj = out_dir / f"{symbol}.o"
    library = out_dir / soname
    subprocess.run(["as", "-o", str(obj), str(source)], check=True)
    subprocess.run(["ld", "-shared", "-soname", soname, "-o", str(library), str(obj)], check=True)
    return library


def trim_library(library: Path, out_dir: Path) -> tuple[Path, Package, Package]:
    """Write the trimmed copy of ICU's data library `library` into out_dir; returns it, the full and the kept
    package."""
    symbol, offset, size = data_symbol(library)
    with library.open("rb") as f:
        f.seek(offset)
        full = parse(f.read(size))
    kept_package = trimmed(full)
    return build_library(serialize(kept_package), symbol, library.name, out_dir), full, kept_package


# What the probe asks ICU, as Qt Core would: collation, conversion and time zone names, in Chinese and English.
PROBE_LOCALES = ("zh_CN", "en_US")
# Each Chinese converter, with Python's codec of the same character set and a text to decode.
PROBE_CONVERTERS = {
    "GB18030": ("gb18030", "粤智助"),
    "GBK": ("gbk", "粤智助"),
    "GB2312": ("gb2312", "粤智助"),
    "Big5": ("big5", "政務服務"),
}
PROBE_ZONE = "Asia/Shanghai"


def probe(data_library: Path, icu_dir: Path) -> dict[str, object]:
    """What ICU answers with `data_library` as its data and the libicuuc/libicui18n of `icu_dir`: the locale whose
    collation each probe locale gets and how it orders 阿 (a) and 中 (zhong) (pinyin order puts 阿 first), the text
    each Chinese converter decodes, and the standard name of China's time zone in each probe locale.

    Run it in a process of its own (main's --probe): ICU can be loaded only once per process."""
    import ctypes

    symbol, _, _ = data_symbol(data_library)
    version = re.sub(r"\D", "", symbol)
    ctypes.CDLL(str(data_library), mode=ctypes.RTLD_GLOBAL)  # the libraries below link it by its name
    common = ctypes.CDLL(str(icu_dir / f"libicuuc.so.{version}"), mode=ctypes.RTLD_GLOBAL)
    i18n = ctypes.CDLL(str(icu_dir / f"libicui18n.so.{version}"), mode=ctypes.RTLD_GLOBAL)

    def function(library: ctypes.CDLL, name: str, restype: type = ctypes.c_int32) -> Any:
        fn = getattr(library, f"{name}_{version}")
        fn.restype = restype
        return fn

    def uchars(text: str) -> tuple[ctypes.Array[ctypes.c_char], int]:
        encoded = text.encode("utf-16-le")
        return ctypes.create_string_buffer(encoded, len(encoded) + 2), len(text)

    status = ctypes.c_int(0)  # UErrorCode: > 0 is an error, < 0 a warning (fallback used)
    result: dict[str, Any] = {"collation": {}, "converters": {}, "zone_names": {}}
    a, a_length = uchars("阿")
    zhong, zhong_length = uchars("中")
    for locale in PROBE_LOCALES:
        status.value = 0
        collator = ctypes.c_void_p(
            function(i18n, "ucol_open", ctypes.c_void_p)(locale.encode(), ctypes.byref(status))
        )
        actual = function(i18n, "ucol_getLocaleByType", ctypes.c_char_p)(collator, 0, ctypes.byref(status))
        order = function(i18n, "ucol_strcoll")(collator, a, a_length, zhong, zhong_length)
        result["collation"][locale] = [actual.decode() if status.value <= 0 and actual else None, order]
    buffer = ctypes.create_string_buffer(256)
    for name, (codec, sample) in PROBE_CONVERTERS.items():
        status.value = 0
        converter = ctypes.c_void_p(
            function(common, "ucnv_open", ctypes.c_void_p)(name.encode(), ctypes.byref(status))
        )
        text = None
        if status.value <= 0:
            encoded = sample.encode(codec)
            length = function(common, "ucnv_toUChars")(
                converter, buffer, 100, encoded, len(encoded), ctypes.byref(status)
            )
            text = buffer.raw[: 2 * length].decode("utf-16-le") if status.value <= 0 else None
        result["converters"][name] = text
    zone, zone_length = uchars(PROBE_ZONE)
    for locale in PROBE_LOCALES:
        status.value = 0
        calendar = ctypes.c_void_p(
            function(i18n, "ucal_open", ctypes.c_void_p)(
                zone, zone_length, locale.encode(), 0, ctypes.byref(status)
            )
        )
        length = function(i18n, "ucal_getTimeZoneDisplayName")(
            calendar, 0, locale.encode(), buffer, 100, ctypes.byref(status)
        )  # 0: UCAL_STANDARD
        result["zone_names"][locale] = (
            buffer.raw[: 2 * length].decode("utf-16-le") if status.value <= 0 else None
        )
    return result


def run_probe(data_library: Path, icu_dir: Path) -> dict[str, object]:
    """probe() in a new Python process."""
    output = subprocess.run(
        [sys.executable, __file__, "--probe", str(data_library), str(icu_dir)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    answer: dict[str, object] = json.loads(output)
    return answer


def main(argv: list[str]) -> int:
    if argv[:1] == ["--probe"]:
        print(json.dumps(probe(Path(argv[1]), Path(argv[2]))))
        return 0
    library, full, kept_package = trim_library(Path(argv[0]), Path(argv[1]))
    print(
        f"{library}: {len(kept_package.items)} of {len(full.items)} items, {library.stat().st_size / 2**20:.1f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
