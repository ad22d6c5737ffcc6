"""What a finished job leaves in the reports bucket: every row's result and the error files.

The per-row results live here, not as a Firestore document per row: one object per job.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field

from google.api_core.exceptions import PreconditionFailed
from google.cloud import storage

from leadimport import error_files
from leadimport.models import ColumnMapping, Counts, RowResult

FINISHED_PREFIX = "events/job-finished/"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_prefix(tenant_id: str, job_id: str) -> str:
    return f"reports/{tenant_id}/{job_id}/"


def finished_event_name(tenant_id: str, job_id: str) -> str:
    return f"{FINISHED_PREFIX}{tenant_id}/{job_id}.json"


@dataclass
class JobReport:
    job_id: str
    filename: str
    columns: list[str]
    locale: str = "en"
    mapping: list[ColumnMapping] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    rows: list[RowResult] = field(default_factory=list)
    error_values: dict[int, tuple[str, ...]] = field(default_factory=dict)  # original cells of error rows

    def add(self, result: RowResult, values: tuple[str, ...]) -> None:
        self.rows.append(result)
        self.counts.add(result.status)
        if result.status == "error":
            self.error_values[result.row] = values

    def first_errors(self, limit: int = 20) -> list[RowResult]:
        return [r for r in self.rows if r.status == "error"][:limit]

    def results_json(self, status: str, error: str | None) -> bytes:
        return json.dumps({
            "job_id": self.job_id, "status": status, "error": error, "filename": self.filename,
            "counts": self.counts.model_dump(), "mapping": [m.model_dump() for m in self.mapping],
            # opportunity_id only where there is one: the contract's row shape stays as other tools know it
            "rows": [r.model_dump(exclude=None if r.opportunity_id else {"opportunity_id"}) for r in self.rows],
        }, ensure_ascii=False).encode()


def store_report(bucket: storage.Bucket, tenant_id: str, report: JobReport,
                 status: str, error: str | None) -> dict[str, str]:
    """Upload the report objects; returns their names by kind."""
    prefix = report_prefix(tenant_id, report.job_id)
    names = {"results": prefix + "results.json"}
    bucket.blob(names["results"]).upload_from_string(
        report.results_json(status, error), content_type="application/json")
    if report.counts.errors:
        names["errors_csv"] = prefix + "errors.csv"
        bucket.blob(names["errors_csv"]).upload_from_string(error_files.errors_csv(report), content_type="text/csv")
        names["errors_xlsx"] = prefix + "errors.xlsx"
        bucket.blob(names["errors_xlsx"]).upload_from_string(error_files.errors_xlsx(report), content_type=XLSX_TYPE)
    if report.counts.errors or any(r.warnings for r in report.rows):
        names["errors_txt"] = prefix + "errors.txt"
        bucket.blob(names["errors_txt"]).upload_from_string(
            error_files.errors_text(report).encode(), content_type="text/plain; charset=utf-8")
    return names


def announce_finished(bucket: storage.Bucket, tenant_id: str, job_id: str) -> None:
    """Write the object whose finalize event starts report_result; written once per job."""
    blob = bucket.blob(finished_event_name(tenant_id, job_id))
    with contextlib.suppress(PreconditionFailed):  # an earlier delivery announced it already
        blob.upload_from_string(json.dumps({"tenant": tenant_id, "job_id": job_id}),
                                content_type="application/json", if_generation_match=0)
