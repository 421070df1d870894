"""The JSON documents of an edition: Podcasting 2.0 chapters and the manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from audiobook.edition import Edition, EditionChapter


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


def file_digest(path: Path | None) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else None


def chapter_output_key(edition: Edition, chapter: EditionChapter, cover: Path | None) -> str:
    """What a chapter MP3 depends on: its mastered audio and its tags."""
    identity = [
        chapter.key,
        chapter.number,
        len(edition.chapters),
        chapter.title,
        edition.article.title,
        edition.article.byline,
        file_digest(cover),
    ]
    return hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()


def manifest(
    edition: Edition,
    files: list[str],
    engines: dict[str, str],
    chapter_keys: dict[int, str] | None = None,
    build_key: str = "",
) -> dict[str, Any]:
    article = edition.article
    chapter_keys = chapter_keys or {}
    return {
        "manifest_version": 1,
        "build_key": build_key,
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
                "key": chapter_keys.get(c.number, ""),
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
