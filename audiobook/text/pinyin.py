"""Grapheme to pinyin: words from jieba, readings from pypinyin's phrase data, tone sandhi of 一 and 不."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from pypinyin import Style, lazy_pinyin

from audiobook.text.chars import is_cjk
from audiobook.text.words import cut_words

_TONE3_RE = re.compile(r"^[a-zü]+[1-5]$")


@dataclass(frozen=True)
class Reading:
    """One character of the text with its pinyin (TONE3, ü as v, neutral 5) or None."""

    char: str
    pinyin: str | None
    word_start: bool = False


def to_pinyin(
    text: str, lexicon: dict[str, list[str]] | None = None, sandhi: bool = True, polyphones: bool = True
) -> list[Reading]:
    """Every character of `text` with its reading; a lexicon entry wins over the model."""
    readings: list[Reading] = []
    fixed: set[int] = set()  # positions the lexicon decided
    spans: dict[int, tuple[int, int]] = {}
    for word in _words(text, lexicon or {}):
        start = len(readings)
        if lexicon and word in lexicon:
            syllables: tuple[str | None, ...] = tuple(lexicon[word])
            fixed.update(range(start, start + len(word)))
        elif any(is_cjk(ch) for ch in word):
            syllables = _word_pinyin(word)
        else:
            syllables = (None,) * len(word)
        readings += [
            Reading(ch, py if is_cjk(ch) else None, word_start=i == 0)
            for i, (ch, py) in enumerate(zip(word, syllables, strict=True))
        ]
        spans.update({pos: (start, start + len(word)) for pos in range(start, start + len(word))})
    if polyphones:
        readings = _disambiguate(text, readings, fixed, spans)
    return apply_sandhi(readings) if sandhi else readings


def _disambiguate(
    text: str, readings: list[Reading], fixed: set[int], spans: dict[int, tuple[int, int]]
) -> list[Reading]:
    from audiobook.text.polyphone import choose, is_polyphone

    positions = [i for i, r in enumerate(readings) if i not in fixed and r.pinyin and is_polyphone(r.char)]
    for pos, choice in choose(text, positions, spans).items():
        readings[pos] = replace(readings[pos], pinyin=choice.pinyin)
    return readings


def _words(text: str, lexicon: dict[str, list[str]]) -> list[str]:
    if not lexicon:
        return list(cut_words(text))
    # Lexicon words are cut out first so that jieba cannot split them.
    pattern = "|".join(re.escape(w) for w in sorted(lexicon, key=len, reverse=True))
    words: list[str] = []
    for part in re.split(f"({pattern})", text):
        if part in lexicon:
            words.append(part)
        elif part:
            words += cut_words(part)
    return words


def _unknown(chars: str) -> Any:
    return ["?"] * len(chars)


@cache
def _word_pinyin(word: str) -> tuple[str, ...]:
    syllables = lazy_pinyin(
        word,
        style=Style.TONE3,
        neutral_tone_with_five=True,
        v_to_u=False,
        errors=_unknown,
    )
    if len(syllables) != len(word):
        syllables = [
            lazy_pinyin(ch, style=Style.TONE3, neutral_tone_with_five=True, errors=_unknown)[0] for ch in word
        ]
    return tuple(s if _TONE3_RE.match(s) else "?" for s in syllables)


def apply_sandhi(readings: list[Reading]) -> list[Reading]:
    """一 and 不 change tone before a fourth tone (一定 yi2, 不是 bu2) and 一 before others (一天 yi4)."""
    result = list(readings)
    for i, reading in enumerate(readings):
        if reading.char not in "一不" or reading.pinyin not in ("yi1", "bu4"):
            continue
        following = next((r.pinyin for r in readings[i + 1 : i + 2] if r.pinyin), None)
        if following is None or not is_cjk(readings[i + 1].char):
            continue
        previous = readings[i - 1].char if i else ""
        if reading.char == "一":
            if (previous and previous in "0123456789第十百千万零〇一二三四五六七八九") or following[
                :-1
            ] == "yi":
                continue  # 第一, 十一, 一一: the number keeps yi1
            tone = "2" if following.endswith("4") else "4"
            result[i] = Reading("一", "yi" + tone, reading.word_start)
        elif following.endswith("4"):
            result[i] = Reading("不", "bu2", reading.word_start)
    return result


def pinyin_line(text: str) -> str:
    """`audiobook pinyin` output: one token per character, pinyin for Chinese, the character otherwise."""
    return " ".join(r.pinyin or r.char for r in to_pinyin(text) if not r.char.isspace())
