"""ID3v2 tags for the MP3 files: title, artist, album, track, language, cover, CHAP and CTOC."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from mutagen.id3 import APIC, CHAP, CTOC, ID3, TALB, TCON, TIT2, TLAN, TPE1, TRCK, CTOCFlags

from audiobook.edition import Edition, EditionChapter


def _base_tags(edition: Edition, title: str, cover: Path | None) -> ID3:
    article = edition.article
    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TALB(encoding=3, text=article.title))
    if article.byline:
        tags.add(TPE1(encoding=3, text=article.byline))
    tags.add(TLAN(encoding=3, text="zho"))
    tags.add(TCON(encoding=3, text="Podcast"))
    if cover is not None:
        mime = mimetypes.guess_type(cover.name)[0] or "image/jpeg"
        tags.add(APIC(encoding=3, mime=mime, type=3, desc="Cover", data=cover.read_bytes()))
    return tags


def tag_chapter_file(path: Path, edition: Edition, chapter: EditionChapter, cover: Path | None) -> None:
    tags = _base_tags(edition, chapter.title, cover)
    tags.add(TRCK(encoding=3, text=f"{chapter.number}/{len(edition.chapters)}"))
    tags.save(path, v2_version=4)


def tag_edition_file(path: Path, edition: Edition, cover: Path | None) -> None:
    """The whole edition: one CHAP frame per chapter and a top-level, ordered CTOC."""
    tags = _base_tags(edition, edition.article.title, cover)
    ids = [f"chp{c.number}" for c in edition.chapters]
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=edition.article.title)],
        )
    )
    for element_id, chapter in zip(ids, edition.chapters, strict=True):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=round(chapter.start * 1000),
                end_time=round(chapter.end * 1000),
                sub_frames=[TIT2(encoding=3, text=chapter.title)],
            )
        )
    tags.save(path, v2_version=4)
