"""The whole edition spliced from per-chapter encodes: every chapter lands where the timeline says."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from mutagen.mp3 import MP3

from audiobook.edition import Edition, place_chapters
from audiobook.export.audiofile import write_wav
from audiobook.export.encode import encode_chapters, m4b_layout, write_m4b, write_whole_mp3
from audiobook.export.splice import AAC_FRAME
from audiobook.ffmpeg import decode_file
from audiobook.master import MasteredChapter
from audiobook.model import Article, Chapter

PAUSE = 1.5
BURSTS = [[0.0, 1.2], [0.3, 2.0, 3.1], [0.05, 0.9]]  # seconds into each chapter where a tone starts
LENGTHS = [2.013, 3.5071, 1.25]


def _chapter_audio(bursts: list[float], seconds: float, rate: int) -> np.ndarray:
    samples = np.zeros(round(seconds * rate), np.float32)
    tone = 0.5 * np.sin(2 * np.pi * 700 * np.arange(int(0.1 * rate)) / rate).astype(np.float32)
    for start in bursts:
        at = round(start * rate)
        samples[at : at + len(tone)] = tone
    return samples


def _onsets(samples: np.ndarray, rate: int, threshold: float = 0.2) -> list[int]:
    loud = np.flatnonzero(np.abs(samples) > threshold)
    return [int(loud[0])] + [int(b) for a, b in itertools.pairwise(loud) if b - a > rate // 10]


@pytest.fixture(scope="module", params=[24000, 22050, 44100])  # MPEG-2, MPEG-2 with padded frames, MPEG-1
def edition(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Edition:
    rate = request.param
    folder = tmp_path_factory.mktemp("splice")
    mastered = []
    for number, (bursts, seconds) in enumerate(zip(BURSTS, LENGTHS, strict=True), 1):
        wav = folder / f"chapter{number}.wav"
        write_wav(wav, _chapter_audio(bursts, seconds, rate), rate)
        chapter = Chapter(f"第{number}章", ())
        mastered.append(MasteredChapter(chapter, wav, round(seconds * rate) / rate, (), f"k{number}"))
    encodes = encode_chapters([(m.key, m.wav) for m in mastered], folder, aac=True, jobs=2)
    chapters = place_chapters(mastered, [f"c{n}" for n in (1, 2, 3)], encodes, PAUSE, rate)
    article = Article("标题", (), None, (), tuple(m.chapter for m in mastered))
    return Edition(article, {}, chapters, rate, -19.0, PAUSE, folder)


def test_chapter_pauses_are_the_set_pause_to_the_nearest_frame(edition: Edition) -> None:
    frame = edition.chapters[0].encodes.mp3.frame_samples
    for chapter, following in itertools.pairwise(edition.chapters):
        assert abs(following.start - chapter.end - PAUSE) <= frame / 2 / edition.sample_rate
        assert following.offset % frame == 0


def test_whole_mp3_has_every_chapter_at_its_sample_offset(edition: Edition, tmp_path: Path) -> None:
    rate = edition.sample_rate
    whole = tmp_path / "whole.mp3"
    write_whole_mp3(edition, whole, tmp_path)
    decoded = decode_file(whole, rate)
    last = edition.chapters[-1]
    assert len(decoded) == last.offset + round(last.mastered.duration * rate)  # delay and padding gone
    expected = [
        c.offset + round(b * rate) for c, bursts in zip(edition.chapters, BURSTS, strict=True) for b in bursts
    ]
    found = _onsets(decoded, rate)
    assert len(found) == len(expected)
    for got, want in zip(found, expected, strict=True):
        assert abs(got - want) <= 5, (got, want)  # a few samples into the tone: not a frame off
    assert abs(MP3(whole).info.length - len(decoded) / rate) < 0.15


def test_m4b_chapters_and_audio_agree_with_the_timeline(edition: Edition, tmp_path: Path) -> None:
    from mutagen.mp4 import MP4

    rate = edition.sample_rate
    m4b = tmp_path / "whole.m4b"
    write_m4b(edition, m4b, tmp_path, None)
    _, starts = m4b_layout(edition)
    decoded = decode_file(m4b, rate)
    found = _onsets(decoded, rate)
    expected = [
        s + AAC_FRAME + round(b * rate) for s, bursts in zip(starts, BURSTS, strict=True) for b in bursts
    ]
    assert len(found) == len(expected)
    for got, want in zip(found, expected, strict=True):
        assert abs(got - want) <= 5, (got, want)
    for start, chapter in zip(starts, edition.chapters, strict=True):
        assert abs(start - chapter.offset) <= AAC_FRAME // 2
    marks = MP4(m4b).chapters
    assert [round(c.start, 2) for c in marks] == [round(s / rate, 2) for s in starts]


def test_cached_encodes_are_reused(edition: Edition) -> None:
    first = edition.chapters[0].encodes.mp3.path
    before = first.stat().st_mtime_ns
    again = encode_chapters([("k1", edition.chapters[0].mastered.wav)], first.parent, aac=True, jobs=1)
    assert again[0].mp3.path == first and first.stat().st_mtime_ns == before
