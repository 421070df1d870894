"""Read an article from a file or standard input: detect its encoding and its format."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from charset_normalizer import from_bytes

from audiobook.errors import InputError


class SourceFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"


@dataclass(frozen=True)
class Source:
    text: str
    format: SourceFormat
    name: str
    encoding: str


_SUFFIX_FORMATS = {
    ".md": SourceFormat.MARKDOWN,
    ".markdown": SourceFormat.MARKDOWN,
    ".txt": SourceFormat.TEXT,
    ".text": SourceFormat.TEXT,
    ".html": SourceFormat.HTML,
    ".htm": SourceFormat.HTML,
    ".xhtml": SourceFormat.HTML,
}

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def read_source(path: str | Path) -> Source:
    """Read `path` (or standard input for "-") into text with a known format."""
    name = str(path)
    if name == "-":
        data = sys.stdin.buffer.read()
        suffix = ""
    else:
        file = Path(path)
        if not file.exists():
            raise InputError(f"{name}: no such file; check the path")
        if file.is_dir():
            raise InputError(f"{name}: is a folder; give an article file (.txt, .md, .html)")
        suffix = file.suffix.lower()
        if suffix and suffix not in _SUFFIX_FORMATS:
            raise InputError(f"{name}: unsupported file type {suffix!r}; give a .txt, .md or .html article")
        data = file.read_bytes()
    text, encoding = decode(data, name)
    return Source(
        text=text, format=_SUFFIX_FORMATS.get(suffix) or sniff_format(text), name=name, encoding=encoding
    )


def decode(data: bytes, name: str = "input") -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 or GB18030; refuse binaries."""
    if not data.strip():
        raise InputError(f"{name}: the article is empty; give a file with text in it")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(encoding), name), encoding.removesuffix("-sig")
    if b"\x00" in data:
        return _decode_utf16_without_bom(data, name)
    try:
        return _checked(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return _checked(data.decode("gb18030"), name), "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: cannot tell the text encoding; save it as UTF-8 or GB18030 and try again")
    return _checked(str(best), name), best.encoding


def _decode_utf16_without_bom(data: bytes, name: str) -> tuple[str, str]:
    """Zero bytes are UTF-16 text when one byte order gives readable text, else a binary."""
    best: tuple[float, str, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = sum(_readable(ch) for ch in text) / max(1, len(text))
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None or best[0] < 0.9:
        raise InputError(f"{name}: looks like a binary file, not text; give a .txt, .md or .html article")
    return _checked(best[1], name), best[2]


def _readable(ch: str) -> bool:
    code = ord(ch)
    return (
        32 <= code < 127
        or ch in "\n\r\t"
        or 0x3000 <= code <= 0x303F
        or 0x4E00 <= code <= 0x9FFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x2010 <= code <= 0x2027
    )


def _checked(text: str, name: str) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 100):
        raise InputError(f"{name}: looks like a binary file, not text; give a .txt, .md or .html article")
    if not text.strip():
        raise InputError(f"{name}: the article is empty; give a file with text in it")
    return text


def sniff_format(text: str) -> SourceFormat:
    """The format of text read from standard input or a file without a suffix."""
    head = text.lstrip()[:2000].lower()
    if head.startswith(("<!doctype html", "<html")) or "<body" in head or "<p>" in head:
        return SourceFormat.HTML
    return SourceFormat.MARKDOWN
