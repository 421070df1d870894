"""Loudness: ITU-R BS.1770 integrated loudness (measured here, and by ffmpeg's ebur128 meter for
encoded files), true peak, a linear gain to the target, and a look-ahead limiter for the rare
peaks that would pass the ceiling."""

from __future__ import annotations

import math
import re
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
_GATE_STEP_S = 0.1  # gating blocks of 400 ms overlap by 75 %: four steps of 100 ms
_GATE_STEPS = 4
_K_RESPONSE_S = 0.25  # the high-pass at 38 Hz has died away to 1e-9 by then


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
    """Integrated loudness (LUFS) of mono audio: K-weighted, gated 400 ms blocks as BS.1770-4 says."""
    step = round(rate * _GATE_STEP_S)
    bins = _k_weighted_energy(samples, rate, step)
    if len(bins) < _GATE_STEPS:
        return float("-inf")
    power = np.lib.stride_tricks.sliding_window_view(bins, _GATE_STEPS).sum(axis=1) / (_GATE_STEPS * step)
    with np.errstate(divide="ignore"):
        blocks = -0.691 + 10 * np.log10(power)
    above = power[blocks > _SILENT_LUFS]
    if not len(above):
        return float("-inf")
    relative = -0.691 + 10 * math.log10(float(above.mean())) - 10
    return -0.691 + 10 * math.log10(float(power[(blocks > _SILENT_LUFS) & (blocks > relative)].mean()))


def _k_weighted_energy(samples: np.ndarray, rate: int, step: int) -> np.ndarray:
    """Sums of squares of the K-weighted signal over each whole `step` of samples.

    The K filter runs as its impulse response by FFT convolution, a block at a time, so the
    filtered signal is never held whole.
    """
    response = _k_response(rate)
    taps = len(response)
    size = 1 << (4 * taps - 1).bit_length()
    spectrum = np.fft.rfft(response, size)
    block = size - taps + 1
    whole = len(samples) // step
    energy = np.zeros(whole)
    carry = np.zeros(taps - 1)
    for start in range(0, whole * step, block):
        chunk = samples[start : min(start + block, whole * step)].astype(np.float64)
        filtered = np.fft.irfft(np.fft.rfft(chunk, size) * spectrum, size)[: len(chunk) + taps - 1]
        filtered[: taps - 1] += carry
        carry = filtered[len(chunk) :].copy()
        first = start // step
        sums = np.bincount(
            np.arange(start, start + len(chunk)) // step - first, weights=filtered[: len(chunk)] ** 2
        )
        energy[first : first + len(sums)] += sums
    return energy


@cache
def _k_response(rate: int) -> np.ndarray:
    """The K-weighting filter's impulse response (the shelf, then the high-pass, as libebur128
    designs them for any rate), long enough for it to have died away."""
    k = math.tan(math.pi * 1681.974450955533 / rate)
    q = 0.7071752369554196
    high = 10 ** (3.999843853973347 / 20)
    band = high**0.4996667741545416
    norm = 1 + k / q + k * k
    shelf = (
        (
            (high + band * k / q + k * k) / norm,
            2 * (k * k - high) / norm,
            (high - band * k / q + k * k) / norm,
        ),
        (2 * (k * k - 1) / norm, (1 - k / q + k * k) / norm),
    )
    k = math.tan(math.pi * 38.13547087602444 / rate)
    q = 0.5003270373238773
    norm = 1 + k / q + k * k
    highpass = ((1.0, -2.0, 1.0), (2 * (k * k - 1) / norm, (1 - k / q + k * k) / norm))
    signal = np.zeros(round(rate * _K_RESPONSE_S))
    signal[0] = 1.0
    for (b0, b1, b2), (a1, a2) in (shelf, highpass):
        out = np.zeros_like(signal)
        x1 = x2 = y1 = y2 = 0.0
        for i, x in enumerate(signal.tolist()):
            y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            out[i], x2, x1, y2, y1 = y, x1, x, y1, y
        signal = out
    return signal


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
