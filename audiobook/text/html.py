"""Turn an HTML article into the Markdown-like lines that the structure stage reads."""

from __future__ import annotations

from html.parser import HTMLParser

_DROPPED = {
    "script",
    "style",
    "nav",
    "noscript",
    "template",
    "iframe",
    "svg",
    "head",
    "form",
    "button",
    "select",
    "canvas",
    "audio",
    "video",
    "object",
    "aside",
    "footer",
}
_VOID = {
    "img",
    "br",
    "hr",
    "meta",
    "link",
    "input",
    "source",
    "wbr",
    "area",
    "base",
    "col",
    "embed",
    "param",
    "track",
}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "header",
    "dd",
    "dt",
    "dl",
    "pre",
    "caption",
    "center",
}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}


class _ArticleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._current: list[str] = []
        self._skip_depth = 0
        self._heading: int | None = None
        self._quote_depth = 0
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if self._skip_depth or tag in _DROPPED:
            if tag not in _VOID:
                self._skip_depth += 1
            return
        if tag == "br":
            self._current.append("\n")
        elif tag in _HEADINGS:
            self._flush()
            self._heading = _HEADINGS[tag]
        elif tag == "blockquote":
            self._flush()
            self._quote_depth += 1
        elif tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self._skip_depth:
            if tag not in _VOID:
                self._skip_depth -= 1
            return
        if tag in _HEADINGS or tag in _BLOCKS:
            self._flush()
            self._heading = None
        elif tag == "blockquote":
            self._flush()
            self._quote_depth = max(0, self._quote_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data.strip()
            return
        if not self._skip_depth:
            self._current.append(data)

    def _flush(self) -> None:
        text = "".join(self._current)
        self._current = []
        parts = [" ".join(part.split()) for part in text.split("\n")]
        parts = [p for p in parts if p]
        if not parts:
            return
        if self._heading:
            self.lines += ["#" * self._heading + " " + " ".join(parts), ""]
        elif self._quote_depth:
            self.lines += ["> " + p for p in parts] + [""]
        else:
            # <br> inside a paragraph keeps its line break: poems are often set that way.
            self.lines += [*parts, ""]

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_lines(html: str) -> str:
    """HTML -> Markdown-like text: `#` headings, `>` blockquotes, blank lines between blocks."""
    parser = _ArticleParser()
    parser.feed(html)
    parser.close()
    # A page without an h1 carries its title in <title>.
    if parser.title and not any(line.startswith("# ") for line in parser.lines):
        parser.lines[:0] = ["# " + parser.title, ""]
    return "\n".join(parser.lines)
