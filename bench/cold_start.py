"""Cold starts: what each entry point costs a new instance before it can answer, in a fresh interpreter.

    python bench/cold_start.py [--runs 7] [--against OTHER_CHECKOUT/functions]

Each run starts Python, imports `main` (as every instance of every function does) and calls the entry
point once with a request it refuses at once (a GET), so that it imports exactly what its first real
call would; the time is the whole process's, start to exit, and the memory its peak RSS. Baselines
measured in the same run, alternating with the entry points: an empty interpreter, and one that only
imports Firestore's client (the floor every entry point pays), and one that imports the libraries every HTTP
entry point needs before any of our code (functions-framework with Flask, Firestore's client, google-auth's
token check, pydantic with a model): what an entry point costs past that is ours. Figures are medians of the
runs.
`--against` times another checkout's entry points too, in the same alternation (`git worktree add`).

Prints, last, one line per entry point: `ENTRY: S s, R× firestore, M MB, +P s past the libraries`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

FUNCTIONS = Path(__file__).resolve().parents[1] / "functions"
HTTP = ("job_status", "suggest_mapping", "inbound_email", "list_imports", "start_import", "preview_import")
CALL = """
import flask, main
with flask.Flask("bench").test_request_context(method="GET"):
    main.{entry}(flask.request)
"""
# the libraries every HTTP entry point needs before any of our code: the runtime (functions-framework and
# Flask), Firestore's client, google-auth's token check, and pydantic with one model built
LIBRARIES = """
import flask, functions_framework, google.cloud.firestore, google.auth.jwt, pydantic
class Body(pydantic.BaseModel):
    job_id: str
with flask.Flask("bench").test_request_context(method="GET"):
    pass
"""
BASELINES = {"python": "pass", "firestore": "import google.cloud.firestore", "libraries": LIBRARIES}


def _one(code: str, where: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of a fresh interpreter running `code` in `where` (its main and leadimport)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], cwd=where, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env={**os.environ, "LEADIMPORT_INBOUND_SECRET": "bench"})
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status:
        raise SystemExit(f"{code!r} failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--against", type=Path, help="another checkout's functions/ folder, timed alike")
    args = parser.parse_args()
    cases = {name: (code, FUNCTIONS) for name, code in BASELINES.items()}
    for entry in HTTP:
        if args.against:
            cases[f"{entry} (against)"] = (CALL.format(entry=entry), args.against)
        cases[entry] = (CALL.format(entry=entry), FUNCTIONS)
    times: dict[str, list[float]] = {name: [] for name in cases}
    memory: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):  # alternating: the machine's drift falls on every case alike
        for name, (code, where) in cases.items():
            seconds, mb = _one(code, where)
            times[name].append(seconds)
            memory[name].append(mb)
    floor, libraries = statistics.median(times["firestore"]), statistics.median(times["libraries"])
    for name in cases:
        seconds = statistics.median(times[name])
        print(f"{name}: {seconds:.2f} s, {seconds / floor:.2f}× firestore, {statistics.median(memory[name]):.0f} MB, "
              f"{seconds - libraries:+.2f} s past the libraries")


if __name__ == "__main__":
    main()
