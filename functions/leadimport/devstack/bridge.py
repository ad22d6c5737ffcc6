"""The local stand-in for Eventarc: new objects in watched buckets become storage CloudEvents.

fake-gcs-server can only publish to Pub/Sub, so the bridge polls. Like Eventarc it retries a
delivery the function refused (non-2xx), with backoff, a bounded number of times.

Each event's end (acknowledged by the function, or given up) is a line in the delivered log
(`<state>/bridge-delivered.jsonl`): tests wait on it to know the pipeline is quiet, not on the clock.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import signal
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import requests
from google.cloud import storage

log = logging.getLogger("bridge")
FINALIZED = "google.cloud.storage.object.v1.finalized"
RETRIES = 12  # about 3.5 minutes of backoff: longer than a chunk's lease, so a killed worker's chunk is taken over


def object_event(blob: storage.Blob) -> tuple[dict[str, str], dict]:
    """The headers (binary content mode) and data Eventarc sends for an object finalize."""
    data = {
        "kind": "storage#object", "bucket": blob.bucket.name, "name": blob.name,
        "id": f"{blob.bucket.name}/{blob.name}/{blob.generation}", "generation": str(blob.generation),
        "metageneration": str(blob.metageneration or 1), "contentType": blob.content_type,
        "size": str(blob.size or 0), "md5Hash": blob.md5_hash, "crc32c": blob.crc32c,
        "timeCreated": blob.time_created.isoformat() if blob.time_created else None,
        "updated": blob.updated.isoformat() if blob.updated else None,
        "storageClass": blob.storage_class or "STANDARD", "metadata": blob.metadata or {},
    }
    headers = {
        "ce-specversion": "1.0", "ce-id": uuid.uuid4().hex, "ce-type": FINALIZED,
        "ce-source": f"//storage.googleapis.com/projects/_/buckets/{blob.bucket.name}",
        "ce-subject": _header_value(f"objects/{blob.name}"), "ce-time": dt.datetime.now(dt.UTC).isoformat(),
        "Content-Type": "application/json",
    }
    return headers, data


def _header_value(text: str) -> str:
    """CloudEvents' HTTP binding (3.1.3.2): outside printable ASCII, and '%' and '"', percent-encoded (UTF-8)."""
    return "".join(ch if " " <= ch <= "~" and ch not in '%"' else quote(ch, safe="") for ch in text)


class DeliveredLog:
    """Appends one JSON line per event the bridge is done with: bucket, name, generation, outcome."""

    def __init__(self, path: Path | None):
        self._path, self._lock = path, threading.Lock()

    def record(self, blob: storage.Blob, outcome: str) -> None:
        if self._path is None:
            return
        line = json.dumps({"bucket": blob.bucket.name, "name": blob.name, "generation": str(blob.generation),
                           "outcome": outcome})
        with self._lock, self._path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")


def read_delivered(path: Path) -> dict[tuple[str, str, str], str]:
    """(bucket, name, generation) → "acknowledged" or "gave_up", for every event the bridge is done with."""
    if not path.exists():
        return {}
    done = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        done[(entry["bucket"], entry["name"], entry["generation"])] = entry["outcome"]
    return done


def deliver(url: str, blob: storage.Blob, stop: threading.Event, delivered: DeliveredLog) -> None:
    try:
        delivered.record(blob, _deliver(url, blob, stop))
    except Exception:  # a pool thread's exception is otherwise lost, and the event with it
        log.exception("delivering %s#%s to %s failed", blob.name, blob.generation, url)
        delivered.record(blob, "gave_up")


def _deliver(url: str, blob: storage.Blob, stop: threading.Event) -> str:
    headers, data = object_event(blob)
    delay = 0.5
    for attempt in range(1, RETRIES + 1):
        try:
            response = requests.post(url, headers=headers, data=json.dumps(data), timeout=600)
            if response.ok:
                log.info("delivered %s#%s to %s (attempt %d)", blob.name, blob.generation, url, attempt)
                return "acknowledged"
            log.warning("%s answered %s for %s (attempt %d)", url, response.status_code, blob.name, attempt)
        except requests.RequestException as exc:
            log.warning("could not reach %s: %s (attempt %d)", url, exc, attempt)
        if stop.wait(delay):
            return "stopped"
        delay = min(delay * 2, 30)
    log.error("gave up delivering %s#%s to %s", blob.name, blob.generation, url)
    return "gave_up"


def run(routes: list[dict], interval: float, stop: threading.Event, delivered: DeliveredLog) -> None:
    client = storage.Client(project=os.environ.get("GOOGLE_CLOUD_PROJECT", "leadimport-local"))
    seen: set[tuple[str, str, int]] = set()
    first = True
    with ThreadPoolExecutor(max_workers=4) as pool:
        while not stop.is_set():
            for route in routes:
                try:
                    blobs = list(client.list_blobs(route["bucket"], prefix=route.get("prefix") or None))
                except Exception as exc:  # the storage server may be starting or stopping
                    log.warning("listing %s failed: %s", route["bucket"], exc)
                    continue
                for blob in blobs:
                    key = (route["bucket"], blob.name, int(blob.generation))
                    if key in seen:
                        continue
                    seen.add(key)
                    if not first:  # what was there before the bridge started is not new
                        pool.submit(deliver, route["url"], blob, stop, delivered)
            first = False
            stop.wait(interval)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--routes", type=Path, required=True, help="JSON list of {bucket, prefix, url}")
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--delivered", type=Path, help="append a JSON line here for each event done with")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    routes = json.loads(args.routes.read_text())
    log.info("bridge watching %s", ", ".join(r["bucket"] + "/" + (r.get("prefix") or "") for r in routes))
    run(routes, args.interval, stop, DeliveredLog(args.delivered))


if __name__ == "__main__":
    main()
