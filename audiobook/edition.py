"""The Edition: mastered chapters placed on one timeline, the data every export reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audiobook.export.splice import ChapterEncodes, frame_starts, gaps_between
from audiobook.master import MasteredChapter, PlacedSegment
from audiobook.model import Article


@dataclass(frozen=True)
class EditionChapter:
    number: int
    mastered: MasteredChapter
    start: float  # seconds from the start of the whole edition
    file_stem: str
    offset: int  # the start in samples: where the chapter's first frame lands in the spliced whole
    encodes: ChapterEncodes

    @property
    def title(self) -> str:
        return self.mastered.chapter.title

    @property
    def end(self) -> float:
        return self.start + self.mastered.duration

    @property
    def placed(self) -> tuple[PlacedSegment, ...]:
        return self.mastered.placed


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


def place_chapters(
    mastered: list[MasteredChapter],
    stems: list[str],
    encodes: list[ChapterEncodes],
    chapter_pause: float,
    sample_rate: int,
) -> tuple[EditionChapter, ...]:
    """Chapters one after another on the MP3 frame grid, the chapter pause between them to the
    nearest frame: the whole edition is spliced from the chapter encodes, so this is exact."""
    if not mastered:
        return ()
    spans = [e.mp3.span for e in encodes]
    frame = encodes[0].mp3.frame_samples
    lengths = [round(m.duration * sample_rate) for m in mastered]
    gaps = gaps_between(spans, lengths, round(chapter_pause * sample_rate), frame)
    starts = frame_starts(spans, gaps, frame)
    return tuple(
        EditionChapter(number, chapter, start / sample_rate, stem, start, encoded)
        for number, (chapter, stem, start, encoded) in enumerate(
            zip(mastered, stems, starts, encodes, strict=True), 1
        )
    )
