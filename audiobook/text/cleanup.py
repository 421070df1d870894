"""Cleanup of one block of text: markup, punctuation widths, quotes and PDF column-wrap spaces.

Every character that should be spoken is kept: cleanup only removes markup and whitespace and
replaces punctuation by its full-width form.
"""

from __future__ import annotations

import re

from audiobook.text.chars import CJK_OR_PUNCT, is_cjk, is_cjk_or_punct

_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_MD_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS_RE = re.compile(r"(\*{1,3}|_{2,3}|~~|`)(?=\S)(.+?)(?<=\S)\1")
_DOTS_RE = re.compile(r"(?:\s*(?:\.{3,}|。{3,}|…+|．{3,}|·{3,}))+")
_HALF_TO_FULL = {",": "，", ":": "：", "!": "！", "?": "？", ";": "；"}
_WRAP_SPACE_RE = re.compile(
    rf"(?<=[{CJK_OR_PUNCT}])\s+(?=[{CJK_OR_PUNCT}0-9])|(?<=[0-9])\s+(?=[{CJK_OR_PUNCT}])"
)
_TERM_RE = re.compile(r'[^"。！？；，：!?;,:\n]{1,20}"')


def clean_block(text: str) -> str:
    """Clean one paragraph, heading or caption."""
    text = strip_markup(text)
    text = _DOTS_RE.sub("……", text)
    text = full_width_punctuation(text)
    text = curl_quotes(text)
    text = _WRAP_SPACE_RE.sub("", text)
    return " ".join(text.split())


def strip_markup(text: str) -> str:
    """Inline HTML tags (<mark>) and Markdown emphasis, links and images; their text stays."""
    text = _MD_IMAGE_RE.sub("", text)
    text = _MD_LINK_RE.sub(r"\1", text)
    text = _TAG_RE.sub("", text)
    previous = None
    while previous != text:
        previous, text = text, _MD_EMPHASIS_RE.sub(r"\2", text)
    return text


def _neighbours(text: str, i: int) -> tuple[str, str]:
    """The nearest non-space characters before and after position i ('' at the edges)."""
    j = i - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    k = i + 1
    while k < len(text) and text[k].isspace():
        k += 1
    return (text[j] if j >= 0 else ""), (text[k] if k < len(text) else "")


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def full_width_punctuation(text: str) -> str:
    """, : ! ? ; become full-width inside Chinese text; "1,000", "10:30" and English stay."""
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch not in _HALF_TO_FULL:
            continue
        before, after = _neighbours(text, i)
        if _is_latin(before) and (_is_latin(after) or after in "([\"'" or not after):
            continue
        if ch == ":" and text[i + 1 : i + 3] == "//":
            continue
        if is_cjk_or_punct(before) or is_cjk_or_punct(after) or before in "%）)\"'" or after in "\"'":
            chars[i] = _HALF_TO_FULL[ch]
    return "".join(chars)


def curl_quotes(text: str) -> str:
    """Straight quotes become “” and ‘’ in Chinese text, deciding open or close by context."""
    chars = list(text)
    depth, opened = 0, 0
    for i, ch in enumerate(text):
        if ch != '"':
            continue
        before, after = _neighbours(text, i)
        in_speech = depth == 1 and any(p in text[opened:i] for p in "，。！？；,.!?;")
        if depth == 0 and not after and before:
            chars[i] = "”"  # a quote at the very end closes, even one opened elsewhere
        elif depth == 0 or before in "：:":
            # After a colon a quote always opens, even if the last one was never closed.
            chars[i] = "“"
            depth, opened = 1, i
        elif in_speech and is_cjk(before) and after and _TERM_RE.match(text, i + 1):
            # A short quoted term inside quoted speech: 成为"全国劳动模范";
            chars[i] = "“"
            depth = 2
        else:
            chars[i] = "”"
            depth -= 1
    text = "".join(chars)
    return _curl_single_quotes(text)


def _curl_single_quotes(text: str) -> str:
    chars = list(text)
    inside = False
    for i, ch in enumerate(text):
        if ch != "'":
            continue
        before, after = _neighbours(text, i)
        if _is_latin(before) and _is_latin(after):
            continue  # an apostrophe: don't
        if not (is_cjk_or_punct(before) or is_cjk_or_punct(after) or inside):
            continue
        chars[i] = "’" if inside else "‘"
        inside = not inside
    return "".join(chars)
