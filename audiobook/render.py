"""Rendering: every segment spoken by the voice cast for its role, through the take cache.

Offline engines run in a pool of worker processes, each with its model loaded once; the edge
engine runs a bounded number of concurrent requests. A segment whose take is in the cache is never
synthesized again, so a build that was interrupted resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from audiobook.cache import TakeCache, take_key
from audiobook.casting import Cast
from audiobook.engines.base import Engine, Spreadable, Take
from audiobook.engines.registry import create_engine
from audiobook.errors import SynthesisError
from audiobook.lexicon import Lexicon
from audiobook.master import SpokenSegment, part_bounds
from audiobook.model import Article, BlockKind, Chapter, Segment
from audiobook.speech import speech_input
from audiobook.voices import Voice


@dataclass(frozen=True)
class Job:
    """One take to synthesize: identical segments (a repeated line) share one job."""

    key: str
    engine: str
    text: str
    pinyin: tuple[str | None, ...] | None
    voice: Voice


@dataclass(frozen=True)
class PlannedSegment:
    segment: Segment
    block_index: int
    block_kind: BlockKind
    voice: Voice
    key: str
    job: Job


@dataclass(frozen=True)
class RenderPlan:
    chapters: tuple[tuple[PlannedSegment, ...], ...]

    @property
    def jobs(self) -> dict[str, Job]:
        return {p.key: p.job for chapter in self.chapters for p in chapter}


TakeCallback = Callable[[Job, Take, bool], None]  # job, take, whether it came from the cache
FEW_TAKES = 8  # fewer than this are spoken by threads here: a worker process takes a second to start


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass
class Renderer:
    cast: Cast
    cache: TakeCache
    jobs: int = field(default_factory=default_jobs)
    lexicon: Lexicon = field(default_factory=Lexicon)
    engines: dict[str, Engine] = field(default_factory=dict)
    synthesized: int = 0

    def engine(self, name: str) -> Engine:
        if name not in self.engines:
            self.engines[name] = create_engine(name, threads=self.threads_per_engine)
        return self.engines[name]

    @property
    def threads_per_engine(self) -> int:
        """Never more threads than cores in all; and the same for every engine of a build, however
        many takes are left, because the model's arithmetic (so the take) depends on it a little."""
        return max(1, default_jobs() // max(1, self.jobs))

    def plan(self, article: Article) -> RenderPlan:
        return RenderPlan(tuple(self._plan_chapter(chapter) for chapter in article.chapters))

    def _plan_chapter(self, chapter: Chapter) -> tuple[PlannedSegment, ...]:
        planned = []
        for block_index, block in enumerate(chapter.blocks):
            for segment in block.segments:
                voice = self.cast.voice_for(segment.role)
                engine = self.engine(voice.engine)
                prepared = speech_input(segment.text, engine, self.lexicon)
                key = take_key(engine.name, engine.version, voice, prepared.text, prepared.pinyin)
                job = Job(key, engine.name, prepared.text, prepared.pinyin, voice)
                planned.append(PlannedSegment(segment, block_index, block.kind, voice, key, job))
        return tuple(planned)

    def synthesize_missing(self, plan: RenderPlan, on_take: TakeCallback | None = None) -> None:
        """Fill the cache with every take the plan needs; report cached ones as done at once."""
        missing: dict[str, list[Job]] = {}
        for key, job in _part_by_part(plan).items():
            cached = self.cache.get(key)
            if cached is None:
                missing.setdefault(job.engine, []).append(job)
            elif on_take:
                on_take(job, cached, True)
        for engine_name, jobs in missing.items():
            engine = self.engine(engine_name)
            if engine.limits.online:
                asyncio.run(self._run_online(engine, jobs, on_take))
            else:
                self._run_offline(engine_name, jobs, on_take)

    def _store(self, job: Job, take: Take, on_take: TakeCallback | None) -> None:
        self.cache.put(job.key, take)
        self.synthesized += 1
        if on_take:
            on_take(job, take, False)

    def _run_offline(self, engine_name: str, jobs: list[Job], on_take: TakeCallback | None) -> None:
        if self.jobs <= 1 or len(jobs) < FEW_TAKES:
            self._run_in_threads(engine_name, jobs, on_take)
        else:
            self._run_in_processes(engine_name, jobs, on_take)

    def _run_in_threads(self, engine_name: str, jobs: list[Job], on_take: TakeCallback | None) -> None:
        """A few takes: threads in this process, one engine each (the model lets go of the GIL while
        it runs), instead of worker processes that take a second to start."""
        workers = min(self.jobs, len(jobs))
        engines = [self.engine(engine_name)]
        engines += [create_engine(engine_name, threads=self.threads_per_engine) for _ in range(workers - 1)]
        spare = self.jobs // workers  # fewer takes than workers: each take may use the idle cores
        for engine in engines:
            if spare > 1 and isinstance(engine, Spreadable):
                engine.spread(spare)
        todo: queue.SimpleQueue[Job] = queue.SimpleQueue()
        for job in jobs:
            todo.put(job)
        done: queue.SimpleQueue[tuple[Job, Take | BaseException]] = queue.SimpleQueue()

        def speak(engine: Engine) -> None:
            while True:
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    done.put((job, engine.synthesize(job.text, job.voice, job.pinyin)))
                except BaseException as error:  # raised in the main thread
                    done.put((job, error))
                    return

        for engine in engines:
            # Daemons: Ctrl-C does not wait for the segment being spoken.
            threading.Thread(target=speak, args=(engine,), name="speaking", daemon=True).start()
        try:
            for _ in jobs:
                job, take = done.get()
                if isinstance(take, BaseException):
                    raise take
                self._store(job, take, on_take)
        finally:
            for engine in engines[1:]:
                engine.close()

    def _run_in_processes(self, engine_name: str, jobs: list[Job], on_take: TakeCallback | None) -> None:
        workers = min(self.jobs, len(jobs))
        context = multiprocessing.get_context("forkserver")
        pool = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_worker_start,
            initargs=(engine_name, self.threads_per_engine),
        )
        try:
            pending: dict[Future[Take], Job] = {}
            remaining = iter(jobs)
            for job in remaining:
                pending[pool.submit(_worker_synthesize, job)] = job
                if len(pending) >= workers * 2:
                    break
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    job = pending.pop(future)
                    self._store(job, future.result(), on_take)
                    following = next(remaining, None)
                    if following is not None:
                        pending[pool.submit(_worker_synthesize, following)] = following
        except BaseException:
            _stop_now(pool)
            raise
        pool.shutdown(wait=True)

    async def _run_online(self, engine: Engine, jobs: list[Job], on_take: TakeCallback | None) -> None:
        limit = asyncio.Semaphore(max(1, engine.limits.max_concurrency))
        speak = getattr(engine, "synthesize_async", None)

        async def one(job: Job) -> None:
            async with limit:
                if speak is not None:
                    take = await speak(job.text, job.voice)
                else:
                    take = await asyncio.to_thread(engine.synthesize, job.text, job.voice, job.pinyin)
            self._store(job, take, on_take)

        tasks = [asyncio.ensure_future(one(job)) for job in jobs]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            raise

    def spoken(self, planned: Iterable[PlannedSegment]) -> list[SpokenSegment]:
        spoken = []
        for p in planned:
            take = self.cache.get(p.key)
            if take is None:
                raise SynthesisError(
                    f"the take of {p.segment.text[:20]!r} vanished from the cache; build again"
                )
            spoken.append(SpokenSegment(p.segment, p.block_index, p.block_kind, p.voice.id, take))
        return spoken

    def engine_versions(self) -> dict[str, str]:
        return {name: engine.version for name, engine in self.engines.items()}

    def close(self) -> None:
        for engine in self.engines.values():
            engine.close()


def _part_by_part(plan: RenderPlan) -> dict[str, Job]:
    """Parts in order, so that each can be finished while the next is spoken; within a part the
    long segments first, so that no worker is left with a long one at the end."""
    ordered: dict[str, Job] = {}
    for chapter in plan.chapters:
        for start, end in part_bounds(chapter):
            part = {p.key: p.job for p in chapter[start:end]}
            for job in sorted(part.values(), key=lambda j: len(j.text), reverse=True):
                ordered.setdefault(job.key, job)
    return ordered


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """Ctrl-C: end the workers at once instead of waiting for their current segment."""
    processes: dict[Any, Any] = dict(getattr(pool, "_processes", None) or {})
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes.values():
        if process.is_alive():
            process.terminate()


_WORKER_ENGINE: Engine | None = None


def _worker_start(engine_name: str, threads: int) -> None:
    global _WORKER_ENGINE
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    _WORKER_ENGINE = create_engine(engine_name, threads=threads)


def _worker_synthesize(job: Job) -> Take:
    assert _WORKER_ENGINE is not None
    return _WORKER_ENGINE.synthesize(job.text, job.voice, job.pinyin)
