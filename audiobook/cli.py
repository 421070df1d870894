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

from audiobook.errors import AudiobookError, InputError
from audiobook.plan import article_to_json, estimate_seconds

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Turn a Chinese article into a chaptered Mandarin audio edition.",
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
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


@app.command()
@reports_errors
def build(
    article: ArticleArg,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default output/<slug>/).")
    ] = None,
    voice: Annotated[str | None, typer.Option("--voice", help="One voice for every role.")] = None,
    cast: Annotated[list[str] | None, typer.Option("--cast", help="ROLE=VOICE, repeatable.")] = None,
    preset: Annotated[
        str | None, typer.Option("--preset", help="A cast from voices/casts/NAME.toml.")
    ] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: mp3,m4b,epub.")] = "mp3,m4b",
    loudness: Annotated[str | None, typer.Option(help="Target loudness in LUFS (default -19, mono).")] = None,
    cover: Annotated[Path | None, typer.Option(help="Cover art (.jpg or .png) for the tags.")] = None,
    sample_rate: Annotated[int, typer.Option("--sample-rate", min=8000, max=48000)] = 24000,
    pause_sentence: Annotated[float, typer.Option(min=0, max=10, help="Seconds between sentences.")] = 0.4,
    pause_verse: Annotated[float, typer.Option(min=0, max=10, help="Seconds between verse lines.")] = 0.7,
    pause_paragraph: Annotated[float, typer.Option(min=0, max=10, help="Seconds between paragraphs.")] = 0.9,
    pause_title: Annotated[float, typer.Option(min=0, max=10, help="Seconds after the title lines.")] = 1.0,
    pause_heading: Annotated[float, typer.Option(min=0, max=10, help="Seconds after a heading.")] = 1.2,
    pause_chapter: Annotated[float, typer.Option(min=0, max=10, help="Seconds between chapters.")] = 2.0,
    max_chars: MaxCharsOpt = 80,
    jobs: Annotated[
        int | None, typer.Option("--jobs", min=1, help="Worker processes (default: cores).")
    ] = None,
    cache: Annotated[Path | None, typer.Option("--cache", help="Take cache folder.")] = None,
    lexicon: LexiconOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print only errors.")] = False,
) -> None:
    """Build the audio edition: chaptered, tagged, loudness-normalized MP3/M4B with subtitles."""
    from audiobook.build import BuildOptions, parse_formats
    from audiobook.build import build as build_edition
    from audiobook.casting import make_cast
    from audiobook.loudness import parse_target
    from audiobook.master import MasterSettings, Pauses
    from audiobook.progress import make_progress
    from audiobook.render import default_jobs

    pauses = Pauses(
        after_title=pause_title,
        sentence=pause_sentence,
        verse_line=pause_verse,
        paragraph=pause_paragraph,
        after_heading=pause_heading,
        chapter=pause_chapter,
    )
    options = BuildOptions(
        out_dir=out_dir,
        formats=parse_formats(formats),
        cover=cover,
        max_chars=max_chars,
        master=MasterSettings(pauses, sample_rate, parse_target(loudness)),
        jobs=jobs or default_jobs(),
        cache_dir=cache,
        lexicon=lexicon,
    )
    chosen = make_cast(voice=voice, casts=cast, preset=preset)
    progress = make_progress(quiet=quiet, console=err)
    try:
        with progress:
            result = build_edition(article, chosen, options, progress)
    except KeyboardInterrupt:
        err.print(
            f"interrupted: the {progress.done} segments spoken so far are kept in the cache; "
            "run the same command again to resume"
        )
        raise typer.Exit(130) from None
    if not quiet:
        edition = result.edition
        out.print(
            f"[bold green]built[/] {edition.out_dir}/  {len(edition.chapters)} chapters, "
            f"{_clock(edition.duration)} of audio, {len(result.files)} files, "
            f"{result.synthesized} segments synthesized"
        )


voices_app = typer.Typer(no_args_is_help=True, help="List, preview and refresh voices.")
app.add_typer(voices_app, name="voices")


@voices_app.command("list")
@reports_errors
def voices_list(
    engine: Annotated[str | None, typer.Option(help="Only this engine (baker, espeak, edge).")] = None,
    locale: Annotated[str | None, typer.Option(help="Only locales starting with this, e.g. zh-CN.")] = None,
    gender: Annotated[str | None, typer.Option(help="Female or Male.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Update the edge catalog from the service.")
    ] = False,
) -> None:
    """List the voices in the catalog (works offline)."""
    from rich.table import Table

    from audiobook.voices import load_catalog

    if refresh:
        from audiobook.edge_catalog import refresh_edge_catalog

        count = refresh_edge_catalog()
        err.print(f"edge catalog updated: {count} Chinese voices")
    voices = [
        v
        for v in load_catalog().values()
        if (engine is None or v.engine == engine)
        and (locale is None or v.locale.lower().startswith(locale.lower()))
        and (gender is None or v.gender.lower() == gender.lower())
    ]
    if as_json:
        rows = [
            {
                "id": v.id,
                "engine": v.engine,
                "locale": v.locale,
                "gender": v.gender,
                "name": v.name,
                "description": v.description,
                "licence": v.licence,
                "default": v.default,
            }
            for v in voices
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table("id", "engine", "locale", "gender", "description")
    table.columns[0].no_wrap = True
    for v in voices:
        table.add_row(v.id + (" (default)" if v.default else ""), v.engine, v.locale, v.gender, v.description)
    out.print(table)


@voices_app.command("preview")
@reports_errors
def voices_preview(
    voice: Annotated[str, typer.Argument(help="Voice id from `audiobook voices list`.")],
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the sample: .wav or .mp3.")],
    text: Annotated[
        str, typer.Option(help="What to say.")
    ] = "营口之滨，辽水之畔。二零二五年，振兴号就此起航！",
) -> None:
    """Speak a short sample with one voice."""
    from audiobook.engines.registry import create_engine
    from audiobook.export.audiofile import write_audio
    from audiobook.speech import speak
    from audiobook.voices import find_voice

    chosen = find_voice(voice)
    if out_file.suffix.lower() not in (".wav", ".mp3"):
        raise InputError(f"{out_file}: --out must end in .wav or .mp3")
    take = speak(text, chosen, create_engine(chosen.engine))
    write_audio(out_file, take.samples, take.sample_rate)
    out.print(f"wrote {out_file} ({take.duration:.1f} s, {chosen.id})")


LexiconOpt = Annotated[Path | None, typer.Option("--lexicon", help="A TOML lexicon (pinyin or say).")]


@app.command()
@reports_errors
def pinyin(
    text: Annotated[str | None, typer.Argument(help="Chinese text (or --input FILE).")] = None,
    input_file: Annotated[
        Path | None, typer.Option("--input", help="A text file, one line in, one out.")
    ] = None,
    lexicon: LexiconOpt = None,
) -> None:
    """Pinyin with tone numbers (TONE3, ü as v, neutral 5), one token per character."""
    from audiobook.lexicon import load_lexicon
    from audiobook.text.pinyin import to_pinyin
    from audiobook.text.reader import read_source

    if text is None and input_file is None:
        raise InputError("give TEXT or --input FILE")
    words = load_lexicon(lexicon).pinyin
    lines = [text] if text is not None else read_source(input_file or "-").text.splitlines()
    for line in lines:
        readings = to_pinyin(line, words)
        sys.stdout.write(" ".join(r.pinyin or r.char for r in readings if not r.char.isspace()) + "\n")


@app.command()
@reports_errors
def check(
    article: ArticleArg,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when anything is flagged.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    lexicon: LexiconOpt = None,
    max_chars: MaxCharsOpt = 80,
) -> None:
    """Report polyphones, numbers and text artifacts before synthesis."""
    from dataclasses import asdict

    from rich.table import Table

    from audiobook.check import check as check_article
    from audiobook.lexicon import load_lexicon
    from audiobook.text.reader import read_source
    from audiobook.text.structure import parse_article

    source = read_source(article)
    report = check_article(source, parse_article(source, max_chars), load_lexicon(lexicon), max_chars)
    if as_json:
        sys.stdout.write(json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table("word", "reading", "context", title="Polyphonic words")
        for note in report.polyphones:
            table.add_row(note.word, note.reading + (" (lexicon)" if note.from_lexicon else ""), note.context)
        out.print(table)
        table = Table("written", "spoken", "rule", "context", title="Numbers")
        for number in report.numbers:
            table.add_row(number.written, number.spoken, number.rule, number.context)
        out.print(table)
        table = Table("artifact", "where", "advice", title="Text artifacts")
        for artifact in report.artifacts:
            table.add_row(artifact.kind, artifact.text, artifact.advice)
        out.print(table)
        out.print(
            f"{len(report.polyphones)} polyphonic words, {len(report.numbers)} numbers, "
            f"{len(report.artifacts)} artifacts flagged"
        )
    if strict and report.flagged:
        raise typer.Exit(1)


@app.command()
@reports_errors
def feed(
    editions: Annotated[list[Path], typer.Argument(help="Folders of built editions, one item each.")],
    base_url: Annotated[str, typer.Option("--base-url", help="Where the files will be served from.")],
    show_title: Annotated[str | None, typer.Option("--show-title", help="The podcast's title.")] = None,
    cover: Annotated[Path | None, typer.Option(help="Podcast artwork (.jpg or .png).")] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Default: feed.xml beside the editions.")
    ] = None,
) -> None:
    """Write feed.xml, a podcast feed (RSS 2.0, iTunes, Podcasting 2.0) for built editions."""
    from audiobook.export.feed import write_feed

    target = out_file or editions[0].resolve().parent / "feed.xml"
    written = write_feed(editions, base_url, target, show_title, cover)
    out.print(f"wrote {written} ({len(editions)} items)")


cache_app = typer.Typer(no_args_is_help=True, help="The cache of spoken segments and mastered parts.")
app.add_typer(cache_app, name="cache")
CacheOpt = Annotated[Path | None, typer.Option("--cache", help="Cache folder (default: the user cache).")]


@cache_app.command("info")
@reports_errors
def cache_info(cache: CacheOpt = None) -> None:
    """Where the cache is, how many takes it holds and its size."""
    from audiobook.cache import TakeCache

    info = TakeCache(cache).info()
    out.print(f"{info.path}\n{info.entries} takes, {info.bytes / 1e6:.1f} MB")


@cache_app.command("clear")
@reports_errors
def cache_clear(cache: CacheOpt = None) -> None:
    """Delete every cached take and mastered part."""
    from audiobook.cache import TakeCache

    removed = TakeCache(cache).clear()
    out.print(f"removed {removed} takes")


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


if __name__ == "__main__":
    app()
