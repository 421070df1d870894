"""Polyphone disambiguation: g2pM's BiLSTM (its 1.7 MB numpy model) restricted to each character's
own readings, arbitrated with pypinyin's phrase dictionary.

The rule was tuned on the CPP dev set (scripts/eval_g2p.py): a dictionary phrase of three or more
characters, or one that g2pM is not nearly sure against, wins; otherwise g2pM decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from pypinyin.constants import PHRASES_DICT
from pypinyin.contrib.tone_convert import to_tone3

from audiobook.text.chars import is_cjk
from audiobook.text.words import tag_words

MODEL_SURE = 0.999
LONG_PHRASE = 3
_MAX_PHRASE = 7
_BOS, _EOS, _UNK = "시", "끝", "<UNK>"  # g2pM's own sentence markers


@dataclass(frozen=True)
class Choice:
    pinyin: str
    confidence: float
    source: str  # "model", "phrase" or "rule"


class _G2pM:
    """g2pM's network, run directly on its weights to get per-candidate probabilities."""

    def __init__(self) -> None:
        from g2pM import G2pM

        self.model: Any = G2pM()
        self.class_index = {pron: idx for idx, pron in self.model.idx2class.items()}

    def candidates(self, char: str) -> list[str]:
        return [p for p in self.model.cedict.get(char, []) if p in self.class_index]

    def predict(self, sentence: str, positions: list[int]) -> list[tuple[str, float]]:
        m = self.model
        ids = [m.char2idx.get(c, m.char2idx[_UNK]) for c in sentence]
        inputs = np.array([[m.char2idx[_BOS], *ids, m.char2idx[_EOS]]], np.int32)
        lengths = np.sum(np.sign(inputs), axis=1)
        forward, backward = m.get_embedding(inputs), m.get_embedding(m.reverse_sequence(inputs, lengths))
        fw_state = bw_state = None
        fw_out, bw_out = [], []
        for step in range(int(lengths.max())):
            fw_state = m.fw_lstm_cell(forward[:, step, :], fw_state)
            bw_state = m.bw_lstm_cell(backward[:, step, :], bw_state)
            fw_out.append(fw_state[0])
            bw_out.append(bw_state[0])
        hidden = np.concatenate(
            [np.stack(fw_out, 1), m.reverse_sequence(np.stack(bw_out, 1), lengths)], axis=2
        )[0]
        results = []
        for pos in positions:
            logits = m.fc_layer(hidden[pos + 1][None, :])[0]
            options = self.candidates(sentence[pos])
            scores = np.array([logits[self.class_index[p]] for p in options])
            probs = np.exp(scores - scores.max())
            probs /= probs.sum()
            best = int(np.argmax(probs))
            results.append((options[best].replace("u:", "v"), float(probs[best])))
        return results


@cache
def _model() -> _G2pM:
    return _G2pM()


def is_polyphone(char: str) -> bool:
    return len(_model().candidates(char)) > 1


def phrase_reading(text: str, pos: int, word: tuple[int, int] | None = None) -> tuple[str, int] | None:
    """The reading of text[pos] in the dictionary phrase covering it: jieba's word, else the longest."""
    spans = [word] if word and word[1] - word[0] > 1 else []
    spans += [
        (start, start + length)
        for length in range(_MAX_PHRASE, 1, -1)
        for start in range(max(0, pos - length + 1), min(pos, len(text) - length) + 1)
    ]
    for start, end in spans:
        readings = PHRASES_DICT.get(text[start:end])
        if readings and len(readings) == end - start:
            syllable = to_tone3(readings[pos - start][0], neutral_tone_with_five=True)
            return syllable.replace("ü", "v"), end - start
    return None


_DEI3_BEFORE = set("我你他她咱它们就也还都总")
_DEGREE_AFTER = set("更很太非十真挺越极")
_POTENTIAL_AFTER = set("了见起完动住下")
_VERB_DE_WORDS = {
    "取得",
    "获得",
    "赢得",
    "博得",
    "求得",
    "懂得",
    "晓得",
    "记得",
    "觉得",
    "值得",
    "显得",
    "难得",
    "使得",
    "免得",
    "省得",
    "落得",
    "心得",
    "所得",
    "不得",
    "只得",
    "了得",
    "总得",
    "非得",
}


def particle_reading(text: str, pos: int) -> str | None:
    """地 and 得 as structural particles, which the CPP data behind g2pM hardly has.

    激动地说 -> de5 (an adverbial before a verb); 敲得更响, 吃得了苦 -> de5 (a complement);
    咱得靠, 就得为 -> dei3 (must).
    """
    char = text[pos]
    before = text[pos - 1] if pos else ""
    after = text[pos + 1] if pos + 1 < len(text) else ""
    if not (is_cjk(before) and is_cjk(after)):
        return None
    if char == "得":
        if before + char in _VERB_DE_WORDS or text[pos : pos + 2] in ("得到", "得以", "得知", "得益", "得失"):
            return None
        if before in _DEI3_BEFORE:
            return "dei3" if after not in "了到" else None  # 他得了第一名: obtained, de2
        if after in _DEGREE_AFTER or after in _POTENTIAL_AFTER:
            return "de5"
        return None
    if char == "地":
        return _adverbial_di(text, pos)
    return None


def _adverbial_di(text: str, pos: int) -> str | None:
    tagged = tag_words(text)
    start = 0
    for index, (word, _) in enumerate(tagged):
        if start == pos and word == "地" and 0 < index < len(tagged) - 1:
            previous, following = tagged[index - 1], tagged[index + 1]
            if len(previous[0]) >= 2 and previous[1][0] in "adivlz" and following[1][0] in "vad":
                return "de5"
            return None
        start += len(word)
    return None


def choose(text: str, positions: list[int], words: dict[int, tuple[int, int]]) -> dict[int, Choice]:
    """Readings for the polyphonic characters at `positions` of one sentence."""
    if not positions:
        return {}
    choices = {}
    for pos, (model_pinyin, confidence) in zip(positions, _model().predict(text, positions), strict=True):
        phrase = phrase_reading(text, pos, words.get(pos))
        particle = particle_reading(text, pos)
        if particle:
            choices[pos] = Choice(particle, confidence, "rule")
        elif phrase and (confidence < MODEL_SURE or phrase[1] >= LONG_PHRASE):
            choices[pos] = Choice(phrase[0], confidence, "phrase")
        else:
            choices[pos] = Choice(model_pinyin, confidence, "model")
    return choices


def model_files() -> list[Path]:
    import g2pM

    folder = Path(g2pM.__file__).parent
    return [folder / name for name in ("np_ckpt.pkl", "digest_cedict.pkl", "char2idx.pkl", "class2idx.pkl")]
