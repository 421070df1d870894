"""Encoding: each mastered part once to MP3 and AAC (kept in the cache), then the chapter files
and the whole edition spliced from those encodes and muxed into their MP3 and M4B files."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from audiobook.edition import Edition, EditionChapter, EditionPart
from audiobook.export.atomic import atomic_path
from audiobook.export.splice import (
    AAC_FRAME,
    PartEncodes,
    adts_frame_count,
    encode_adts_args,
    frame_starts,
    gaps_for_starts,
    read_mp3_encode,
    silent_adts_frame,
    silent_mp3_frame,
    splice_adts,
    splice_mp3,
)
from audiobook.ffmpeg import run_ffmpeg

MP3_BITRATE = "64k"
AAC_BITRATE = "64k"
ENCODING_VERSION = "e1"  # part of every cached encode's name: change it when the settings change


def mp3_args() -> list[str]:
    return [
        "-codec:a",
        "libmp3lame",
        "-b:a",
        MP3_BITRATE,
        "-compression_level",
        "5",  # LAME's own default quality; ffmpeg's is slower for no audible gain on speech
        "-id3v2_version",
        "0",
        "-write_xing",
        "1",
        "-f",
        "mp3",
    ]


def encode_parts(wavs: Sequence[tuple[str, Path]], folder: Path, aac: bool) -> list[PartEncodes]:
    """Every part's encodes, made where the cache does not have them yet, all in one ffmpeg run
    (one process for many small parts; it runs the encoders side by side)."""
    targets = [
        (folder / f"{key}.{ENCODING_VERSION}.mp3", folder / f"{key}.{ENCODING_VERSION}.aac")
        for key, _ in wavs
    ]
    inputs: list[str] = []
    outputs: list[str] = []
    with ExitStack() as stack:
        for (_, wav), (mp3, adts) in zip(wavs, targets, strict=True):
            wanted = [(mp3, mp3_args())] + ([(adts, encode_adts_args(AAC_BITRATE))] if aac else [])
            missing = [(target, args) for target, args in wanted if not target.is_file()]
            if not missing:
                continue
            index = len(inputs) // 2
            inputs += ["-i", str(wav)]
            for target, args in missing:
                temp = stack.enter_context(atomic_path(target))
                outputs += ["-map", f"{index}:a", *args, str(temp)]
        if outputs:
            run_ffmpeg(["-y", *inputs, *outputs])
    return [
        PartEncodes(read_mp3_encode(mp3), adts if aac else None, adts_frame_count(adts) if aac else 0)
        for mp3, adts in targets
    ]


def write_chapter_mp3(chapter: EditionChapter, target: Path, work: Path) -> None:
    """One chapter's MP3: its parts spliced with the same silent frames between them as in the whole."""
    _splice_parts_mp3(chapter.parts, target, work / f"{chapter.file_stem}.raw.mp3", chapter.sample_rate)


def write_whole_mp3(edition: Edition, target: Path, work: Path) -> None:
    _splice_parts_mp3(edition.parts, target, work / "edition.raw.mp3", edition.sample_rate)


def _splice_parts_mp3(parts: Sequence[EditionPart], target: Path, raw: Path, rate: int) -> None:
    """The parts' frames with their silent frames between them (none after the last)."""
    gaps = [p.gap for p in parts[:-1]] + [0]
    splice_mp3([p.encodes.mp3 for p in parts], gaps, silent_mp3_frame(rate, MP3_BITRATE), target, raw)


def m4b_layout(edition: Edition) -> tuple[list[int], list[int]]:
    """Silent AAC frames after each part, and where each part's frames start, so that every part
    lands on the MP3's timeline to within half a frame."""
    parts = edition.parts
    spans = [p.encodes.aac_frames * AAC_FRAME for p in parts]
    gaps = gaps_for_starts(spans, [p.offset for p in parts], AAC_FRAME)
    return gaps, frame_starts(spans, gaps, AAC_FRAME)


def _ffmetadata(edition: Edition, starts: list[float], ends: list[float]) -> str:
    def esc(value: str) -> str:
        for ch in "\\=;#\n":
            value = value.replace(ch, "\\" + ch)
        return value

    article = edition.article
    lines = [
        ";FFMETADATA1",
        f"title={esc(article.title)}",
        f"album={esc(article.title)}",
        "genre=Podcast",
        "language=zho",
    ]
    if article.byline:
        lines.append(f"artist={esc(article.byline)}")
    for chapter, start, end in zip(edition.chapters, starts, ends, strict=True):
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={round(start * 1000)}",
            f"END={round(end * 1000)}",
            f"title={esc(chapter.title)}",
        ]
    return "\n".join(lines) + "\n"


def write_m4b(edition: Edition, target: Path, work: Path, cover: Path | None) -> None:
    gaps, part_starts = m4b_layout(edition)
    rate = edition.sample_rate
    adts = work / "edition.aac"
    paths = [p.encodes.aac for p in edition.parts]
    if any(p is None for p in paths):
        raise ValueError("the M4B needs every part's AAC encode")
    splice_adts([p for p in paths if p is not None], gaps, silent_adts_frame(rate, AAC_BITRATE), adts)
    starts: list[int] = []
    ends: list[int] = []
    index = 0
    for chapter in edition.chapters:
        first = part_starts[index] if chapter.parts else (ends[-1] if ends else 0)
        index += len(chapter.parts)
        # The AAC encoder's one frame of priming puts the audio a frame after each part's first frame.
        last = (
            part_starts[index - 1] + chapter.parts[-1].mastered.length + AAC_FRAME if chapter.parts else first
        )
        starts.append(first)
        ends.append(last)
    metadata = work / "chapters.ffmetadata"
    metadata.write_text(
        _ffmetadata(edition, [s / rate for s in starts], [e / rate for e in ends]), encoding="utf-8"
    )
    args = ["-y", "-i", str(adts), "-i", str(metadata)]
    if cover is not None:
        args += [
            "-i",
            str(cover),
            "-map",
            "0:a",
            "-map",
            "2:v",
            "-c:v",
            "copy",
            "-disposition:v:0",
            "attached_pic",
        ]
    else:
        args += ["-map", "0:a"]
    args += [
        "-map_metadata",
        "1",
        "-map_chapters",
        "1",
        "-c:a",
        "copy",
        "-movflags",
        "+faststart",
        "-f",
        "ipod",
    ]
    with atomic_path(target) as temp:
        run_ffmpeg([*args, str(temp)])
    adts.unlink()
