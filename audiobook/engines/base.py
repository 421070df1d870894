"""The engine interface: one segment's text and a voice in, PCM audio and sentence timings out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from audiobook.voices import Voice


@dataclass(frozen=True)
class Timing:
    """A sentence (or word) of the spoken text and when it is heard, in seconds from the take's start."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Take:
    """The speech of one segment: mono float32 samples in [-1, 1]."""

    samples: np.ndarray
    sample_rate: int
    timings: tuple[Timing, ...] = ()

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


@dataclass(frozen=True)
class EngineLimits:
    max_chars: int
    # Engines that read digits badly get our normalized text (numbers written out).
    needs_normalization: bool
    # Engines that take phonemes use our pinyin, so the polyphone model and the lexicon apply.
    takes_pinyin: bool
    online: bool = False
    max_concurrency: int = 1
    notes: tuple[str, ...] = field(default_factory=tuple)


@runtime_checkable
class Engine(Protocol):
    name: str
    limits: EngineLimits

    @property
    def version(self) -> str:
        """Changes whenever the same input could give other audio: part of the cache key."""
        ...

    def synthesize(self, text: str, voice: Voice, pinyin: tuple[str | None, ...] | None = None) -> Take:
        """Speak `text` with `voice`. `pinyin`, one reading per character, overrides the engine's own."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class Spreadable(Protocol):
    """An engine that can speak one take on several cores, giving the same samples as on one."""

    def spread(self, parts: int) -> None: ...
