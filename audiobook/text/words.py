"""jieba word cutting and tagging, loaded once and quietly."""

from __future__ import annotations

import logging
from functools import cache
from typing import Any


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
    _jieba()
    import jieba.posseg

    return tuple((w.word, w.flag) for w in jieba.posseg.lcut(text))
