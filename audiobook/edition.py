"""The Edition: mastered parts placed on one timeline, chapter by chapter, the data every export reads."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audiobook.export.splice import PartEncodes, frame_starts, gaps_between
from audiobook.master import MasteredPart, PlacedSegment
from audiobook.model import Article, Chapter


@dataclass(frozen=True)
class EditionPart:
    mastered: MasteredPart
    encodes: PartEncodes
    offset: int  # samples from the edition's start to where the part's first frame lands
    gap: int  # silent MP3 frames after the part in the whole edition


@dataclass(frozen=True)
class EditionChapter:
    number: int
    chapter: Chapter
    parts: tuple[EditionPart, ...]
    file_stem: str
    offset: int  # samples from the edition's start: where the chapter's first frame lands
    length: int  # samples from there to the end of its last part's audio
    sample_rate: int

    @property
    def title(self) -> str:
        return self.chapter.title

    @property
    def start(self) -> float:
        """Seconds from the start of the whole edition."""
        return self.offset / self.sample_rate

    @property
    def duration(self) -> float:
        return self.length / self.sample_rate

    @property
    def end(self) -> float:
        return self.start + self.duration

    @property
    def placed(self) -> tuple[PlacedSegment, ...]:
        """Every segment, in seconds from the chapter's start."""
        placed = []
        for part in self.parts:
            shift = (part.offset - self.offset) / self.sample_rate
            placed += [
                PlacedSegment(p.segment, p.voice_id, p.start + shift, p.end + shift)
                for p in part.mastered.placed
            ]
        return tuple(placed)

    @property
    def key(self) -> str:
        """The identity of the chapter's audio: its parts and where they sit."""
        identity = [[p.mastered.key, p.offset - self.offset] for p in self.parts]
        return hashlib.sha256(json.dumps(identity).encode()).hexdigest()


@dataclass(frozen=True)
class Cue:
    """One subtitle: a spoken segment on the edition's (or a chapter's) timeline."""

    start: float
    end: float
    text: str
    speaker: str | None
    chapter: int


@dataclass(frozen=True)
class Edition:
    article: Article
    voices: dict[str, str]  # role -> voice id
    chapters: tuple[EditionChapter, ...]
    sample_rate: int
    loudness: float
    chapter_pause: float
    out_dir: Path

    @property
    def duration(self) -> float:
        return self.chapters[-1].end if self.chapters else 0.0

    @property
    def parts(self) -> tuple[EditionPart, ...]:
        return tuple(part for chapter in self.chapters for part in chapter.parts)

    def cues(self, chapter: EditionChapter | None = None) -> list[Cue]:
        """All cues on the edition's timeline, or one chapter's on its own."""
        chosen = [chapter] if chapter else list(self.chapters)
        return [
            Cue(
                p.start + (0.0 if chapter else c.start),
                p.end + (0.0 if chapter else c.start),
                p.segment.text,
                p.segment.speaker,
                c.number,
            )
            for c in chosen
            for p in c.placed
        ]


@dataclass(frozen=True)
class FinishedChapter:
    """A chapter's parts, mastered and encoded, with the pause after each part but the last."""

    chapter: Chapter
    parts: tuple[tuple[MasteredPart, PartEncodes], ...]
    pauses: tuple[float, ...]  # seconds


def place_parts(
    finished: Sequence[FinishedChapter], stems: Sequence[str], chapter_pause: float, sample_rate: int
) -> tuple[EditionChapter, ...]:
    """Every part one after another on the MP3 frame grid, each pause (the chapter pause between
    chapters) to the nearest frame: the files are spliced from the part encodes, so this is exact."""
    flat = [part for chapter in finished for part in chapter.parts]
    if not flat:
        return ()
    pauses: list[float] = []
    for chapter in finished:
        if chapter.parts:
            pauses += [*chapter.pauses, chapter_pause]
    spans = [encodes.mp3.span for _, encodes in flat]
    frame = flat[0][1].mp3.frame_samples
    gaps = gaps_between(
        spans, [m.length for m, _ in flat], [round(p * sample_rate) for p in pauses[:-1]], frame
    )
    starts = frame_starts(spans, gaps, frame)
    placed = iter(
        EditionPart(mastered, encodes, start, gap)
        for (mastered, encodes), start, gap in zip(flat, starts, gaps, strict=True)
    )
    chapters, cursor = [], 0
    for number, (chapter, stem) in enumerate(zip(finished, stems, strict=True), 1):
        parts = tuple(next(placed) for _ in chapter.parts)
        offset = parts[0].offset if parts else cursor
        length = parts[-1].offset + parts[-1].mastered.length - offset if parts else 0
        cursor = offset + length
        chapters.append(EditionChapter(number, chapter.chapter, parts, stem, offset, length, sample_rate))
    return tuple(chapters)
