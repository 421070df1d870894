"""Measures of real audio used by the tests."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from audiobook.ffmpeg import run_ffmpeg_stderr


def rms_db(samples: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
    return 20 * np.log10(max(rms, 1e-9))


def voiced_fraction(samples: np.ndarray, rate: int, threshold_db: float = -40.0) -> float:
    """Share of 20 ms frames louder than `threshold_db`."""
    frame = int(0.02 * rate)
    frames = [samples[i : i + frame] for i in range(0, len(samples) - frame, frame)]
    return sum(rms_db(f) > threshold_db for f in frames) / max(1, len(frames))


def dominant_pitch_hz(samples: np.ndarray, rate: int) -> float:
    """Median autocorrelation pitch of the loud frames: enough to tell a low voice from a high one."""
    frame = int(0.04 * rate)
    pitches = []
    for i in range(0, len(samples) - frame, frame):
        chunk = samples[i : i + frame].astype(np.float64)
        if rms_db(chunk) < -30:
            continue
        chunk = chunk - chunk.mean()
        corr = np.correlate(chunk, chunk, "full")[frame - 1 :]
        low, high = int(rate / 400), int(rate / 70)
        lag = low + int(np.argmax(corr[low:high]))
        pitches.append(rate / lag)
    return float(np.median(pitches)) if pitches else 0.0


def longest_silence(samples: np.ndarray, rate: int, threshold_db: float = -50.0) -> float:
    frame = int(0.01 * rate)
    longest = current = 0
    for i in range(0, len(samples) - frame + 1, frame):
        if rms_db(samples[i : i + frame]) < threshold_db:
            current += 1
            longest = max(longest, current)
        else:
            current = 0
    return longest * frame / rate


def ffmpeg_integrated(path: Path) -> float:
    """ffmpeg's ebur128 integrated loudness to three decimals (its summary prints one)."""
    stderr = run_ffmpeg_stderr(
        [
            "-nostats",
            "-i",
            str(path),
            "-af",
            "ebur128=metadata=1,ametadata=print:key=lavfi.r128.I",
            "-f",
            "null",
            "-",
        ]
    )
    return float(re.findall(r"lavfi\.r128\.I=(-?[\d.]+|-inf)", stderr)[-1])
