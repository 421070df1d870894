"""Writing PCM to WAV or MP3 files, atomically."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from audiobook.errors import InputError
from audiobook.export.atomic import atomic_path
from audiobook.ffmpeg import run_ffmpeg


def to_int16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767).round().astype("<i2").tobytes()


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    with atomic_path(path) as temp, wave.open(str(temp), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(to_int16(samples))


def write_mp3(path: Path, samples: np.ndarray, sample_rate: int, bitrate: str = "64k") -> None:
    with atomic_path(path) as temp:
        run_ffmpeg(
            [
                "-f",
                "s16le",
                "-ar",
                str(sample_rate),
                "-ac",
                "1",
                "-i",
                "pipe:0",
                "-codec:a",
                "libmp3lame",
                "-b:a",
                bitrate,
                "-f",
                "mp3",
                "-y",
                str(temp),
            ],
            stdin=to_int16(samples),
        )


def write_audio(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    """WAV or MP3, chosen by the file's suffix."""
    suffix = path.suffix.lower()
    if suffix == ".wav":
        write_wav(path, samples, sample_rate)
    elif suffix == ".mp3":
        write_mp3(path, samples, sample_rate)
    else:
        raise InputError(f"{path}: write a .wav or .mp3 file")
