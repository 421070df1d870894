"""The accessible player page: index.html beside the audio, with chapters and a transcript that
follows the audio. Everything is inline: no network resources."""

from __future__ import annotations

from html import escape
from importlib import resources

from audiobook.edition import Edition

_ASSETS = resources.files("audiobook.export")


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def player_page(edition: Edition, audio_name: str, audio_type: str) -> str:
    article = edition.article
    title = escape(article.title)
    chapter_items = "\n".join(
        f'<li><button type="button" data-start="{c.start:.3f}">{escape(c.title)}</button> '
        f'<span class="speaker">{_clock(c.start)}</span></li>'
        for c in edition.chapters
    )
    sections = []
    index = 0
    for chapter in edition.chapters:
        spans = []
        for placed in chapter.placed:
            index += 1
            speaker = placed.segment.speaker
            label = f' title="{escape(speaker)}"' if speaker else ""
            spans.append(
                f'<span class="sentence" id="s{index}" role="button" tabindex="0"{label} '
                f'data-start="{chapter.start + placed.start:.3f}" '
                f'data-end="{chapter.start + placed.end:.3f}">'
                f"{escape(placed.segment.text)}</span>"
            )
        sections.append(
            f'<section aria-labelledby="c{chapter.number}">'
            f'<h3 id="c{chapter.number}">{escape(chapter.title)}</h3>'
            f"<p>{''.join(spans)}</p></section>"
        )
    byline = f"<p>{escape(article.byline)}</p>" if article.byline else ""
    subtitle = f"<p>{escape(article.subtitle)}</p>" if article.subtitle else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{_asset("player.css")}</style>
</head>
<body>
<a class="skip" href="#transcript">跳到文稿</a>
<header>
<h1>{title}</h1>
{subtitle}
{byline}
</header>
<main>
<audio id="player" controls preload="metadata" aria-label="{title} 音频">
<source src="{escape(audio_name)}" type="{audio_type}">
</audio>
<nav aria-labelledby="toc"><h2 id="toc">章节</h2><ol>
{chapter_items}
</ol></nav>
<section id="transcript" aria-labelledby="transcript-title"><h2 id="transcript-title">文稿</h2>
{"".join(sections)}
</section>
</main>
<script>{_asset("player.js")}</script>
</body>
</html>
"""


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"
