"""A real build of a short article with the offline voice, checked with real readers."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from typer.testing import CliRunner

from audiobook.cli import app
from audiobook.ffmpeg import decode_file
from audiobook.loudness import measure_integrated, measure_true_peak
from tests.audio_checks import rms_db
from tests.probe import probe_chapters

SHORT = Path(__file__).parent.parent / "data" / "short.md"
PAUSES = {
    "--pause-sentence": 0.3,
    "--pause-verse": 0.5,
    "--pause-paragraph": 0.8,
    "--pause-title": 0.6,
    "--pause-heading": 1.0,
    "--pause-chapter": 1.5,
}
RATE = 24000


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("edition") / "out"
    args = ["build", str(SHORT), "--out", str(out), "--preset", "newsroom", "--quiet"]
    for option, value in PAUSES.items():
        args += [option, str(value)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_lists_chapters_segments_voices_and_files(built) -> None:  # type: ignore[no-untyped-def]
    out, manifest = built
    assert manifest["article"]["title"] == "辽河之滨" and manifest["article"]["byline"] == "海丹青"
    assert [c["title"] for c in manifest["chapters"]] == ["辽河之滨", "一、序曲", "二、奋进"]
    assert manifest["voices"]["verse"] == "baker-slow" and manifest["voices"]["quote"] == "baker-low"
    kinds = {s["kind"]: s["voice"] for s in manifest["segments"]}
    assert kinds["verse"] == "baker-slow" and kinds["quote"] == "baker-low" and kinds["paragraph"] == "baker"
    for name in manifest["files"]:
        assert (out / name).is_file(), name
    assert not list(out.glob(".*part*")) and not (out / ".work").exists()
    starts = [s["start"] for s in manifest["segments"]]
    assert starts == sorted(starts)


def test_chapter_files_have_safe_names_and_id3_tags(built) -> None:  # type: ignore[no-untyped-def]
    out, manifest = built
    for number, chapter in enumerate(manifest["chapters"], 1):
        tags = ID3(out / chapter["file"])
        assert tags["TIT2"].text == [chapter["title"]]
        assert tags["TPE1"].text == ["海丹青"] and tags["TALB"].text == ["辽河之滨"]
        assert tags["TRCK"].text == [f"{number}/3"] and tags["TLAN"].text == ["zho"]
        assert chapter["file"].startswith(f"{number:02d}-")


def test_whole_mp3_has_chap_and_ctoc_frames_matching_the_manifest(built) -> None:  # type: ignore[no-untyped-def]
    out, manifest = built
    whole = out / f"{out.name}.mp3"
    tags = ID3(whole)
    toc = tags.getall("CTOC")[0]
    assert toc.child_element_ids == ["chp1", "chp2", "chp3"]
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    for chap, chapter in zip(chaps, manifest["chapters"], strict=True):
        assert chap.sub_frames["TIT2"].text == [chapter["title"]]
        assert abs(chap.start_time / 1000 - chapter["start"]) < 0.05
    probed = probe_chapters(whole)
    assert [p.title for p in probed] == [c["title"] for c in manifest["chapters"]]
    for p, chapter in zip(probed, manifest["chapters"], strict=True):
        assert abs(p.start - chapter["start"]) < 0.05 and abs(p.end - chapter["end"]) < 0.05


def test_m4b_chapters_match_the_manifest(built) -> None:  # type: ignore[no-untyped-def]
    from mutagen.mp4 import MP4

    out, manifest = built
    m4b = out / f"{out.name}.m4b"
    probed = probe_chapters(m4b)
    assert [p.title for p in probed] == [c["title"] for c in manifest["chapters"]]
    for p, chapter in zip(probed, manifest["chapters"], strict=True):
        assert abs(p.start - chapter["start"]) < 0.05
    mp4 = MP4(m4b)
    assert mp4.tags is not None and mp4.tags["©nam"] == ["辽河之滨"]
    assert [c.title for c in mp4.chapters] == [c["title"] for c in manifest["chapters"]]
    assert abs(mp4.info.length - manifest["duration"]) < 0.2


def test_loudness_is_on_target_with_true_peak_ceiling(built) -> None:  # type: ignore[no-untyped-def]
    out, _ = built
    whole = out / f"{out.name}.mp3"
    assert abs(measure_integrated(whole) - (-19.0)) <= 1.0
    assert measure_true_peak(whole) <= -0.5  # -1 dBTP before MP3 encoding, which adds a little


def test_subtitles_follow_the_segments(built) -> None:  # type: ignore[no-untyped-def]
    out, manifest = built
    vtt = (out / f"{out.name}.vtt").read_text(encoding="utf-8")
    srt = (out / f"{out.name}.srt").read_text(encoding="utf-8")
    lrc = (out / f"{out.name}.lrc").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT")
    assert "<v 李正潮>“咱们的招牌" in vtt
    starts = [_seconds(line.split(" --> ")[0]) for line in srt.splitlines() if " --> " in line]
    assert starts == sorted(starts)
    assert len(starts) == len(manifest["segments"])
    for start, segment in zip(starts, manifest["segments"], strict=True):
        assert abs(start - segment["start"]) < 0.1
    assert lrc.count("\n[") >= len(manifest["segments"]) - 1
    chapter_srt = (out / manifest["chapters"][2]["file"]).with_suffix(".srt").read_text(encoding="utf-8")
    assert chapter_srt.startswith("1\n00:00:00")


def test_pauses_are_laid_as_set(built) -> None:  # type: ignore[no-untyped-def]
    out, manifest = built
    longest_allowed = max(PAUSES.values()) + 0.05
    for chapter in manifest["chapters"]:
        samples = decode_file(out / chapter["file"], RATE)
        segments = [s for s in manifest["segments"] if s["chapter"] == chapter["number"]]
        for before, after in itertools.pairwise(segments):
            gap = after["start"] - before["end"]
            start = before["end"] - chapter["start"]
            silent = _silence_around(samples, start + gap / 2)
            assert gap - 0.05 <= silent <= gap + 0.05, (before["text"], gap, silent)
            assert silent <= longest_allowed


def test_chapter_json_is_podcasting_2_0(built) -> None:  # type: ignore[no-untyped-def]
    out, manifest = built
    chapters = json.loads((out / "chapters.json").read_text(encoding="utf-8"))
    assert chapters["version"] == "1.2.0"
    assert [c["startTime"] for c in chapters["chapters"]] == [c["start"] for c in manifest["chapters"]]


def _silence_around(samples, at: float, threshold_db: float = -50.0) -> float:  # type: ignore[no-untyped-def]
    frame = int(0.005 * RATE)
    centre = int(at * RATE)

    def quiet(i: int) -> bool:
        return rms_db(samples[i : i + frame]) < threshold_db

    left = centre
    while left - frame >= 0 and quiet(left - frame):
        left -= frame
    right = centre
    while right + frame <= len(samples) and quiet(right):
        right += frame
    return (right - left) / RATE


def _seconds(clock: str) -> float:
    hours, minutes, rest = clock.replace(",", ".").split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)
