"""Shared fixtures: the reference article and helpers that run the real CLI."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Tests never read or fill the user's own take cache; subprocesses inherit this.
os.environ["AUDIOBOOK_CACHE"] = tempfile.mkdtemp(prefix="audiobook-test-cache-")

DATA = Path(__file__).parent / "data"
REFERENCE = DATA / "reference.txt"


@pytest.fixture
def reference_path() -> Path:
    return REFERENCE


@pytest.fixture(scope="session")
def reference_article():  # type: ignore[no-untyped-def]
    from audiobook.text.pipeline import load_article

    return load_article(REFERENCE)
