"""Each entry point's first call loads what it uses, and not the rest of the application (issue 20's cold
starts): the modules a fresh instance holds after one refused call, as bench/cold_start.py makes it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
CALL = """
import json, sys, flask, main
with flask.Flask("test").test_request_context(method="GET"):
    main.{entry}(flask.request)
print(json.dumps(sorted(sys.modules)))
"""

# what no request to the sidebar's poll, its mapper or the mail webhook ever needs
READERS = ("leadimport.core.read.csv_reader", "leadimport.core.read.workbook_reader", "python_calamine")
IMPORT = ("leadimport.run.pipeline", "leadimport.run.import_rows", "leadimport.run.write", "leadimport.core.plan",
          "leadimport.core.dedup", "leadimport.store.leads")
WRITERS = ("openpyxl", "leadimport.report.results", "leadimport.report.error_files", "leadimport.report.templates")
MAPPER = ("leadimport.core.mapping.suggest", "leadimport.core.validate.row", "phonenumbers", "stdnum")
SETTINGS_MODELS = ("leadimport.core.tenant_config", "email_validator")


def _loaded(entry: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", CALL.format(entry=entry)], cwd=FUNCTIONS, check=True,
                         capture_output=True, text=True, env={**os.environ, "LEADIMPORT_INBOUND_SECRET": "test"})
    return json.loads(out.stdout.splitlines()[-1])


@pytest.mark.parametrize(("entry", "never"), [
    ("job_status", READERS + IMPORT + WRITERS + MAPPER + SETTINGS_MODELS),
    ("list_imports", READERS + IMPORT + WRITERS + MAPPER + SETTINGS_MODELS),
    # a sheet's header is mapped without a reader: only a file's sample loads them (test_http_api reads one)
    ("suggest_mapping", READERS + IMPORT + WRITERS),
    ("inbound_email", READERS + IMPORT + WRITERS + MAPPER),
])
def test_an_entry_point_loads_only_what_it_uses(entry: str, never: tuple[str, ...]) -> None:
    loaded = _loaded(entry)
    assert "main" in loaded and "google.cloud.firestore" in loaded  # the call did run
    assert [m for m in loaded if m.startswith(never)] == []


def test_the_import_loads_what_the_sidebar_poll_does_not() -> None:
    """The check above could pass on names no module has: the preview loads them."""
    loaded = _loaded("preview_import")
    for prefix in (*IMPORT[1:4], "leadimport.core.validate.row", *WRITERS[:3]):
        assert any(m.startswith(prefix) for m in loaded), prefix


@pytest.mark.parametrize("module", ["leadimport.api.bodies", "leadimport.core.models"])
def test_every_deferred_model_builds(module: str) -> None:
    """Bodies and core models build their validators on first use (defer_build): a mistake in one would
    otherwise show only on the first request that uses it, as a 500."""
    import importlib
    import inspect

    from pydantic import BaseModel

    loaded = importlib.import_module(module)
    models = [cls for _, cls in inspect.getmembers(loaded, inspect.isclass)
              if issubclass(cls, BaseModel) and cls.__module__ == module]
    assert len(models) >= 6
    for model in models:
        model.model_rebuild(raise_errors=True)
        assert model.__pydantic_complete__, model.__name__
