#!/usr/bin/env python3
"""Benchmarks of the build, measured side by side in one run; prints figures, asserts nothing.

    .venv/bin/python scripts/bench.py [--article tests/data/reference.txt] [--skip-edge]

Figures: cold build time / audio length; engine-only time and the pipeline overhead; warm
rebuilds (nothing changed, one paragraph edited); the edge engine against the stand-in server
at 150 ms latency (concurrency 4 vs 1); peak RSS for the article and a ten-times-longer one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audiobook.render import default_jobs  # noqa: E402

TARGETS = {"cold_rtf": 0.10, "overhead_pct": 5.0, "warm_s": 3.0, "edge_speedup": 3.0, "rss_ratio": 1.2}


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def run_build(article: Path, out: Path, cache: Path, *extra: str) -> tuple[float, dict, int]:
    """A real CLI build in a child process: wall time, the manifest, and the peak RSS in KiB."""
    code = (
        "import resource, sys; from audiobook.cli import app\n"
        "try:\n    app(sys.argv[1:])\nexcept SystemExit as e:\n    code = e.code\nelse:\n    code = 0\n"
        "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print('RSS', max(own, kids), file=sys.stderr); sys.exit(code)\n"
    )
    args = [
        sys.executable,
        "-c",
        code,
        "build",
        str(article),
        "--out",
        str(out),
        "--cache",
        str(cache),
        "--quiet",
        *extra,
    ]
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"build failed: {proc.stderr.strip()}")
    rss = int(proc.stderr.strip().splitlines()[-1].split()[1])
    return elapsed, json.loads((out / "manifest.json").read_text(encoding="utf-8")), rss


def engine_only(article: Path) -> tuple[float, int, int, int]:
    """Every segment synthesized alone by the offline engine: no pipeline.

    It runs in a child process: Linux keeps a process's peak RSS across fork and exec, so a model
    loaded here would show up in the RSS of every build measured after it.
    """
    proc = subprocess.run(
        [sys.executable, __file__, "--engine-only", str(article)], capture_output=True, text=True, cwd=ROOT
    )
    if proc.returncode != 0:
        raise SystemExit(f"engine-only run failed: {proc.stderr.strip()}")
    seconds, takes, workers, threads = proc.stdout.split()
    return float(seconds), int(takes), int(workers), int(threads)


def _engine_only_here(article: Path) -> None:
    """The engine alone, laid out as a build lays it out: as many worker processes, each with its
    engine (same threads) loaded and warmed before the clock starts, the longest segments first."""
    import concurrent.futures
    import multiprocessing

    from audiobook.cache import TakeCache
    from audiobook.casting import make_cast
    from audiobook.render import Renderer, default_jobs
    from audiobook.text.pipeline import load_article

    renderer = Renderer(make_cast(), TakeCache(Path(tempfile.mkdtemp())), jobs=default_jobs())
    jobs = sorted(renderer.plan(load_article(article)).jobs.values(), key=lambda j: len(j.text), reverse=True)
    context = multiprocessing.get_context("forkserver")
    with concurrent.futures.ProcessPoolExecutor(
        renderer.jobs,
        mp_context=context,
        initializer=_engine_worker_start,
        initargs=(renderer.threads_per_engine,),
    ) as pool:
        list(pool.map(time.sleep, [0.5] * renderer.jobs))  # every worker started, its model loaded and warm
        started = time.perf_counter()
        list(pool.map(_engine_worker_speak, jobs))
        elapsed = time.perf_counter() - started
    print(elapsed, len(jobs), renderer.jobs, renderer.threads_per_engine)


_ENGINE = None


def _engine_worker_start(threads: int) -> None:
    global _ENGINE
    from audiobook.casting import make_cast
    from audiobook.engines.registry import create_engine
    from audiobook.model import Role

    _ENGINE = create_engine("baker", threads=threads)
    _ENGINE.synthesize("营口之滨。", make_cast().voice_for(Role.NARRATOR))


def _engine_worker_speak(job: object) -> int:
    assert _ENGINE is not None
    return len(_ENGINE.synthesize(job.text, job.voice, job.pinyin).samples)  # type: ignore[attr-defined]


def edit_one_paragraph(source: Path, target: Path, where: float) -> None:
    """The first words of the paragraph `where` (0..1) of the way through the article, reversed."""
    text = source.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if len(line) > 40]
    opening = lines[min(len(lines) - 1, int(len(lines) * where))][:12]
    target.write_text(text.replace(opening, opening[::-1], 1), encoding="utf-8")


def edge_figures(segments: int = 24) -> tuple[float, float]:
    sys.path.insert(0, str(ROOT / "tests"))
    from edge_standin import EdgeStandIn

    from audiobook.engines.edge import EdgeEngine, EdgeSettings
    from audiobook.voices import find_voice

    voice = find_voice("zh-CN-XiaoxiaoNeural")
    texts = [f"第{i}段，营口之滨，辽水之畔。" for i in range(segments)]

    async def run(engine: EdgeEngine, concurrency: int) -> float:
        limit = asyncio.Semaphore(concurrency)

        async def one(text: str) -> None:
            async with limit:
                await engine.synthesize_async(text, voice)

        started = time.perf_counter()
        await asyncio.gather(*(one(t) for t in texts))
        return time.perf_counter() - started

    with EdgeStandIn(latency_s=0.150) as server:
        engine = EdgeEngine(settings=EdgeSettings(endpoint=server.endpoint, backoff_s=0.05))
        asyncio.run(run(engine, 4))  # warm the MP3 tone cache of the stand-in
        serial = asyncio.run(run(engine, 1))
        parallel = asyncio.run(run(engine, 4))
    return serial, parallel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", type=Path, default=ROOT / "tests" / "data" / "reference.txt")
    parser.add_argument("--skip-edge", action="store_true")
    parser.add_argument("--engine-only", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.engine_only:
        _engine_only_here(options.engine_only)
        return
    work = Path(tempfile.mkdtemp(prefix="audiobook-bench-"))
    article = options.article.resolve()
    print(f"machine: {machine()}")
    print(f"article: {article.name}; jobs: {default_jobs()}")

    # Cold builds and engine-only runs alternate, twice, so that both see the same machine.
    colds, engines = [], []
    for round_ in (1, 2):
        cold_s, manifest, rss_1x = run_build(
            article, work / f"cold{round_}" / "edition", work / f"cache{round_}"
        )
        engine_s, takes, workers, threads = engine_only(article)
        colds.append(cold_s)
        engines.append(engine_s)
    audio_s = manifest["duration"]
    cold_s = sum(colds) / len(colds)
    print(
        f"cold build:            {cold_s:7.1f} s for {audio_s / 60:.1f} min of audio = "
        f"{cold_s / audio_s:.3f} x audio length (target <= {TARGETS['cold_rtf']}); "
        f"runs: {', '.join(f'{c:.1f}' for c in colds)} s"
    )
    engine_s = sum(engines) / len(engines)
    overhead = 100 * (cold_s - engine_s) / cold_s
    print(
        f"engine only:           {engine_s:7.1f} s for {takes} segments, {workers} worker processes with "
        f"{threads} thread(s) each, as the build has them; runs: {', '.join(f'{e:.1f}' for e in engines)} s "
        f"(pipeline overhead {overhead:+.1f} % of the cold build; target <= {TARGETS['overhead_pct']} %)"
    )

    warm_s, _, _ = run_build(article, work / "cold1" / "edition", work / "cache1")
    print(f"warm rebuild:          {warm_s:7.1f} s, nothing changed (target <= {TARGETS['warm_s']} s)")
    edited = work / "edited" / article.name
    edited.parent.mkdir()
    edits: list[float] = []
    for where in (0.5, 0.25, 0.75):  # each edit on top of the one before
        edit_one_paragraph(edited if edits else article, edited, where)
        edits.append(run_build(edited, work / "cold1" / "edition", work / "cache1")[0])
    print(
        f"warm rebuild:          {sorted(edits)[1]:7.1f} s, one paragraph edited (the median of three edits: "
        f"{', '.join(f'{e:.1f}' for e in edits)} s; target <= {TARGETS['warm_s']} s)"
    )

    longer = work / "long" / article.name
    longer.parent.mkdir()
    longer.write_text("\n\n".join([article.read_text(encoding="utf-8")] * 10), encoding="utf-8")
    # Other loudness targets: every chapter is mastered and encoded again from the cached takes.
    _, _, rss_1x_warm = run_build(article, work / "rss1" / "edition", work / "cache1", "--loudness", "-18")
    _, long_manifest, rss_10x = run_build(
        longer, work / "rss10" / "edition", work / "cache1", "--loudness", "-17"
    )
    print(
        f"peak RSS:              {rss_1x_warm / 1024:7.0f} MiB for the article, {rss_10x / 1024:.0f} MiB for "
        f"ten times it ({long_manifest['duration'] / 60:.0f} min of audio), both mastered and encoded from "
        f"cached takes: {rss_10x / rss_1x_warm:.2f}x (target <= {TARGETS['rss_ratio']}x); "
        f"cold build peak {rss_1x / 1024:.0f} MiB (the largest process)"
    )
    if not options.skip_edge:
        serial, parallel = edge_figures()
        print(
            f"edge, 150 ms latency:  {serial:7.2f} s one at a time, {parallel:.2f} s at concurrency 4: "
            f"{serial / parallel:.1f}x (target >= {TARGETS['edge_speedup']}x)"
        )

    print(f"(work files in {work})")


if __name__ == "__main__":
    main()
