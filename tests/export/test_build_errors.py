"""Bad input and failures during a build: one line, the right exit code, nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mutagen.id3 import ID3

from audiobook.export.names import chapter_file_name, safe_name, slug

DATA = Path(__file__).parent.parent / "data"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audiobook.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_chapter_titles_never_leave_the_folder() -> None:
    for title in ["../../x", "..", "a/b\\c", "con\x00trol\x1b", "  ", "前章：振兴"]:
        name = chapter_file_name(3, title, ".mp3")
        assert "/" not in name and "\\" not in name and not any(ord(c) < 32 for c in name)
        assert not name.startswith(".") and Path(name).name == name
    assert safe_name("..") == "chapter"
    assert slug("红旗照亮振兴路") == "hongqi-zhaoliang-zhenxinglu"


def test_bad_options_are_one_line_errors(tmp_path: Path) -> None:
    cases = [
        (["build", str(tmp_path / "missing.md")], "no such file"),
        (["build", str(DATA / "short.md"), "--format", "wav"], "choose from mp3, m4b"),
        (["build", str(DATA / "short.md"), "--cover", str(tmp_path / "none.jpg")], "no such file"),
        (["build", str(DATA / "short.md"), "--voice", "nobody"], "unknown voice"),
        (["build", str(DATA / "short.md"), "--loudness", "loud"], "LUFS"),
    ]
    for args, message in cases:
        proc = _run(*args, "--out", str(tmp_path / "out"))
        assert proc.returncode == 2, (args, proc.stderr)
        assert message in proc.stderr and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_a_failed_rebuild_keeps_the_old_files_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    cover = tmp_path / "cover.png"
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # a PNG header and nothing behind it
    first = _run("build", str(DATA / "short.md"), "--out", str(out), "--quiet", "--format", "m4b")
    assert first.returncode == 0, first.stderr
    m4b = out / "out.m4b"
    before = m4b.read_bytes()
    second = _run(
        "build",
        str(DATA / "short.md"),
        "--out",
        str(out),
        "--quiet",
        "--format",
        "m4b",
        "--cover",
        str(cover),
    )
    assert second.returncode == 1 and second.stderr.count("\n") == 1 and "ffmpeg failed" in second.stderr
    assert m4b.read_bytes() == before
    assert not [p for p in out.iterdir() if ".part" in p.name]


def test_cover_art_is_embedded(tmp_path: Path) -> None:
    from audiobook.ffmpeg import run_ffmpeg

    cover = tmp_path / "cover.jpg"
    run_ffmpeg(["-y", "-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1", str(cover)])
    out = tmp_path / "out"
    proc = _run("build", str(DATA / "short.md"), "--out", str(out), "--quiet", "--cover", str(cover))
    assert proc.returncode == 0, proc.stderr
    tags = ID3(next(out.glob("01-*.mp3")))
    assert tags.getall("APIC")[0].data == cover.read_bytes()
    from mutagen.mp4 import MP4

    assert MP4(out / "out.m4b").tags is not None
