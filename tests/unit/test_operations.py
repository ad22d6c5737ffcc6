"""Seed 004's bulk operations, defined once (core/operations.py): the CLI's `bulk` commands and the API's
`operation` build the same options from it, and what an operation cannot do is refused, not ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadimport.api.auth import Caller
from leadimport.api.bodies import StartImportBody
from leadimport.api.job_options import import_options, with_operation
from leadimport.cli import import_cmd
from leadimport.cli import main as cli
from leadimport.cli.context import Cli
from leadimport.core.models import ImportOptions
from leadimport.core.operations import BULK, OPERATIONS, OperationRefused, operation_options

CALLER = Caller(email="ana@inmosol.ec", tenant_id="t-demo", name="Ana", can_import=True)
# what only the API sets (the verified caller) or only the CLI knows (the file's name)
_CALLER_FIELDS = {"notify", "requested_by", "filename"}


class Captured(Exception):
    def __init__(self, options: ImportOptions):
        self.options = options


def cli_options(argv: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ImportOptions:
    """What the CLI uploads for `leadimport bulk …` (its real parser and handler; the upload stopped)."""
    keys = tmp_path / "keys.csv"
    keys.write_text("Correo\nana@x.ec\n")
    monkeypatch.setattr("leadimport.cli.connect.use_local_stack_if_running", lambda: False)

    def upload(path: Path, tenant: str, options: ImportOptions) -> None:
        raise Captured(options)

    monkeypatch.setattr(import_cmd, "upload", upload)
    args = cli._parser().parse_args([*argv[:2], str(keys), "--tenant", "t-demo", *argv[2:]])
    with pytest.raises(Captured) as got:
        args.handler(args, Cli())
    return got.value.options


def api_options(body: dict) -> ImportOptions:
    parsed = StartImportBody.model_validate({"filename": "keys.csv", **body})
    return with_operation(parsed, import_options(parsed.options, CALLER, parsed.filename))


SAME = [  # one operation asked both ways
    (["bulk", "tag", "--tag", "VIP", "--tag", "Feria"], {"operation": "tag", "tags": ["VIP", "Feria"]}),
    (["bulk", "tag", "--tag", "VIP", "--replace-tags"],
     {"operation": "tag", "tags": ["VIP"], "options": {"replace_tags": True}}),
    (["bulk", "tag", "--tag", "VIP", "--match-on", "id_number", "--dry-run"],
     {"operation": "tag", "tags": ["VIP"], "options": {"match_on": ["id_number"], "dry_run": True}}),
    (["bulk", "assign"], {"operation": "assign"}),
    (["bulk", "assign", "--owner", "Pedro Vélez"], {"operation": "assign", "owner": "Pedro Vélez"}),
    (["bulk", "update"], {"operation": "update"}),
    (["bulk", "update", "--replace-tags", "--default", "city=Quito"],  # --replace-tags was the CLI's only
     {"operation": "update", "options": {"replace_tags": True, "defaults": {"city": "Quito"}}}),
]


@pytest.mark.parametrize(("argv", "body"), SAME, ids=[" ".join(argv) for argv, _ in SAME])
def test_the_cli_and_the_api_build_the_same_options(argv: list[str], body: dict, monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    from_cli = cli_options(argv, monkeypatch, tmp_path).model_dump(exclude=_CALLER_FIELDS)
    assert from_cli == api_options(body).model_dump(exclude=_CALLER_FIELDS)


def test_what_each_operation_sets() -> None:
    assert BULK == ("tag", "assign", "update")
    table = {n: (o.mode, o.on_match, o.fields_only, o.replace_tags, o.sales_scenario) for n, o in OPERATIONS.items()}
    assert table == {
        "import": (None, None, None, None, True),
        "tag": ("update-only", "update", ("keys",), None, False),
        "assign": ("update-only", "update", ("keys", "owner"), False, False),
        "update": ("update-only", "update", None, None, False),
    }
    tagged = operation_options("tag", ImportOptions(mode="upsert", sales_scenario="Venta"), tags=["VIP", " Feria "])
    assert (tagged.mode, tagged.on_match, tagged.fields_only, tagged.sales_scenario, tagged.defaults) == (
        "update-only", "update", ["keys"], None, {"tags": "VIP,Feria"})
    assert operation_options("import", ImportOptions(mode="create-only")).mode == "create-only"


@pytest.mark.parametrize(("name", "choices", "message"), [
    ("tag", {}, "Say which tags"),
    ("tag", {"tags": [" "]}, "Say which tags"),  # a job that tags nothing
    ("assign", {"tags": ["VIP"]}, "takes no"),  # ignored before: the person believed it tagged
    ("update", {"owner": "pedro@inmosol.ec"}, "takes no"),
    ("assign", {"replace_tags": True}, "never replaces"),
    ("reassign", {}, "no operation"),  # no file: run/reassign.py
])
def test_what_an_operation_cannot_do_is_refused(name: str, choices: dict, message: str) -> None:
    with pytest.raises(OperationRefused, match=message):
        operation_options(name, ImportOptions(), **choices)


@pytest.mark.parametrize(("argv", "body"), [
    (["bulk", "tag", "--tag", "VIP", "--default", "city=Quito"],
     {"operation": "tag", "tags": ["VIP"], "options": {"defaults": {"city": "Quito"}}}),
    (["bulk", "assign", "--default", "source=Web"],
     {"operation": "assign", "options": {"defaults": {"source": "Web"}}}),
    (["bulk", "tag", "--tag", "VIP", "--default", "last_name=Pérez"],  # a field the keys are made of, too
     {"operation": "tag", "tags": ["VIP"], "options": {"defaults": {"last_name": "Pérez"}}}),
])
def test_a_tag_or_assign_job_takes_no_default_of_another_field(argv: list[str], body: dict,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    """Both wrote the city or source before, though a tag job promises to touch nothing but the tags."""
    with pytest.raises(OperationRefused, match="changes only"):
        api_options(body)
    with pytest.raises(OperationRefused, match="changes only"):
        cli_options(argv, monkeypatch, tmp_path)


def test_defaults_that_read_the_keys_are_taken() -> None:
    tagged = operation_options("tag", ImportOptions(defaults={"country_code": "EC", "id_type": "cedula"}), tags=["V"])
    assert tagged.defaults == {"country_code": "EC", "id_type": "cedula", "tags": "V"}
