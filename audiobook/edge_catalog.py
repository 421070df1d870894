"""Refreshing voices/edge.toml from the edge service's voice list."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import aiohttp

from audiobook.engines.edge import ENDPOINT_ENV, fetch_voice_list
from audiobook.errors import AudiobookError
from audiobook.export.atomic import write_text
from audiobook.voices import VOICES_DIR, _load_catalog, load_catalog

HEADER = (
    "# Microsoft Edge neural voices for Chinese (online). Refresh with `audiobook voices list --refresh`.\n"
    "# Licence: Microsoft's terms for the Edge Read Aloud service; check them before publishing.\n"
)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\\\", "\\\\\\\\").replace('"', '\\\\"') + '"'


def refresh_edge_catalog(endpoint: str | None = None, folder: Path = VOICES_DIR) -> int:
    """Fetch the service's voice list and rewrite voices/edge.toml with its Chinese voices."""
    endpoint = endpoint or os.environ.get(ENDPOINT_ENV) or None
    try:
        voices = asyncio.run(fetch_voice_list(endpoint))
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        raise AudiobookError(
            f"cannot reach the edge voice list ({type(error).__name__}); the shipped catalog stays as it is"
        ) from None
    known = {v.id: v for v in load_catalog(folder).values() if v.engine == "edge"}
    lines = [HEADER]
    count = 0
    for entry in sorted(voices, key=lambda v: str(v["ShortName"])):
        name = str(entry["ShortName"])
        if not str(entry["Locale"]).startswith("zh-"):
            continue
        tags = entry.get("VoiceTag") or {}
        personalities = ", ".join(tags.get("VoicePersonalities", [])) if isinstance(tags, dict) else ""
        description = known[name].description if name in known else personalities
        lines += [
            "[[voice]]",
            f"id = {_toml_string(name)}",
            'engine = "edge"',
            f"locale = {_toml_string(str(entry['Locale']))}",
            f"gender = {_toml_string(str(entry['Gender']))}",
            f"name = {_toml_string(name)}",
            f"description = {_toml_string(description)}",
            'licence = "Microsoft Edge Read Aloud terms of use"',
            "",
        ]
        count += 1
    if not count:
        raise AudiobookError("the edge voice list has no Chinese voices; the shipped catalog stays as it is")
    write_text(folder / "edge.toml", "\n".join(lines))
    _load_catalog.cache_clear()
    return count
