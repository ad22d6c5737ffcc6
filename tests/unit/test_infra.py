"""infra/ (Terraform) agrees with the code: every entry point deployed once with the trigger the code
expects, every setting the code reads provided, secrets only where they are read, and the Firestore
field settings matching what the code writes and queries."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import hcl2
import pytest

from leadimport.devstack.http_functions import HTTP_FUNCTIONS
from leadimport.devstack.stack import EVENT_ROUTES
from leadimport.store import jobs, leases, retention

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
# read by the code, deliberately not deployed: emulators, a test double, defaults that are Google's own
LOCAL_ONLY = {"LEADIMPORT_SHEETS_ENDPOINT", "LEADIMPORT_ID_CERTS_URL", "LEADIMPORT_SIGNER_KEY_FILE", "SMTP_CA_FILE"}
# every query the code makes: (collection, field), one field each, so automatic indexes serve them all
QUERIES = {("import_jobs", "created_at"), ("leads", "created_by_job"), ("opportunities", "job_id"), ("chunks", "done")}
SECRETS = {"SMTP_PASSWORD": {"report_result", "inbound_email"}, "LEADIMPORT_INBOUND_SECRET": {"inbound_email"}}


def _text(value: Any) -> Any:
    """A literal HCL string as python-hcl2 gives it ("\\"drop\\""), without its quotes."""
    return value[1:-1] if isinstance(value, str) and len(value) > 1 and value[0] == value[-1] == '"' else value


@pytest.fixture(scope="module")
def hcl() -> dict[str, list[dict]]:
    merged: dict[str, list[dict]] = {}
    for path in sorted(INFRA.glob("*.tf")):
        for kind, blocks in hcl2.loads(path.read_text()).items():
            merged.setdefault(kind, []).extend(blocks)
    return merged


def _locals(hcl: dict) -> dict[str, Any]:
    return {name: value for block in hcl["locals"] for name, value in block.items()}


def _resources(hcl: dict, kind: str) -> dict[str, dict]:
    return {_text(name): body for block in hcl["resource"] for rkind, named in block.items()
            if _text(rkind) == kind for name, body in named.items()}


def _entry_points() -> dict[str, str]:
    """functions/main.py's entry points → 'cloud_event' or 'http', read from their decorators."""
    tree = ast.parse((ROOT / "functions" / "main.py").read_text())
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Attribute) and getattr(decorator.value, "id", "") == "functions_framework":
                    found[node.name] = decorator.attr
    return found


def _settings_read() -> set[str]:
    return set(re.findall(r'env\.get\("([A-Z0-9_]+)"', (ROOT / "functions/leadimport/settings.py").read_text()))


def test_every_entry_point_is_deployed_once_with_its_trigger(hcl: dict) -> None:
    local = _locals(hcl)
    entry_points = _entry_points()
    assert set(local["event_functions"]) == {name for name, kind in entry_points.items() if kind == "cloud_event"}
    assert set(local["http_functions"]) == {name for name, kind in entry_points.items() if kind == "http"}
    assert set(HTTP_FUNCTIONS) == set(local["http_functions"])  # and the local stack serves the same ones
    # the buckets whose new objects start each function, as the local bridge routes them
    assert {name: _text(spec["bucket"]) for name, spec in local["event_functions"].items()} == {
        name: bucket for name, (bucket, _) in EVENT_ROUTES.items()}
    deployed = _resources(hcl, "google_cloudfunctions2_function")
    assert set(deployed) == {"function"}  # one resource for every function: nothing deployed besides
    function = deployed["function"]
    assert function["for_each"] == "${local.functions}"
    assert function["build_config"][0]["entry_point"] == "${each.key}"
    assert local["functions"] == "${merge(local.event_functions, local.http_functions)}"
    (dynamic,) = function["dynamic"]
    trigger = dynamic['"event_trigger"']
    assert trigger["for_each"] == '${each.value.bucket != "" ? [each.value.bucket] : []}'  # event ones only
    assert all(_text(spec["bucket"]) == "" for spec in local["http_functions"].values())
    # one shape for every function's settings: Terraform for_each needs a map, not a mixed object
    shapes = {tuple(sorted(spec)) for group in ("event_functions", "http_functions") for spec in local[group].values()}
    assert len(shapes) == 1
    content = trigger["content"][0]
    assert _text(content["event_type"]) == "google.cloud.storage.object.v1.finalized"
    assert _text(content["retry_policy"]) == "RETRY_POLICY_RETRY"


def test_event_functions_stop_before_their_lease_runs_out(hcl: dict) -> None:
    """A live delivery must never lose its job to a duplicate: the platform's timeout ends it first."""
    for name, spec in _locals(hcl)["event_functions"].items():
        assert spec["timeout"] <= 540, name
        assert spec["timeout"] < jobs.LEASE.total_seconds(), name
    chunk_lease = int(_text(_locals(hcl)["environment"]["LEADIMPORT_CHUNK_LEASE_SECONDS"]))
    assert chunk_lease >= 4 * leases.Renewer.RENEW_SECONDS  # renewed several times within a lease


def test_every_setting_the_code_reads_is_provided(hcl: dict) -> None:
    local = _locals(hcl)
    provided = set(local["environment"])
    read = _settings_read()
    assert read - LOCAL_ONLY == provided | set(SECRETS)
    assert not provided & (LOCAL_ONLY | set(SECRETS))  # no secret in plain environment
    assert {name: {_text(f) for f in spec["functions"]} for name, spec in local["secrets"].items()} == SECRETS
    for function in SECRETS["LEADIMPORT_INBOUND_SECRET"] | SECRETS["SMTP_PASSWORD"]:
        assert function in local["http_functions"] or function in local["event_functions"]


def test_each_function_has_its_own_account_and_only_its_bucket_roles(hcl: dict) -> None:
    local = _locals(hcl)
    functions = set(local["event_functions"]) | set(local["http_functions"])
    assert set(local["bucket_roles"]) == functions
    assert _resources(hcl, "google_service_account")["function"]["for_each"] == "${local.functions}"
    roles = {role for grants in local["bucket_roles"].values() for role in grants.values()}
    assert all(_text(role).startswith("roles/storage.object") for role in roles)  # never bucket admin
    public = _resources(hcl, "google_cloud_run_service_iam_member")["http_public"]
    assert public["for_each"] == "${local.http_functions}"  # only what checks credentials itself is public


def test_buckets_are_private_and_expire_what_they_hold(hcl: dict) -> None:
    for name, bucket in _resources(hcl, "google_storage_bucket").items():
        assert bucket["uniform_bucket_level_access"] is True, name
        assert _text(bucket["public_access_prevention"]) == "enforced", name
        if name != "source":
            assert bucket["lifecycle_rule"][0]["action"][0]["type"] == '"Delete"', name


def test_firestore_ttl_and_index_settings_match_the_code(hcl: dict) -> None:
    local = _locals(hcl)
    assert [_text(c) for c in local["ttl_collections"]] == list(retention.TTL_COLLECTIONS)
    assert _text(_resources(hcl, "google_firestore_field")["ttl"]["field"]) == retention.EXPIRES_FIELD
    source = "\n".join(p.read_text() for p in (ROOT / "functions").rglob("*.py"))
    queried = set(re.findall(r'FieldFilter\("([a-z_]+)"', source)) | set(re.findall(r'order_by\("([a-z_]+)"', source))
    assert queried == {field for _, field in QUERIES}  # a new query: add it to QUERIES, and check its index
    unindexed = {(_text(spec["collection"]), _text(spec["field"])) for spec in local["unindexed_fields"].values()}
    assert not QUERIES & unindexed  # nothing the code queries is left unindexed
    assert not _resources(hcl, "google_firestore_index")  # one-field queries only: none needed


def test_the_deployed_requirements_are_the_package_dependencies() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = (ROOT / "functions" / "requirements.txt").read_text().splitlines()
    assert sorted(line for line in lines if line and not line.startswith("#")) == sorted(declared)


def test_what_iam_can_narrow_it_does_and_firestore_can_be_read_back(hcl: dict) -> None:
    local = _locals(hcl)
    readers = {_text(name) for name in local["firestore_readers"]}
    assert readers == {"suggest_mapping", "preview_import", "job_status", "list_imports", "import_template"}
    role = _resources(hcl, "google_project_iam_member")["firestore"]["role"]
    assert "datastore.viewer" in role and "datastore.user" in role  # viewers for the readers, users for the rest
    database = _resources(hcl, "google_firestore_database")["main"]
    assert _text(database["point_in_time_recovery_enablement"]) == "POINT_IN_TIME_RECOVERY_ENABLED"


def test_checkov_finds_nothing_that_is_not_fixed_or_justified() -> None:
    checkov = ROOT / ".venv-checkov" / "bin" / "checkov"
    assert checkov.exists(), "checkov is installed by scripts/setup.sh"
    done = subprocess.run([str(checkov), "-d", str(INFRA), "--framework", "terraform", "--quiet", "--compact",
                           "-o", "json"], capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout)
    report = report if isinstance(report, dict) else report[0]
    failed = [(f["check_id"], f["resource"]) for f in report["results"]["failed_checks"]]
    assert failed == [] and report["summary"]["parsing_errors"] == 0
    skipped = set(re.findall(r"#checkov:skip=(CKV_\w+):", "\n".join(p.read_text() for p in INFRA.glob("*.tf"))))
    explained = set(re.findall(r"^\| (CKV_\w+) ", (INFRA / "README.md").read_text(), re.MULTILINE))
    assert skipped == explained  # each check skipped in the code is listed, with its reason, in the deploy guide
