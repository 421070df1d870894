"""What an engine is given for one segment: normalized text, and pinyin for engines that take it."""

from __future__ import annotations

from dataclasses import dataclass

from audiobook.engines.base import Engine, Take
from audiobook.lexicon import Lexicon
from audiobook.text.normalize import normalize
from audiobook.text.pinyin import to_pinyin
from audiobook.voices import Voice


@dataclass(frozen=True)
class SpeechInput:
    text: str
    pinyin: tuple[str | None, ...] | None


def speech_input(text: str, engine: Engine, lexicon: Lexicon | None = None) -> SpeechInput:
    """The lexicon's replacement texts first, then numbers; then its pinyin, or respelling."""
    lexicon = lexicon or Lexicon()
    spoken = lexicon.replace_words(text)
    if engine.limits.needs_normalization:
        spoken = normalize(spoken)
    if engine.limits.takes_pinyin:
        return SpeechInput(spoken, tuple(r.pinyin for r in to_pinyin(spoken, lexicon.pinyin)))
    return SpeechInput(lexicon.respell(spoken), None)


def speak(text: str, voice: Voice, engine: Engine, lexicon: Lexicon | None = None) -> Take:
    prepared = speech_input(text, engine, lexicon)
    return engine.synthesize(prepared.text, voice, prepared.pinyin)
