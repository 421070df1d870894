"""The ffmpeg binary bundled in imageio-ffmpeg: found once, used for decoding, encoding and probing."""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

import numpy as np

from audiobook.errors import EngineUnavailableError, ExportError


@cache
def ffmpeg_path() -> str:
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as error:
        raise EngineUnavailableError("ffmpeg is missing (imageio-ffmpeg); run scripts/setup") from error


def run_ffmpeg(args: list[str], stdin: bytes | None = None) -> bytes:
    return _run([*(["-nostdin"] if stdin is None else ["-y"]), *args], stdin).stdout


def decode_audio(data: bytes, sample_rate: int) -> np.ndarray:
    """Any encoded audio (MP3 from the edge service) -> mono float32 at `sample_rate`."""
    raw = run_ffmpeg(
        ["-i", "pipe:0", "-f", "f32le", "-ac", "1", "-ar", str(sample_rate), "pipe:1"], stdin=data
    )
    return np.frombuffer(raw, dtype=np.float32).copy()


def decode_file(path: Path, sample_rate: int) -> np.ndarray:
    raw = run_ffmpeg(["-i", str(path), "-f", "f32le", "-ac", "1", "-ar", str(sample_rate), "pipe:1"])
    return np.frombuffer(raw, dtype=np.float32).copy()


def run_ffmpeg_stderr(args: list[str]) -> str:
    """Run ffmpeg for what it reports on stderr (loudness measurements)."""
    return _run(["-nostdin", *args]).stderr.decode("utf-8", "replace")


def _run(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    proc = subprocess.run(
        [ffmpeg_path(), "-hide_banner", *args], input=stdin, capture_output=True, check=False
    )
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["unknown error"]
        raise ExportError(f"ffmpeg failed: {tail[0]}")
    return proc
