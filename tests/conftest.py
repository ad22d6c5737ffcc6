"""Shared test helpers: where the third-party corpus lives."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"The shared corpus is missing at {CORPUS}: clone the project beside shared/.")
    return CORPUS
