"""Safe file and folder names: from chapter titles and article titles, never leaving the folder."""

from __future__ import annotations

import re
import unicodedata

from pypinyin import lazy_pinyin

from audiobook.text.words import cut_words

_UNSAFE_RE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_MAX_NAME = 60


def safe_name(title: str, fallback: str = "chapter") -> str:
    """A file name part: no separators, control characters or leading dots; a sane length."""
    name = unicodedata.normalize("NFC", title)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_RE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" ._")
    name = re.sub(r"\.{2,}", "_", name)
    return name[:_MAX_NAME].strip(" ._") or fallback


def chapter_file_name(number: int, title: str, suffix: str) -> str:
    return f"{number:02d}-{safe_name(title)}{suffix}"


def slug(title: str, fallback: str = "edition") -> str:
    """An ASCII folder name: pinyin of a Chinese title word by word, letters and digits of a Latin one."""
    words = ["".join(lazy_pinyin(word, errors=lambda chars: chars)) for word in cut_words(title)]
    text = "-".join(w for w in words if w.strip())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:60].rsplit("-", 1)[0] if len(text) > 60 else text or fallback


def edition_slug(title: str, subtitle: str | None, fallback: str) -> str:
    """The article's folder: its title, plus the part of a series (上, 下, 一...) its subtitle names."""
    base = slug(title, fallback)
    part = re.search(r"[（(]([^()（）]{1,4})[)）]\s*$", subtitle or "")
    return f"{base}-{slug(part.group(1))}" if part else base
