"""`leadimport dev up | down | status`: idempotent, and nothing left running after down; Google's
Firestore emulator whenever the machine has it, and the npm fallback still good for the demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from leadimport.devstack import firestore_emulators
from leadimport.devstack.stack import Stack

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

pytestmark = pytest.mark.stack


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"


def _cli(state: Path, *args: str, **env: str) -> str:
    return subprocess.run([sys.executable, "-m", "leadimport.cli.main", *args], capture_output=True, text=True,
                          check=True, env={**os.environ, "LEADIMPORT_STATE_DIR": str(state), **env}).stdout


def test_up_is_idempotent_and_down_stops_everything(tmp_path: Path) -> None:
    stack = Stack(tmp_path / "state")
    first = stack.up()
    try:
        assert first["running"]
        # the emulator Google stands behind whenever the machine has it (CI requires it), and status says so
        assert first["firestore_emulator"]["kind"] == firestore_emulators.choose().kind
        assert json.loads(_cli(tmp_path / "state", "dev", "status", "--json"))["firestore_emulator"] == \
            first["firestore_emulator"]
        assert first["firestore_emulator"]["name"] in _cli(tmp_path / "state", "dev", "status")
        pids = {name: proc["pid"] for name, proc in first["processes"].items()}
        assert set(pids) == {"firestore", "storage", "smtp", "identity", "process_upload", "import_chunk",
                             "report_result", "http", "bridge"}
        again = stack.up()
        assert {name: proc["pid"] for name, proc in again["processes"].items()} == pids
        assert all(Path(proc["log"]).exists() for proc in again["processes"].values())
    finally:
        stack.down()
    assert not any(alive(pid) for pid in pids.values())
    assert stack.status() == {"running": False, "state_dir": str(tmp_path / "state")}
    stack.down()  # a second down is harmless


def test_the_npm_fallback_still_runs_the_demo_import(tmp_path: Path) -> None:
    """A machine without Google's emulator gets the npm one: the demo's import goes through it whole."""
    state = tmp_path / "npm"
    fallback = {firestore_emulators.CHOICE_ENV: "npm"}
    up = json.loads(_cli(state, "dev", "up", "--json", **fallback))
    try:
        assert up["running"] and up["firestore_emulator"]["kind"] == "npm"
        _cli(state, "tenant", "apply", "--tenant", "demo", str(EXAMPLES / "tenant.json"))
        outcome = json.loads(_cli(state, "import", str(EXAMPLES / "leads_demo.xlsx"), "--tenant", "demo", "--json"))
        assert outcome["status"] == "done" and outcome["email"] == "sent"
        assert outcome["counts"]["created"] > 0 and len(outcome["rows"]) == outcome["counts"]["rows"]
        leads = json.loads(_cli(state, "leads", "--tenant", "demo", "--json"))
        assert len(leads) == outcome["counts"]["created"]
    finally:
        _cli(state, "dev", "down")
