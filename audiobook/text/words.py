"""jieba word cutting and tagging, loaded once and quietly."""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from audiobook.text import memo


@cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@cache
def cut_words(text: str) -> tuple[str, ...]:
    return tuple(_jieba().cut(text, HMM=True))


@cache
def tag_words(text: str) -> tuple[tuple[str, str], ...]:
    known = memo.recall("tag_words", text)
    if known is not None:
        return tuple((word, flag) for word, flag in known)
    _jieba()
    import jieba.posseg

    tagged = tuple((w.word, w.flag) for w in jieba.posseg.lcut(text))
    memo.remember("tag_words", text, tagged)
    return tagged
