"""Google clients, built on first use and never at import time.

Both libraries find the local emulators by themselves through FIRESTORE_EMULATOR_HOST and
STORAGE_EMULATOR_HOST, so the same code runs against production and the local stack.
"""

from __future__ import annotations

from functools import lru_cache

from google.cloud import firestore, storage

from leadimport.settings import get_settings


@lru_cache(maxsize=1)
def firestore_client() -> firestore.Client:
    return firestore.Client(project=get_settings().project)


@lru_cache(maxsize=1)
def storage_client() -> storage.Client:
    return storage.Client(project=get_settings().project)
