"""The voice catalog: voices/*.toml, loaded into Voice records, with lookup and suggestions."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from audiobook.errors import InputError, VoiceNotFoundError

VOICES_DIR = Path(__file__).resolve().parent.parent / "voices"


@dataclass(frozen=True)
class Prosody:
    """Rate and volume as ratios (1.0 = the voice's own), pitch in semitones."""

    rate: float = 1.0
    pitch: float = 0.0
    volume: float = 1.0
    energy: float = 1.0


@dataclass(frozen=True)
class Voice:
    id: str
    engine: str
    locale: str
    gender: str
    name: str  # the engine's own name for the voice
    description: str = ""
    licence: str = ""
    prosody: Prosody = field(default_factory=Prosody)
    default: bool = False


def load_catalog(folder: Path = VOICES_DIR) -> dict[str, Voice]:
    return dict(_load_catalog(folder.resolve()))


@cache
def _load_catalog(folder: Path) -> tuple[tuple[str, Voice], ...]:
    voices: dict[str, Voice] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name == "lexicon.toml":
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise InputError(f"{path}: not valid TOML ({error}); fix the file") from None
        for entry in data.get("voice", []):
            prosody = Prosody(**entry.pop("prosody", {}))
            voice = Voice(prosody=prosody, **entry)
            voices[voice.id] = voice
    return tuple(voices.items())


def default_voice(catalog: dict[str, Voice] | None = None) -> Voice:
    catalog = catalog if catalog is not None else load_catalog()
    return next(v for v in catalog.values() if v.default)


def find_voice(voice_id: str, catalog: dict[str, Voice] | None = None) -> Voice:
    catalog = catalog if catalog is not None else load_catalog()
    if voice_id in catalog:
        return catalog[voice_id]
    by_name = [v for v in catalog.values() if v.name == voice_id]
    if by_name:
        return by_name[0]
    close = difflib.get_close_matches(voice_id, list(catalog), n=3, cutoff=0.4)
    if not close:
        close = [v for v in catalog if voice_id.lower() in v.lower()][:3]
    hint = f"did you mean {', '.join(close)}?" if close else "run `audiobook voices list` to see the ids"
    raise VoiceNotFoundError(f"unknown voice {voice_id!r}; {hint}")
