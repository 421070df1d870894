"""The offline default: a neural Mandarin voice (Baker corpus, FastSpeech2 + MB-MelGAN) on LiteRT."""

from __future__ import annotations

import numpy as np

from audiobook.engines.baker_model import (
    HOP_SIZE,
    SAMPLE_RATE,
    BakerModels,
    model_version,
    syllable_phones,
    symbol_ids,
)
from audiobook.engines.base import EngineLimits, Take, Timing
from audiobook.text.pinyin import Reading, to_pinyin
from audiobook.text.words import cut_words
from audiobook.voices import Voice

# Prosodic break symbols of the Baker labels: #0 between syllables of a word, #1 between
# prosodic words, #3 at an intonation phrase (a comma), sil at the edges of the utterance.
FRONT_END_REVISION = "2"
_PHRASE_BREAKS = "，、：；。！？…—,:;!?"


def phonemes(readings: list[Reading]) -> list[str]:
    """Readings -> the model's symbols, with prosodic breaks from words and punctuation."""
    table = syllable_phones()
    symbols = ["sil"]
    pending_break: str | None = None
    for reading in readings:
        if reading.pinyin is None:
            if reading.char in _PHRASE_BREAKS and len(symbols) > 1:
                pending_break = "#3"
            continue
        # A Latin letter is spelled with several syllables (W: da2 bu5 liu5): one prosodic word.
        for n, spelled in enumerate(reading.pinyin.split()):
            syllable, tone = _split(spelled)
            if syllable not in table:
                continue  # an interjection such as 呣 (m2) that the model has no phonemes for
            if len(symbols) > 1:
                symbols.append(pending_break or ("#1" if reading.word_start and n == 0 else "#0"))
            pending_break = None
            initial, final = table[syllable]
            symbols += [initial, final + tone]
    symbols.append("sil")
    return symbols


def word_starts(text: str) -> set[int]:
    starts, position = set(), 0
    for word in cut_words(text):
        starts.add(position)
        position += len(word)
    return starts


def _split(pinyin: str) -> tuple[str, str]:
    syllable, tone = pinyin[:-1], pinyin[-1]
    if syllable in ("n", "ng", "m"):
        syllable = "en"
    if syllable.endswith("r") and syllable not in syllable_phones() and syllable[:-1] in syllable_phones():
        syllable = syllable[:-1]  # erhua written on the syllable: 儿 is read on its own
    return syllable, tone


class BakerEngine:
    name = "baker"
    limits = EngineLimits(max_chars=80, needs_normalization=True, takes_pinyin=True)

    def __init__(self, threads: int = 1) -> None:
        self._models: BakerModels | None = None
        self._threads = threads
        self._vocoders = 1

    def spread(self, vocoders: int) -> None:
        """Vocode each long utterance in up to `vocoders` pieces side by side, for cores that would
        otherwise wait: the samples are the same, only sooner."""
        if vocoders != self._vocoders:
            self._vocoders, self._models = vocoders, None

    @property
    def version(self) -> str:
        # The model files' digest, and the revision of our phoneme mapping: change either and the
        # same text gives other audio, so cached takes must not be reused.
        return f"{model_version()}-{FRONT_END_REVISION}"

    @property
    def models(self) -> BakerModels:
        if self._models is None:
            self._models = BakerModels(self._threads, vocoders=self._vocoders)
        return self._models

    def synthesize(self, text: str, voice: Voice, pinyin: tuple[str | None, ...] | None = None) -> Take:
        if pinyin is not None:
            starts = word_starts(text)  # prosodic word breaks (#1) come from jieba's words
            readings = [
                Reading(ch, py, i in starts) for i, (ch, py) in enumerate(zip(text, pinyin, strict=True))
            ]
        else:
            readings = to_pinyin(text)
        symbols = phonemes(readings)
        ids = symbol_ids()
        if len(symbols) <= 2:
            return Take(np.zeros(0, np.float32), SAMPLE_RATE, ())
        prosody = voice.prosody
        # A pitch shift by resampling also lengthens the audio: the model speaks faster to match.
        pitch_factor = float(2 ** (prosody.pitch / 12))
        speed = pitch_factor / prosody.rate
        acoustics = self.models.text_to_mel(
            [ids[s] for s in symbols] + [ids["eos"]], speed=speed, f0=1.0, energy=prosody.energy
        )
        audio = self.models.mel_to_audio(acoustics.mel) * prosody.volume
        audio = np.clip(audio, -1.0, 1.0).astype(np.float32)
        rate = round(SAMPLE_RATE * pitch_factor)
        end = min(len(audio), int(acoustics.durations.sum()) * HOP_SIZE) / rate
        return Take(audio, rate, (Timing(text, 0.0, end),))

    def close(self) -> None:
        self._models = None
