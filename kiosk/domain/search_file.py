"""The search index file: a segment's parts as raw bytes, read back with a few copies and no Python step per item.

Layout: the magic line, a 4-byte little-endian header length, the header (JSON: format, the catalog revision and
token it belongs to, the CRC-32 of the body, and each part's name, kind, offset and length), then the body. An
integer part is the array's bytes in this machine's order (the header says which), a text part is UTF-8 in
pieces of at most TEXT_PIECE characters, so that no single decode keeps the interpreter lock for long.

Reading checks everything before trusting anything: a file that is short, damaged, from another format or from
a machine of the other byte order raises IndexFileError, and the caller builds the index anew.
"""

from __future__ import annotations

import json
import sys
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from kiosk.domain.search_segment import Part, Segment, segment_from_parts, segment_parts

MAGIC = b"kiosk search index\n"
FORMAT = 1
TEXT_PIECE = 1 << 20  # characters decoded at a time
_ALIGN = 8
_INT: Final = "i"


class IndexFileError(ValueError):
    """The bytes are not a search index this program can use."""


@dataclass(frozen=True, slots=True)
class IndexFile:
    segment: Segment
    revision: int  # the catalog revision the segment shows
    token: str  # names this file in the database's catalog_meta, so a file never serves another database


def encode(segment: Segment, revision: int, token: str) -> list[bytes | memoryview]:
    """The file's bytes, as pieces to write one after the other."""
    body: list[bytes | memoryview] = []
    sections: list[list[Any]] = []
    size = 0
    crc = 0
    for name, value in segment_parts(segment).items():
        pieces: list[bytes | memoryview]
        if isinstance(value, str):
            pieces = [value[i : i + TEXT_PIECE].encode("utf-8") for i in range(0, len(value), TEXT_PIECE)]
            sections.append([name, "text", size, [len(p) for p in pieces]])
        else:
            view = memoryview(value)
            if view.format != _INT:
                raise ValueError(f"index part {name} is not an array of int")
            pieces = [view.cast("B")]
            sections.append([name, "int", size, [view.nbytes]])
        length = sum(len(p) for p in pieces)
        pad = -length % _ALIGN
        if pad:
            pieces.append(b"\0" * pad)
        for piece in pieces:
            crc = zlib.crc32(piece, crc)
        body += pieces
        size += length + pad
    header = json.dumps(
        {
            "format": FORMAT,
            "revision": revision,
            "token": token,
            "byteorder": sys.byteorder,
            "int_bytes": array(_INT).itemsize,
            "body_bytes": size,
            "crc32": crc,
            "sections": sections,
        }
    ).encode("utf-8")
    head = MAGIC + len(header).to_bytes(4, "little") + header
    head += b"\0" * (-len(head) % _ALIGN)
    return [head, *body]


def decode(data: bytes | bytearray | memoryview) -> IndexFile:
    """The index in ``data`` (kept, not copied: the segment's arrays are views into it)."""
    try:
        return _decode(memoryview(data))
    except IndexFileError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, UnicodeDecodeError, OverflowError) as exc:
        raise IndexFileError(f"damaged search index: {exc}") from exc


def _decode(view: memoryview) -> IndexFile:
    if view[: len(MAGIC)] != MAGIC:
        raise IndexFileError("not a search index file")
    at = len(MAGIC)
    length = int.from_bytes(view[at : at + 4], "little")
    header = json.loads(str(view[at + 4 : at + 4 + length], "utf-8"))
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise IndexFileError("search index of another format")
    if header.get("byteorder") != sys.byteorder or header.get("int_bytes") != array(_INT).itemsize:
        raise IndexFileError("search index written on a machine of another kind")
    start = at + 4 + length
    start += -start % _ALIGN
    body = view[start:]
    if len(body) != header["body_bytes"] or zlib.crc32(body) != header["crc32"]:
        raise IndexFileError("damaged search index (its check sum does not match)")
    parts = dict(_parts(body, header["sections"]))
    return IndexFile(segment_from_parts(parts), int(header["revision"]), str(header["token"]))


def _parts(body: memoryview, sections: list[list[Any]]) -> Iterator[tuple[str, Part]]:
    for name, kind, offset, lengths in sections:
        if offset < 0 or any(n < 0 for n in lengths) or offset + sum(lengths) > len(body):
            raise IndexFileError(f"search index part {name} lies outside the file")
        if kind == "int":
            yield str(name), body[offset : offset + lengths[0]].cast(_INT)
        elif kind == "text":
            pieces, at = [], offset
            for length in lengths:
                pieces.append(str(body[at : at + length], "utf-8"))
                at += length
            yield str(name), "".join(pieces)
        else:
            raise IndexFileError(f"search index part {name} of unknown kind {kind}")
