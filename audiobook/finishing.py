"""Finishing chapters while the others are still being spoken: each chapter is mastered and
encoded as soon as its last take is in, so that little is left to do when synthesis ends."""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from dataclasses import replace

from audiobook.cache import TakeCache
from audiobook.export.encode import encode_chapters
from audiobook.export.splice import ChapterEncodes
from audiobook.master import MasteredChapter, MasterSettings, master_chapter
from audiobook.model import Chapter
from audiobook.render import PlannedSegment, Renderer

Finished = tuple[MasteredChapter, ChapterEncodes]


class ChapterFinisher:
    """One chapter at a time in a background thread: one chapter's takes in memory at a time, so
    memory does not grow with the article. The thread is a daemon: Ctrl-C never waits for it (its
    files are written atomically, so one cut short leaves nothing half-written)."""

    def __init__(
        self,
        renderer: Renderer,
        cache: TakeCache,
        settings: MasterSettings,
        chapters: list[tuple[Chapter, tuple[PlannedSegment, ...], str, MasteredChapter | None]],
        aac: bool,
    ) -> None:
        self.renderer, self.cache, self.settings, self.aac = renderer, cache, settings, aac
        self.chapters = chapters
        self.futures: dict[int, Future[Finished]] = {}
        self.queue: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._work, name="finishing", daemon=True)
        self.thread.start()
        self.waiting = {
            index: {p.key for p in planned}
            for index, (_, planned, _, done) in enumerate(chapters)
            if done is None
        }
        for index, (_, _, _, done) in enumerate(chapters):
            if done is not None or not self.waiting.get(index):
                self._submit(index)

    def take_done(self, key: str) -> None:
        """A take is in the cache: finish every chapter that was waiting for it alone."""
        for index, waiting in self.waiting.items():
            if key in waiting:
                waiting.discard(key)
                if not waiting and index not in self.futures:
                    self._submit(index)

    def results(self) -> list[Finished]:
        for index in range(len(self.chapters)):
            if index not in self.futures:  # the renderer reported every take, so this is a bug
                raise RuntimeError(f"chapter {index + 1} never got all its takes")
        return [self.futures[index].result() for index in range(len(self.chapters))]

    def cancel(self) -> None:
        for future in self.futures.values():
            future.cancel()
        self.queue.put(None)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()

    def _submit(self, index: int) -> None:
        self.futures[index] = Future()
        self.queue.put(index)

    def _work(self) -> None:
        while (index := self.queue.get()) is not None:
            future = self.futures[index]
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(self._finish(index))
            except BaseException as error:  # handed to the main thread, which raises it
                future.set_exception(error)

    def _finish(self, index: int) -> Finished:
        chapter, planned, key, done = self.chapters[index]
        if done is None:
            spoken = self.renderer.chapter_takes(planned)
            mastered = master_chapter(chapter, spoken, self.settings, self.cache.chapter_wav(key))
            self.cache.put_chapter_spans(key, [(p.start, p.end) for p in mastered.placed])
            done = replace(mastered, key=key)
        # MP3 and AAC side by side: two ffmpeg processes, one thread each.
        (encodes,) = encode_chapters([(key, done.wav)], self.cache.chapters, self.aac, jobs=2)
        return done, encodes
