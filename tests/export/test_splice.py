"""The chapter files and the whole edition spliced from per-part encodes: every part lands where the
timeline says."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from mutagen.mp3 import MP3

from audiobook.edition import Edition, FinishedChapter, place_parts
from audiobook.export.audiofile import write_wav
from audiobook.export.encode import encode_parts, m4b_layout, write_chapter_mp3, write_m4b, write_whole_mp3
from audiobook.export.splice import AAC_FRAME
from audiobook.ffmpeg import decode_file
from audiobook.master import MasteredPart
from audiobook.model import Article, Chapter

PAUSE = 1.5  # between chapters
PART_PAUSE = 0.9  # between the parts of a chapter
BURSTS = [[[0.0, 1.2]], [[0.3, 2.0, 3.1], [0.1]], [[0.05, 0.9]]]  # chapter, part: where a tone starts (s)
LENGTHS = [[2.013], [3.5071, 0.71], [1.25]]


def _part_audio(bursts: list[float], seconds: float, rate: int) -> np.ndarray:
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
    finished = []
    for number, (chapter_bursts, chapter_lengths) in enumerate(zip(BURSTS, LENGTHS, strict=True), 1):
        parts = []
        for index, (bursts, seconds) in enumerate(zip(chapter_bursts, chapter_lengths, strict=True)):
            wav = folder / f"part{number}-{index}.wav"
            write_wav(wav, _part_audio(bursts, seconds, rate), rate)
            parts.append(MasteredPart(f"k{number}-{index}", wav, round(seconds * rate), ()))
        encodes = encode_parts([(m.key, m.wav) for m in parts], folder, aac=True)
        pauses = (PART_PAUSE,) * (len(parts) - 1)
        finished.append(
            FinishedChapter(Chapter(f"第{number}章", ()), tuple(zip(parts, encodes, strict=True)), pauses)
        )
    chapters = place_parts(finished, [f"c{n}" for n in (1, 2, 3)], PAUSE, rate)
    article = Article("标题", (), None, (), tuple(f.chapter for f in finished))
    return Edition(article, {}, chapters, rate, -19.0, PAUSE, folder)


def _expected_onsets(edition: Edition, origin: int = 0) -> list[int]:
    return [
        part.offset - origin + round(b * edition.sample_rate)
        for chapter, chapter_bursts in zip(edition.chapters, BURSTS, strict=True)
        for part, bursts in zip(chapter.parts, chapter_bursts, strict=True)
        for b in bursts
    ]


def test_pauses_are_the_set_pauses_to_the_nearest_frame(edition: Edition) -> None:
    rate = edition.sample_rate
    frame = edition.parts[0].encodes.mp3.frame_samples
    assert all(part.offset % frame == 0 for part in edition.parts)
    for chapter, following in itertools.pairwise(edition.chapters):
        assert abs(following.start - chapter.end - PAUSE) <= frame / 2 / rate
    first, second = edition.chapters[1].parts
    assert abs(second.offset - (first.offset + first.mastered.length) - PART_PAUSE * rate) <= frame / 2


def test_whole_mp3_has_every_part_at_its_sample_offset(edition: Edition, tmp_path: Path) -> None:
    rate = edition.sample_rate
    whole = tmp_path / "whole.mp3"
    write_whole_mp3(edition, whole, tmp_path)
    decoded = decode_file(whole, rate)
    last = edition.chapters[-1]
    assert len(decoded) == last.offset + last.length  # delay and padding gone
    expected = _expected_onsets(edition)
    found = _onsets(decoded, rate)
    assert len(found) == len(expected)
    for got, want in zip(found, expected, strict=True):
        assert abs(got - want) <= 5, (got, want)  # a few samples into the tone: not a frame off
    assert abs(MP3(whole).info.length - len(decoded) / rate) < 0.15


def test_a_chapter_file_is_its_parts_on_the_same_timeline(edition: Edition, tmp_path: Path) -> None:
    rate = edition.sample_rate
    chapter = edition.chapters[1]
    target = tmp_path / "chapter.mp3"
    write_chapter_mp3(chapter, target, tmp_path)
    decoded = decode_file(target, rate)
    assert len(decoded) == chapter.length
    expected = [o for o in _expected_onsets(edition, chapter.offset) if 0 <= o < chapter.length]
    found = _onsets(decoded, rate)
    assert len(found) == len(expected) == 4
    for got, want in zip(found, expected, strict=True):
        assert abs(got - want) <= 5, (got, want)


def test_m4b_chapters_and_audio_agree_with_the_timeline(edition: Edition, tmp_path: Path) -> None:
    from mutagen.mp4 import MP4

    rate = edition.sample_rate
    m4b = tmp_path / "whole.m4b"
    write_m4b(edition, m4b, tmp_path, None)
    _, starts = m4b_layout(edition)
    decoded = decode_file(m4b, rate)
    found = _onsets(decoded, rate)
    bursts = [b for chapter in BURSTS for part in chapter for b in part]
    offsets = [s for s, part in zip(starts, BURSTS[0] + BURSTS[1] + BURSTS[2], strict=True) for _ in part]
    expected = [s + AAC_FRAME + round(b * rate) for s, b in zip(offsets, bursts, strict=True)]
    assert len(found) == len(expected)
    for got, want in zip(found, expected, strict=True):
        assert abs(got - want) <= 5, (got, want)
    for start, part in zip(starts, edition.parts, strict=True):
        assert abs(start - part.offset) <= AAC_FRAME // 2
    firsts = [starts[0], starts[1], starts[3]]  # each chapter's first part
    marks = MP4(m4b).chapters
    assert [round(c.start, 2) for c in marks] == [round(s / rate, 2) for s in firsts]


def test_only_parts_not_in_the_cache_are_encoded(edition: Edition, tmp_path: Path) -> None:
    first = edition.parts[0].encodes.mp3.path
    before = first.stat().st_mtime_ns
    new = tmp_path / "new.wav"
    write_wav(new, _part_audio([0.2], 0.8, edition.sample_rate), edition.sample_rate)
    again = encode_parts([("k1-0", edition.parts[0].mastered.wav), ("fresh", new)], first.parent, aac=True)
    assert again[0].mp3.path == first and first.stat().st_mtime_ns == before
    assert again[1].mp3.frames > 0 and again[1].aac_frames > 0
