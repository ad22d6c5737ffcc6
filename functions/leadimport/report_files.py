"""What a finished job leaves in the reports bucket: every row's result and the error files.

The per-row results live here, not as a Firestore document per row: one object per job.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from dataclasses import dataclass, field

from google.api_core.exceptions import PreconditionFailed
from google.cloud import storage

from leadimport.models import ColumnMapping, Counts, RowResult

FINISHED_PREFIX = "events/job-finished/"
_NUMBER = re.compile(r"^[+-][\d\s().\-]*$")


def report_prefix(tenant_id: str, job_id: str) -> str:
    return f"reports/{tenant_id}/{job_id}/"


def finished_event_name(tenant_id: str, job_id: str) -> str:
    return f"{FINISHED_PREFIX}{tenant_id}/{job_id}.json"


def safe_cell(text: str) -> str:
    """Neutralise formula injection for spreadsheets that open our files (+593… stays a number)."""
    if text and (text[0] in "=@\t\r" or (text[0] in "+-" and not _NUMBER.match(text))):
        return "'" + text
    return text


@dataclass
class JobReport:
    job_id: str
    filename: str
    columns: list[str]
    mapping: list[ColumnMapping] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    rows: list[RowResult] = field(default_factory=list)
    error_values: dict[int, tuple[str, ...]] = field(default_factory=dict)  # original cells of error rows

    def add(self, result: RowResult, values: tuple[str, ...]) -> None:
        self.rows.append(result)
        self.counts.add(result.status)
        if result.status == "error":
            self.error_values[result.row] = values

    def results_json(self, status: str, error: str | None) -> bytes:
        return json.dumps({
            "job_id": self.job_id, "status": status, "error": error, "filename": self.filename,
            "counts": self.counts.model_dump(), "mapping": [m.model_dump() for m in self.mapping],
            "rows": [r.model_dump() for r in self.rows],
        }, ensure_ascii=False).encode()

    def errors_csv(self) -> bytes:
        """The rows that were not imported, with their own cells, so they can be fixed and resent."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["Row", *self.columns, "Status", "Errors"])
        for result in self.rows:
            if result.status != "error":
                continue
            cells = self.error_values.get(result.row, ())
            message = "; ".join(issue.message for issue in result.errors)
            writer.writerow([result.row, *(safe_cell(c) for c in cells), result.status, safe_cell(message)])
        return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read it as UTF-8

    def errors_text(self) -> str:
        lines = []
        for result in self.rows:
            for issue in result.errors:
                lines.append(f"Row {result.row}: {issue.message} [{issue.code}]")
            for issue in result.warnings:
                lines.append(f"Row {result.row} (warning): {issue.message} [{issue.code}]")
        return "\n".join(lines) + ("\n" if lines else "")


def store_report(bucket: storage.Bucket, tenant_id: str, report: JobReport,
                 status: str, error: str | None) -> dict[str, str]:
    """Upload the report objects; returns their names by kind."""
    prefix = report_prefix(tenant_id, report.job_id)
    names = {"results": prefix + "results.json"}
    bucket.blob(names["results"]).upload_from_string(
        report.results_json(status, error), content_type="application/json")
    if report.counts.errors:
        names["errors_csv"] = prefix + "errors.csv"
        bucket.blob(names["errors_csv"]).upload_from_string(report.errors_csv(), content_type="text/csv")
    if report.counts.errors or any(r.warnings for r in report.rows):
        names["errors_txt"] = prefix + "errors.txt"
        bucket.blob(names["errors_txt"]).upload_from_string(
            report.errors_text().encode(), content_type="text/plain; charset=utf-8")
    return names


def announce_finished(bucket: storage.Bucket, tenant_id: str, job_id: str) -> None:
    """Write the object whose finalize event starts report_result; written once per job."""
    blob = bucket.blob(finished_event_name(tenant_id, job_id))
    with contextlib.suppress(PreconditionFailed):  # an earlier delivery announced it already
        blob.upload_from_string(json.dumps({"tenant": tenant_id, "job_id": job_id}),
                                content_type="application/json", if_generation_match=0)
