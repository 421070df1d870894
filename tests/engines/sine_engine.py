"""A third-party engine as a plug-in would ship it: found through the entry-point group."""

from __future__ import annotations

import numpy as np

from audiobook.engines.base import EngineLimits, Take, Timing
from audiobook.voices import Voice


class SineEngine:
    name = "sine"
    limits = EngineLimits(max_chars=100, needs_normalization=True, takes_pinyin=False)
    version = "1"

    def __init__(self, threads: int = 1) -> None:
        del threads

    def synthesize(self, text: str, voice: Voice, pinyin: tuple[str | None, ...] | None = None) -> Take:
        seconds = 0.1 * len(text)
        t = np.arange(int(seconds * 16000)) / 16000
        return Take(
            (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), 16000, (Timing(text, 0, seconds),)
        )

    def close(self) -> None:
        pass
