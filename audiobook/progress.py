"""Build progress for the terminal: a rich bar, plain log lines when not a terminal, or nothing."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from audiobook.model import Article


class TerminalProgress:
    def __init__(self, console: Console, quiet: bool) -> None:
        self.console = console
        self.quiet = quiet
        self.live = console.is_terminal and not quiet
        self.bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[audio]}"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.task = self.bar.add_task("speaking", total=None, audio="")
        self.total = 0
        self.done = 0
        self.cached = 0
        self.audio_seconds = 0.0
        self.last_log = 0.0

    def __enter__(self) -> TerminalProgress:
        if self.live:
            self.bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.live:
            self.bar.stop()

    def started(self, article: Article, takes: int) -> None:
        self.total = takes
        self.bar.update(self.task, total=self.total)
        self._log(f"{article.title}: {len(article.chapters)} chapters, {len(article.segments)} segments")

    def take_done(self, seconds: float, cached: bool) -> None:
        self.done += 1
        self.cached += cached
        self.audio_seconds += seconds
        minutes = f"{self.audio_seconds / 60:.1f} min of audio"
        self.bar.update(self.task, completed=self.done, audio=minutes)
        if not self.live and time.monotonic() - self.last_log > 5:
            self.last_log = time.monotonic()
            self._log(f"spoken {self.done}/{self.total} segments, {minutes}")

    def stage(self, name: str) -> None:
        self.bar.update(self.task, description=name)
        self._log(name)

    def _log(self, line: str) -> None:
        if not self.quiet and not self.live:
            self.console.print(line, highlight=False)


def make_progress(quiet: bool, console: Console) -> TerminalProgress:
    return TerminalProgress(console, quiet)
