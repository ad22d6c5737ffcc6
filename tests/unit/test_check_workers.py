"""The check pass on several processes (core/check_workers.py) makes, byte for byte, the chunk lines the
one-process pass makes: the same verdicts, the same duplicates across blocks that different workers
validated, the same merges. Real spawned processes, as process_upload starts them."""

from __future__ import annotations

import marshal
import multiprocessing
import os
import random
import signal
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from leadimport.core import check_workers
from leadimport.core.dedup import InFileDuplicates
from leadimport.core.models import ImportOptions
from leadimport.core.plan import TablePlan
from leadimport.core.read.files import read_table
from leadimport.core.read.table import ReadOptions, SheetRow, Table, column_letter
from leadimport.core.row_lines import decode_rows, encode_rows, join_lines
from leadimport.core.tenant_config import TenantConfig
from leadimport.core.validate.row import RowValidator, ValidatedRow

COLUMNS = ["Nombre", "Apellidos", "Correo", "Teléfono", "Empresa", "Cédula", "Origen", "Responsable"]
BLOCK = 40  # rows a block: many blocks, handed to the workers in turn


def _rows(count: int = 1200, seed: int = 7) -> list[SheetRow]:
    """Leads as files have them: mostly good, some broken, and keys repeated within and across blocks, so
    that one worker's row repeats a row another worker validated."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    for i in range(count):
        email = rng.choice([f"ana.{i}@correo.ec", f"  ANA.{i}@Correo.EC ", f"Ana <ana.{i}@correo.ec>",
                            f"ana.{i}@@correo", ""])
        phone = rng.choice([f"+593 99 {i:07d}", f"09{i % 10}{i:07d}"[:10], f"(02) {i:07d}", "12", ""])
        row = [rng.choice(["ana", "JOSÉ", "María José"]), rng.choice(["Pérez", "de la Torre", ""]), email, phone,
               rng.choice(["", "Constructora Andes"]), rng.choice(["", "1710034065", "1710034066"]),
               rng.choice(["Web", "feria", "Otra"]), rng.choice(["", "luis@sol.ec", "nadie@x.ec"])]
        if i > 60 and rng.random() < 0.08:  # an earlier row's email again, the rest its own
            row[2] = rows[rng.randrange(i - 60, i)][2]
        if i > 60 and rng.random() < 0.05:  # an earlier row's phone: with its own email, two leads' keys
            row[3] = rows[rng.randrange(0, i)][3]
        rows.append(row)
    return [SheetRow(number, tuple(values)) for number, values in enumerate(rows, start=2)]


def _plan(rows: list[SheetRow], config: TenantConfig, options: ImportOptions | None = None) -> TablePlan:
    table = Table(None, 1, COLUMNS, iter(rows), letters=[column_letter(i) for i in range(len(COLUMNS))])
    return TablePlan(table, options or ImportOptions(), config)


def _tenant(**rules: object) -> TenantConfig:
    return TenantConfig.model_validate({
        "name": "Sol", "default_region": "EC", "locale": "es", "labels": {"source": ["Web", "Feria"]},
        "users": [{"email": "luis@sol.ec", "name": "Luis Mora"}], **rules})


@pytest.mark.parametrize(("rules", "options"), [
    ({}, ImportOptions()),
    ({"repeated_rows": "merge"}, ImportOptions()),
    ({"match_on": ["id_number", "email", "phone"], "on_conflict": "first-key"}, ImportOptions()),
    ({"keep_unmapped": True, "defaults_on_update": "new-only"}, ImportOptions(defaults={"source": "Web"})),
    ({}, ImportOptions(mode="update-only")),
])
def test_the_workers_make_the_lines_one_process_makes(rules: dict, options: ImportOptions) -> None:
    rows = _rows()
    one = b"".join(encode_rows(chunk) for chunk in _plan(rows, _tenant(**rules), options).chunks(BLOCK))
    # with room reserved for the file's keys as process_upload reserves it, and without
    blocks = list(_plan(rows, _tenant(**rules), options).lines(2, BLOCK, file_bytes=len(rules) * 100_000))
    many = b"".join(join_lines([line for line, _ in block]) for block in blocks)
    assert many == one
    checked = decode_rows(one)
    refused = sum(1 for _, validated in checked if any(e.code == "duplicate_in_file" for e in validated.errors))
    merged = sum(1 for _, validated in checked if validated.repeat_of)
    assert refused + merged > 20  # the file does repeat keys, across blocks
    # each line says whether it merges into an earlier row's lead, as the spill needs to stage it apart
    assert [repeat for block in blocks for _, repeat in block] == [bool(v.repeat_of) for _, v in checked]


def test_a_job_that_creates_labels_stays_on_one_process() -> None:
    """The first spelling of a new label wins, which depends on the rows before: not for workers."""
    with pytest.raises(ValueError, match="creates labels"):
        next(_plan(_rows(50), _tenant(), ImportOptions(create_labels=True)).lines(2))


class _DiesOnRow(RowValidator):
    """A validator whose worker is killed (as for memory) at one row."""

    def validate(self, sheet_row: SheetRow) -> ValidatedRow:
        if sheet_row.number == 300:
            os.kill(os.getpid(), signal.SIGKILL)
        return super().validate(sheet_row)


def test_a_worker_killed_mid_file_fails_the_pass_instead_of_hanging() -> None:
    plan = _plan(_rows(), _tenant())
    plan.validator.__class__ = _DiesOnRow
    with pytest.raises(BrokenProcessPool):
        for _ in plan.lines(2, BLOCK):
            pass


def test_what_the_reader_and_a_sheet_add_comes_through_the_workers(tmp_path: Path) -> None:
    """The reader's notes (a repeated header, values past the last column) are found while reading, here;
    a sheet's formula errors travel with their row to the worker that validates it."""
    path = tmp_path / "leads.csv"
    lines = ["Nombre,Apellidos,Correo,Teléfono"] + [f"Ana{i},Paz,ana{i}@x.ec,+593 99 {i:07d}" for i in range(300)]
    lines[120] = "Nombre,Apellidos,Correo,Teléfono"
    lines[200] += ",una nota sin columna"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def notes_and_lines(workers: int) -> tuple[list, bytes]:
        table = read_table(path, path.name, ReadOptions())
        plan = TablePlan(table, ImportOptions(), _tenant())
        if workers == 1:
            data = b"".join(encode_rows(chunk) for chunk in plan.chunks(BLOCK))
        else:
            data = b"".join(join_lines([line for line, _ in block]) for block in plan.lines(workers, BLOCK))
        return [(note.code, note.params) for note in table.notes], data

    one, many = notes_and_lines(1), notes_and_lines(2)
    assert many == one and {"repeated_header", "values_past_columns"} <= {code for code, _ in one[0]}
    rows = [SheetRow(2, ("Ana", "Paz", "ana@x.ec", "", "", "", "", ""), (("D", "#N/A"),))]
    one_row = b"".join(encode_rows(chunk) for chunk in _plan(rows, _tenant()).chunks())
    assert b"formula_error" in one_row
    assert b"".join(join_lines([line for line, _ in b]) for b in _plan(rows, _tenant()).lines(2)) == one_row
    assert list(_plan([], _tenant()).lines(2)) == []  # nothing to read: no block, no process


def test_wide_rows_are_cut_into_smaller_blocks() -> None:
    """In flight is counted in blocks: a block of wide rows is cut, so that four stay a few tens of MB."""
    wide = [SheetRow(n, ("Ana", "x" * 100_000)) for n in range(2, 202)]
    blocks = list(check_workers._blocks(iter(wide), 1000))
    assert len(blocks) > 4 and all(len(block) <= check_workers.BLOCK_BYTES for block in blocks)
    assert [number for block in blocks for number, _, _ in marshal.loads(block)] == list(range(2, 202))


def test_stopping_early_stops_the_workers() -> None:
    lines = _plan(_rows(), _tenant()).lines(2, BLOCK)
    next(lines)
    assert multiprocessing.active_children()
    lines.close()  # what ChunkSpill.stage_lines does when an upload fails
    assert not multiprocessing.active_children()


def test_the_room_reserved_for_keys_is_held_to_a_million_rows() -> None:
    """The estimate comes from the first rows' size: a file whose first rows are tiny must not reserve GBs."""
    duplicates = InFileDuplicates(["email", "email", "phone"])  # a kind named twice counts once
    duplicates.reserve(10**9)
    assert duplicates._first._mask + 1 == 1 << 22  # 4M slots of 20 bytes: what two keys of 1M rows need


def test_a_chain_naming_a_kind_twice_finds_a_repeated_key_once() -> None:
    rows = [SheetRow(2, ("Ana", "Paz", "ana@x.ec", "", "", "", "", "")),
            SheetRow(3, ("Eva", "Sol", "ana@x.ec", "", "", "", "", ""))]
    options = ImportOptions(match_on=["email", "email"])
    [checked] = list(_plan(rows, _tenant(), options).chunks())
    assert [issue.code for issue in checked[1][1].errors] == ["duplicate_in_file"]
    one = encode_rows(checked)
    assert b"".join(join_lines([line for line, _ in b]) for b in _plan(rows, _tenant(), options).lines(2)) == one
