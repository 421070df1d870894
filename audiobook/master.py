"""Mastering: trim each take, lay pauses by boundary, resample to one rate, normalize loudness.

A chapter is mastered in parts: a part is a paragraph (with the headings or title lines before
it), stitched with pydub and brought to the loudness target on its own. Parts are what the cache
keeps and the encoders encode, so an edited paragraph is mastered and encoded again alone.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

with warnings.catch_warnings():
    # pydub looks for ffmpeg on PATH at import; we give it the bundled one just below.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence

from audiobook.engines.base import Take
from audiobook.export.audiofile import to_int16, write_wav
from audiobook.ffmpeg import ffmpeg_path
from audiobook.loudness import MONO_TARGET_LUFS, normalize
from audiobook.model import BlockKind, Segment

AudioSegment.converter = ffmpeg_path()  # pydub uses the ffmpeg inside imageio-ffmpeg, no apt
SILENCE_FLOOR_DBFS = -45.0
EDGE_PAD_MS = 10


@dataclass(frozen=True)
class Pauses:
    """Seconds of silence laid at each kind of boundary."""

    after_title: float = 1.0
    sentence: float = 0.4
    verse_line: float = 0.7
    paragraph: float = 0.9
    after_heading: float = 1.2
    chapter: float = 2.0


@dataclass(frozen=True)
class MasterSettings:
    pauses: Pauses = Pauses()
    sample_rate: int = 24000
    loudness: float = MONO_TARGET_LUFS


@dataclass(frozen=True)
class SpokenSegment:
    """A segment as it reaches mastering: where it sits, who spoke it, and its take."""

    segment: Segment
    block_index: int
    block_kind: BlockKind
    voice_id: str
    take: Take


@dataclass(frozen=True)
class PlacedSegment:
    segment: Segment
    voice_id: str
    start: float  # seconds from the start of the part (or chapter) it sits in
    end: float


@dataclass(frozen=True)
class MasteredPart:
    """A run of a chapter's blocks, mastered: its audio, and where its segments sit in it."""

    key: str
    wav: Path
    length: int  # samples
    placed: tuple[PlacedSegment, ...]  # seconds from the part's start


class HasBlock(Protocol):
    @property
    def block_index(self) -> int: ...

    @property
    def block_kind(self) -> BlockKind: ...


LEADING_KINDS = (BlockKind.TITLE, BlockKind.SUBTITLE, BlockKind.BYLINE, BlockKind.HEADING)
MASTERING_VERSION = "3"  # bump when mastering changes its output


def part_bounds(segments: Sequence[HasBlock]) -> list[tuple[int, int]]:
    """Where a chapter's segments fall into parts: a new part at each block, except that headings
    and title lines stay with the block after them. Only the structure decides, never the text, so
    an edit inside a paragraph moves no boundary."""
    starts = [
        i
        for i, item in enumerate(segments)
        if i == 0
        or (
            item.block_index != segments[i - 1].block_index
            and segments[i - 1].block_kind not in LEADING_KINDS
        )
    ]
    return list(itertools.pairwise([*starts, len(segments)]))


def part_key(takes: list[tuple[str, int, BlockKind]], settings: MasterSettings) -> str:
    """The identity of a mastered part: its takes, where the pauses fall (block indexes counted
    from the part's first block, so parts after an inserted paragraph keep their keys), and the
    settings."""
    first = takes[0][1] if takes else 0
    identity = {
        "version": MASTERING_VERSION,
        "takes": [[key, block - first, kind.value] for key, block, kind in takes],
        "pauses": asdict(settings.pauses),
        "rate": settings.sample_rate,
        "loudness": settings.loudness,
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def pause_between(previous: HasBlock, current: HasBlock, pauses: Pauses) -> float:
    if previous.block_index == current.block_index:
        return pauses.verse_line if current.block_kind is BlockKind.VERSE else pauses.sentence
    if previous.block_kind is BlockKind.HEADING:
        return pauses.after_heading
    if previous.block_kind in (BlockKind.TITLE, BlockKind.SUBTITLE, BlockKind.BYLINE):
        return pauses.after_title
    return pauses.paragraph


def trimmed(take: Take, sample_rate: int) -> AudioSegment:
    """The take without the engine's own leading and trailing silence, at `sample_rate`."""
    audio = AudioSegment(data=to_int16(take.samples), sample_width=2, frame_rate=take.sample_rate, channels=1)
    lead = detect_leading_silence(audio, silence_threshold=SILENCE_FLOOR_DBFS, chunk_size=5)
    tail = detect_leading_silence(audio.reverse(), silence_threshold=SILENCE_FLOOR_DBFS, chunk_size=5)
    start = max(0, lead - EDGE_PAD_MS)
    end = min(len(audio), len(audio) - tail + EDGE_PAD_MS)
    audio = audio[start:end] if end > start else audio[:0]
    return audio.set_frame_rate(sample_rate) if take.sample_rate != sample_rate else audio


def master_part(
    spoken: list[SpokenSegment], settings: MasterSettings, key: str, wav_path: Path
) -> MasteredPart:
    """Stitch one part's takes with their pauses and write it, loudness-normalized, to `wav_path`."""
    rate = settings.sample_rate
    parts: list[bytes] = []
    placed: list[PlacedSegment] = []
    cursor = 0  # in samples: exact arithmetic keeps subtitle times on the audio
    for i, item in enumerate(spoken):
        if i:
            gap = round(pause_between(spoken[i - 1], item, settings.pauses) * rate)
            parts.append(bytes(2 * gap))
            cursor += gap
        audio = trimmed(item.take, rate)
        parts.append(audio.raw_data)
        length = len(audio.raw_data) // 2
        placed.append(PlacedSegment(item.segment, item.voice_id, cursor / rate, (cursor + length) / rate))
        cursor += length
    stitched = np.frombuffer(b"".join(parts), dtype="<i2").astype(np.float32) / 32768.0
    mastered, _ = normalize(stitched, rate, settings.loudness)
    write_wav(wav_path, mastered, rate)
    return MasteredPart(key, wav_path, cursor, tuple(placed))
