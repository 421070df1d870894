"""The `audiobook` command: parses options, calls the library, prints."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.tree import Tree

from audiobook.errors import AudiobookError
from audiobook.plan import article_to_json, estimate_seconds

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Turn a Chinese article into a chaptered Mandarin audio edition.",
)
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)
_state = {"debug": False}

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn our errors into one line on stderr and an exit code; tracebacks only with --debug."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AudiobookError as error:
            if _state["debug"]:
                raise
            err.print(f"[bold red]error:[/] {error}", soft_wrap=True)
            raise typer.Exit(error.exit_code) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False) -> None:
    _state["debug"] = debug


ArticleArg = Annotated[str, typer.Argument(help="Article: .txt, .md, .html, or - for stdin.")]
MaxCharsOpt = Annotated[int, typer.Option("--max-chars", min=10, help="Longest segment, in characters.")]


@app.command()
@reports_errors
def plan(
    article: ArticleArg, as_json: Annotated[bool, typer.Option("--json")] = False, max_chars: MaxCharsOpt = 80
) -> None:
    """Show the structure of an article: chapters, blocks, segments and estimated durations."""
    from audiobook.text.pipeline import load_article

    parsed = load_article(article, max_chars=max_chars)
    if as_json:
        sys.stdout.write(json.dumps(article_to_json(parsed), ensure_ascii=False, indent=2) + "\n")
        return
    tree = Tree(f"[bold]{parsed.title or Path(article).name}[/]")
    if parsed.subtitle:
        tree.add(f"subtitle: {parsed.subtitle}")
    if parsed.byline:
        tree.add(f"byline: {parsed.byline}")
    for caption in parsed.captions:
        tree.add(f"caption: {caption}")
    total = 0.0
    for number, chapter in enumerate(parsed.chapters, 1):
        seconds = estimate_seconds(chapter)
        total += seconds
        node = tree.add(
            f"[bold cyan]{number:02d} {chapter.title}[/]  "
            f"[dim]{len(chapter.segments)} segments, ~{_clock(seconds)}[/]"
        )
        for block in chapter.blocks:
            kinds = sorted({s.kind.value for s in block.segments})
            speakers = sorted({s.speaker for s in block.segments if s.speaker})
            label = f"{block.kind.value} ({len(block.segments)}: {', '.join(kinds)})"
            if speakers:
                label += f" speakers: {', '.join(speakers)}"
            node.add(
                f"[dim]{label}[/] {block.text[:30]}…"
                if len(block.text) > 30
                else f"[dim]{label}[/] {block.text}"
            )
    out.print(tree)
    out.print(
        f"{len(parsed.chapters)} chapters, {len(parsed.segments)} segments, about {_clock(total)} of audio"
    )


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


if __name__ == "__main__":
    app()
