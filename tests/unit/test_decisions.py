"""The match and write decisions without a server: core/matching.py as a table, core/decide.py by its
properties. The emulator tests show they are carried out; these show what they decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadimport.core import history
from leadimport.core.decide import Job, changed_fields, decide
from leadimport.core.keys import lead_keys, new_lead_id
from leadimport.core.matching import STALE_CLAIM, Found, Match, match_row
from leadimport.core.models import ImportOptions
from leadimport.core.validate.row import ValidatedRow
from leadimport.errors import TransientError

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
FRESH, OLD = NOW - dt.timedelta(minutes=1), NOW - STALE_CLAIM * 2
JOB = "job-1"
ANA = {"email": "ana@x.ec", "phone": "+593991234567", "first_name": "Ana", "last_name": "Torres"}
LUIS = {"email": "luis@x.ec", "phone": "+593992222222", "first_name": "Luis", "last_name": "Mora"}


def _found(claims: dict[tuple[str, str], tuple[str, dt.datetime, str]], leads: dict[str, dict[str, Any]]) -> Found:
    """claims: key → (lead id it names, claimed_at, job that claimed it)."""
    return Found(keys={k: {"lead_id": lead, "claimed_at": at, "job_id": job} for k, (lead, at, job) in claims.items()},
                 leads=leads, read_at=dict.fromkeys(leads, FRESH), key_read_at=dict.fromkeys(claims, FRESH))


E, P, N = ("email", "ana@x.ec"), ("phone", "+593991234567"), ("name", "ana torres")
OWN = new_lead_id(JOB, 2)

# chain, the row's keys, the key documents, the leads → (lead found, error code, unclaimed, stale, own)
MATCH_TABLE = [
    ("nothing stored: every key is free", ["email", "phone"], [E, P], {}, {},
     (None, None, [E, P], [], [])),
    ("email and phone agree", ["email", "phone"], [E, P], {E: ("L1", FRESH, "j0"), P: ("L1", FRESH, "j0")},
     {"L1": ANA}, ("L1", None, [], [], [])),
    ("email and phone name two leads", ["email", "phone"], [E, P], {E: ("L1", FRESH, "j0"), P: ("L2", FRESH, "j0")},
     {"L1": ANA, "L2": {**LUIS, "phone": P[1]}}, (None, "conflicting_match", [], [], [])),
    ("a kind outside the chain is not looked at", ["email"], [E, P], {P: ("L2", FRESH, "j0")},
     {"L2": {**LUIS, "phone": P[1]}}, (None, None, [E], [], [])),
    ("name only when the strong keys found nothing", ["email", "name"], [E, N],
     {E: ("L1", FRESH, "j0"), N: ("L2", FRESH, "j0")}, {"L1": ANA, "L2": {**ANA, "email": "other@x.ec"}},
     ("L1", None, [], [], [])),
    ("the name finds the lead when the email is new", ["email", "name"], [E, N], {N: ("L2", FRESH, "j0")},
     {"L2": {**ANA, "email": "other@x.ec"}}, ("L2", None, [E], [], [])),
    ("a key whose lead moved on, claimed long ago, is stale", ["email"], [E], {E: ("L1", OLD, "j0")},
     {"L1": LUIS}, (None, None, [], [E], [])),
    ("a key whose lead is gone, claimed long ago, is stale", ["email"], [E], {E: ("gone", OLD, "j0")}, {},
     (None, None, [], [E], [])),
    ("a key this row claimed in an earlier try is its own", ["email"], [E], {E: (OWN, FRESH, "j0")}, {},
     (None, None, [], [], [(E, OWN)])),
    ("a key this job claimed for a lead not yet written is its own", ["email"], [E], {E: ("L9", FRESH, JOB)}, {},
     (None, None, [], [], [(E, "L9")])),
]


@pytest.mark.parametrize(("chain", "keys", "claims", "leads", "expected"), [case[1:] for case in MATCH_TABLE],
                         ids=[case[0] for case in MATCH_TABLE])
def test_the_match_decision(chain: list[str], keys: list[tuple[str, str]], claims: dict, leads: dict,
                            expected: tuple) -> None:
    match = match_row(dict(keys), chain, _found(claims, leads), OWN, JOB, "en", NOW)
    assert (match.lead_id, match.error.code if match.error else None, match.unclaimed, match.stale,
            match.own) == expected
    assert match.lead == (leads[match.lead_id] if match.lead_id else None)


def test_a_fresh_claim_of_another_import_is_waited_for() -> None:
    with pytest.raises(TransientError):
        match_row(dict([E]), ["email"], _found({E: ("L7", FRESH, "j0")}, {}), OWN, JOB, "en", NOW)


# ---- the write decision ----

FIELDS = ["email", "phone", "first_name", "last_name", "company", "city", "source"]
values = st.one_of(st.none(), st.just(""), st.sampled_from(["a@x.ec", "b@x.ec", "+593991234567", "Ana", "Quito"]))
leads = st.dictionaries(st.sampled_from(FIELDS), values, max_size=len(FIELDS)).map(
    lambda lead: {**lead, "tags": ["VIP"], "source_jobs": ["j0"], "changes": [{"job": "j0", "fields": ["email"]}]})
rows = st.dictionaries(st.sampled_from(FIELDS), st.sampled_from(["a@x.ec", "c@x.ec", "+593990000000", "Luis", "Lima"]),
                       min_size=1, max_size=4)
options = st.builds(ImportOptions, on_match=st.sampled_from(["update", "fill-empty"]),
                    replace_tags=st.booleans(), mode=st.sampled_from(["upsert", "update-only"]))
CHAIN = ["email", "phone"]
TRAIL = {"updated_at", "source_jobs", "changes", "last_import"}


def _row(fields: dict[str, Any], number: int = 2) -> ValidatedRow:
    return ValidatedRow(number, fields, keys=lead_keys(fields, CHAIN))


def _update(lead: dict[str, Any], fields: dict[str, Any], opts: ImportOptions):
    match = Match(lead_id="L1", lead=lead, read_at=FRESH)
    return decide(_row(fields), match, Job(JOB, opts, CHAIN), NOW)


@settings(max_examples=300, deadline=None)
@given(leads, rows, options)
def test_an_update_writes_only_the_rows_fields_and_the_trail(lead: dict, fields: dict, opts: ImportOptions) -> None:
    plan = _update(lead, fields, opts)
    assert plan.status == ("updated" if plan.update else "unchanged")
    assert set(plan.update or {}) <= set(fields) | TRAIL


@settings(max_examples=300, deadline=None)
@given(leads, rows)
def test_fill_empty_never_overwrites(lead: dict, fields: dict) -> None:
    plan = _update(lead, fields, ImportOptions(on_match="fill-empty"))
    for name in set(plan.update or {}) - TRAIL:
        assert lead.get(name) in (None, "", []), name


@settings(max_examples=300, deadline=None)
@given(leads, rows, options)
def test_keys_follow_the_values(lead: dict, fields: dict, opts: ImportOptions) -> None:
    plan = _update(lead, fields, opts)
    before, after = lead_keys(lead, CHAIN), lead_keys({**lead, **(plan.update or {})}, CHAIN)
    assert set(plan.drops) == {key for key in before.items() if key not in after.items()}
    assert set(plan.claims) <= set(after.items())
    if plan.update:  # undo puts back exactly what the update overwrote
        restored = {**{k: v for k, v in {**lead, **plan.update}.items() if k not in plan.before["missing"]},
                    **plan.before["fields"]}
        assert restored == lead


@settings(max_examples=200, deadline=None)
@given(leads, rows, options)
def test_planning_twice_gives_the_same_plan(lead: dict, fields: dict, opts: ImportOptions) -> None:
    assert _update(lead, fields, opts) == _update(lead, fields, opts)


def test_a_replay_of_the_rows_own_write_changes_nothing() -> None:
    lead = {**ANA, "last_import": {"job": JOB, "row": 2, "status": "updated"}}
    plan = _update(lead, {"city": "Quito"}, ImportOptions())
    assert (plan.status, plan.update, plan.touched) == ("updated", None, True)


def test_a_second_row_reaching_the_same_lead_is_refused() -> None:
    plan = decide(_row({"email": "ana@x.ec"}, 5), Match(lead_id="L1", lead=ANA), Job(JOB, ImportOptions(), CHAIN), NOW,
                  first_row=2)
    assert (plan.status, plan.error.code) == ("error", "duplicate_in_file")


@pytest.mark.parametrize(("opts", "status", "code"), [
    (ImportOptions(mode="create-only"), "skipped", "already_exists"),
    (ImportOptions(on_match="skip"), "skipped", "already_exists"),
])
def test_a_found_lead_is_skipped_when_asked(opts: ImportOptions, status: str, code: str) -> None:
    plan = _update(ANA, {"city": "Quito"}, opts)
    assert (plan.status, plan.note.code, plan.update) == (status, code, None)


def test_a_new_lead_claims_its_keys() -> None:
    match = Match(unclaimed=[E], stale=[P])
    plan = decide(_row(dict([E, P])), match, Job(JOB, ImportOptions(), CHAIN), NOW)
    assert (plan.status, plan.lead_id, plan.claims, plan.takeovers) == ("created", new_lead_id(JOB, 2), [E], [P])
    assert plan.create == history.created(dict([E, P]), JOB, 2, NOW)
    skipped = decide(_row(dict([E])), Match(unclaimed=[E]), Job(JOB, ImportOptions(mode="update-only"), CHAIN), NOW)
    assert (skipped.status, skipped.note.code, skipped.create) == ("skipped", "not_found", None)


def test_tags_are_added_unless_replaced() -> None:
    lead = {"tags": ["VIP", "Feria"]}
    assert changed_fields(lead, {"tags": ["vip", "Web"]}, fill_empty=False) == {"tags": ["VIP", "Feria", "Web"]}
    assert changed_fields(lead, {"tags": ["Web"]}, fill_empty=False, replace_tags=True) == {"tags": ["Web"]}


def test_the_trail_keeps_the_last_twenty_jobs() -> None:
    lead = {"source_jobs": [f"j{n}" for n in range(20)], "changes": [{"job": f"j{n}", "fields": []} for n in range(20)]}
    update = history.updated(lead, {"owner": "x@x.ec"}, JOB, 7, NOW)
    assert update["source_jobs"][-1] == JOB and len(update["source_jobs"]) == 20
    assert update["changes"][-1] == {"job": JOB, "fields": ["owner"]} and len(update["changes"]) == 20
    assert history.written_by({**lead, **update}, JOB, 7) and not history.written_by({**lead, **update}, JOB, 8)
    assert history.written_by({**lead, **update}, JOB) and not history.written_by({**lead, **update}, "other")
    assert not history.written_by({**lead, **update}, JOB, None)  # an image without its row matches no row
