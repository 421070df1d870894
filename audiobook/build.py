"""Building an audio edition: article -> script -> cast -> takes -> mastered chapters -> files."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from audiobook.casting import Cast
from audiobook.edition import Cue, Edition, place_chapters
from audiobook.errors import InputError
from audiobook.export.atomic import atomic_path, write_text
from audiobook.export.documents import chapters_json, manifest
from audiobook.export.encode import encode_m4b, encode_mp3, join_wav
from audiobook.export.id3 import tag_chapter_file, tag_edition_file
from audiobook.export.names import chapter_file_name, edition_slug
from audiobook.export.subtitles import to_lrc, to_srt, to_vtt
from audiobook.master import MasterSettings, SpokenSegment, master_chapter
from audiobook.model import Article
from audiobook.render import Renderer
from audiobook.text.pipeline import load_article

FORMATS = ("mp3", "m4b")
DEFAULT_OUTPUT = Path("output")


class BuildProgress(Protocol):
    def started(self, article: Article) -> None: ...

    def segment_done(self, spoken: SpokenSegment) -> None: ...

    def stage(self, name: str) -> None: ...


class SilentProgress:
    def started(self, article: Article) -> None:
        pass

    def segment_done(self, spoken: SpokenSegment) -> None:
        pass

    def stage(self, name: str) -> None:
        pass


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path | None = None
    formats: tuple[str, ...] = FORMATS
    cover: Path | None = None
    master: MasterSettings = field(default_factory=MasterSettings)
    max_chars: int = 80
    threads: int = 2


@dataclass(frozen=True)
class BuildResult:
    edition: Edition
    files: tuple[Path, ...]


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
    article = load_article(source, max_chars=options.max_chars)
    out = output_folder(article, str(source), options.out_dir)
    work = out / ".work"
    work.mkdir(parents=True, exist_ok=True)
    progress.started(article)
    renderer = Renderer(cast, threads=options.threads)
    try:
        mastered = []
        for number, chapter in enumerate(article.chapters, 1):
            spoken = renderer.render_chapter(chapter, progress.segment_done)
            mastered.append(
                master_chapter(chapter, spoken, options.master, work / f"chapter-{number:03d}.wav")
            )
        engines = {name: engine.version for name, engine in renderer.engines.items()}
    finally:
        renderer.close()
    stems = [chapter_file_name(n, c.title, "") for n, c in enumerate(article.chapters, 1)]
    edition = Edition(
        article,
        cast.as_dict(),
        place_chapters(mastered, stems, options.master.pauses.chapter, options.master.sample_rate),
        options.master.sample_rate,
        options.master.loudness,
        options.master.pauses.chapter,
        out,
    )
    files = export(edition, options.formats, cover, work, engines, progress)
    shutil.rmtree(work, ignore_errors=True)
    return BuildResult(edition, tuple(files))


def export(
    edition: Edition,
    formats: tuple[str, ...],
    cover: Path | None,
    work: Path,
    engines: dict[str, str],
    progress: BuildProgress,
) -> list[Path]:
    out = edition.out_dir
    whole_stem = out.name
    files: list[Path] = []
    progress.stage("encoding chapters")
    for chapter in edition.chapters:
        if "mp3" in formats:
            target = out / f"{chapter.file_stem}.mp3"
            with atomic_path(target) as temp:
                encode_mp3(chapter.mastered.wav, temp)
                tag_chapter_file(temp, edition, chapter, cover)
            files.append(target)
        cues = edition.cues(chapter)
        files += _write_subtitles(out / chapter.file_stem, cues, edition, chapter.title)
    progress.stage("encoding the whole edition")
    whole_wav = join_wav(edition, work)
    if "mp3" in formats:
        target = out / f"{whole_stem}.mp3"
        with atomic_path(target) as temp:
            encode_mp3(whole_wav, temp)
            tag_edition_file(temp, edition, cover)
        files.append(target)
    if "m4b" in formats:
        target = out / f"{whole_stem}.m4b"
        encode_m4b(whole_wav, edition, target, work, cover)
        files.append(target)
    files += _write_subtitles(out / whole_stem, edition.cues(), edition, edition.article.title)
    chapters_path = out / "chapters.json"
    write_text(chapters_path, json.dumps(chapters_json(edition), ensure_ascii=False, indent=2) + "\n")
    files.append(chapters_path)
    manifest_path = out / "manifest.json"
    names = [f.name for f in files] + [manifest_path.name]
    write_text(
        manifest_path, json.dumps(manifest(edition, names, engines), ensure_ascii=False, indent=2) + "\n"
    )
    files.append(manifest_path)
    return files


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
