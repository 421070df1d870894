"""What an engine is given for one segment: normalized text, and pinyin for engines that take it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from audiobook.engines.base import Engine, Take
from audiobook.lexicon import Lexicon
from audiobook.text import memo
from audiobook.text.normalize import normalize
from audiobook.text.pinyin import to_pinyin
from audiobook.voices import Voice

# How a Mandarin newsreader says Latin letters (GDP, 5G, CEO), in the syllables the model knows.
LETTER_NAMES = {
    "A": "ei1",
    "B": "bi4",
    "C": "xi1",
    "D": "di4",
    "E": "yi4",
    "F": "ai2 fu5",
    "G": "ji4",
    "H": "ai2 qi1",
    "I": "ai4",
    "J": "zhei4",
    "K": "kai4",
    "L": "ai2 lou5",
    "M": "ai2 mu5",
    "N": "en1",
    "O": "ou1",
    "P": "pi4",
    "Q": "kou4",
    "R": "a4",
    "S": "ai2 si1",
    "T": "ti4",
    "U": "you1",
    "V": "wei1",
    "W": "da2 bu5 liu5",
    "X": "ai2 ke4 si1",
    "Y": "wai4",
    "Z": "zei4",
}


@dataclass(frozen=True)
class SpeechInput:
    text: str
    pinyin: tuple[str | None, ...] | None


def speech_input(text: str, engine: Engine, lexicon: Lexicon | None = None) -> SpeechInput:
    """The lexicon's replacement texts first, then numbers; then its pinyin, or respelling."""
    lexicon = lexicon or Lexicon()
    limits = engine.limits
    key = json.dumps(
        [engine.name, engine.version, limits.needs_normalization, limits.takes_pinyin, lexicon.digest, text],
        ensure_ascii=False,
    )
    known = memo.recall("speech_input", key)
    if known is not None:
        return SpeechInput(known[0], tuple(known[1]) if known[1] is not None else None)
    prepared = _prepare(text, engine, lexicon)
    memo.remember("speech_input", key, [prepared.text, prepared.pinyin])
    return prepared


def _prepare(text: str, engine: Engine, lexicon: Lexicon) -> SpeechInput:
    spoken = lexicon.replace_words(text)
    if engine.limits.needs_normalization:
        spoken = normalize(spoken)
    if engine.limits.takes_pinyin:
        readings = to_pinyin(spoken, lexicon.pinyin)
        return SpeechInput(spoken, tuple(r.pinyin or LETTER_NAMES.get(r.char.upper()) for r in readings))
    return SpeechInput(lexicon.respell(spoken), None)


def speak(text: str, voice: Voice, engine: Engine, lexicon: Lexicon | None = None) -> Take:
    prepared = speech_input(text, engine, lexicon)
    return engine.synthesize(prepared.text, voice, prepared.pinyin)
