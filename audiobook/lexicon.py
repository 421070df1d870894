"""The user lexicon: a word with its pinyin, or a word with a replacement text; it always wins.

    [pinyin]
    "调研" = "diao4 yan2"
    [say]
    "WTO" = "世界贸易组织"

voices/lexicon.toml is always read; --lexicon FILE adds to it (and wins where both name a word).
Engines that take our phonemes use the pinyin directly; for the others (edge-tts accepts no
phoneme markup) the word is respelled with characters that carry the wanted reading.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from audiobook.errors import InputError
from audiobook.voices import VOICES_DIR

SHIPPED = VOICES_DIR / "lexicon.toml"
_SYLLABLE_RE = re.compile(r"^[a-zv]+[1-5]$")


@dataclass(frozen=True)
class Lexicon:
    pinyin: dict[str, list[str]] = field(default_factory=dict)
    say: dict[str, str] = field(default_factory=dict)

    @cached_property
    def digest(self) -> str:
        """Identifies the lexicon's content: a memo of speech inputs is only valid for one lexicon."""
        content = json.dumps([self.pinyin, self.say], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(content.encode()).hexdigest()[:16]

    def replace_words(self, text: str) -> str:
        """Apply the replacement texts, longest words first."""
        for word in sorted(self.say, key=len, reverse=True):
            text = text.replace(word, self.say[word])
        return text

    def respell(self, text: str) -> str:
        """For engines without phonemes: each lexicon word written with characters of its reading."""
        for word in sorted(self.pinyin, key=len, reverse=True):
            if word in text:
                text = text.replace(
                    word,
                    "".join(spelling_char(s) or ch for s, ch in zip(self.pinyin[word], word, strict=True)),
                )
        return text


def _read(path: Path) -> Lexicon:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"--lexicon {path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not a valid TOML lexicon ({error})") from None
    pinyin: dict[str, list[str]] = {}
    for word, reading in data.get("pinyin", {}).items():
        syllables = str(reading).replace("ü", "v").lower().split()
        if len(syllables) != len(word) or not all(_SYLLABLE_RE.match(s) for s in syllables):
            raise InputError(
                f"{path}: {word!r} = {reading!r}: give one pinyin syllable with a tone number per character"
            )
        pinyin[word] = syllables
    say = {str(word): str(text) for word, text in data.get("say", {}).items()}
    return Lexicon(pinyin, say)


def load_lexicon(extra: Path | None = None) -> Lexicon:
    base = _read(SHIPPED) if SHIPPED.is_file() else Lexicon()
    if extra is None:
        return base
    more = _read(extra)
    return Lexicon({**base.pinyin, **more.pinyin}, {**base.say, **more.say})


@cache
def _spellings() -> dict[str, str]:
    """A common character with a single reading for each syllable (the most frequent one in jieba)."""
    from pypinyin import pinyin_dict

    from audiobook.text.words import _jieba

    frequency = _jieba().dt.FREQ
    best: dict[str, tuple[int, str]] = {}
    for code, readings in pinyin_dict.pinyin_dict.items():
        if "," in readings:
            continue
        char = chr(code)
        from pypinyin.contrib.tone_convert import to_tone3

        syllable = to_tone3(readings, neutral_tone_with_five=True).replace("ü", "v")
        score = frequency.get(char, 0)
        if score and (syllable not in best or score > best[syllable][0]):
            best[syllable] = (score, char)
    return {syllable: char for syllable, (_, char) in best.items()}


def spelling_char(syllable: str) -> str | None:
    return _spellings().get(syllable)
