"""Encoding: each mastered chapter once to MP3 and AAC (kept in the cache), then the whole
edition spliced from those encodes and muxed into its MP3 and M4B files."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from audiobook.edition import Edition
from audiobook.export.atomic import atomic_path
from audiobook.export.splice import (
    AAC_FRAME,
    ChapterEncodes,
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


def encode_mp3(source: Path, target: Path) -> None:
    run_ffmpeg(
        [
            "-y",
            "-i",
            str(source),
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
            str(target),
        ]
    )


def encode_adts(source: Path, target: Path) -> None:
    run_ffmpeg(["-y", "-i", str(source), *encode_adts_args(AAC_BITRATE), str(target)])


def encode_chapters(
    wavs: Sequence[tuple[str, Path]], folder: Path, aac: bool, jobs: int
) -> list[ChapterEncodes]:
    """Every chapter's encodes, made where the cache does not have them yet; ffmpeg runs side by side."""

    def made(wav: Path, target: Path, encode: Callable[[Path, Path], None]) -> Path:
        if not target.is_file():
            with atomic_path(target) as temp:
                encode(wav, temp)
        return target

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        mp3s = [
            pool.submit(made, wav, folder / f"{key}.{ENCODING_VERSION}.mp3", encode_mp3) for key, wav in wavs
        ]
        aacs = [
            pool.submit(made, wav, folder / f"{key}.{ENCODING_VERSION}.aac", encode_adts) if aac else None
            for key, wav in wavs
        ]
        results = []
        for mp3, adts in zip(mp3s, aacs, strict=True):
            aac_path = adts.result() if adts else None
            results.append(
                ChapterEncodes(
                    read_mp3_encode(mp3.result()), aac_path, adts_frame_count(aac_path) if aac_path else 0
                )
            )
    return results


def write_whole_mp3(edition: Edition, target: Path, work: Path) -> None:
    encodes = [c.encodes.mp3 for c in edition.chapters]
    frame = encodes[0].frame_samples
    gaps = [
        (following.offset - chapter.offset - chapter.encodes.mp3.span) // frame
        for chapter, following in itertools.pairwise(edition.chapters)
    ] + [0]
    splice_mp3(encodes, gaps, silent_mp3_frame(edition.sample_rate, MP3_BITRATE), target, work)


def m4b_layout(edition: Edition) -> tuple[list[int], list[int]]:
    """Silent AAC frames after each chapter, and where each chapter's frames start, so that every
    chapter lands on the MP3's timeline to within half a frame."""
    spans = [c.encodes.aac_frames * AAC_FRAME for c in edition.chapters]
    gaps = gaps_for_starts(spans, [c.offset for c in edition.chapters], AAC_FRAME)
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
    gaps, starts = m4b_layout(edition)
    rate = edition.sample_rate
    adts = work / "edition.aac"
    paths = [c.encodes.aac for c in edition.chapters]
    if any(p is None for p in paths):
        raise ValueError("the M4B needs every chapter's AAC encode")
    splice_adts([p for p in paths if p is not None], gaps, silent_adts_frame(rate, AAC_BITRATE), adts)
    # The AAC encoder's one frame of priming puts the audio a frame after each chapter's first frame.
    ends = [
        s / rate + c.mastered.duration + AAC_FRAME / rate
        for s, c in zip(starts, edition.chapters, strict=True)
    ]
    metadata = work / "chapters.ffmetadata"
    metadata.write_text(_ffmetadata(edition, [s / rate for s in starts], ends), encoding="utf-8")
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
