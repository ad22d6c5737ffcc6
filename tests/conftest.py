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


def pytest_report_header(config: pytest.Config) -> str:
    """Which Firestore emulator the stack tests run on (CI requires Google's: LEADIMPORT_FIRESTORE_EMULATOR=google)."""
    from leadimport.devstack import firestore_emulators

    try:
        chosen = firestore_emulators.choose()
    except RuntimeError as exc:
        return f"firestore emulator: none ({exc})"
    return f"firestore emulator: {chosen.describe()['name']} ({chosen.launcher})"
