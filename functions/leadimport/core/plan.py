"""The CPU path of an import, with no I/O: a table's columns mapped and its rows checked chunk by chunk.

Map → validate and normalise → in-file dedup. The pipeline writes what comes out; the add-on's
preview shows it; bench/cpu_path.py times it. One path, so what is measured is what runs.
"""

from __future__ import annotations

import itertools
from collections.abc import Generator, Iterator

from leadimport.core.dedup import InFileDuplicates, with_duplicates
from leadimport.core.keys import VALUE_FIELDS, key_fields
from leadimport.core.mapping.suggest import SAMPLE_ROWS, by_letter, keep_unrecognised, restrict_mapping, suggest_mapping
from leadimport.core.models import CONTACTS, ColumnMapping, ImportOptions
from leadimport.core.read.table import SheetRow, Table
from leadimport.core.row_lines import Lines
from leadimport.core.tenant_config import TenantConfig
from leadimport.core.validate.row import RowValidator, ValidatedRow
from leadimport.i18n.notes import Note

BATCH_ROWS = 1000  # rows matched and written together: a get_all of their keys, one of their leads, full commits

CheckedChunk = list[tuple[SheetRow, ValidatedRow]]


class TablePlan:
    """How one table is imported: its mapping, and its rows checked as they stream past."""

    def __init__(self, table: Table, options: ImportOptions, config: TenantConfig,
                 saved: dict[str, str | None] | None = None):
        self.sample = list(itertools.islice(table.rows, SAMPLE_ROWS))
        self.chain = list(options.match_on or config.match_on)
        # the mapping as given or suggested, which is what a saved mapping remembers
        explicit = options.mapping
        if explicit and options.mapping_by == "letter":
            explicit = by_letter(explicit, table.letters, table.columns)
        self.mapping_as_given = suggest_mapping(table.columns, [r.values for r in self.sample], explicit,
                                                saved, config.custom_fields)
        if config.keep_unmapped:
            self.mapping_as_given = keep_unrecognised(self.mapping_as_given)
        self.mapping = self.mapping_as_given
        if options.fields_only is not None:  # a bulk operation touches only its own fields
            self.mapping = restrict_mapping(self.mapping, key_fields(self.chain) | set(options.fields_only))
        self.notes = _mapping_notes(self.mapping, options, config) if options.mode != "update-only" else []
        self.validator = RowValidator(self.mapping, options.defaults, config, table.letters, options.create_labels,
                                      find_only=self.chain if options.mode == "update-only" else None,
                                      key_kinds=self.chain, importer=options.requested_by,
                                      operation=options.fields_only is not None)
        # the same keys the matcher follows; a bulk operation only finds leads, and never merges rows
        self._duplicates = InFileDuplicates(self.chain, config.locale, merge=config.repeated_rows == "merge"
                                            and options.mode != "update-only")
        self._rows = itertools.chain(self.sample, table.rows)

    def refusal(self) -> list[Note]:
        """Why no row of this table could become a lead, said before any is tried: no column (nor default)
        gives a contact, or none a name. A bulk operation only finds leads, and needs neither. A file that
        could find leads (a column of the chain's keys) is told how to update them instead."""
        codes = {note.code for note in self.notes}
        why = next((Note(code) for code in ("no_contact_column", "no_name_column") if code in codes), None)
        if why is None:
            return []
        mapped = {m.field for m in self.mapping if m.field}
        finds = any(mapped & set(VALUE_FIELDS.get(kind, ())) for kind in self.chain)
        return [why, Note("update_only_hint")] if finds else [why]

    def chunks(self, size: int = BATCH_ROWS) -> Iterator[CheckedChunk]:
        """Every row of the table once, validated, normalised and checked against the rows before it."""
        while chunk := list(itertools.islice(self._rows, size)):
            checked = [(row, self.validator.validate(row)) for row in chunk]
            check = self._duplicates.check
            for i, (row, validated) in enumerate(checked):
                duplicates = check(validated)
                if duplicates:  # a few rows a file: the rest go through untouched
                    checked[i] = (row, with_duplicates(validated, duplicates))
            yield checked

    def lines(self, workers: int, size: int = BATCH_ROWS, file_bytes: int = 0) -> Generator[Lines, None, None]:
        """The same rows as chunks(), each as its chunk-file line (core/row_lines.py) with whether it merges
        into an earlier row's lead, validated on `workers` processes; the reading and the in-file dedup, which
        follow the file's order, stay here. Rows must not depend on the rows before them: a job that creates
        labels (the first spelling seen is kept) goes through chunks()."""
        from leadimport.core.check_workers import checked_lines  # starts processes: only a big file's pass
        if self.validator.create_labels:
            raise ValueError("a job that creates labels is checked in file order, on one process")
        if self.sample and file_bytes:  # rows the file holds, if its rows are like the first ones
            row_bytes = sum(len(",".join(row.values).encode()) + 1 for row in self.sample) / len(self.sample)
            self._duplicates.reserve(int(file_bytes / row_bytes))
        return checked_lines(self._rows, self.validator, self._duplicates, workers, size)


def _mapping_notes(mapping: list[ColumnMapping], options: ImportOptions, config: TenantConfig) -> list[Note]:
    fields = {m.field for m in mapping if m.field} | set(options.defaults)
    notes = []
    if any(part == "saved" for m in mapping for part, _ in m.why):
        notes.append(Note("saved_mapping"))
    if not fields & CONTACTS and config.require_contact:
        notes.append(Note("no_contact_column"))
    if not fields & {"first_name", "last_name", "full_name", "company"}:
        notes.append(Note("no_name_column"))
    if options.defaults.get("owner", "").strip() and options.fields_only is None and "job" not in config.owner_fallback:
        notes.append(Note("default_owner_unused", {"owner": options.defaults["owner"].strip()}))
    unmapped = [m.column for m in mapping if not m.field]
    if unmapped:
        notes.append(Note("unmapped_columns", {"columns": ", ".join(unmapped)}))
    return notes
