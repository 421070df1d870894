"""Loudness: ITU-R BS.1770 integrated loudness and true peak (ffmpeg's ebur128 meter), a linear
gain to the target, and a look-ahead limiter for the rare peaks that would pass the ceiling."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from audiobook.errors import InputError
from audiobook.ffmpeg import run_ffmpeg_stderr

MONO_TARGET_LUFS = -19.0
STEREO_TARGET_LUFS = -16.0
TRUE_PEAK_DBTP = -1.0
_LOOKAHEAD_S = 0.002
_SILENT_LUFS = -70.0
_INTER_SAMPLE_DB = 0.8
_OVERSAMPLE = 4
_HALF_TAPS = 8
_KAISER_BETA = 6.0


@dataclass(frozen=True)
class LoudnessReport:
    before: float  # LUFS
    after: float
    true_peak: float  # dBTP after normalization
    limited: bool


def parse_target(value: str | None, channels: int = 1) -> float:
    """--loudness: a LUFS figure such as -19 (the default depends on mono or stereo)."""
    if value is None:
        return MONO_TARGET_LUFS if channels == 1 else STEREO_TARGET_LUFS
    try:
        target = float(value.lower().removesuffix("lufs").strip())
    except ValueError:
        raise InputError(f"--loudness {value!r}: give a LUFS figure such as -19") from None
    if not -40 <= target <= -5:
        raise InputError(f"--loudness {value!r}: choose a target between -40 and -5 LUFS")
    return target


def integrated(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness (LUFS) by ffmpeg's BS.1770 meter (ebur128)."""
    # Through a file, not a pipe: subprocess feeds a pipe 4 KiB at a time, three times slower.
    with tempfile.NamedTemporaryFile(suffix=".f32") as raw:
        raw.write(np.ascontiguousarray(samples, dtype="<f4").tobytes())
        raw.flush()
        pcm = ["-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", raw.name]
        stderr = run_ffmpeg_stderr(["-nostats", *pcm, "-af", "ebur128", "-f", "null", "-"])
    return _summary(stderr)[0]


@cache
def _interpolator() -> np.ndarray:
    """Rows of a windowed-sinc FIR giving the values a quarter, half and three quarters between samples."""
    taps = np.arange(-_HALF_TAPS + 1, _HALF_TAPS + 1)
    rows = []
    for phase in range(1, _OVERSAMPLE):
        offset = taps - phase / _OVERSAMPLE
        window = np.i0(_KAISER_BETA * np.sqrt(1 - (offset / (_HALF_TAPS + 1)) ** 2)) / np.i0(_KAISER_BETA)
        rows.append(np.sinc(offset) * window)
    return np.array(rows).T  # (taps, phases)


def true_peak(samples: np.ndarray) -> float:
    """dBTP as BS.1770 defines it (4x oversampled), computed only around the loudest samples."""
    magnitude = np.abs(samples)
    peak = float(magnitude.max()) if len(samples) else 0.0
    if peak <= 0:
        return -120.0
    # Inter-sample peaks pass the sample peak by well under 4 dB in band-limited audio.
    loud = np.flatnonzero(magnitude >= peak * 10 ** (-4 / 20))
    offsets = np.arange(-_HALF_TAPS + 1, _HALF_TAPS + 1)
    padded = np.concatenate([np.zeros(_HALF_TAPS), samples, np.zeros(_HALF_TAPS)])
    best = peak
    for start in range(0, len(loud), 4096):
        centres = loud[start : start + 4096] + _HALF_TAPS
        for shift in (-1, 0):  # the stretches before and after each loud sample
            windows = padded[centres[:, None] + shift + offsets[None, :]]
            best = max(best, float(np.abs(windows @ _interpolator()).max()))
    return 20 * float(np.log10(best))


def _summary(stderr: str) -> tuple[float, float]:
    loudness = re.findall(r"I:\s+(-?[\d.]+|-inf) LUFS", stderr)
    peaks = re.findall(r"Peak:\s+(-?[\d.]+|-inf) dBFS", stderr)
    integrated = float(loudness[-1]) if loudness and loudness[-1] != "-inf" else float("-inf")
    peak = float(peaks[-1]) if peaks and peaks[-1] != "-inf" else -120.0
    return integrated, peak


def _limit(samples: np.ndarray, rate: int, ceiling_db: float) -> np.ndarray:
    """Brick-wall look-ahead limiter: the gain dips smoothly around each peak above the ceiling.

    Only the stretches around those peaks are touched; the rest of the chapter passes unchanged.
    """
    ceiling = 10 ** (ceiling_db / 20)
    over = np.flatnonzero(np.abs(samples) > ceiling)
    limited = samples.astype(np.float32, copy=True)
    if not len(over):
        return limited
    width = max(3, int(_LOOKAHEAD_S * rate) | 1)
    room = 4 * width  # enough for the gain to dip before a peak and recover after it
    splits = np.flatnonzero(np.diff(over) > 2 * room)
    for first, last in zip(np.r_[0, splits + 1], np.r_[splits, len(over) - 1], strict=True):
        lo, hi = max(0, int(over[first]) - room), min(len(samples), int(over[last]) + room + 1)
        stretch = samples[lo:hi]
        needed = np.minimum(1.0, ceiling / np.maximum(np.abs(stretch), 1e-12))
        envelope = _moving(needed, 2 * width + 1, np.min)
        envelope = _moving(envelope, width, np.mean)
        limited[lo:hi] = stretch * envelope
    return limited


def _moving(values: np.ndarray, size: int, reduce: Callable[..., np.ndarray]) -> np.ndarray:
    """A centred moving minimum or mean; outside the stretch the gain is 1 (no reduction)."""
    padded = np.pad(values, size // 2, constant_values=1.0)
    return reduce(np.lib.stride_tricks.sliding_window_view(padded, size), axis=1)


def normalize(samples: np.ndarray, rate: int, target: float) -> tuple[np.ndarray, LoudnessReport]:
    """A linear gain to `target` LUFS, then limiting only where the true peak would pass -1 dBTP."""
    before = integrated(samples, rate)
    if before <= _SILENT_LUFS:
        return samples, LoudnessReport(before, before, true_peak(samples), False)
    gain_db = target - before
    gained = (samples * 10 ** (gain_db / 20)).astype(np.float32)
    # A linear gain moves the loudness by exactly its own size; limiting a few peaks, by far less
    # than the meter's 0.1 LU resolution.
    peak = true_peak(gained)
    limited, margin = False, _INTER_SAMPLE_DB
    while peak > TRUE_PEAK_DBTP and margin < 3:
        # The limiter sees samples; the ceiling is for true peaks, which pass them by a little.
        gained = _limit(gained, rate, TRUE_PEAK_DBTP - margin)
        limited, margin = True, margin + 0.5
        peak = true_peak(gained)
    return gained, LoudnessReport(before, target, peak, limited)


def measure_file(path: Path) -> tuple[float, float]:
    """Integrated loudness and true peak of an encoded file, as a listener's decoder hears it."""
    return _summary(
        run_ffmpeg_stderr(["-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"])
    )


def measure_integrated(path: Path) -> float:
    return measure_file(path)[0]


def measure_true_peak(path: Path) -> float:
    return measure_file(path)[1]
