"""The upload the add-on's own code makes of a sheet: addon/test/export_sheet.js run in Node against the
Apps Script fakes, so that a Python test reads exactly the bytes the add-on would PUT (no Python copy of it)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

EXPORT = Path(__file__).resolve().parents[1] / "addon" / "test" / "export_sheet.js"


def date(iso: str) -> dict[str, str]:
    """A date cell as getValues gives it: the instant of that wall-clock time in the spreadsheet's zone."""
    return {"$date": iso}


def sheet_upload(rows: list[list[Any]], settings: dict[str, Any], time_zone: str = "America/Guayaquil",
                 extras: dict[str, Any] | None = None) -> tuple[bytes, dict[str, Any]]:
    """(the CSV's bytes, what submitImport returned) for a tab holding `rows` and the sidebar's `settings`."""
    node = shutil.which("node")
    assert node, "Node.js runs the add-on's own code: scripts/setup.sh installs it"
    sheet = {"timeZone": time_zone, "rows": rows, "extras": extras or {}, "settings": settings}
    done = subprocess.run([node, str(EXPORT)], input=json.dumps(sheet), capture_output=True, text=True, timeout=60,
                          check=True)
    answer = json.loads(done.stdout)
    return answer["csv"].encode(), answer["result"]
