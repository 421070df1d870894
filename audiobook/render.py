"""Rendering: every segment of a chapter spoken by the voice cast for its role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from audiobook.casting import Cast
from audiobook.engines.base import Engine, Take
from audiobook.engines.registry import create_engine
from audiobook.master import SpokenSegment
from audiobook.model import Chapter
from audiobook.speech import speech_input
from audiobook.voices import Voice

ProgressCallback = Callable[[SpokenSegment], None]


@dataclass
class Renderer:
    """Holds one engine instance per engine name for the whole build."""

    cast: Cast
    threads: int = 1
    engines: dict[str, Engine] = field(default_factory=dict)

    def engine(self, name: str) -> Engine:
        if name not in self.engines:
            self.engines[name] = create_engine(name, threads=self.threads)
        return self.engines[name]

    def take(self, text: str, voice: Voice) -> Take:
        engine = self.engine(voice.engine)
        prepared = speech_input(text, engine)
        return engine.synthesize(prepared.text, voice, prepared.pinyin)

    def render_chapter(
        self, chapter: Chapter, on_segment: ProgressCallback | None = None
    ) -> list[SpokenSegment]:
        spoken = []
        for block_index, block in enumerate(chapter.blocks):
            for segment in block.segments:
                voice = self.cast.voice_for(segment.role)
                item = SpokenSegment(
                    segment, block_index, block.kind, voice.id, self.take(segment.text, voice)
                )
                spoken.append(item)
                if on_segment:
                    on_segment(item)
        return spoken

    def close(self) -> None:
        for engine in self.engines.values():
            engine.close()
