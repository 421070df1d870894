"""The JSON documents of an edition: Podcasting 2.0 chapters and the manifest."""

from __future__ import annotations

from typing import Any

from audiobook.edition import Edition


def chapters_json(edition: Edition, audio_url_prefix: str = "") -> dict[str, Any]:
    """Podcasting 2.0 JSON chapters, version 1.2.0."""
    del audio_url_prefix
    return {
        "version": "1.2.0",
        "title": edition.article.title,
        "author": edition.article.byline or "",
        "chapters": [
            {"startTime": round(c.start, 3), "endTime": round(c.end, 3), "title": c.title, "toc": True}
            for c in edition.chapters
        ],
    }


def manifest(edition: Edition, files: list[str], engines: dict[str, str]) -> dict[str, Any]:
    article = edition.article
    return {
        "manifest_version": 1,
        "article": {
            "title": article.title,
            "subtitle": article.subtitle,
            "byline": article.byline,
            "captions": list(article.captions),
            "source": article.source,
        },
        "voices": edition.voices,
        "engines": engines,
        "sample_rate": edition.sample_rate,
        "loudness_target_lufs": edition.loudness,
        "duration": round(edition.duration, 3),
        "chapters": [
            {
                "number": c.number,
                "title": c.title,
                "start": round(c.start, 3),
                "end": round(c.end, 3),
                "file": f"{c.file_stem}.mp3",
            }
            for c in edition.chapters
        ],
        "segments": [
            {
                "chapter": c.number,
                "kind": p.segment.kind.value,
                "text": p.segment.text,
                "voice": p.voice_id,
                **({"speaker": p.segment.speaker} if p.segment.speaker else {}),
                "start": round(c.start + p.start, 3),
                "end": round(c.start + p.end, 3),
            }
            for c in edition.chapters
            for p in c.placed
        ],
        "files": sorted(files),
    }
