"""A podcast feed (RSS 2.0 with the iTunes and Podcasting 2.0 namespaces) for built editions."""

from __future__ import annotations

import json
import os
import shutil
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from audiobook.errors import InputError
from audiobook.export.atomic import write_bytes
from audiobook.ffmpeg import run_ffmpeg

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
_GUID_NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # RFC 4122 URL namespace


@dataclass(frozen=True)
class BuiltEdition:
    folder: Path
    manifest: dict[str, Any]

    @property
    def whole_audio(self) -> Path:
        for suffix in (".mp3", ".m4b"):
            path = self.folder / f"{self.folder.name}{suffix}"
            if path.is_file():
                return path
        raise InputError(f"{self.folder}: no whole-edition MP3 or M4B; build it again")

    @property
    def guid(self) -> str:
        """Stable across rebuilds and hosts: the article's identity, not the files'."""
        article = self.manifest["article"]
        name = "audiobook:" + "|".join(str(article.get(k) or "") for k in ("title", "subtitle", "byline"))
        return str(uuid.uuid5(_GUID_NAMESPACE, name))


def load_edition(folder: Path) -> BuiltEdition:
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        raise InputError(f"{folder}: not a built edition (no manifest.json); run `audiobook build` first")
    return BuiltEdition(folder, json.loads(manifest.read_text(encoding="utf-8")))


def _url(base: str, feed_dir: Path, path: Path) -> str:
    relative = Path(os.path.relpath(path.resolve(), feed_dir.resolve())).as_posix()
    return base.rstrip("/") + "/" + quote(relative)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, tag, attributes)
    if text is not None:
        child.text = text
    return child


def write_feed(
    folders: list[Path],
    base_url: str,
    out: Path,
    show_title: str | None = None,
    cover: Path | None = None,
    category: str = "News",
) -> Path:
    if not base_url.startswith(("http://", "https://")):
        raise InputError(
            f"--base-url {base_url!r}: give the public http(s) address the files will be served from"
        )
    editions = [load_edition(folder) for folder in folders]
    feed_dir = out.parent
    first = editions[0].manifest["article"]
    ET.register_namespace("itunes", ITUNES)
    ET.register_namespace("podcast", PODCAST)
    ET.register_namespace("atom", ATOM)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _element(rss, "channel")
    title = show_title or first["title"]
    _element(channel, "title", title)
    _element(channel, "link", base_url)
    _element(
        channel, f"{{{ATOM}}}link", href=_url(base_url, feed_dir, out), rel="self", type="application/rss+xml"
    )
    _element(channel, "description", first.get("subtitle") or title)
    _element(channel, "language", "zh-cn")
    _element(channel, "generator", "audiobook")
    _element(channel, f"{{{ITUNES}}}author", first.get("byline") or title)
    _element(channel, f"{{{ITUNES}}}explicit", "false")
    ET.SubElement(channel, f"{{{ITUNES}}}category", {"text": category})
    _element(channel, f"{{{ITUNES}}}image", href=_url(base_url, feed_dir, _artwork(cover, feed_dir)))
    for edition in editions:
        _item(channel, edition, base_url, feed_dir)
    ET.indent(rss)
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="utf-8")
    write_bytes(out, data)
    return out


def _artwork(cover: Path | None, feed_dir: Path) -> Path:
    """The given cover copied beside the feed, or a plain 1400x1400 one (podcast directories want one)."""
    if cover is not None:
        if not cover.is_file() or cover.suffix.lower() not in (".jpg", ".jpeg", ".png"):
            raise InputError(f"--cover {cover}: give an existing .jpg or .png image")
        target = feed_dir / f"cover{cover.suffix.lower()}"
        if cover.resolve() != target.resolve():
            shutil.copyfile(cover, target)
        return target
    target = feed_dir / "cover.jpg"
    if not target.is_file():
        run_ffmpeg(["-y", "-f", "lavfi", "-i", "color=c=0x0b57d0:s=1400x1400", "-frames:v", "1", str(target)])
    return target


def _item(channel: ET.Element, edition: BuiltEdition, base_url: str, feed_dir: Path) -> None:
    article = edition.manifest["article"]
    audio = edition.whole_audio
    item = _element(channel, "item")
    title = article["title"] + (f" {article['subtitle']}" if article.get("subtitle") else "")
    _element(item, "title", title)
    description = "；".join(
        x for x in [article.get("subtitle"), article.get("byline"), *article["captions"]] if x
    )
    _element(item, "description", description or title)
    mime = "audio/mpeg" if audio.suffix == ".mp3" else "audio/x-m4b"
    _element(
        item, "enclosure", url=_url(base_url, feed_dir, audio), length=str(audio.stat().st_size), type=mime
    )
    _element(item, "guid", edition.guid, isPermaLink="false")
    published = datetime.fromtimestamp((edition.folder / "manifest.json").stat().st_mtime, tz=UTC)
    _element(item, "pubDate", format_datetime(published))
    _element(item, f"{{{ITUNES}}}duration", str(round(edition.manifest["duration"])))
    _element(item, f"{{{ITUNES}}}explicit", "false")
    if article.get("byline"):
        _element(item, f"{{{ITUNES}}}author", article["byline"])
    _element(
        item,
        f"{{{PODCAST}}}chapters",
        url=_url(base_url, feed_dir, edition.folder / "chapters.json"),
        type="application/json+chapters",
    )
    for suffix, mime_type in ((".vtt", "text/vtt"), (".srt", "application/x-subrip")):
        transcript = edition.folder / f"{edition.folder.name}{suffix}"
        if transcript.is_file():
            _element(
                item,
                f"{{{PODCAST}}}transcript",
                url=_url(base_url, feed_dir, transcript),
                type=mime_type,
                language="zh-cn",
                rel="captions",
            )
