"""`leadimport mail FILE.eml`: email a message to Lead Import, as an inbound-mail provider posts it.

The message goes to the inbound_email webhook as a form with the raw message and the envelope
recipient (import+<tenant>@…), so any saved .eml can be sent to any tenant without editing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import requests

from leadimport.cli import import_cmd
from leadimport.devstack.stack import INBOUND_DOMAIN, INBOUND_LOCAL, Stack, default_state_dir


def post_message(path: Path, tenant: str | None, url: str | None) -> dict[str, Any]:
    """The webhook's answer for the message in `path`; the local stack's webhook unless a URL is given."""
    status = Stack(default_state_dir()).status()
    secret = os.environ.get("LEADIMPORT_INBOUND_SECRET")
    domain = os.environ.get("LEADIMPORT_INBOUND_DOMAIN", INBOUND_DOMAIN)
    if url is None:
        if not status["running"]:
            raise RuntimeError("No local stack is running (leadimport dev up); give --url for another webhook.")
        url, secret, domain = status["inbound"]["url"], status["inbound"]["secret"], INBOUND_DOMAIN
    if not secret:
        raise RuntimeError("Set LEADIMPORT_INBOUND_SECRET to the webhook's secret.")
    # the message as a file part keeps its bytes exactly (8-bit bodies in any charset)
    files = {"email": (path.name, path.read_bytes(), "message/rfc822")}
    form = {"envelope": json.dumps({"to": [f"{INBOUND_LOCAL}+{tenant}@{domain}"]})} if tenant else {}
    answer = requests.post(url, data=form, files=files, headers={"Authorization": f"Bearer {secret}"}, timeout=120)
    body = answer.json() if answer.headers.get("Content-Type", "").startswith("application/json") else {}
    if answer.status_code != 200:
        message = (body.get("error") or {}).get("message") or answer.text[:200]
        raise RuntimeError(f"The webhook answered {answer.status_code}: {message}")
    return body


def follow_jobs(tenant: str, answer: dict[str, Any], timeout: float) -> list[dict[str, Any]]:
    """Each stored file's import, once finished and reported: the contract's JSON per job."""
    outcomes = []
    for stored in answer.get("jobs", []):
        job = import_cmd.wait_for_job(tenant, stored["job_id"], timeout, progress=False)
        outcome = import_cmd.job_outcome(stored["job_id"], job)
        outcome["email"] = import_cmd.wait_for_email(tenant, stored["job_id"])
        outcomes.append(outcome)
    return outcomes
