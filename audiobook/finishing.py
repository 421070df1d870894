"""Finishing parts while the rest is still being spoken: each part of a chapter is mastered and
encoded as soon as its last take is in, so that little is left to do when synthesis ends."""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass

from audiobook.cache import TakeCache
from audiobook.export.encode import encode_parts
from audiobook.export.splice import PartEncodes
from audiobook.master import MasteredPart, MasterSettings, master_part
from audiobook.render import PlannedSegment, Renderer

Finished = tuple[MasteredPart, PartEncodes]
BATCH_PARTS = 8  # parts per ffmpeg run: enough to spread its start-up, few enough to bound its memory


@dataclass(frozen=True)
class PartPlan:
    planned: tuple[PlannedSegment, ...]
    key: str
    done: MasteredPart | None  # the part as the cache has it mastered already, if it does


class PartFinisher:
    """Parts are finished in a background thread, in batches of those that are ready: one part's
    takes in memory at a time, so memory does not grow with the article, and one ffmpeg run per
    batch. The thread is a daemon: Ctrl-C never waits for it (its files are written atomically,
    so one cut short leaves nothing half-written)."""

    def __init__(
        self, renderer: Renderer, cache: TakeCache, settings: MasterSettings, parts: list[PartPlan], aac: bool
    ) -> None:
        self.renderer, self.cache, self.settings, self.aac = renderer, cache, settings, aac
        self.parts = parts
        self.futures: dict[int, Future[Finished]] = {}
        self.queue: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._work, name="finishing", daemon=True)
        self.thread.start()
        self.waiting = {
            index: {p.key for p in part.planned} for index, part in enumerate(parts) if part.done is None
        }
        for index, part in enumerate(parts):
            if part.done is not None or not self.waiting.get(index):
                self._submit(index)

    def take_done(self, key: str) -> None:
        """A take is in the cache: finish every part that was waiting for it alone."""
        for index, waiting in self.waiting.items():
            if key in waiting:
                waiting.discard(key)
                if not waiting and index not in self.futures:
                    self._submit(index)

    def results(self) -> list[Finished]:
        for index in range(len(self.parts)):
            if index not in self.futures:  # the renderer reported every take, so this is a bug
                raise RuntimeError(f"part {index + 1} never got all its takes")
        return [self.futures[index].result() for index in range(len(self.parts))]

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
        running = True
        while running and (first := self.queue.get()) is not None:
            batch = [first]
            while len(batch) < BATCH_PARTS:  # parts that became ready meanwhile join the batch
                try:
                    following = self.queue.get_nowait()
                except queue.Empty:
                    break
                if following is None:
                    running = False
                    break
                batch.append(following)
            batch = [index for index in batch if self.futures[index].set_running_or_notify_cancel()]
            try:
                finished = self._finish(batch)
            except BaseException as error:  # handed to the main thread, which raises it
                for index in batch:
                    self.futures[index].set_exception(error)
                continue
            for index, result in zip(batch, finished, strict=True):
                self.futures[index].set_result(result)

    def _finish(self, batch: list[int]) -> list[Finished]:
        mastered = []
        for index in batch:
            part = self.parts[index]
            if part.done is None:
                spoken = self.renderer.spoken(part.planned)
                done = master_part(spoken, self.settings, part.key, self.cache.part_wav(part.key))
                self.cache.put_part_layout(part.key, done.length, [(p.start, p.end) for p in done.placed])
                mastered.append(done)
            else:
                mastered.append(part.done)
        encodes = encode_parts([(m.key, m.wav) for m in mastered], self.cache.parts, self.aac)
        return list(zip(mastered, encodes, strict=True))
