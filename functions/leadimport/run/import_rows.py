"""The import of one table's rows, the same wherever they come from: a file process_upload read, the
add-on's preview (a dry run), or a chunk of a fanned-out file (write_checked alone).

Map, validate and dedup in file (core/plan.py), then match and write (run/write.py). Results come back as
they are written, each with the row's own cells, for the caller's report: a file that turns out
unreadable halfway keeps the results of the rows before.
"""

from __future__ import annotations

from collections.abc import Iterator

from google.cloud import firestore

from leadimport.core.merge_rows import fold
from leadimport.core.models import ImportOptions, RowResult
from leadimport.core.plan import CheckedChunk, TablePlan
from leadimport.core.read.table import Table
from leadimport.core.row_identity import check_columns, fingerprint
from leadimport.core.tenant_config import TenantConfig
from leadimport.run.fanout import ChunkSpill
from leadimport.run.write import LeadWriter
from leadimport.store.saved_mappings import load_saved_mapping, save_mapping
from leadimport.store.tenants import add_labels

Result = tuple[RowResult, tuple[str, ...]]  # a row's result and the cells it had


class TableImport:
    """One table's mapping, then its rows' results as they are written."""

    def __init__(self, table: Table, options: ImportOptions, config: TenantConfig,
                 tenant: firestore.DocumentReference, db: firestore.Client, job_id: str):
        self._table, self._options, self._config, self._tenant, self._db = table, options, config, tenant, db
        # a headerless file's columns are letters, which any other headerless file shares: nothing is remembered
        remember = not options.no_header
        saved = None if options.mapping or not remember else load_saved_mapping(tenant, table.columns)
        self._plan = TablePlan(table, options, config, saved)
        self.columns, self.mapping = table.columns, self._plan.mapping
        if options.mapping and options.save_mapping and remember and not options.dry_run \
                and not self._plan.refusal():
            # the mapping as given: a bulk operation's narrowing is not what these columns mean; one that leaves
            # every row refused (no contact, no name) is not remembered for the next file with these columns
            save_mapping(tenant, table.columns, {m.column: m.field for m in self._plan.mapping_as_given}, job_id)
        self._writer = LeadWriter(db, tenant, job_id, options, self._plan.chain, config)
        self.checks = check_columns(self.mapping) if table.from_sheet else ()

    def results(self, spill: ChunkSpill | None = None, workers: int = 1, file_bytes: int = 0) -> Iterator[Result]:
        """Every row's result; with a spill, a table bigger than one chunk is only checked, and left in
        chunk files (nothing comes back). With a spill and several workers, the table (of file_bytes) is
        checked on that many processes and left in chunk files whatever its size (the caller picks only big
        files for that)."""
        if spill and workers > 1 and not self._plan.validator.create_labels:
            spill.stage_lines(self._plan.lines(workers, file_bytes=file_bytes))
            return
        checked_chunks = self._with_labels()
        for checked in spill.hold(checked_chunks) if spill else checked_chunks:
            yield from write_checked(checked, self._writer, self.checks)

    def refusal(self) -> str | None:
        """Why the whole table is refused before any row is written (core/plan.TablePlan.refusal), in words."""
        notes = self._plan.refusal()
        return " ".join(note.render(self._config.locale) for note in notes) or None

    def notes(self) -> list[str]:
        """The job's notes, once the rows are through: the reader adds what it skipped while streaming."""
        return [note.render(self._config.locale) for note in [*self._table.notes, *self._plan.notes]]

    def _with_labels(self) -> Iterator[CheckedChunk]:
        """The plan's checked rows, each chunk's new labels stored before any lead that carries them."""
        for checked in self._plan.chunks():
            labels = self._plan.validator.take_new_labels()
            if labels and not self._options.dry_run:
                add_labels(self._db, self._tenant, labels)
            yield checked


def write_checked(checked: CheckedChunk, writer: LeadWriter, checks: tuple[int, ...] = ()) -> list[Result]:
    """Write a chunk's valid rows; every row of it, valid or not, gets its result (and, from a sheet, the
    fingerprint of its identity cells at `checks`, which the write-back looks for before it writes)."""
    valid = [validated for _, validated in checked if not validated.errors]
    rows, members = fold(valid, writer.row_keys) if any(v.repeat_of for v in valid) else (valid, {})
    written: dict[int, RowResult] = {}
    for result in writer.write(rows):
        for member in members.get(result.row, ()):  # a folded repeat: each of its rows, against its lead
            written[member.row] = result.model_copy(update={"row": member.row,
                                                            "warnings": [*member.warnings, *result.warnings]})
        written.setdefault(result.row, result)
    results = [(written.get(row.number) or RowResult(row=row.number, status="error", errors=validated.errors,
                                                     warnings=validated.warnings), row.values)
               for row, validated in checked]
    return keep_identity(results, checks)


def keep_identity(results: list[Result], checks: tuple[int, ...]) -> list[Result]:
    """Each result with the fingerprint of its row's identity cells (none where `checks` is empty)."""
    for result, values in results if checks else ():
        result.check = fingerprint(values[i] for i in checks)
    return results
