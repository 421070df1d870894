"""Readers for built files: chapters through the bundled ffmpeg's demuxers, audio as samples."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from audiobook.ffmpeg import ffmpeg_path


@dataclass(frozen=True)
class ProbedChapter:
    start: float
    end: float
    title: str


def probe_chapters(path: Path) -> list[ProbedChapter]:
    """The chapters libavformat reads from a file (what ffprobe -show_chapters prints)."""
    text = subprocess.run(
        [ffmpeg_path(), "-hide_banner", "-i", str(path), "-f", "ffmetadata", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    chapters: list[ProbedChapter] = []
    current: dict[str, str] | None = None
    for line in [*text.splitlines(), "[CHAPTER]"]:
        if line == "[CHAPTER]":
            if current:
                num, den = (int(x) for x in current["TIMEBASE"].split("/"))
                chapters.append(
                    ProbedChapter(
                        int(current["START"]) * num / den,
                        int(current["END"]) * num / den,
                        current.get("title", ""),
                    )
                )
            current = {}
        elif "=" in line and current is not None and not line.startswith(";"):
            key, _, value = line.partition("=")
            current[key] = value
    return chapters
