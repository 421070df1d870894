"""Engines by name: the built-in ones and any third-party engine in the `audiobook.engines` entry points."""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from typing import Any

from audiobook.engines.base import Engine
from audiobook.errors import InputError

ENTRY_POINT_GROUP = "audiobook.engines"
_BUILT_IN = {
    "baker": "audiobook.engines.baker:BakerEngine",
    "espeak": "audiobook.engines.espeak:EspeakEngine",
    "edge": "audiobook.engines.edge:EdgeEngine",
}


@cache
def engine_classes() -> dict[str, str]:
    """name -> "module:Class"; entry points may add engines (a built-in name cannot be replaced)."""
    found = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return {**found, **_BUILT_IN}


def engine_names() -> list[str]:
    return sorted(engine_classes())


def create_engine(name: str, **options: Any) -> Engine:
    target = engine_classes().get(name)
    if target is None:
        raise InputError(f"unknown engine {name!r}; known engines: {', '.join(engine_names())}")
    module_name, _, class_name = target.partition(":")
    module = __import__(module_name, fromlist=[class_name])
    engine = getattr(module, class_name)(**options)
    if not isinstance(engine, Engine):
        raise InputError(f"engine {name!r} ({target}) does not implement the engine interface")
    return engine
