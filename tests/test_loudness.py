"""The in-process BS.1770 meter against ffmpeg's ebur128 meter, on the same audio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from audiobook.export.audiofile import write_wav
from audiobook.loudness import integrated, normalize
from tests.audio_checks import ffmpeg_integrated


def _speechlike(rate: int, seconds: float, seed: int) -> np.ndarray:
    """Noise bursts shaped like syllables at changing levels, with pauses between phrases."""
    rng = np.random.default_rng(seed)
    samples = np.zeros(round(seconds * rate), np.float32)
    at = 0
    while at < len(samples):
        length = int(rng.uniform(0.15, 0.4) * rate)
        level = 10 ** (rng.uniform(-36, -16) / 20)  # peaks stay below full scale: no clipping in the WAV
        burst = rng.standard_normal(length) * np.hanning(length) * level
        samples[at : at + length] = burst[: len(samples) - at]
        at += length + int(rng.choice([0.05, 0.05, 0.6]) * rate)
    return samples


@pytest.mark.parametrize("rate", [16000, 22050, 24000, 44100])
def test_meter_agrees_with_ffmpeg(rate: int, tmp_path: Path) -> None:
    samples = _speechlike(rate, 20.0, seed=rate)
    wav = tmp_path / "speech.wav"
    write_wav(wav, samples, rate)
    assert abs(integrated(samples, rate) - ffmpeg_integrated(wav)) <= 0.05


def test_quiet_stretches_are_gated_out(tmp_path: Path) -> None:
    rate = 24000
    speech = _speechlike(rate, 10.0, seed=1)
    with_hiss = np.concatenate([speech, 1e-3 * _speechlike(rate, 60.0, seed=2)])  # below the absolute gate
    # Ungated, six times as much near-silence would take the loudness down by 8.5 LU.
    assert abs(integrated(with_hiss, rate) - integrated(speech, rate)) < 0.2
    wav = tmp_path / "hiss.wav"
    write_wav(wav, with_hiss, rate)
    assert abs(integrated(with_hiss, rate) - ffmpeg_integrated(wav)) <= 0.1


def test_too_short_or_silent_audio_has_no_loudness() -> None:
    assert integrated(np.zeros(48000, np.float32), 24000) == float("-inf")
    assert integrated(_speechlike(24000, 0.3, seed=3), 24000) == float("-inf")  # no whole 400 ms block


def test_normalize_reaches_the_target_as_ffmpeg_measures_it(tmp_path: Path) -> None:
    rate = 24000
    mastered, report = normalize(_speechlike(rate, 15.0, seed=4), rate, -27.0)
    wav = tmp_path / "mastered.wav"
    write_wav(wav, mastered, rate)
    assert not report.limited  # a gain alone: the loudness moves by exactly its size
    assert abs(ffmpeg_integrated(wav) - (-27.0)) <= 0.05 and report.true_peak <= -1.0
