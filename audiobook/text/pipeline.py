"""The text front end in one call: file -> structured, segmented Article."""

from __future__ import annotations

from pathlib import Path

from audiobook.model import Article
from audiobook.text.reader import read_source
from audiobook.text.segment import DEFAULT_MAX_CHARS
from audiobook.text.structure import parse_article


def load_article(path: str | Path, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    return parse_article(read_source(path), max_chars=max_chars)
