"""A memo of the slow, pure steps of the text front end (jieba's tags, each segment's speech input),
kept in the cache folder between builds, so that a rebuild parses only the sentences that changed.

Every entry is keyed by a digest of the front end's own source and of the versions of the
libraries it calls: changing either starts a fresh memo instead of reading stale results.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

_SOURCES = ("text", "speech.py", "lexicon.py")
_LIBRARIES = ("jieba", "pypinyin", "g2pM", "cn2an")


@cache
def revision() -> str:
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in _SOURCES:
        path = package / name
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(source.read_bytes())
    for library in _LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{library}={metadata.version(library)}".encode())
    return digest.hexdigest()[:16]


class Memo:
    """A small sqlite table; a memo that cannot be read or written is simply not used."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=5, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS memo (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._pending: dict[str, str] = {}

    def _key(self, space: str, key: str) -> str:
        return hashlib.sha256(f"{revision()}\0{space}\0{key}".encode()).hexdigest()

    def recall(self, space: str, key: str) -> Any | None:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM memo WHERE key = ?", (self._key(space, key),)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def remember(self, space: str, key: str, value: Any) -> None:
        with self._lock:
            self._pending[self._key(space, key)] = json.dumps(value, ensure_ascii=False)

    def close(self) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):
            if self._pending:
                with self._db:
                    self._db.executemany("INSERT OR REPLACE INTO memo VALUES (?, ?)", self._pending.items())
            self._db.close()


_active: Memo | None = None


@contextlib.contextmanager
def memo_in(path: Path) -> Iterator[None]:
    """Use the memo at `path` for the text front end while the block runs."""
    global _active
    try:
        memo: Memo | None = Memo(path)
    except sqlite3.Error:
        memo = None  # a read-only or damaged cache folder: parse everything, as without a memo
    previous, _active = _active, memo
    try:
        yield
    finally:
        _active = previous
        if memo is not None:
            memo.close()


def recall(space: str, key: str) -> Any | None:
    if _active is None:
        return None
    try:
        return _active.recall(space, key)
    except (sqlite3.Error, ValueError):
        return None


def remember(space: str, key: str, value: Any) -> None:
    if _active is not None:
        _active.remember(space, key, value)
