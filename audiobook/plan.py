"""The plan of an edition before synthesis: its structure as plain data, with duration estimates."""

from __future__ import annotations

from typing import Any

from audiobook.model import Article, Chapter
from audiobook.text.chars import cjk_only

# A Mandarin newsreader speaks about 4.5 characters a second; the pauses add their own time.
CHARS_PER_SECOND = 4.5
PAUSE_ESTIMATE_S = 0.35


def estimate_seconds(chapter: Chapter) -> float:
    segments = chapter.segments
    chars = sum(max(1, len(cjk_only(s.text)) or len(s.text) // 2) for s in segments)
    return chars / CHARS_PER_SECOND + PAUSE_ESTIMATE_S * len(segments)


def article_to_json(article: Article) -> dict[str, Any]:
    """The `plan --json` object: article metadata and every chapter's segments."""
    return {
        "title": article.title,
        "subtitle": article.subtitle,
        "subtitles": list(article.subtitles),
        "byline": article.byline,
        "captions": list(article.captions),
        "chapters": [
            {
                "title": chapter.title,
                "depth": chapter.depth,
                "estimated_seconds": round(estimate_seconds(chapter), 1),
                "segments": [
                    {"kind": s.kind.value, "text": s.text, **({"speaker": s.speaker} if s.speaker else {})}
                    for s in chapter.segments
                ],
            }
            for chapter in article.chapters
        ],
    }
