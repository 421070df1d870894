"""The text front end's memo: kept between builds, never stale, never in the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.text import memo


def test_a_remembered_result_is_recalled_by_the_next_build(tmp_path: Path) -> None:
    path = tmp_path / "memo.sqlite3"
    with memo.memo_in(path):
        assert memo.recall("space", "营口") is None
        memo.remember("space", "营口", [["营口", "ns"]])
    with memo.memo_in(path):
        assert memo.recall("space", "营口") == [["营口", "ns"]]
    assert memo.recall("space", "营口") is None  # outside a build nothing is kept or read


def test_a_changed_front_end_never_reads_old_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "memo.sqlite3"
    with memo.memo_in(path):
        memo.remember("space", "行", "xing2")
    monkeypatch.setattr(memo, "revision", lambda: "another-revision")
    with memo.memo_in(path):
        assert memo.recall("space", "行") is None


def test_a_damaged_memo_is_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "memo.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    with memo.memo_in(path):
        assert memo.recall("space", "key") is None
        memo.remember("space", "key", 1)  # no error: the build goes on without a memo


def test_the_revision_follows_the_front_end_source() -> None:
    assert len(memo.revision()) == 16 and memo.revision() == memo.revision()
