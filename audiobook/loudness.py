"""Loudness: measure (EBU R128 / ITU BS.1770 through ffmpeg) and normalize to a podcast target."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from audiobook.errors import InputError
from audiobook.ffmpeg import run_ffmpeg_stderr

MONO_TARGET_LUFS = -19.0
STEREO_TARGET_LUFS = -16.0
TRUE_PEAK_DBTP = -1.0
_LRA = 11.0


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    true_peak: float  # dBTP
    lra: float
    threshold: float


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


def _loudnorm_json(stderr: str) -> dict[str, str]:
    block = re.findall(r"\{[^{}]*\"input_i\"[^{}]*\}", stderr, re.S)
    if not block:
        raise InputError("ffmpeg did not report loudness")
    return dict(json.loads(block[-1]))


def measure(path: Path, target: float = MONO_TARGET_LUFS) -> Loudness:
    stats = _loudnorm_json(
        run_ffmpeg_stderr(
            [
                "-i",
                str(path),
                "-af",
                f"loudnorm=I={target}:TP={TRUE_PEAK_DBTP}:LRA={_LRA}:print_format=json",
                "-f",
                "null",
                "-",
            ]
        )
    )
    return Loudness(
        float(stats["input_i"]),
        float(stats["input_tp"]),
        float(stats["input_lra"]),
        float(stats["input_thresh"]),
    )


def measure_integrated(path: Path) -> float:
    """Integrated loudness as ffmpeg's ebur128 filter reads it back (what the tests check)."""
    stderr = run_ffmpeg_stderr(["-i", str(path), "-af", "ebur128", "-f", "null", "-"])
    values = re.findall(r"I:\s+(-?[\d.]+) LUFS", stderr)
    return float(values[-1])


def measure_true_peak(path: Path) -> float:
    stderr = run_ffmpeg_stderr(["-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"])
    values = re.findall(r"Peak:\s+(-?[\d.]+|-inf) dBFS", stderr)
    return float(values[-1]) if values and values[-1] != "-inf" else -120.0


def normalize_file(source: Path, target_path: Path, sample_rate: int, target: float) -> None:
    """Two-pass loudnorm, linear when the true-peak ceiling allows: the same gain for the whole file."""
    m = measure(source, target)
    if m.integrated == float("-inf") or m.integrated < -70:
        run_ffmpeg_stderr(
            ["-y", "-i", str(source), "-c:a", "pcm_s16le", "-ar", str(sample_rate), str(target_path)]
        )
        return
    loudnorm = (
        f"loudnorm=I={target}:TP={TRUE_PEAK_DBTP}:LRA={_LRA}:measured_I={m.integrated}:"
        f"measured_TP={m.true_peak}:measured_LRA={m.lra}:measured_thresh={m.threshold}:linear=true"
    )
    run_ffmpeg_stderr(
        [
            "-y",
            "-i",
            str(source),
            "-af",
            loudnorm,
            "-c:a",
            "pcm_s16le",
            "-ar",
            str(sample_rate),
            "-f",
            "wav",
            str(target_path),
        ]
    )
