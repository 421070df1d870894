"""Casting: which voice speaks each role, from --voice, --cast ROLE=V and --preset NAME."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from audiobook.errors import InputError
from audiobook.model import Role
from audiobook.voices import VOICES_DIR, Voice, default_voice, find_voice, load_catalog

PRESETS_DIR = VOICES_DIR / "casts"


@dataclass(frozen=True)
class Cast:
    voices: tuple[tuple[Role, Voice], ...]

    def voice_for(self, role: Role) -> Voice:
        return dict(self.voices)[role]

    def as_dict(self) -> dict[str, str]:
        return {role.value: voice.id for role, voice in self.voices}


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.toml"))


def load_preset(name: str) -> dict[Role, str]:
    path = Path(name) if name.endswith(".toml") else PRESETS_DIR / f"{name}.toml"
    if not path.is_file():
        raise InputError(f"unknown preset {name!r}; presets: {', '.join(preset_names())}")
    roles = tomllib.loads(path.read_text(encoding="utf-8")).get("roles", {})
    return {_role(key): value for key, value in roles.items()}


def _role(name: str) -> Role:
    try:
        return Role(name.strip().lower())
    except ValueError:
        raise InputError(f"unknown role {name!r}; roles: {', '.join(r.value for r in Role)}") from None


def parse_cast_option(option: str) -> tuple[Role, str]:
    role, sep, voice = option.partition("=")
    if not sep or not voice.strip():
        raise InputError(f"--cast {option!r}: write ROLE=VOICE, e.g. --cast quote=baker-low")
    return _role(role), voice.strip()


def make_cast(voice: str | None = None, casts: list[str] | None = None, preset: str | None = None) -> Cast:
    """Preset first, then --voice for every role, then each --cast for its role."""
    catalog = load_catalog()
    chosen: dict[Role, str] = {role: default_voice(catalog).id for role in Role}
    if preset:
        chosen.update(load_preset(preset))
    if voice:
        chosen = dict.fromkeys(Role, voice)
    for option in casts or []:
        role, voice_id = parse_cast_option(option)
        chosen[role] = voice_id
    return Cast(tuple((role, find_voice(chosen[role], catalog)) for role in Role))
