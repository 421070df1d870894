"""`audiobook check`: what a producer should look at before synthesis.

Polyphonic words with the reading chosen, numbers with their spoken form, and text artifacts:
stray spaces, half-width punctuation in Chinese text, unbalanced quotes, long sentences and
characters outside the common set (GB2312).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from audiobook.lexicon import Lexicon
from audiobook.model import Article
from audiobook.text.chars import CJK_RANGES
from audiobook.text.normalize import normalize_with_report
from audiobook.text.pinyin import to_pinyin
from audiobook.text.polyphone import is_polyphone
from audiobook.text.reader import Source
from audiobook.text.segment import split_sentences
from audiobook.text.words import cut_words

_CONTEXT = 8
_STRAY_SPACE_RE = re.compile(rf"[{CJK_RANGES}][ \t\u3000]+[{CJK_RANGES}]")
_HALF_WIDTH_RE = re.compile(rf"[{CJK_RANGES}]\s*[,:;!?]|[,:;!?]\s*[{CJK_RANGES}]")


@dataclass(frozen=True)
class PolyphoneNote:
    word: str
    reading: str
    context: str
    from_lexicon: bool


@dataclass(frozen=True)
class NumberNote:
    written: str
    spoken: str
    rule: str
    context: str


@dataclass(frozen=True)
class Artifact:
    kind: str
    text: str
    advice: str


@dataclass
class Report:
    polyphones: list[PolyphoneNote] = field(default_factory=list)
    numbers: list[NumberNote] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.artifacts)


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - _CONTEXT) : end + _CONTEXT]


def check(source: Source, article: Article, lexicon: Lexicon, max_chars: int = 80) -> Report:
    report = Report()
    seen: set[tuple[str, str]] = set()
    for segment in article.segments:
        text = lexicon.replace_words(segment.text)
        _numbers(text, report)
        _polyphones(normalize_with_report(text)[0], lexicon, report, seen)
    for chapter in article.chapters:
        for block in chapter.blocks:
            if block.text.count("“") != block.text.count("”"):
                report.artifacts.append(
                    Artifact(
                        "unbalanced quotes", block.text[:40], "check where the quotation opens and closes"
                    )
                )
            for sentence in split_sentences(block.text):
                if len(sentence) > max_chars:
                    report.artifacts.append(
                        Artifact(
                            "long sentence",
                            sentence[:40] + "…",
                            f"{len(sentence)} characters; it will be cut at commas",
                        )
                    )
    _raw_artifacts(source.text, report)
    return report


def _numbers(text: str, report: Report) -> None:
    _, replacements = normalize_with_report(text)
    for item in replacements:
        at = text.find(item.written)
        context = _context(text, at, at + len(item.written)) if at >= 0 else text[:20]
        report.numbers.append(NumberNote(item.written, item.spoken, item.rule, context))


def _polyphones(text: str, lexicon: Lexicon, report: Report, seen: set[tuple[str, str]]) -> None:
    readings = to_pinyin(text, lexicon.pinyin)
    position = 0
    for word in cut_words(text):
        span = readings[position : position + len(word)]
        if any(r.pinyin and is_polyphone(r.char) for r in span):
            reading = " ".join(r.pinyin or r.char for r in span)
            if (word, reading) not in seen:
                seen.add((word, reading))
                from_lexicon = any(w in text and word in w for w in lexicon.pinyin)
                report.polyphones.append(
                    PolyphoneNote(word, reading, _context(text, position, position + len(word)), from_lexicon)
                )
        position += len(word)


def _raw_artifacts(raw: str, report: Report) -> None:
    for kind, pattern, advice in (
        (
            "stray spaces",
            _STRAY_SPACE_RE,
            "PDF column wraps between Chinese characters; cleanup removes them",
        ),
        ("half-width punctuation", _HALF_WIDTH_RE, "in Chinese text; cleanup makes it full-width"),
    ):
        matches = list(pattern.finditer(raw))
        if matches:
            examples = " | ".join(_one_line(_context(raw, m.start(), m.end())) for m in matches[:3])
            report.artifacts.append(Artifact(kind, f"{len(matches)}: {examples}", advice))
    uncommon = sorted({ch for ch in re.findall(f"[{CJK_RANGES}]", raw) if not _in_gb2312(ch)})
    for ch in uncommon:
        at = raw.find(ch)
        report.artifacts.append(
            Artifact(
                "uncommon character",
                f"{ch} in {_one_line(_context(raw, at, at + 1))}",
                "outside GB2312: check that it is what the author meant",
            )
        )


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", "⏎", text.strip())


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
