"""Quoted speech inside a paragraph: where it is and who speaks it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from audiobook.text.chars import SENTENCE_END
from audiobook.text.words import tag_words

_SPEECH_VERB_RE = re.compile(
    r"(说道|说|道|表示|感慨|感叹|振奋|坦言|介绍|指出|回忆|强调|告诉记者|笑道|问|答|喊|唱|写道)"
)
_ADVERB_TAIL_RE = re.compile(r"(?:[\u4e00-\u9fff]{1,2}地)?(?:同样|也|又|还|都|再次|笑着)?$")
_CLAUSE_BREAK = "，。！？；、”"
_NOUN_FLAGS = ("n", "nz", "nt", "nrt", "nrfg", "nr")


@dataclass(frozen=True)
class QuoteSpan:
    """Quoted speech: text[start:end] includes both quotation marks."""

    start: int
    end: int
    speaker: str | None


def find_speech(text: str) -> list[QuoteSpan]:
    """Quoted speech in a paragraph; short quoted terms (“新八级工”) are not speech."""
    spans = []
    for start, end in _quote_pairs(text):
        inner = text[start + 1 : end - 1]
        before = text[:start].rstrip()
        after_colon = before.endswith(("：", ":"))
        if not (after_colon or any(ch in inner for ch in "。！？…")):
            continue
        speaker = _speaker_before(before) if after_colon else None
        speaker = speaker or _speaker_after(text[end:])
        if not after_colon and speaker is None and start > 0 and not _at_sentence_start(before):
            continue
        spans.append(QuoteSpan(start, end, speaker))
    return spans


def _quote_pairs(text: str) -> list[tuple[int, int]]:
    """Outermost “…” pairs; an opening mark inside an open quote after a colon restarts it."""
    pairs = []
    depth, start = 0, -1
    for i, ch in enumerate(text):
        if ch == "“":
            if depth == 0:
                start, depth = i, 1
            elif text[:i].rstrip().endswith(("：", ":")):
                # An unclosed quote, ended by the next speaker's: it stops at the last sentence
                # end, so that the words introducing the next speaker are narration.
                last_end = max(text.rfind(p, start, i) for p in "。！？")
                pairs.append((start, last_end + 1 if last_end > start else i))
                start = i
            else:
                depth += 1
        elif ch == "”" and depth:
            depth -= 1
            if depth == 0:
                pairs.append((start, i + 1))
    if depth and start >= 0:
        pairs.append((start, len(text)))
    return pairs


def _at_sentence_start(before: str) -> bool:
    return not before or before[-1] in SENTENCE_END + "…”"


def _speaker_before(before: str) -> str | None:
    clause = re.split(f"[{_CLAUSE_BREAK}]", before.rstrip("：:"))[-1]
    return _person_in(_strip_verb(clause))


def _strip_verb(clause: str) -> str:
    """任传鉴动情地说 -> 任传鉴: the manner adverb and the verb are not the speaker."""
    verbs = list(_SPEECH_VERB_RE.finditer(clause))
    if verbs and verbs[-1].end() == len(clause):
        clause = clause[: verbs[-1].start()]
    return _ADVERB_TAIL_RE.sub("", clause)


def _speaker_after(after: str) -> str | None:
    clause = re.split(f"[{_CLAUSE_BREAK}]", after, maxsplit=1)[0]
    if not clause:
        return None
    verb = _SPEECH_VERB_RE.search(clause)
    if verb:
        return _person_in(_ADVERB_TAIL_RE.sub("", clause[: verb.start()]))
    owner = re.match(r"(.{2,4}?)的(话|话语)", clause)
    return owner.group(1) if owner else None


def _person_in(clause: str) -> str | None:
    words = tag_words(clause.strip())
    people = [word for word, flag in words if flag.startswith("nr") and len(word) >= 2]
    if people:
        return people[-1]
    nouns = [word for word, flag in words if flag in _NOUN_FLAGS and len(word) >= 2]
    return nouns[-1] if nouns else None
