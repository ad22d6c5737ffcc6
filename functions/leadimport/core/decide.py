"""The write decision for one row, with no I/O: create a lead, update which of its fields, leave it
unchanged, skip it or refuse it; and which keys that claims, takes over or gives up.

run/write.py reads what this needs (the match), writes what it decides, and plans a row again when the
lead changed under it. Keys move with the values: an update claims what the lead will hold and drops
what it will no longer hold, for the chain's kinds (other kinds are claimed by jobs that match on them).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from leadimport.core import history
from leadimport.core.keys import STRONG_KINDS, VALUE_FIELDS, lead_keys, new_lead_id
from leadimport.core.mapping.catalog import key_label
from leadimport.core.matching import Key, Match
from leadimport.core.models import ImportOptions, RowIssue, RowStatus
from leadimport.core.validate.row import ValidatedRow
from leadimport.i18n import messages


@dataclass
class Plan:
    row: ValidatedRow
    status: RowStatus
    lead_id: str | None = None
    create: dict[str, Any] | None = None  # the whole new lead
    update: dict[str, Any] | None = None  # only the fields that change
    read_at: dt.datetime | None = None  # the update applies only while the lead is as it was read then
    key_read_at: dict[Key, dt.datetime] = field(default_factory=dict)  # of the keys to take over
    claims: list[Key] = field(default_factory=list)
    takeovers: list[Key] = field(default_factory=list)
    drops: list[Key] = field(default_factory=list)  # keys the lead no longer holds after the update
    opportunity_id: str | None = None
    extra: list[Key] = field(default_factory=list)  # keys outside the chain, claimed if free
    new_opportunity: bool = False  # the interest did not exist yet: this job creates it
    before: dict[str, Any] | None = None  # what the update overwrites, kept with the job for undo
    touched: bool = False  # this job has written the lead already (an earlier round or delivery)
    ours: bool = False  # this job created the lead (a repeat merged into it needs no before-image: undo deletes it)
    error: RowIssue | None = None
    note: RowIssue | None = None


@dataclass(frozen=True)
class Job:
    """What every row of one job is decided with."""
    job_id: str
    options: ImportOptions
    chain: list[str]
    locale: str = "en"
    typed_ids: bool = False  # the tenant's id_type_matters (core/keys.lead_keys)


def decide(row: ValidatedRow, match: Match, job: Job, now: dt.datetime, first_row: int | None = None,
           created_before: bool = False) -> Plan:
    """The plan for one valid row.

    `first_row` is the first row of this job that matched the same stored lead (None: this one);
    `created_before` says an earlier delivery created this row's new lead, which another import changed since.
    """
    if match.error:
        return Plan(row, "error", error=match.error)
    if match.lead_id and match.lead is not None:
        if first_row is not None and first_row != row.row:  # two rows of one file, one lead: the second undoes
            return Plan(row, "error", error=RowIssue(code="duplicate_in_file", message=messages.render(
                "same_lead_in_file", job.locale, first=first_row)))
        return _decide_update(row, match, match.lead, job, now)
    if job.options.mode == "update-only":
        return Plan(row, "skipped", note=RowIssue(code="not_found", message=messages.render("not_found", job.locale)))
    lead_id = new_lead_id(job.job_id, row.row)
    if created_before:
        return Plan(row, "created", lead_id, touched=True)
    doc = history.created(row.fields, job.job_id, row.row, now)
    return Plan(row, "created", lead_id, create=doc, claims=match.unclaimed, key_read_at=match.key_read_at,
                takeovers=[*match.stale, *_own_elsewhere(match, lead_id)], extra=outside_chain(doc, job))


def _decide_update(row: ValidatedRow, match: Match, lead: dict[str, Any], job: Job, now: dt.datetime) -> Plan:
    lead_id = match.lead_id or ""
    if history.written_by(lead, job.job_id, row.row):  # a replay of a row already written
        return Plan(row, lead["last_import"]["status"], lead_id, extra=outside_chain(lead, job), touched=True)
    if job.options.mode == "create-only" or job.options.on_match == "skip":
        return Plan(row, "skipped", lead_id, note=RowIssue(
            code="already_exists", message=messages.render("already_exists", job.locale)))
    fields, note = _without_elsewhere(row, match, job)
    changes = changed_fields(lead, fields, fill_empty=job.options.on_match == "fill-empty",
                             replace_tags=job.options.replace_tags, fill_only=row.fill_only, new_only=row.new_only)
    before = lead_keys(lead, job.chain, job.typed_ids)
    after = lead_keys({**lead, **changes}, job.chain, job.typed_ids)
    plan = Plan(row, "updated" if changes else "unchanged", lead_id, read_at=match.read_at,
                key_read_at=match.key_read_at, extra=outside_chain({**lead, **changes}, job),
                touched=job.job_id in (lead.get("source_jobs") or []), ours=lead.get("created_by_job") == job.job_id,
                claims=[k for k in match.unclaimed if after.get(k[0]) == k[1]],
                takeovers=[k for k in [*match.stale, *_own_elsewhere(match, lead_id)] if after.get(k[0]) == k[1]],
                drops=[(kind, value) for kind, value in before.items() if after.get(kind) != value], note=note)
    if changes:
        plan.update = history.updated(lead, changes, job.job_id, row.row, now)
        # the before-image undo restores: every field the update writes, as it was when read
        plan.before = {**history.before_image(row.row, lead, plan.update, before, after), "read_at": match.read_at}
    return plan


def _without_elsewhere(row: ValidatedRow, match: Match, job: Job) -> tuple[dict[str, Any], RowIssue | None]:
    """The row's fields less the values whose keys found another lead than the one it updates (the tenant's
    first-key policy): a value is one lead's key, so it stays with that lead, and a warning says so."""
    if not match.elsewhere:
        return row.fields, None
    fields, said = dict(row.fields), []
    lead = match.lead or {}
    for kind, lead_id in match.elsewhere:
        primary, *others = VALUE_FIELDS.get(kind, ("",))
        for name in (primary, *others):
            value = fields.get(name)
            if value is None:
                continue
            if lead_keys({name: value, "id_type": fields.get("id_type")}, [kind], job.typed_ids).get(kind) \
                    == row.keys.get(kind):
                said.append((str(value), lead_id))
            elif lead.get(primary):
                continue  # a second address beside the lead's own: not its key, it may go in
            del fields[name]  # else it would become the lead's key, one nobody claimed
            if name == "id_number":
                fields.pop("id_type", None)
    value, lead_id = said[0] if said else ("", match.elsewhere[0][1])
    return fields, RowIssue(field=match.elsewhere[0][0], code="key_elsewhere", message=messages.render(
        "key_elsewhere", job.locale, value=value, lead=lead_id, found=key_label(match.found_by or "", job.locale)))


def outside_chain(lead: dict[str, Any], job: Job) -> list[Key]:
    """The strong keys a lead holds that the chain does not match on: indexed too, where free."""
    return list(lead_keys(lead, [kind for kind in STRONG_KINDS if kind not in job.chain], job.typed_ids).items())


def _own_elsewhere(match: Match, lead_id: str | None) -> list[Key]:
    """This job's own earlier claims that name another lead than the one the row now writes: taken over."""
    return [key for key, named in match.own if named != lead_id]


CUSTOM_FIELDS = 200  # custom fields a lead holds at most (keep_unmapped adds up to 50 a file)


def changed_fields(lead: dict[str, Any], fields: dict[str, Any], fill_empty: bool, replace_tags: bool = False,
                   fill_only: frozenset[str] = frozenset(), new_only: frozenset[str] = frozenset()) -> dict[str, Any]:
    """What an update writes: the row's fields that differ (tags add to the lead's own unless replaced);
    `fill_only` fields only where the lead has none, `new_only` ones not at all (a job's defaults, by the tenant)."""
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        current = lead.get(name)
        if name in new_only:
            continue
        if name == "tags" and not replace_tags:
            have = list(current or [])
            known = {tag.casefold() for tag in have}
            merged = have + [tag for tag in value if tag.casefold() not in known]
            if merged != have:
                changes[name] = merged
        elif name == "custom":
            base = current or {}
            value = {k: v for k, v in value.items() if f"custom.{k}" not in new_only}
            kept = {k: v for k, v in base.items() if fill_empty or f"custom.{k}" in fill_only}
            room = max(CUSTOM_FIELDS - len(base), 0)  # a lead is one document: files add fields up to a limit
            value = {k: v for k, v in value.items() if k in base} | dict(
                itertools.islice(((k, v) for k, v in value.items() if k not in base), room))
            merged_custom = {**base, **value, **kept}
            if merged_custom != base:
                changes[name] = merged_custom
        elif (fill_empty or name in fill_only) and current not in (None, "", []):
            continue
        elif current != value:
            changes[name] = value
    if changes.get("id_number") and lead.get("id_number_unverified"):  # the verified number replaces the typo
        changes.update(id_number_unverified=None, id_type_unverified=None)
    return changes
