"""MP3 and AAC streams spliced from the encodes of mastered parts, without encoding again.

Each part (a paragraph or so) is encoded once and kept in the cache under its key, so an edit
re-encodes one part, not the chapter or the book. Every encode starts with the same encoder
delay, so when the parts' frames are laid end to end with silent frames between them, each part's
audio begins exactly where its first frame lands: the timeline is known to the sample.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO

from audiobook.errors import ExportError
from audiobook.export.atomic import atomic_path
from audiobook.ffmpeg import run_ffmpeg

AAC_FRAME = 1024  # samples in one AAC frame; ffmpeg's encoder primes with one frame of delay
_MP3_BITRATES = {  # kbit/s by bitrate index, layer III
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),  # MPEG-1
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2 and 2.5
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


@dataclass(frozen=True)
class Mp3Header:
    frame_bytes: int
    frame_samples: int
    xing_offset: int  # where a Xing/Info tag would start inside the frame


def mp3_header(data: bytes, at: int = 0) -> Mp3Header:
    (word,) = struct.unpack_from(">I", data, at)
    version = (word >> 19) & 3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    if word >> 21 != 0x7FF or version == 1 or (word >> 17) & 3 != 1:
        raise ExportError(
            "an MP3 encode in the cache is damaged; run `audiobook cache clear` and build again"
        )
    mpeg1 = version == 3
    bitrate = _MP3_BITRATES[1 if mpeg1 else 2][(word >> 12) & 15] * 1000
    rate = _MP3_RATES[version][(word >> 10) & 3]
    mono = (word >> 6) & 3 == 3
    samples = 1152 if mpeg1 else 576
    size = samples // 8 * bitrate // rate + ((word >> 9) & 1)
    side_info = (17 if mono else 32) if mpeg1 else (9 if mono else 17)
    return Mp3Header(size, samples, 4 + side_info)


@dataclass(frozen=True)
class Mp3Encode:
    """One part's MP3 as ffmpeg wrote it: an Info frame, then the audio frames."""

    path: Path
    info: bytes
    frames: int
    frame_samples: int
    delay: int  # encoder delay (samples), the same for every encode with the same settings
    padding: int

    @property
    def span(self) -> int:
        """Samples the audio frames take in a decoded stream."""
        return self.frames * self.frame_samples


@dataclass(frozen=True)
class PartEncodes:
    """One mastered part, encoded: the MP3 (always: it sets the edition's timeline) and the AAC."""

    mp3: Mp3Encode
    aac: Path | None
    aac_frames: int = 0


def read_mp3_encode(path: Path) -> Mp3Encode:
    with path.open("rb") as file:
        head = file.read(4096)
    header = mp3_header(head)
    info = head[: header.frame_bytes]
    at = header.xing_offset
    if info[at : at + 4] not in (b"Info", b"Xing"):
        raise ExportError(
            f"{path.name}: an MP3 encode in the cache has no Info frame; run `audiobook cache clear`"
        )
    (flags,) = struct.unpack_from(">I", info, at + 4)
    if flags & 0b111 != 0b111:
        raise ExportError(
            f"{path.name}: an MP3 encode in the cache lacks frame counts; run `audiobook cache clear`"
        )
    (frames,) = struct.unpack_from(">I", info, at + 8)
    lame = at + 8 + 4 + 4 + 100 + (4 if flags & 8 else 0)
    delay_padding = int.from_bytes(info[lame + 21 : lame + 24], "big")
    return Mp3Encode(path, info, frames, header.frame_samples, delay_padding >> 12, delay_padding & 0xFFF)


def gaps_between(spans: list[int], lengths: list[int], pauses: list[int], frame: int) -> list[int]:
    """Silent frames after each part, so that the next one starts `pauses[k]` samples after this
    one's audio ends, to the nearest frame. `spans` are the parts' encoded lengths in samples."""
    gaps = [
        max(0, round((length + pause - span) / frame))
        for span, length, pause in zip(spans[:-1], lengths[:-1], pauses, strict=True)
    ]
    return [*gaps, 0] if spans else []


def gaps_for_starts(spans: list[int], targets: list[int], frame: int) -> list[int]:
    """Silent frames after each part so that part k's first frame lands nearest `targets[k]`."""
    gaps, cursor = [], 0
    for span, target in zip(spans, targets[1:], strict=False):
        cursor += span
        gap = max(0, round((target - cursor) / frame))
        gaps.append(gap)
        cursor += gap * frame
    return [*gaps, 0] if spans else []


def frame_starts(spans: list[int], gaps: list[int], frame: int) -> list[int]:
    starts, cursor = [], 0
    for span, gap in zip(spans, gaps, strict=True):
        starts.append(cursor)
        cursor += span + gap * frame
    return starts


@cache
def silent_mp3_frame(sample_rate: int, bitrate: str) -> bytes:
    """One frame of digital silence that needs no other frame (no bit reservoir)."""
    data = run_ffmpeg(
        [
            *_silence(sample_rate),
            "-codec:a",
            "libmp3lame",
            "-b:a",
            bitrate,
            "-reservoir",
            "0",
            "-write_xing",
            "0",
            "-id3v2_version",
            "0",
            "-f",
            "mp3",
            "pipe:1",
        ]
    )
    at, frames = 0, []
    while at + 4 <= len(data):
        size = mp3_header(data, at).frame_bytes
        frames.append(data[at : at + size])
        at += size
    return frames[len(frames) // 2]


def splice_mp3(encodes: list[Mp3Encode], gaps: list[int], silent: bytes, target: Path, raw: Path) -> None:
    """The parts' frames with `gaps` silent frames after each, as one gapless MP3.

    The first part's Info frame is given the whole stream's frame count and end padding; ffmpeg
    then copies the stream once more (from the scratch file `raw`) to rewrite the seek table and the
    LAME tag's checksums.
    """
    first, last = encodes[0], encodes[-1]
    frames = sum(e.frames for e in encodes) + sum(gaps)
    audio_bytes = sum(e.path.stat().st_size - len(e.info) for e in encodes) + len(silent) * sum(gaps)
    info = bytearray(first.info)
    at = mp3_header(first.info).xing_offset
    struct.pack_into(">II", info, at + 8, frames, len(info) + audio_bytes)
    lame = at + 8 + 4 + 4 + 100 + 4
    info[lame + 21 : lame + 24] = ((first.delay << 12) | last.padding).to_bytes(3, "big")
    with raw.open("wb") as out:
        out.write(info)
        for encode, gap in zip(encodes, gaps, strict=True):
            _copy_from(encode.path, len(encode.info), out)
            out.write(silent * gap)
    with atomic_path(target) as temp:
        run_ffmpeg(
            [
                "-y",
                "-i",
                str(raw),
                "-c",
                "copy",
                "-write_xing",
                "1",
                "-id3v2_version",
                "0",
                "-f",
                "mp3",
                str(temp),
            ]
        )
    raw.unlink()


def adts_frame_count(path: Path) -> int:
    data = path.read_bytes()
    at = count = 0
    while at + 7 <= len(data):
        if data[at] != 0xFF or data[at + 1] & 0xF0 != 0xF0:
            raise ExportError(
                f"{path.name}: an AAC encode in the cache is damaged; run `audiobook cache clear`"
            )
        at += _adts_length(data, at)
        count += 1
    return count


def _adts_length(data: bytes, at: int) -> int:
    """The length of the ADTS frame at `at`, header included (13 bits across three bytes)."""
    return ((data[at + 3] & 3) << 11) | (data[at + 4] << 3) | (data[at + 5] >> 5)


def _silence(sample_rate: int) -> list[str]:
    """Two seconds of digital silence as ffmpeg's input: enough for frames clear of both ends."""
    return ["-f", "lavfi", "-i", f"anullsrc=r={sample_rate}:cl=mono", "-t", "2"]


def encode_adts_args(bitrate: str) -> list[str]:
    return ["-codec:a", "aac", "-aac_coder", "fast", "-b:a", bitrate, "-fflags", "+bitexact", "-f", "adts"]


@cache
def silent_adts_frame(sample_rate: int, bitrate: str) -> bytes:
    data = run_ffmpeg([*_silence(sample_rate), *encode_adts_args(bitrate), "pipe:1"])
    at, frames = 0, []
    while at + 7 <= len(data):
        size = _adts_length(data, at)
        frames.append(data[at : at + size])
        at += size
    return frames[len(frames) // 2]


def splice_adts(paths: Iterable[Path], gaps: list[int], silent: bytes, target: Path) -> None:
    with target.open("wb") as out:
        for path, gap in zip(paths, gaps, strict=True):
            _copy_from(path, 0, out)
            out.write(silent * gap)


def _copy_from(path: Path, offset: int, out: BinaryIO) -> None:
    with path.open("rb") as source:
        source.seek(offset)
        while chunk := source.read(1 << 20):
            out.write(chunk)
