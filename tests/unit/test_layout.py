"""The layout's promise: the core (read, map, validate, dedup, keys, the match and write decisions) and the
translations run with Google's client libraries absent, so they are tested, benchmarked and reasoned about
without a server."""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCKED = ("google.cloud", "google.api_core", "google.auth", "requests")

_IMPORT_ALL_BLOCKED = textwrap.dedent(f"""
    import importlib, importlib.abc, pkgutil, sys

    class Blocked(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if any(name == b or name.startswith(b + ".") for b in {BLOCKED!r}):
                raise ImportError("blocked: " + name)

    sys.meta_path.insert(0, Blocked())
    import leadimport.core, leadimport.i18n
    names = []
    for package in (leadimport.core, leadimport.i18n):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
            names.append(module.name)
    print(len(names))
""")


def test_the_core_imports_nothing_from_google() -> None:
    done = subprocess.run([sys.executable, "-c", _IMPORT_ALL_BLOCKED], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 30  # every module of read/, mapping/, validate/ and the decisions was imported


def test_the_blocker_blocks() -> None:
    """The test above would pass vacuously if the block did nothing: a store module must fail under it."""
    script = _IMPORT_ALL_BLOCKED.replace("import leadimport.core, leadimport.i18n", "import leadimport.store.batches")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "blocked: google" in done.stderr
