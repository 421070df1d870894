"""An EPUB 3 read-along edition: one XHTML document and one SMIL media overlay per chapter."""

from __future__ import annotations

import uuid
import zipfile
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from audiobook.edition import Edition, EditionChapter
from audiobook.export.atomic import atomic_path
from audiobook.model import BlockKind

ACTIVE_CLASS = "-epub-media-overlay-active"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_HTML_OPEN = (
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
    'lang="zh-CN" xml:lang="zh-CN">'
)
_CSS = f"""body {{ font-family: serif; line-height: 1.8; }}
h1 {{ font-size: 1.3em; }}
.{ACTIVE_CLASS} {{ background-color: #fff3b0; color: #000; }}
"""


def clock(seconds: float) -> str:
    """A SMIL full clock value, h:mm:ss.fff."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _identifier(edition: Edition) -> str:
    article = edition.article
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"audiobook:{article.title}|{article.subtitle}"))


def _modified(edition: Edition) -> str:
    """dcterms:modified from the article file, so that rebuilding gives the same book."""
    source = Path(edition.article.source)
    stamp = source.stat().st_mtime if edition.article.source and source.is_file() else 946684800
    return datetime.fromtimestamp(int(stamp), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _chapter_xhtml(edition: Edition, chapter: EditionChapter) -> str:
    body, placed, index = [], list(chapter.placed), 0
    for block in chapter.chapter.blocks:
        spans = []
        for _ in block.segments:
            index += 1
            spans.append(f'<span id="s{index}">{escape(placed[index - 1].segment.text)}</span>')
        tag = "h1" if block.kind is BlockKind.HEADING or (block.kind is BlockKind.TITLE) else "p"
        body.append(f"<{tag}>{''.join(spans)}</{tag}>")
    if not any(line.startswith("<h1>") for line in body):
        body.insert(0, f"<h1>{escape(chapter.title)}</h1>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
{_HTML_OPEN}
<head><meta charset="UTF-8"/><title>{escape(chapter.title)}</title>
<link rel="stylesheet" type="text/css" href="../style.css"/></head>
<body><section epub:type="chapter" id="chapter">
{chr(10).join(body)}
</section></body>
</html>
"""


def _chapter_smil(chapter: EditionChapter, name: str) -> str:
    pars = "\n".join(
        f'<par id="p{i}"><text src="../text/{name}.xhtml#s{i}"/>'
        f'<audio src="../audio/{name}.mp3" clipBegin="{clock(p.start)}" clipEnd="{clock(p.end)}"/></par>'
        for i, p in enumerate(chapter.placed, 1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">
<body><seq id="seq1" epub:textref="../text/{name}.xhtml#chapter" epub:type="chapter">
{pars}
</seq></body>
</smil>
"""


def _nav(edition: Edition, names: list[str]) -> str:
    items = "\n".join(
        f'<li><a href="text/{name}.xhtml">{escape(c.title)}</a></li>'
        for c, name in zip(edition.chapters, names, strict=True)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
{_HTML_OPEN}
<head><meta charset="UTF-8"/><title>{escape(edition.article.title)}</title></head>
<body><nav epub:type="toc" id="toc"><h1>目录</h1><ol>
{items}
</ol></nav></body>
</html>
"""


def _package(edition: Edition, names: list[str], durations: list[float], cover: Path | None) -> str:
    article = edition.article
    refines = "\n".join(
        f'<meta property="media:duration" refines="#mo-{name}">{clock(d)}</meta>'
        for name, d in zip(names, durations, strict=True)
    )
    items = "\n".join(
        f'<item id="x-{n}" href="text/{n}.xhtml" media-type="application/xhtml+xml" '
        f'media-overlay="mo-{n}"/>\n'
        f'<item id="mo-{n}" href="smil/{n}.smil" media-type="application/smil+xml"/>\n'
        f'<item id="a-{n}" href="audio/{n}.mp3" media-type="audio/mpeg"/>'
        for n in names
    )
    if cover is not None:
        mime = "image/png" if cover.suffix.lower() == ".png" else "image/jpeg"
        items += (
            f'\n<item id="cover" href="images/cover{cover.suffix.lower()}" media-type="{mime}" '
            'properties="cover-image"/>'
        )
    creator = f"<dc:creator>{escape(article.byline)}</dc:creator>" if article.byline else ""
    spine = "\n".join(f'<itemref idref="x-{n}"/>' for n in names)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="zh-CN">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">{_identifier(edition)}</dc:identifier>
<dc:title>{escape(article.title)}</dc:title>
<dc:language>zh-CN</dc:language>
{creator}
<meta property="dcterms:modified">{_modified(edition)}</meta>
<meta property="media:active-class">{ACTIVE_CLASS}</meta>
{refines}
<meta property="media:duration">{clock(sum(durations))}</meta>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="css" href="style.css" media-type="text/css"/>
{items}
</manifest>
<spine>
{spine}
</spine>
</package>
"""


_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""


def write_epub(target: Path, edition: Edition, audio: list[Path], cover: Path | None = None) -> None:
    """The book, with `audio` the chapters' MP3s (untagged: the package carries the metadata)."""
    names = [f"chapter-{c.number:03d}" for c in edition.chapters]
    # Durations rounded once, so that the chapters' values add up to the book's exactly.
    durations = [round(c.duration, 3) for c in edition.chapters]
    with atomic_path(target) as temp, zipfile.ZipFile(temp, "w") as book:

        def add(name: str, data: bytes, compress: bool = True) -> None:
            info = zipfile.ZipInfo(name, _FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            book.writestr(info, data)

        add("mimetype", b"application/epub+zip", compress=False)
        add("META-INF/container.xml", _CONTAINER.encode())
        add("EPUB/package.opf", _package(edition, names, durations, cover).encode())
        add("EPUB/nav.xhtml", _nav(edition, names).encode())
        add("EPUB/style.css", _CSS.encode())
        for chapter, name, mp3 in zip(edition.chapters, names, audio, strict=True):
            add(f"EPUB/text/{name}.xhtml", _chapter_xhtml(edition, chapter).encode())
            add(f"EPUB/smil/{name}.smil", _chapter_smil(chapter, name).encode())
            add(f"EPUB/audio/{name}.mp3", mp3.read_bytes(), compress=False)
        if cover is not None:
            add(f"EPUB/images/cover{cover.suffix.lower()}", cover.read_bytes(), compress=False)
