"""Mastering: trim each take, lay pauses by boundary, resample to one rate, normalize loudness.

Stitching is done with pydub; loudness is measured by ffmpeg's BS.1770 meter (audiobook.loudness).
"""

from __future__ import annotations

import hashlib
import json
import warnings
import wave
from dataclasses import asdict, dataclass
from pathlib import Path

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
from audiobook.model import BlockKind, Chapter, Segment

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
    start: float  # seconds from the chapter's start
    end: float


@dataclass(frozen=True)
class MasteredChapter:
    chapter: Chapter
    wav: Path
    duration: float
    placed: tuple[PlacedSegment, ...]
    key: str = ""


MASTERING_VERSION = "2"  # bump when mastering changes its output


def chapter_key(takes: list[tuple[str, int, BlockKind]], settings: MasterSettings) -> str:
    """The identity of a mastered chapter: its takes, where the pauses fall, and the settings."""
    identity = {
        "version": MASTERING_VERSION,
        "takes": [[key, block, kind.value] for key, block, kind in takes],
        "pauses": asdict(settings.pauses),
        "rate": settings.sample_rate,
        "loudness": settings.loudness,
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def wav_duration(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def pause_between(previous: SpokenSegment, current: SpokenSegment, pauses: Pauses) -> float:
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


def master_chapter(
    chapter: Chapter, spoken: list[SpokenSegment], settings: MasterSettings, wav_path: Path
) -> MasteredChapter:
    """Stitch one chapter's takes with their pauses and write it, loudness-normalized, to `wav_path`."""
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
    return MasteredChapter(chapter, wav_path, cursor / rate, tuple(placed))


def silence_samples(seconds: float, sample_rate: int) -> np.ndarray:
    return np.zeros(round(seconds * sample_rate), dtype=np.float32)
