"""Character classes shared by the text stages."""

from __future__ import annotations

import re

CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
CJK_PUNCT_CHARS = "\u3000-\u303f\uff00-\uffef“”‘’…—·《》「」『』【】〔〕"
CJK_RE = re.compile(f"[{CJK_RANGES}]")
CJK_OR_PUNCT = f"{CJK_RANGES}{CJK_PUNCT_CHARS}"

SENTENCE_END = "。！？；"
CLOSING_QUOTES = "”’」』"
OPENING_QUOTES = "“‘「『"


def is_cjk(ch: str) -> bool:
    return bool(ch) and CJK_RE.match(ch) is not None


def is_cjk_or_punct(ch: str) -> bool:
    return bool(ch) and re.match(f"[{CJK_OR_PUNCT}]", ch) is not None


def cjk_only(text: str) -> str:
    """The Chinese characters of `text`, in order: what the segmentation invariant compares."""
    return "".join(CJK_RE.findall(text))
