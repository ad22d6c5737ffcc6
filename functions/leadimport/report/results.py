"""What a finished job leaves in the reports bucket: every row's result and the error files.

The per-row results live here, not as a Firestore document per row: one object per job.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import IO

from google.api_core.exceptions import PreconditionFailed
from google.cloud import storage

from leadimport.core.models import ColumnMapping, Counts, RowResult, to_fix
from leadimport.report import error_files

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
    # every row's result; with a spool, only those with errors or warnings (what the error files need)
    rows: list[RowResult] = field(default_factory=list)
    # original cells of the rows to fix: errors, and rows a value of which was left out
    error_values: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # results.json's rows written out as they come: a big job's million results are never held at once
    spool: IO[bytes] | None = None

    def add(self, result: RowResult, values: tuple[str, ...]) -> None:
        self.counts.add(result.status)
        if result.status == "error" or (result.warnings and to_fix(result)):
            self.error_values[result.row] = values
        if self.spool is None or result.errors or result.warnings:
            self.rows.append(result)
        if self.spool is not None:
            self.spool.write((b"," if self.counts.rows > 1 else b"") + _row_json(result))

    def first_errors(self, limit: int = 20) -> list[RowResult]:
        """The first rows to fix: not imported, or imported without a value that failed its check."""
        errors = [r for r in self.rows if r.status == "error"][:limit]
        completed = [r for r in self.rows if r.warnings and to_fix(r)][:limit]  # never crowding out the errors
        return sorted(errors + completed, key=lambda r: r.row)

    def write_results_json(self, out: IO[bytes], status: str, error: str | None) -> None:
        head = json.dumps({
            "job_id": self.job_id, "status": status, "error": error, "filename": self.filename,
            "counts": self.counts.model_dump(), "mapping": [m.model_dump() for m in self.mapping], "rows": [],
        }, ensure_ascii=False).encode()
        out.write(head[:-2])  # up to the rows' "["
        if self.spool is None:
            out.write(b",".join(_row_json(r) for r in self.rows))
        else:
            self.spool.seek(0)
            shutil.copyfileobj(self.spool, out)
        out.write(b"]}")


def _row_json(result: RowResult) -> bytes:
    return json.dumps(row_fields(result), ensure_ascii=False).encode()


def row_fields(result: RowResult) -> dict:
    """A row's result as the contract shows it: opportunity_id and check only where there is one, so the
    row's shape stays as other tools know it."""
    return result.model_dump(exclude={name for name in ("opportunity_id", "check") if getattr(result, name) is None})


def store_report(bucket: storage.Bucket, tenant_id: str, report: JobReport,
                 status: str, error: str | None) -> dict[str, str]:
    """Upload the report objects; returns their names by kind."""
    prefix = report_prefix(tenant_id, report.job_id)
    names = {"results": prefix + "results.json"}
    with tempfile.TemporaryFile() as results:
        report.write_results_json(results, status, error)
        results.seek(0)
        bucket.blob(names["results"]).upload_from_file(results, content_type="application/json")
    if report.error_values:
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
