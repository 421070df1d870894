"""Loudness: ITU-R BS.1770 integrated loudness (pyloudnorm), a linear gain to the target, and a
look-ahead limiter for the rare peaks that would pass the true-peak ceiling."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audiobook.errors import InputError
from audiobook.ffmpeg import run_ffmpeg_stderr

MONO_TARGET_LUFS = -19.0
STEREO_TARGET_LUFS = -16.0
TRUE_PEAK_DBTP = -1.0
_OVERSAMPLE = 4
_LOOKAHEAD_S = 0.002
_SILENT_LUFS = -70.0


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
    import pyloudnorm  # scipy behind it takes most of a second to import: only when mastering

    if len(samples) < rate // 2:
        return float("-inf")
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))


def true_peak(samples: np.ndarray, rate: int) -> float:
    """dBTP: 4x oversampled peak, computed only around the loudest samples (the rest cannot win)."""
    from scipy.signal import resample_poly

    magnitude = np.abs(samples)
    peak = float(magnitude.max()) if len(samples) else 0.0
    if peak <= 0:
        return -120.0
    # Inter-sample peaks exceed the sample peak by well under 4 dB for band-limited audio.
    loud = np.flatnonzero(magnitude >= peak * 10 ** (-4 / 20))
    best = peak
    for start in range(0, len(loud), 4096):
        chunk = loud[start : start + 4096]
        windows = np.clip(chunk[:, None] + np.arange(-16, 17)[None, :], 0, len(samples) - 1)
        upsampled = resample_poly(samples[windows].astype(np.float64), _OVERSAMPLE, 1, axis=1)
        centre = upsampled[:, 12 * _OVERSAMPLE : 21 * _OVERSAMPLE]
        best = max(best, float(np.abs(centre).max()))
    return 20 * np.log10(best)


def _limit(samples: np.ndarray, rate: int, ceiling_db: float) -> np.ndarray:
    """Brick-wall look-ahead limiter: the gain dips smoothly around each peak above the ceiling."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    ceiling = 10 ** (ceiling_db / 20)
    needed = np.minimum(1.0, ceiling / np.maximum(np.abs(samples), 1e-12))
    width = max(3, int(_LOOKAHEAD_S * rate) | 1)
    envelope = minimum_filter1d(needed, size=2 * width + 1)
    envelope = uniform_filter1d(envelope, size=width)
    return (samples * envelope).astype(np.float32)


def normalize(samples: np.ndarray, rate: int, target: float) -> tuple[np.ndarray, LoudnessReport]:
    """A linear gain to `target` LUFS, then limiting only where the true peak would pass -1 dBTP."""
    before = integrated(samples, rate)
    if not np.isfinite(before) or before < _SILENT_LUFS:
        return samples, LoudnessReport(before, before, true_peak(samples, rate), False)
    gained = (samples * 10 ** ((target - before) / 20)).astype(np.float32)
    limited = False
    margin = 0.3
    while true_peak(gained, rate) > TRUE_PEAK_DBTP and margin < 3:
        gained = _limit(gained, rate, TRUE_PEAK_DBTP - margin)
        limited, margin = True, margin + 0.5
    # A linear gain moves the loudness by exactly its own size; only limiting needs a new measure.
    after = integrated(gained, rate) if limited else target
    return gained, LoudnessReport(before, after, true_peak(gained, rate), limited)


def measure_integrated(path: Path) -> float:
    """Integrated loudness of a file as ffmpeg's ebur128 filter reads it (an independent check)."""
    stderr = run_ffmpeg_stderr(["-i", str(path), "-af", "ebur128", "-f", "null", "-"])
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", stderr)[-1])


def measure_true_peak(path: Path) -> float:
    stderr = run_ffmpeg_stderr(["-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"])
    values = re.findall(r"Peak:\s+(-?[\d.]+|-inf) dBFS", stderr)
    return float(values[-1]) if values and values[-1] != "-inf" else -120.0
