"""jieba word cutting and tagging, loaded once and quietly."""

from __future__ import annotations

import io
import logging
from functools import cache
from pathlib import Path
from typing import Any

from audiobook.text import memo
from audiobook.text.jieba_index import open_index


@cache
def _jieba() -> Any:
    """jieba, reading its dictionary from the index on disk (or loading it whole if there is none)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    index = open_index(_dictionary(jieba))
    if index is None:
        jieba.initialize()
    else:
        jieba.dt.FREQ, jieba.dt.total, jieba.dt.initialized = index.frequencies, index.total, True
    return jieba


@cache
def _tagger() -> Any:
    """jieba's part-of-speech tagger, with its word tags from the same index."""
    jieba = _jieba()
    index = open_index(_dictionary(jieba))
    if index is not None:
        # Importing posseg makes a tagger that reads the whole dictionary file: give it an empty one.
        jieba.dt.get_dict_file = io.BytesIO
    try:
        from jieba import posseg
    finally:
        if index is not None:
            del jieba.dt.get_dict_file
    if index is not None:
        posseg.dt.word_tag_tab = index.tags
    return posseg.dt


def _dictionary(jieba: Any) -> Path:
    return Path(jieba.dt.dictionary or Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME))


@cache
def cut_words(text: str) -> tuple[str, ...]:
    return tuple(_jieba().cut(text, HMM=True))


@cache
def tag_words(text: str) -> tuple[tuple[str, str], ...]:
    known = memo.recall("tag_words", text)
    if known is not None:
        return tuple((word, flag) for word, flag in known)
    tagged = tuple((w.word, w.flag) for w in _tagger().lcut(text))
    memo.remember("tag_words", text, tagged)
    return tagged
