"""Publishing: the podcast feed, the accessible player page (in headless Chromium) and the EPUB."""

from __future__ import annotations

import asyncio
import json
import subprocess
import zipfile
from pathlib import Path

import feedparser
import pytest
from typer.testing import CliRunner

from audiobook.cli import app
from tests.browser import Browser

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """Two parts of a series (上, 下) built with EPUB, in one folder that the feed covers."""
    root = tmp_path_factory.mktemp("podcast")
    folders = []
    for part in ("上", "下"):
        article = root / f"article-{part}.md"
        article.write_text(
            (DATA / "short.md").read_text(encoding="utf-8").replace("(上)", f"({part})"), encoding="utf-8"
        )
        out = root / ("part-1" if part == "上" else "part-2")
        result = CliRunner().invoke(
            app, ["build", str(article), "--out", str(out), "--format", "mp3,epub", "--quiet"]
        )
        assert result.exit_code == 0, result.output
        folders.append(out)
    return root, folders


def test_feed_describes_every_edition(series) -> None:  # type: ignore[no-untyped-def]
    root, folders = series
    result = CliRunner().invoke(
        app, ["feed", *map(str, folders), "--base-url", "https://example.org/pod", "--show-title", "营口故事"]
    )
    assert result.exit_code == 0, result.output
    parsed = feedparser.parse((root / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    channel = parsed.feed
    assert channel.title == "营口故事" and channel.language == "zh-cn"
    assert channel.image.href == "https://example.org/pod/cover.jpg" and (root / "cover.jpg").is_file()
    # feedparser reads only yes/clean; Apple's current values are true/false.
    assert channel.itunes_explicit is not True
    assert "<itunes:explicit>false</itunes:explicit>" in (root / "feed.xml").read_text(encoding="utf-8")
    assert channel.tags[0].term == "News"
    assert len(parsed.entries) == 2
    for entry, folder in zip(parsed.entries, folders, strict=True):
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        whole = folder / f"{folder.name}.mp3"
        enclosure = entry.enclosures[0]
        assert enclosure.href == f"https://example.org/pod/{folder.name}/{folder.name}.mp3"
        assert int(enclosure.length) == whole.stat().st_size and enclosure.type == "audio/mpeg"
        assert entry.title.startswith(manifest["article"]["title"])
        assert int(entry.itunes_duration) == round(manifest["duration"])
        assert entry.published_parsed is not None
        xml = (root / "feed.xml").read_text(encoding="utf-8")
        assert f'<podcast:chapters url="https://example.org/pod/{folder.name}/chapters.json"' in xml
        assert f'url="https://example.org/pod/{folder.name}/{folder.name}.vtt" type="text/vtt"' in xml
    assert parsed.entries[0].id != parsed.entries[1].id
    first_guid = parsed.entries[0].id
    CliRunner().invoke(app, ["feed", *map(str, folders), "--base-url", "https://other.example/x"])
    again = feedparser.parse((root / "feed.xml").read_bytes())
    assert again.entries[0].id == first_guid  # the guid never changes for the same edition


def test_feed_needs_built_editions(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["feed", str(tmp_path), "--base-url", "https://example.org"])
    assert result.exit_code == 2 and "no manifest.json" in result.output


def test_epub_passes_epubcheck_and_its_durations_add_up(series) -> None:  # type: ignore[no-untyped-def]
    _, folders = series
    epub = folders[0] / f"{folders[0].name}.epub"
    check = subprocess.run(
        ["java", "-jar", "/usr/bin/epubcheck", str(epub)], capture_output=True, text=True, timeout=300
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No errors or warnings detected" in check.stdout + check.stderr
    with zipfile.ZipFile(epub) as book:
        assert book.namelist()[0] == "mimetype"
        package = book.read("EPUB/package.opf").decode()
        smil = book.read("EPUB/smil/chapter-002.smil").decode()
        text = book.read("EPUB/text/chapter-002.xhtml").decode()
    import re

    def seconds(clock: str) -> float:
        h, m, s = clock.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    parts = re.findall(r'refines="#mo-[^"]+">([\d:.]+)<', package)
    total = re.findall(r'<meta property="media:duration">([\d:.]+)<', package)[0]
    assert len(parts) == 3 and abs(sum(map(seconds, parts)) - seconds(total)) < 0.0015
    assert "media:active-class" in package
    ids = re.findall(r'#(s\d+)"', smil)
    assert ids and all(f'id="{i}"' in text for i in ids)


def test_player_page_follows_the_audio(series) -> None:  # type: ignore[no-untyped-def]
    _, folders = series
    folder = folders[0]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "<main>" in page and "<nav" in page and "<h1>" in page
    assert "http://" not in page and "https://" not in page  # no network resources
    asyncio.run(_drive(folder, manifest))


async def _drive(folder: Path, manifest: dict) -> None:  # type: ignore[type-arg]
    async with Browser() as page:
        await page.open((folder / "index.html").as_uri())
        ready = await page.eval(
            "new Promise(r => { const a = document.getElementById('player');"
            " if (a.readyState >= 1) r(a.duration);"
            " else a.addEventListener('loadedmetadata', () => r(a.duration)); })"
        )
        assert abs(ready - manifest["duration"]) < 0.5
        for segment in manifest["segments"][1::3]:
            highlighted = await page.eval(
                "new Promise(r => { const a = document.getElementById('player');"
                f" a.currentTime = {segment['start'] + 0.05};"
                " a.addEventListener('seeked', () => setTimeout(() => {"
                " const c = document.querySelector('.sentence.current');"
                " r(c && [c.textContent, c.getAttribute('aria-current')]); }, 50), { once: true }); })"
            )
            assert highlighted == [segment["text"], "true"]
        # Keyboard alone: focus a sentence and press Enter; it seeks there.
        target = manifest["segments"][4]
        await page.eval("document.querySelectorAll('.sentence')[4].focus()")
        assert await page.eval("document.activeElement.id") == "s5"
        await page.key("Enter", "Enter", 13)
        await asyncio.sleep(0.3)
        now = await page.eval("document.getElementById('player').currentTime")
        assert abs(now - target["start"]) < 0.3
        # A chapter in the list seeks to the chapter.
        chapter = manifest["chapters"][2]
        await page.eval("document.querySelectorAll('nav button')[2].click()")
        await asyncio.sleep(0.3)
        now = await page.eval("document.getElementById('player').currentTime")
        assert abs(now - chapter["start"]) < 0.3
        assert (
            await page.eval("document.querySelectorAll('nav button')[2].getAttribute('aria-current')")
            == "true"
        )
