"""The data that crosses stages: Article -> Chapter -> Block -> Segment."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SegmentKind(StrEnum):
    TITLE = "title"
    HEADING = "heading"
    CAPTION = "caption"
    PARAGRAPH = "paragraph"
    VERSE = "verse"
    QUOTE = "quote"


class BlockKind(StrEnum):
    """A run of text between two pauses longer than a sentence break."""

    TITLE = "title"
    SUBTITLE = "subtitle"
    BYLINE = "byline"
    CAPTION = "caption"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    VERSE = "verse"


class Role(StrEnum):
    """Who speaks a segment; casting maps each role to a voice."""

    TITLE = "title"
    HEADING = "heading"
    NARRATOR = "narrator"
    VERSE = "verse"
    QUOTE = "quote"
    CAPTION = "caption"


ROLE_OF_KIND: dict[SegmentKind, Role] = {
    SegmentKind.TITLE: Role.TITLE,
    SegmentKind.HEADING: Role.HEADING,
    SegmentKind.CAPTION: Role.CAPTION,
    SegmentKind.PARAGRAPH: Role.NARRATOR,
    SegmentKind.VERSE: Role.VERSE,
    SegmentKind.QUOTE: Role.QUOTE,
}


@dataclass(frozen=True)
class Segment:
    """One piece of speech: a sentence, a verse line, a heading."""

    kind: SegmentKind
    text: str
    speaker: str | None = None

    @property
    def role(self) -> Role:
        return ROLE_OF_KIND[self.kind]


@dataclass(frozen=True)
class Block:
    """A paragraph, a poem, a heading: segments spoken without a paragraph pause."""

    kind: BlockKind
    text: str
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class Chapter:
    title: str
    blocks: tuple[Block, ...]
    depth: int = 1

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(s for b in self.blocks for s in b.segments)


@dataclass(frozen=True)
class Article:
    title: str
    subtitles: tuple[str, ...]
    byline: str | None
    captions: tuple[str, ...]
    chapters: tuple[Chapter, ...]
    source: str = ""

    @property
    def subtitle(self) -> str | None:
        return " ".join(self.subtitles) if self.subtitles else None

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(s for c in self.chapters for s in c.segments)
