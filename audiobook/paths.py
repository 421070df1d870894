"""Where the user's cache folder is: AUDIOBOOK_CACHE if set, else the platform's (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "AUDIOBOOK_CACHE"


def default_cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("audiobook"))
