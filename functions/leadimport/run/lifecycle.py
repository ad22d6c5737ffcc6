"""The end of every job, whatever its kind (an upload imported inline, a fanned-out file's last chunk, a
reassignment): its report stored, the job finished with its counts, and its end announced, once.

The announcement (events/job-finished/…) is what starts report_result, which emails the report and
writes the sheet back; announcing a finished job again is harmless (the email is claimed once), so a
delivery that finds its job finished announces it again in case the one that ended it died just before.
"""

from __future__ import annotations

from collections.abc import Callable

from google.cloud import firestore, storage

from leadimport.report.results import JobReport, announce_finished, store_report
from leadimport.store.jobs import finish_job


def end_job(job: firestore.DocumentReference, reports: storage.Bucket, tenant_id: str, report: JobReport,
            status: str, error: str | None, notes: list[str],
            release: Callable[[BaseException], None] | None = None) -> None:
    """Store the report, finish the job and announce it.

    If storing or finishing fails (an outage: not the input's fault), `release` hands the work back to the
    platform's retry at once. A failed announcement releases nothing: the job has ended, and the next
    delivery that finds it finished announces it again.
    """
    try:
        names = store_report(reports, tenant_id, report, status, error)
        finish_job(job, status=status, counts=report.counts, error=error, mapping=report.mapping, report=names,
                   notes=notes, first_errors=report.first_errors())
    except Exception as exc:
        if release is not None:
            release(exc)
        raise
    announce_finished(reports, tenant_id, job.id)
