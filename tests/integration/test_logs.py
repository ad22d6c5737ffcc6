"""Logs carry job ids and counts, never the people in the files: after an import, a failed row and an
emailed file, no log of any local process holds a name, an email or a phone number of those rows."""

from __future__ import annotations

import csv
import random
import uuid
from email.message import EmailMessage
from pathlib import Path

import pytest
from mail_samples import post, replies_to, signed

from conftest import run_import

pytestmark = pytest.mark.stack


def test_no_log_line_holds_a_name_an_email_or_a_phone(stack: dict, tenant: str, tmp_path: Path) -> None:
    marker = uuid.uuid4().hex[:8]
    digits = [f"{random.randrange(10**7):07d}" for _ in range(3)]  # 6 of them in the bad phone: 4 turn up by chance
    rows = [[f"Zacarías{marker}", f"Quishpe{marker}", f"zq{marker}@example.com", f"099{digits[0]}"],
            [f"Wendy{marker}", f"Yépez{marker}", f"wy{marker}@@example", f"98{digits[1][:4]}"],  # an error row
            [f"Xavier{marker}", f"Ortega{marker}", f"xo{marker}@example.com", f"0997{digits[2][:6]}"]]
    path = tmp_path / f"leads-{marker}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["Nombre", "Apellido", "Correo", "Celular"], *rows])
    outcome = run_import(path, tenant)
    assert outcome["counts"]["created"] == 2 and outcome["counts"]["errors"] == 1

    message = EmailMessage()
    message["From"], message["To"] = "ana@inmosol.ec", f"import+{tenant}@leads.localhost"
    message["Subject"], message["Message-ID"] = "leads", f"<{marker}@inmosol.ec>"
    message.set_content("adjunto")
    message.add_attachment(path.read_bytes(), maintype="text", subtype="csv", filename="leads.csv")
    assert post(stack, signed(message)).ok
    assert replies_to(stack, message["Message-ID"])  # the emailed file's report came back

    logs = "\n".join(p.read_text(errors="replace") for p in (Path(stack["state_dir"]) / "logs").glob("*.log"))
    personal = [value for row in rows for value in row] + [f"59399{digits[0]}", f"59398{digits[1]}"]
    found = [value for value in personal if value.lower() in logs.lower()]
    assert not found, f"personal data in the logs: {found}"
    assert outcome["job_id"] in logs  # and the logs do say which job
