"""Structure: the lines of an article -> title, subtitles, byline, captions and chapters of blocks."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from audiobook.errors import InputError
from audiobook.model import Article, Block, BlockKind, Chapter
from audiobook.text.chars import CLOSING_QUOTES, cjk_only
from audiobook.text.cleanup import clean_block
from audiobook.text.html import html_to_lines
from audiobook.text.reader import Source, SourceFormat
from audiobook.text.segment import DEFAULT_MAX_CHARS, segment_block, verse_lines

_MD_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_LIST_MARK_RE = re.compile(r"^\s*(?:[-*+•·]|\d+[.)、])\s+")
_LIST_ITEM = -1  # the level of a paragraph that is a list item
_NUM = "一二三四五六七八九十百零〇两\\d"
# Chinese numbered headings, ranked from outermost to innermost.
_CN_HEADINGS = (
    re.compile(rf"^第[{_NUM}]+[章篇部卷回]"),
    re.compile(rf"^第[{_NUM}]+节"),
    re.compile(r"^[一二三四五六七八九十]+、"),
    re.compile(r"^[（(][一二三四五六七八九十]+[）)]"),
)
_TERMINAL = "。！？!?…" + CLOSING_QUOTES + "\"'）)"
_BYLINE_MAX = 20
_CAPTION_MAX = 80


@dataclass
class _RawBlock:
    kind: str  # "heading", "paragraph" or "blockquote"
    lines: list[str] = field(default_factory=list)
    level: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def parse_article(source: Source, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """Read the structure of an article and segment every block."""
    text = html_to_lines(source.text) if source.format is SourceFormat.HTML else source.text
    raw = _join_wrapped(_raw_blocks(text))
    raw = [_promote_numbered_heading(b) for b in raw]
    if not raw:
        raise InputError(f"{source.name}: no text found in the article")
    return _assemble(raw, max_chars, source.name)


def _raw_blocks(text: str) -> list[_RawBlock]:
    blocks: list[_RawBlock] = []
    current: _RawBlock | None = None
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        heading = _MD_HEADING_RE.match(line)
        if heading:
            blocks.append(_RawBlock("heading", [heading.group(2)], len(heading.group(1))))
            current = None
        elif _SETEXT_RE.match(line) and current and len(current.lines) == 1:
            current.kind, current.level = "heading", 1 if "=" in line else 2
            current = None
        elif not line.strip():
            current = None
        elif line.lstrip().startswith(">"):
            content = line.lstrip()[1:].strip()
            if current is None or current.kind != "blockquote":
                current = _RawBlock("blockquote")
                blocks.append(current)
            if content:
                current.lines.append(content)
        elif _LIST_MARK_RE.match(line):
            # A list item is a block of its own: it is never a line broken by a column wrap.
            current = _RawBlock("paragraph", [_LIST_MARK_RE.sub("", line).strip()], level=_LIST_ITEM)
            blocks.append(current)
        else:
            if current is None or current.kind != "paragraph":
                current = _RawBlock("paragraph")
                blocks.append(current)
            current.lines.append(line.strip())
    return [b for b in blocks if "".join(b.lines).strip()]


def _join_wrapped(blocks: list[_RawBlock]) -> list[_RawBlock]:
    """A paragraph that stops mid-sentence (PDF page or column break) goes on in the next one."""
    joined: list[_RawBlock] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        # A short line (a byline, a caption) is a line of its own, not a broken-off sentence.
        if (
            previous
            and _LIST_ITEM not in (previous.level, block.level)
            and previous.kind == block.kind == "paragraph"
            and len(previous.text) > _BYLINE_MAX
            and not _ends_sentence(previous.lines[-1])
            and not _is_numbered_heading(block.lines[0])
            and not _is_numbered_heading(previous.lines[0])
        ):
            previous.lines += block.lines  # cleanup joins them: no space between Chinese characters
        else:
            joined.append(block)
    return joined


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip().rstrip(".")
    return not stripped or stripped[-1] in _TERMINAL or line.rstrip().endswith("...")


def _is_numbered_heading(line: str) -> bool:
    return _numbered_rank(line) is not None


def _numbered_rank(line: str) -> int | None:
    text = line.strip()
    if len(text) > 40 or text.endswith(("。", "；", "，")):
        return None
    for rank, pattern in enumerate(_CN_HEADINGS):
        if pattern.match(text):
            return rank
    return None


def _promote_numbered_heading(block: _RawBlock) -> _RawBlock:
    if block.kind == "paragraph" and len(block.lines) == 1:
        rank = _numbered_rank(block.lines[0])
        if rank is not None:
            return _RawBlock("heading", block.lines, level=10 + rank)
    return block


def _assemble(raw: list[_RawBlock], max_chars: int, name: str) -> Article:
    pos = 0
    title = ""
    subtitles: list[str] = []
    if raw[0].kind == "heading":
        title, title_level, pos = clean_block(raw[0].text), raw[0].level, 1
        while pos < len(raw) and raw[pos].kind == "heading" and raw[pos].level == title_level:
            subtitles.append(clean_block(raw[pos].text))
            pos += 1
    elif _is_title_line(raw[0]):
        title, pos = clean_block(raw[0].text), 1

    first_section = next((i for i in range(pos, len(raw)) if raw[i].kind == "heading"), len(raw))
    front = raw[pos:first_section]
    byline = None
    if front and _is_byline(front[0]):
        byline = clean_block(front[0].text)
        front = front[1:]
    has_sections = first_section < len(raw)
    captions = [b for b in front if has_sections and _is_caption(b)]
    opening_body = [b for b in front if b not in captions]

    def make(kind: BlockKind, text: str) -> Block:
        return Block(kind, text, tuple(segment_block(kind, text, max_chars)))

    opening: list[Block] = []
    if title:
        opening.append(make(BlockKind.TITLE, title))
    opening += [make(BlockKind.SUBTITLE, s) for s in subtitles]
    if byline:
        opening.append(make(BlockKind.BYLINE, byline))
    caption_texts = [clean_block(b.text) for b in captions]
    opening += [make(BlockKind.CAPTION, c) for c in caption_texts]
    opening += [_body_block(b, make) for b in opening_body]

    chapters: list[Chapter] = []
    if opening:
        chapters.append(Chapter(title or _first_words(opening[0].text), tuple(opening)))
    ranks = sorted({b.level for b in raw[first_section:] if b.kind == "heading"})
    section: list[Block] = []
    heading: _RawBlock | None = None
    for block in [*raw[first_section:], _RawBlock("end")]:
        if block.kind in ("heading", "end"):
            if heading is not None:
                heading_text = clean_block(heading.text)
                chapters.append(
                    Chapter(
                        heading_text,
                        (make(BlockKind.HEADING, heading_text), *section),
                        depth=_depth(heading.level, ranks),
                    )
                )
            heading, section = block, []
        else:
            section.append(_body_block(block, make))
    return Article(
        title=title,
        subtitles=tuple(subtitles),
        byline=byline,
        captions=tuple(caption_texts),
        chapters=tuple(chapters),
        source=name,
    )


def _depth(level: int, ranks: list[int]) -> int:
    """Markdown heading levels are used loosely: sibling sections stay siblings (depth 1).

    Only Chinese numbering (第一章 > 一、 > （一）) says how sections nest.
    """
    numbered = [r for r in ranks if r >= 10]
    if level < 10 or not numbered:
        return 1
    return 1 + numbered.index(level)


def _body_block(block: _RawBlock, make: Callable[[BlockKind, str], Block]) -> Block:
    if block.kind == "blockquote" and _short_lines(block.lines):
        return make(BlockKind.VERSE, "\n".join(clean_block(line) for line in block.lines))
    if block.kind == "paragraph" and len(block.lines) > 1 and _looks_like_verse(block.lines):
        return make(BlockKind.VERSE, "\n".join(clean_block(line) for line in block.lines))
    text = clean_block(" ".join(block.lines) if _latin(block.lines) else "\n".join(block.lines))
    if _quoted_poem(text):
        return make(BlockKind.VERSE, text)
    return make(BlockKind.PARAGRAPH, text)


def _latin(lines: list[str]) -> bool:
    return not cjk_only("".join(lines))


def _short_lines(lines: list[str]) -> bool:
    return len(lines) >= 2 and all(len(line) <= 30 for line in lines)


def _looks_like_verse(lines: list[str]) -> bool:
    """Short lines of varied length; a PDF-wrapped paragraph has lines of one column width."""
    if not _short_lines(lines) or len(lines) < 3:
        return False
    widths = {len(line) for line in lines[:-1]}
    return max(widths) - min(widths) >= 3


def _quoted_poem(text: str) -> bool:
    """A paragraph that is one quotation of short clauses: a recited poem."""
    body = text.rstrip("。！？…")
    if not (body.startswith("“") and body.endswith("”")) or "”" in body[1:-1].replace("’", ""):
        return False
    inner = body[1:-1]
    if "“" in inner:
        return False
    lines = verse_lines(inner)
    return len(lines) >= 4 and sum(len(line) for line in lines) / len(lines) <= 14


def _is_title_line(block: _RawBlock) -> bool:
    text = block.text.strip()
    return (
        block.kind == "paragraph" and len(block.lines) == 1 and len(text) <= 40 and not _ends_sentence(text)
    )


def _is_byline(block: _RawBlock) -> bool:
    text = clean_block(block.text)
    return (
        block.kind == "paragraph"
        and len(block.lines) == 1
        and 0 < len(text) <= _BYLINE_MAX
        and not re.search(r"[。！？，；：!?,;]", text.rstrip("：:"))
    )


def _is_caption(block: _RawBlock) -> bool:
    text = clean_block(block.text)
    return block.kind == "paragraph" and len(text) <= _CAPTION_MAX and text.count("。") <= 1


def _first_words(text: str) -> str:
    return text[:20]
