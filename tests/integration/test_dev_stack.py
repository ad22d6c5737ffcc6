"""`leadimport dev up | down | status`: idempotent, and nothing left running after down."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from leadimport.devstack.stack import Stack

pytestmark = pytest.mark.stack


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"


def test_up_is_idempotent_and_down_stops_everything(tmp_path: Path) -> None:
    stack = Stack(tmp_path / "state")
    first = stack.up()
    try:
        assert first["running"]
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
