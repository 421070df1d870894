"""Encoding mastered chapter WAVs into MP3 and M4B files with ffmpeg, streaming from disk."""

from __future__ import annotations

from pathlib import Path

from audiobook.edition import Edition
from audiobook.export.atomic import atomic_path
from audiobook.ffmpeg import run_ffmpeg

MP3_BITRATE = "64k"
AAC_BITRATE = "64k"


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


def concat_list(edition: Edition, work: Path) -> Path:
    """An ffmpeg concat list: the chapters with the chapter pause between them."""
    pause = work / "chapter-pause.wav"
    run_ffmpeg(
        [
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"anullsrc=r={edition.sample_rate}:cl=mono",
            "-t",
            f"{edition.chapter_pause:.6f}",
            "-c:a",
            "pcm_s16le",
            str(pause),
        ]
    )
    lines = []
    for i, chapter in enumerate(edition.chapters):
        if i:
            lines.append(_concat_entry(pause))
        lines.append(_concat_entry(chapter.mastered.wav))
    listing = work / "edition.concat"
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return listing


def _concat_entry(path: Path) -> str:
    quoted = str(path.resolve()).replace("'", "'\\''")  # the concat demuxer's own quoting
    return f"file '{quoted}'"


def join_wav(edition: Edition, work: Path) -> Path:
    whole = work / "edition.wav"
    run_ffmpeg(
        [
            "-y",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(concat_list(edition, work)),
            "-c:a",
            "pcm_s16le",
            str(whole),
        ]
    )
    return whole


def _ffmetadata(edition: Edition) -> str:
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
    for chapter in edition.chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={round(chapter.start * 1000)}",
            f"END={round(chapter.end * 1000)}",
            f"title={esc(chapter.title)}",
        ]
    return "\n".join(lines) + "\n"


def encode_m4b(whole_wav: Path, edition: Edition, target: Path, work: Path, cover: Path | None) -> None:
    metadata = work / "chapters.ffmetadata"
    metadata.write_text(_ffmetadata(edition), encoding="utf-8")
    args = ["-y", "-i", str(whole_wav), "-i", str(metadata)]
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
        "aac",
        "-aac_coder",
        "fast",
        "-fflags",
        "+bitexact",
        "-b:a",
        AAC_BITRATE,
        "-movflags",
        "+faststart",
        "-f",
        "ipod",
    ]
    with atomic_path(target) as temp:
        run_ffmpeg([*args, str(temp)])
