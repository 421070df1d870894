"""Building an audio edition: article -> script -> cast -> takes -> mastered chapters -> files."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from audiobook import __version__
from audiobook.cache import TakeCache
from audiobook.casting import Cast
from audiobook.edition import Cue, Edition, EditionChapter, FinishedChapter, place_parts
from audiobook.engines.base import Take
from audiobook.errors import InputError
from audiobook.export.atomic import atomic_path, write_text
from audiobook.export.documents import chapter_output_key, chapters_json, file_digest, manifest
from audiobook.export.encode import write_chapter_mp3, write_m4b, write_whole_mp3
from audiobook.export.epub import write_epub
from audiobook.export.id3 import tag_chapter_file, tag_edition_file
from audiobook.export.names import chapter_file_name, edition_slug
from audiobook.export.player import player_page
from audiobook.export.subtitles import to_lrc, to_srt, to_vtt
from audiobook.finishing import PartFinisher, PartPlan
from audiobook.lexicon import load_lexicon
from audiobook.master import (
    MasteredPart,
    MasterSettings,
    PlacedSegment,
    part_bounds,
    part_key,
    pause_between,
)
from audiobook.model import Article
from audiobook.plan import article_to_json
from audiobook.render import Job, PlannedSegment, Renderer, RenderPlan, default_jobs
from audiobook.text.memo import memo_in
from audiobook.text.pipeline import load_article

FORMATS = ("mp3", "m4b", "epub")
DEFAULT_OUTPUT = Path("output")


class BuildProgress(Protocol):
    def started(self, article: Article, takes: int) -> None: ...

    def take_done(self, seconds: float, cached: bool) -> None: ...

    def stage(self, name: str) -> None: ...


class SilentProgress:
    def started(self, article: Article, takes: int) -> None:
        pass

    def take_done(self, seconds: float, cached: bool) -> None:
        pass

    def stage(self, name: str) -> None:
        pass


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path | None = None
    formats: tuple[str, ...] = ("mp3", "m4b")
    cover: Path | None = None
    master: MasterSettings = field(default_factory=MasterSettings)
    max_chars: int = 80
    jobs: int = field(default_factory=default_jobs)
    cache_dir: Path | None = None
    lexicon: Path | None = None


@dataclass(frozen=True)
class BuildResult:
    edition: Edition
    files: tuple[Path, ...]
    synthesized: int  # takes spoken by an engine in this build; the others came from the cache


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise InputError(f"--format {value!r}: choose from {', '.join(FORMATS)} (comma-separated)")
    return formats


def check_cover(cover: Path | None) -> Path | None:
    if cover is None:
        return None
    if not cover.is_file():
        raise InputError(f"--cover {cover}: no such file")
    if cover.suffix.lower() not in (".jpg", ".jpeg", ".png"):
        raise InputError(f"--cover {cover}: give a .jpg or .png image")
    return cover


def output_folder(article: Article, source: str, out_dir: Path | None) -> Path:
    if out_dir is not None:
        return out_dir
    return DEFAULT_OUTPUT / edition_slug(article.title, article.subtitle, Path(source).stem or "edition")


def build(
    source: str | Path, cast: Cast, options: BuildOptions, progress: BuildProgress | None = None
) -> BuildResult:
    progress = progress or SilentProgress()
    cover = check_cover(options.cover)
    cache = TakeCache(options.cache_dir)
    lexicon = load_lexicon(options.lexicon)
    renderer = Renderer(cast, cache, jobs=options.jobs, lexicon=lexicon)
    try:
        with memo_in(cache.frontend_memo):  # a rebuild parses only the sentences that changed
            article = load_article(source, max_chars=options.max_chars)
            plan = renderer.plan(article)
        out = output_folder(article, str(source), options.out_dir)
        work = out / ".work"
        work.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(out)
        parts = [
            [_part_plan(cache, planned[start:end], options.master) for start, end in part_bounds(planned)]
            for planned in plan.chapters
        ]
        # Only parts that are not mastered already need their takes.
        needed = RenderPlan(
            tuple(
                tuple(p for part in chapter if part.done is None for p in part.planned) for chapter in parts
            )
        )
        progress.started(article, len(needed.jobs))
        finisher = PartFinisher(
            renderer,
            cache,
            options.master,
            [part for chapter in parts for part in chapter],
            aac="m4b" in options.formats,
        )
        try:

            def take_done(job: Job, take: Take, cached: bool) -> None:
                progress.take_done(take.duration, cached)
                finisher.take_done(job.key)

            renderer.synthesize_missing(needed, take_done)
            progress.stage("mastering")
            finished = finisher.results()
        except BaseException:
            finisher.cancel()
            raise
        finisher.close()
        engines = renderer.engine_versions()
    finally:
        renderer.close()
    stems = [chapter_file_name(n, c.title, "") for n, c in enumerate(article.chapters, 1)]
    results = iter(finished)
    chapters = place_parts(
        [
            FinishedChapter(
                chapter,
                tuple(next(results) for _ in chapter_parts),
                tuple(
                    pause_between(a.planned[-1], b.planned[0], options.master.pauses)
                    for a, b in itertools.pairwise(chapter_parts)
                ),
            )
            for chapter, chapter_parts in zip(article.chapters, parts, strict=True)
        ],
        stems,
        options.master.pauses.chapter,
        options.master.sample_rate,
    )
    edition = Edition(
        article,
        cast.as_dict(),
        chapters,
        options.master.sample_rate,
        options.master.loudness,
        options.master.pauses.chapter,
        out,
    )
    previous = _previous_manifest(out)
    build_key = _build_key(edition, options.formats, cover, engines)
    if previous.get("build_key") == build_key and all((out / f).is_file() for f in previous.get("files", [])):
        progress.stage("up to date")
        files = [out / f for f in previous["files"]]
    else:
        files = export(
            edition, options.formats, cover, work, engines, progress, options.jobs, previous, build_key
        )
    shutil.rmtree(work, ignore_errors=True)
    return BuildResult(edition, tuple(files), renderer.synthesized)


def _part_plan(cache: TakeCache, planned: tuple[PlannedSegment, ...], settings: MasterSettings) -> PartPlan:
    key = part_key([(p.key, p.block_index, p.block_kind) for p in planned], settings)
    layout = cache.part_layout(key)
    if layout is None or len(layout[1]) != len(planned):
        return PartPlan(planned, key, None)
    length, spans = layout
    placed = tuple(
        PlacedSegment(p.segment, p.voice.id, start, end)
        for p, (start, end) in zip(planned, spans, strict=True)
    )
    return PartPlan(planned, key, MasteredPart(key, cache.part_wav(key), length, placed))


def _previous_manifest(out: Path) -> dict[str, Any]:
    try:
        return dict(json.loads((out / "manifest.json").read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def _build_key(
    edition: Edition, formats: tuple[str, ...], cover: Path | None, engines: dict[str, str]
) -> str:
    """Everything the files of an edition depend on: equal keys, equal files."""
    identity = {
        "version": __version__,
        "article": article_to_json(edition.article),
        "voices": edition.voices,
        "engines": engines,
        "chapters": [[c.key, c.file_stem, c.offset] for c in edition.chapters],
        "formats": list(formats),
        "cover": file_digest(cover),
        "loudness": edition.loudness,
        "folder": edition.out_dir.name,
    }
    return hashlib.sha256(json.dumps(identity, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _remove_stale_temporaries(out: Path) -> None:
    """Temporary files of a build that was killed (kill -9 gives no chance to clean up)."""
    for stale in out.glob(".*.part.*"):
        stale.unlink(missing_ok=True)


def export(
    edition: Edition,
    formats: tuple[str, ...],
    cover: Path | None,
    work: Path,
    engines: dict[str, str],
    progress: BuildProgress,
    jobs: int = 2,
    previous: dict[str, Any] | None = None,
    build_key: str = "",
) -> list[Path]:
    """Write every file of the edition; the ffmpeg encodes run side by side (each is one thread).

    A chapter MP3 whose inputs are unchanged since the last build (same key in the old manifest)
    is kept as it is.
    """
    out = edition.out_dir
    whole_stem = out.name
    files: list[Path] = []
    old_keys = {c.get("file"): c.get("key") for c in (previous or {}).get("chapters", [])}
    chapter_keys = {c.number: chapter_output_key(edition, c, cover) for c in edition.chapters}
    progress.stage("splicing")
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        encodes = []
        if "m4b" in formats:
            m4b = out / f"{whole_stem}.m4b"
            encodes.append(pool.submit(write_m4b, edition, m4b, work, cover))
            files.append(m4b)
        if "mp3" in formats:
            whole = out / f"{whole_stem}.mp3"
            encodes.append(pool.submit(_whole_mp3, edition, whole, work, cover))
            files.append(whole)
            for chapter in edition.chapters:
                target = out / f"{chapter.file_stem}.mp3"
                files.append(target)
                if old_keys.get(target.name) == chapter_keys[chapter.number] and target.is_file():
                    continue
                encodes.append(pool.submit(_chapter_mp3, edition, chapter, target, work, cover))
        for chapter in edition.chapters:
            files += _write_subtitles(out / chapter.file_stem, edition.cues(chapter), edition, chapter.title)
        files += _write_subtitles(out / whole_stem, edition.cues(), edition, edition.article.title)
        for encode in encodes:
            encode.result()
    audio_name = f"{whole_stem}.mp3" if "mp3" in formats else f"{whole_stem}.m4b"
    page = out / "index.html"
    write_text(page, player_page(edition, audio_name, "audio/mpeg" if "mp3" in formats else "audio/mp4"))
    files.append(page)
    if "epub" in formats:
        epub = out / f"{whole_stem}.epub"
        audio = [work / f"{c.file_stem}.epub.mp3" for c in edition.chapters]
        for chapter, mp3 in zip(edition.chapters, audio, strict=True):
            write_chapter_mp3(chapter, mp3, work)
        write_epub(epub, edition, audio, cover)
        files.append(epub)
    chapters_path = out / "chapters.json"
    write_text(chapters_path, json.dumps(chapters_json(edition), ensure_ascii=False, indent=2) + "\n")
    files.append(chapters_path)
    manifest_path = out / "manifest.json"
    names = [f.name for f in files] + [manifest_path.name]
    document = manifest(edition, names, engines, chapter_keys, build_key)
    write_text(manifest_path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    files.append(manifest_path)
    return files


def _chapter_mp3(
    edition: Edition, chapter: EditionChapter, target: Path, work: Path, cover: Path | None
) -> None:
    with atomic_path(target) as temp:
        write_chapter_mp3(chapter, temp, work)
        tag_chapter_file(temp, edition, chapter, cover)


def _whole_mp3(edition: Edition, target: Path, work: Path, cover: Path | None) -> None:
    with atomic_path(target) as temp:
        write_whole_mp3(edition, temp, work)
        tag_edition_file(temp, edition, cover)


def _write_subtitles(stem: Path, cues: list[Cue], edition: Edition, title: str) -> list[Path]:
    written = []
    for suffix, text in (
        (".srt", to_srt(cues)),
        (".vtt", to_vtt(cues)),
        (".lrc", to_lrc(cues, title, edition.article.byline or "")),
    ):
        path = stem.with_name(stem.name + suffix)
        write_text(path, text)
        written.append(path)
    return written
