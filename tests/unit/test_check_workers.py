"""The check pass on several processes (core/check_workers.py) makes, byte for byte, the chunk lines the
one-process pass makes: the same verdicts, the same duplicates across blocks that different workers
validated, the same merges. Real spawned processes, as process_upload starts them."""

from __future__ import annotations

import os
import random
import signal
from concurrent.futures.process import BrokenProcessPool

import pytest

from leadimport.core.models import ImportOptions
from leadimport.core.plan import TablePlan
from leadimport.core.read import SheetRow
from leadimport.core.read.table import Table, column_letter
from leadimport.core.row_lines import decode_rows, encode_rows, join_lines
from leadimport.core.tenant_config import TenantConfig
from leadimport.core.validate import RowValidator, ValidatedRow

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
