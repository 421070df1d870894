"""A content-addressed store of takes: the same engine, model, voice, prosody and text give the same key."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from audiobook.engines.base import Take, Timing
from audiobook.export.atomic import write_bytes
from audiobook.paths import default_cache_dir
from audiobook.voices import Voice

FORMAT_VERSION = 2


def take_key(
    engine: str, engine_version: str, voice: Voice, text: str, pinyin: tuple[str | None, ...] | None
) -> str:
    """The identity of a take: everything that changes the audio, nothing that does not."""
    identity = {
        "format": FORMAT_VERSION,
        "engine": engine,
        "engine_version": engine_version,
        "voice": voice.name,
        "prosody": asdict(voice.prosody),
        "text": text,
        "pinyin": list(pinyin) if pinyin is not None else None,
    }
    return hashlib.sha256(json.dumps(identity, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    entries: int
    bytes: int


class TakeCache:
    """Takes under <root>/takes/, mastered and encoded parts of chapters under <root>/parts/, and
    the text front end's memo in <root>/frontend.sqlite3."""

    def __init__(self, folder: Path | None = None) -> None:
        self.root = folder or default_cache_dir()
        self.folder = self.root / "takes"
        self.parts = self.root / "parts"
        self.frontend_memo = self.root / "frontend.sqlite3"

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.npz"

    def part_wav(self, key: str) -> Path:
        return self.parts / f"{key}.wav"

    def part_layout(self, key: str) -> tuple[int, list[tuple[float, float]]] | None:
        """A mastered part's length in samples and where each of its segments sits, if it is here."""
        wav, layout = self.part_wav(key), self.parts / f"{key}.json"
        if not (wav.is_file() and layout.is_file()):
            return None
        try:
            record = json.loads(layout.read_text(encoding="utf-8"))
            return int(record["length"]), [(float(a), float(b)) for a, b in record["spans"]]
        except (ValueError, TypeError, KeyError):
            return None

    def put_part_layout(self, key: str, length: int, spans: list[tuple[float, float]]) -> None:
        write_bytes(self.parts / f"{key}.json", json.dumps({"length": length, "spans": spans}).encode())

    def __contains__(self, key: str) -> bool:
        return self._path(key).is_file()

    def get(self, key: str) -> Take | None:
        path = self._path(key)
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode())
                samples = data["samples"].astype(np.float32) / 32767.0
        except (OSError, ValueError, KeyError):
            return None  # missing, or a file left damaged by something else: synthesize again
        timings = tuple(Timing(t["text"], t["start"], t["end"]) for t in meta["timings"])
        return Take(samples, int(meta["sample_rate"]), timings)

    def put(self, key: str, take: Take) -> None:
        meta = {"sample_rate": take.sample_rate, "timings": [asdict(t) for t in take.timings]}
        buffer = io.BytesIO()
        # 16-bit is what mastering keeps anyway: half the size of float32, and every build,
        # interrupted or not, reads its takes back from here, so outputs stay byte-identical.
        pcm = (np.clip(take.samples, -1.0, 1.0) * 32767).round().astype("<i2")
        np.savez(
            buffer,
            samples=pcm,
            meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
        )
        write_bytes(self._path(key), buffer.getvalue())

    def info(self) -> CacheInfo:
        files = [f for f in self.root.rglob("*") if f.is_file()] if self.root.is_dir() else []
        takes = sum(1 for f in files if f.suffix == ".npz")
        return CacheInfo(self.root, takes, sum(f.stat().st_size for f in files))

    def clear(self) -> int:
        count = self.info().entries
        for folder in (
            self.folder,
            self.parts,
            self.root / "chapters",
        ):  # chapters/: whole chapters, as kept before
            if folder.is_dir():
                shutil.rmtree(folder)
        self.frontend_memo.unlink(missing_ok=True)
        return count
