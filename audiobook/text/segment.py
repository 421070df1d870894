"""Segmentation: a block's text -> sentences (or verse lines), each short enough for an engine."""

from __future__ import annotations

import re

from audiobook.model import BlockKind, Segment, SegmentKind
from audiobook.text.chars import CLOSING_QUOTES, SENTENCE_END
from audiobook.text.quotes import QuoteSpan, find_speech
from audiobook.text.words import cut_words

DEFAULT_MAX_CHARS = 80
_TRAILERS = CLOSING_QUOTES + "）)】》」』" + SENTENCE_END + "!?"
_SOFT_BREAK_RE = re.compile(r"——|[，、：,:]")
_CLAUSE_RE = re.compile(rf"[^，。！？；]*[，。！？；]+[{CLOSING_QUOTES}…]*|[^，。！？；]+$")

_KIND_OF_BLOCK = {
    BlockKind.TITLE: SegmentKind.TITLE,
    BlockKind.SUBTITLE: SegmentKind.TITLE,
    BlockKind.BYLINE: SegmentKind.TITLE,
    BlockKind.CAPTION: SegmentKind.CAPTION,
    BlockKind.HEADING: SegmentKind.HEADING,
    BlockKind.VERSE: SegmentKind.VERSE,
}


def split_sentences(text: str) -> list[str]:
    """Cut after 。！？； and ……, taking closing quotes and brackets that follow along."""
    sentences, start, i = [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch in SENTENCE_END or ch in "!?" or text.startswith("……", i):
            i += 2 if ch == "…" else 1
            while i < len(text) and (text[i] in _TRAILERS or text[i] == "…"):
                i += 1
            while i < len(text) and text[i].isspace():
                i += 1
            sentences.append(text[start:i])
            start = i
        else:
            i += 1
    if text[start:].strip():
        sentences.append(text[start:])
    return [s.strip() for s in sentences if s.strip()]


def fit(sentence: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[str]:
    """Cut a sentence longer than `max_chars` at ，、：——, failing those between two words."""
    if len(sentence) <= max_chars:
        return [sentence]
    cut = _best_cut(sentence, max_chars)
    return [sentence[:cut], *fit(sentence[cut:], max_chars)]


def _best_cut(sentence: str, max_chars: int) -> int:
    soft = [m.end() for m in _SOFT_BREAK_RE.finditer(sentence) if m.end() <= max_chars]
    soft = [c for c in soft if c < len(sentence)]
    if soft:
        # Balanced halves read better than a long piece and a stub: prefer a cut near the middle.
        target = min(max_chars, len(sentence) / 2)
        return min(soft, key=lambda c: (c > max_chars, abs(c - target)))
    bounds = [b for b in _word_bounds(sentence) if 0 < b <= max_chars]
    return bounds[-1] if bounds else max_chars


def _word_bounds(text: str) -> list[int]:
    bounds, pos = [], 0
    for word in cut_words(text):
        pos += len(word)
        bounds.append(pos)
    return bounds


def verse_lines(text: str) -> list[str]:
    """A poem's lines: its clauses, each with its punctuation."""
    return [m.group(0).strip() for m in _CLAUSE_RE.finditer(text) if m.group(0).strip()]


def segment_block(kind: BlockKind, text: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[Segment]:
    """The segments of one block, quoted speech marked with its speaker."""
    if kind in (BlockKind.TITLE, BlockKind.SUBTITLE, BlockKind.BYLINE, BlockKind.HEADING, BlockKind.CAPTION):
        return [Segment(_KIND_OF_BLOCK[kind], piece) for piece in fit(text, max_chars)]
    if kind is BlockKind.VERSE:
        lines = text.split("\n") if "\n" in text else verse_lines(text)
        return [
            Segment(SegmentKind.VERSE, piece)
            for line in lines
            for piece in fit(line.strip(), max_chars)
            if piece
        ]
    segments = []
    for run, span in _runs(text, find_speech(text)):
        kind_ = SegmentKind.QUOTE if span else SegmentKind.PARAGRAPH
        speaker = span.speaker if span else None
        for sentence in split_sentences(run):
            segments += [Segment(kind_, piece, speaker) for piece in fit(sentence, max_chars)]
    return segments


def _runs(text: str, spans: list[QuoteSpan]) -> list[tuple[str, QuoteSpan | None]]:
    """Alternating narration and quoted speech; punctuation right after a quote stays with it."""
    runs: list[tuple[str, QuoteSpan | None]] = []
    pos = 0
    for span in spans:
        end = span.end
        while end < len(text) and text[end] in "，。！？；、…":
            end += 1
        if span.start > pos:
            runs.append((text[pos : span.start], None))
        runs.append((text[span.start : end], span))
        pos = end
    if pos < len(text):
        runs.append((text[pos:], None))
    return [(run, span) for run, span in runs if run.strip()]
