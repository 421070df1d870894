"""Cache, resume after a crash, incremental rebuilds, Ctrl-C and bounded edge concurrency."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audiobook.build import BuildOptions, build
from audiobook.cache import TakeCache
from audiobook.casting import make_cast
from audiobook.cli import app
from audiobook.render import Renderer
from tests.edge_standin import EdgeStandIn

DATA = Path(__file__).parent / "data"
ARTICLE = """# 营口的春天

海丹青

## 一、开篇

辽水之畔，营口之滨。这座城市正聆听着一场关乎振兴与未来的宏大叙事。国庆金秋，故事会拉开帷幕。

## 二、奋进

振兴之路，从无坦途。它需要攻坚克难的勇气，更需要开拓创新的智慧。市总工会纵横联动，深入推进产业工人队伍建设。

## 三、守护

平安，是振兴发展的基石。

通过有奖报告、隐患排查、技能培训，职工的安全意识大幅度提升。
"""


def _build_cmd(article: Path, out: Path, cache: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "audiobook.cli",
        "build",
        str(article),
        "--out",
        str(out),
        "--cache",
        str(cache),
        "--jobs",
        "2",
    ]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_killed_build_resumes_and_gives_byte_identical_files(tmp_path: Path) -> None:
    article = tmp_path / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    cache = tmp_path / "cache"
    interrupted = tmp_path / "a" / "edition"
    proc = subprocess.Popen(
        _build_cmd(article, interrupted, cache),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while len(list(cache.glob("takes/*/*.npz"))) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers, with no chance to clean up
    proc.wait()
    kept = len(list(cache.glob("takes/*/*.npz")))
    assert kept >= 3 and not (interrupted / "manifest.json").exists()

    resumed = subprocess.run(
        _build_cmd(article, interrupted, cache), capture_output=True, text=True, timeout=300
    )
    assert resumed.returncode == 0, resumed.stderr
    total = int(resumed.stdout.split(" segments synthesized")[0].rsplit(" ", 1)[-1])
    uninterrupted = tmp_path / "b" / "edition"
    clean = subprocess.run(
        _build_cmd(article, uninterrupted, tmp_path / "fresh-cache"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert clean.returncode == 0, clean.stderr
    fresh = int(clean.stdout.split(" segments synthesized")[0].rsplit(" ", 1)[-1])
    assert total == fresh - kept  # only what was missing was spoken again
    assert _files(interrupted) == _files(uninterrupted)


def test_editing_one_paragraph_resynthesizes_only_its_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import audiobook.export.encode
    import audiobook.finishing
    import audiobook.speech

    prepared: list[str] = []  # sentences the text front end worked out afresh
    mastered: list[str] = []  # parts mastered afresh (their first segment)
    encoded: list[int] = []  # parts encoded to MP3 afresh, per ffmpeg run
    prepare, master, run = (
        audiobook.speech._prepare,
        audiobook.finishing.master_part,
        audiobook.export.encode.run_ffmpeg,
    )

    def counting_run(args: list[str]) -> bytes:
        encoded.append(args.count("libmp3lame"))
        return run(args)

    monkeypatch.setattr(
        audiobook.speech, "_prepare", lambda text, *a: prepared.append(text) or prepare(text, *a)
    )
    monkeypatch.setattr(
        audiobook.finishing,
        "master_part",
        lambda spoken, *a: mastered.append(spoken[0].segment.text) or master(spoken, *a),
    )
    monkeypatch.setattr(audiobook.export.encode, "run_ffmpeg", counting_run)
    article = tmp_path / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    options = BuildOptions(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache", jobs=1, formats=("mp3",))
    first = build(article, make_cast(), options)
    assert first.synthesized == len(first.edition.article.segments)
    parts = len(first.edition.parts)
    assert len(mastered) == sum(encoded) == parts > len(first.edition.chapters)
    prepared.clear(), mastered.clear(), encoded.clear()
    again = build(article, make_cast(), options)
    assert again.synthesized == 0 and prepared == [] and mastered == [] and sum(encoded) == 0
    article.write_text(
        ARTICLE.replace("平安，是振兴发展的基石。", "安全，是振兴发展的根基。"), encoding="utf-8"
    )
    edited = build(article, make_cast(), options)
    assert edited.synthesized == 1
    assert prepared == ["安全，是振兴发展的根基。"]  # one sentence parsed afresh
    assert mastered == ["三、守护"] and sum(encoded) == 1  # one part: the heading and its paragraph
    assert len(edited.edition.chapters[-1].parts) == 2  # the chapter's other paragraph was left alone
    texts = [s.text for s in edited.edition.article.segments]
    assert "安全，是振兴发展的根基。" in texts


def test_cache_info_and_clear(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    options = BuildOptions(out_dir=tmp_path / "out", cache_dir=cache, jobs=1, formats=("mp3",))
    built = build(DATA / "short.md", make_cast(), options)
    runner = CliRunner()
    info = runner.invoke(app, ["cache", "info", "--cache", str(cache)])
    assert info.exit_code == 0 and f"{built.synthesized} takes" in info.stdout
    cleared = runner.invoke(app, ["cache", "clear", "--cache", str(cache)])
    assert cleared.exit_code == 0 and TakeCache(cache).info().entries == 0


def test_ctrl_c_stops_within_a_second_and_keeps_the_takes(tmp_path: Path) -> None:
    article = tmp_path / "article.md"
    article.write_text(ARTICLE * 3, encoding="utf-8")
    cache = tmp_path / "cache"
    proc = subprocess.Popen(
        _build_cmd(article, tmp_path / "out", cache),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    # Once a part is encoded, parts are being finished in the background while others are spoken.
    while not list(cache.glob("parts/*.mp3")) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    started = time.monotonic()
    _, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - started < 1.5
    assert proc.returncode == 130
    assert "run the same command again to resume" in stderr and "Traceback" not in stderr
    assert len(list(cache.glob("takes/*/*.npz"))) >= 2


def test_edge_runs_a_bounded_number_of_requests_and_never_repeats_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    with EdgeStandIn(latency_s=0.3) as server:
        monkeypatch.setenv("AUDIOBOOK_EDGE_ENDPOINT", server.endpoint)
        options = BuildOptions(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache", formats=("mp3",))
        result = build(article, make_cast(voice="zh-CN-XiaoxiaoNeural"), options)
    texts = [r["text"] for r in server.requests]
    assert len(texts) == len(set(texts)) == result.synthesized
    assert 2 <= server.max_active <= 4


def test_takes_are_the_same_from_threads_here_and_from_worker_processes(tmp_path: Path) -> None:
    import numpy as np

    from audiobook.text.pipeline import load_article

    article = tmp_path / "article.md"
    article.write_text(
        "# 标题\n\n辽水之畔，营口之滨。振兴之路，从无坦途。"
        "平安，是振兴发展的基石，这座城市正聆听着一场关乎振兴与未来的宏大叙事。\n",
        encoding="utf-8",
    )
    parsed = load_article(article)
    for few in (False, True):  # several takes on two engines; one take on two vocoders
        takes = []
        for name, run in (("threads", "_run_in_threads"), ("processes", "_run_in_processes")):
            renderer = Renderer(make_cast(), TakeCache(tmp_path / f"{name}-{few}"), jobs=2)
            jobs = sorted(renderer.plan(parsed).jobs.values(), key=lambda j: len(j.text), reverse=True)
            jobs = jobs[:1] if few else jobs
            getattr(renderer, run)("baker", jobs, None)
            takes.append([renderer.cache.get(job.key) for job in jobs])
            renderer.close()
        assert len(takes[0]) == (1 if few else 4)
        for here, there in zip(*takes, strict=True):
            assert here is not None and there is not None
            assert np.array_equal(here.samples, there.samples)
