"""The write stage: each row's plan (core/decide.py) carried out: keys claimed, leads written.

Order matters for "one lead per key": every new key document is claimed with create() (which
fails if another import holds it) before the lead it names is written. A row that loses a claim
is matched again, so it becomes an update of the winner's lead instead of a second lead.

An update is worked out from the lead as the matcher read it (tags merged, history appended), so
it is written only while the lead is still as read (a `last_update_time` precondition). A row
whose lead another import changed meanwhile is matched and planned again on the new lead, so two
imports reaching one lead at once both land; only after _MAX_ROUNDS is it reported as a conflict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from google.cloud import firestore

from leadimport.core.decide import Job, Plan, decide
from leadimport.core.keys import lead_keys, new_lead_id, opportunity_id
from leadimport.core.matching import Match
from leadimport.core.models import ImportOptions, RowIssue, RowResult
from leadimport.core.tenant_config import TenantConfig
from leadimport.core.validate.row import ValidatedRow
from leadimport.i18n import messages
from leadimport.run.match import Matcher
from leadimport.store.batches import BatchedWrites, create_or_find
from leadimport.store.jobs import before_images
from leadimport.store.key_docs import key_ref, release_keys
from leadimport.store.leads import leads_of
from leadimport.store.retention import UNDO_DAYS, expires

_MAX_ROUNDS = 5  # claim or update races lost in a row before the row is given up as an error


class LeadWriter:
    def __init__(self, db: firestore.Client, tenant: firestore.DocumentReference, job_id: str,
                 options: ImportOptions, chain: list[str], config: TenantConfig):
        self._db, self._tenant, self._job_id, self._options = db, tenant, job_id, options
        self._locale = locale = config.locale
        self._rows_of_lead: dict[str, int] = {}  # stored lead → the first row of this job that matched it
        first_key_wins = config.on_conflict == "first-key"
        self._matcher = Matcher(db, tenant, chain, job_id, locale, first_key_wins, config.id_type_matters)
        self._job = Job(job_id, options, chain, locale, typed_ids=config.id_type_matters)
        self._imaged: set[tuple[int, str]] = set()  # (row, lead) of the before-images claimed in this write
        self._created: set[str] = set()  # new leads whose create found them there: written by an earlier delivery

    def row_keys(self, fields: dict[str, Any]) -> dict[str, str]:
        """The chain's keys of a row's fields, as this job computes them (core/merge_rows.py folds rows)."""
        return lead_keys(fields, self._job.chain, self._job.typed_ids)

    def write(self, rows: list[ValidatedRow]) -> list[RowResult]:
        """Results for `rows`, in their order; rows must be free of validation errors."""
        plans: dict[int, Plan] = {}
        earlier: dict[int, Plan] = {}  # the plan of each row lost in the round before
        pending = rows
        for _ in range(_MAX_ROUNDS):
            if not pending:
                break
            matches = self._matcher.match(pending)
            round_plans = [self._plan(row, matches[row.row]) for row in pending]
            between_read_and_write(round_plans)
            if self._options.dry_run:
                plans.update({p.row.row: p for p in round_plans})
                pending = []
                break
            round_plans = [_carried(plan, earlier.get(plan.row.row)) for plan in round_plans]
            round_plans = self._claim_updates(round_plans)
            lost = self._claim(round_plans)
            # the rows whose lead changed since it was read are matched again, on the lead as it is now
            lost |= self._commit_leads([p for p in round_plans if p.row.row not in lost])
            plans.update({p.row.row: p for p in round_plans if p.row.row not in lost})
            earlier = {p.row.row: p for p in round_plans if p.row.row in lost}
            for plan in earlier.values():
                if plan.lead_id and self._rows_of_lead.get(plan.lead_id) == plan.row.row:
                    del self._rows_of_lead[plan.lead_id]  # its next round may find another lead
            pending = [row for row in pending if row.row in lost]
        for row in pending:
            plans[row.row] = Plan(row, "error", error=RowIssue(
                code="concurrent_conflict", message=messages.render("concurrent_conflict", self._locale)))
        self._plan_opportunities(list(plans.values()))
        if not self._options.dry_run:
            self._drop_unused_images(plans)
            self._commit_opportunities(plans.values())
            self._drop_moved_keys(plans.values())
            self._claim_outside_chain(list(plans.values()))
        return [self._result(plans[row.row]) for row in rows]

    def _plan_opportunities(self, plans: list[Plan]) -> None:
        """An interest already stored (same lead, subject and date) is kept as it is, not rewritten."""
        wanted = [p for p in plans
                  if p.row.opportunity and p.lead_id and p.status in {"created", "updated", "unchanged"}]
        for plan in wanted:
            plan.opportunity_id = opportunity_id(plan.lead_id or "", plan.row.opportunity)
        refs = [self._tenant.collection("opportunities").document(p.opportunity_id or "") for p in wanted]
        stored = {snap.id for snap in self._db.get_all(refs) if snap.exists} if refs else set()
        for plan in wanted:
            plan.new_opportunity = plan.opportunity_id not in stored

    def _plan(self, row: ValidatedRow, match: Match) -> Plan:
        first = None
        # a repeat to merge completes the lead an earlier row of this job wrote: that is no duplicate
        if not match.error and match.lead_id and match.lead is not None and row.repeat_of is None:
            first = self._rows_of_lead.setdefault(match.lead_id, row.row)
        return decide(row, match, self._job, dt.datetime.now(dt.UTC), first_row=first,
                      created_before=new_lead_id(self._job_id, row.row) in self._created)

    def _claim_updates(self, plans: list[Plan]) -> list[Plan]:
        """Claim each lead to update by create()ing its before-image under the job, before any key moves.

        Two rows of one file that reach one stored lead through different keys (its email in one, its
        phone in the other) would undo each other's changes; a writer sees that within its own rows,
        and this claim sees it across the chunks of a big file, which other invocations write. A row's
        own image from an earlier round or delivery, of the lead as it was then, is written anew.
        """
        # a repeat merged into a lead this job created needs no image: undo deletes the lead
        wanted = [plan for plan in plans if plan.update is not None and not (plan.row.repeat_of and plan.ours)]
        if not wanted:
            return plans
        befores = self._befores()
        kept = expires(UNDO_DAYS)  # TTL deletes it once the import can no longer be undone
        images = {plan.row.row: (befores.document(plan.lead_id or ""), {**(plan.before or {}), **kept})
                  for plan in wanted}
        found = create_or_find(self._db, list(images.values()))
        lost: dict[int, int] = {}  # row → the row that claimed its lead first
        outdated = BatchedWrites(self._db)
        for plan in wanted:
            ref, image = images[plan.row.row]
            earlier = found.get(ref.path)
            first = (earlier or {}).get("row", plan.row.row)
            if first != plan.row.row and plan.row.repeat_of is not None and earlier is not None:
                # a repeat merged into the lead an earlier row of this job updated: undo restores both
                outdated.set(ref, merged_image(earlier, image))  # kept whatever this row ends as
                continue
            if first != plan.row.row:  # this row's own image (a replay) is no conflict
                lost[plan.row.row] = first
                continue
            if earlier is not None and earlier.get("read_at") != plan.read_at:
                outdated.set(ref, image)  # of the lead as an earlier try read it: undo restores what this one read
            self._imaged.add((plan.row.row, plan.lead_id or ""))
        outdated.flush()
        return [Plan(plan.row, "error", error=RowIssue(code="duplicate_in_file", message=messages.render(
            "same_lead_in_file", self._locale, first=lost[plan.row.row]))) if plan.row.row in lost else plan
            for plan in plans]

    def _befores(self) -> firestore.CollectionReference:
        return before_images(self._tenant, self._job_id)

    def _drop_unused_images(self, plans: dict[int, Plan]) -> None:
        """Delete the before-images of rows that, in the end, did not update that lead (planned on a lead
        that changed, they then found nothing to change, or another lead), so undo never restores them. A
        row that ends as an update of the lead keeps it, and so does one whose update did land though its
        commit was answered with an error (a retried RPC), which the lead's `source_jobs` tell."""
        unused = [lead_id for row, lead_id in self._imaged
                  if plans[row].lead_id != lead_id or not (plans[row].status == "updated" or plans[row].touched)]
        self._imaged.clear()
        writes = BatchedWrites(self._db)
        for lead_id in unused:
            writes.delete(self._befores().document(lead_id))
        writes.flush()

    def _claim(self, plans: list[Plan]) -> set[int]:
        """Claim every new key; the rows that lost a key to another import, to be matched again."""
        wanted = [(plan, key) for plan in plans if plan.lead_id for key in plan.claims]
        takeovers = [(plan, key) for plan in plans if plan.lead_id for key in plan.takeovers]
        if not wanted and not takeovers:
            return set()
        now = dt.datetime.now(dt.UTC)

        def claim_doc(plan: Plan, key: tuple[str, str]) -> dict[str, Any]:
            return {"kind": key[0], "lead_id": plan.lead_id, "job_id": self._job_id, "claimed_at": now}

        # Takeovers overwrite claims left by a dead function (see core/matching.STALE_CLAIM), or by this job's own
        # earlier try, each only while it is as the matcher read it: two imports taking over one stale key
        # never both get it.
        stale_writes = BatchedWrites(self._db)
        for plan, key in takeovers:
            stale_writes.update(key_ref(self._tenant, *key), claim_doc(plan, key), read_at=plan.key_read_at[key])
        stale_writes.flush()
        lost = {plan.row.row for plan, key in takeovers if key_ref(self._tenant, *key).path in stale_writes.changed}
        # Another import may hold some key: it keeps it, and the row is matched again
        wanted = [(plan, key) for plan, key in wanted if plan.row.row not in lost]
        found = create_or_find(self._db, [(key_ref(self._tenant, *key), claim_doc(plan, key)) for plan, key in wanted])
        lost |= {plan.row.row for plan, key in wanted
                 if found.get(key_ref(self._tenant, *key).path, {}).get("lead_id", plan.lead_id) != plan.lead_id}
        if lost:
            self._release(plans, lost)
        return lost

    def _release(self, plans: list[Plan], lost: set[int]) -> None:
        """Give back the keys that rows which lost a race did win: their new lead will not be written.
        (A lost update's keys stay: they name a lead that exists, and its next round takes them back.)"""
        release_keys(self._db, self._tenant, [(kind, value, plan.lead_id or "") for plan in plans
                                              if plan.row.row in lost and plan.create is not None
                                              for kind, value in [*plan.claims, *plan.takeovers]])

    def _commit_leads(self, plans: list[Plan]) -> set[int]:
        """Write the new leads and the updates; the rows whose lead changed since it was read are not
        written, and returned to be planned again."""
        writes = BatchedWrites(self._db)
        leads = leads_of(self._tenant)
        for plan in plans:
            if plan.create is not None:  # a lead of this id that exists already is matched again, not overwritten
                writes.create(leads.document(plan.lead_id), plan.create)
            elif plan.update:  # its before-image is stored already (_claim_updates): undo never lacks it
                writes.update(leads.document(plan.lead_id), plan.update, read_at=plan.read_at)
        writes.flush()
        written = [plan for plan in plans if plan.update or plan.create is not None]
        lost = {plan.row.row for plan in written if leads.document(plan.lead_id or "").path in writes.changed}
        self._created |= {plan.lead_id or "" for plan in written if plan.create is not None and plan.row.row in lost}
        return lost

    def _commit_opportunities(self, plans: Any) -> None:
        """After the leads they point to; one another import created meanwhile keeps its own job and row."""
        create_or_find(self._db, [(self._tenant.collection("opportunities").document(plan.opportunity_id),
                                   self._opportunity(plan))
                                  for plan in plans if plan.opportunity_id and plan.new_opportunity])

    def _opportunity(self, plan: Plan) -> dict[str, Any]:
        return {**plan.row.opportunity, "lead_id": plan.lead_id, "sales_scenario": self._options.sales_scenario,
                "job_id": self._job_id, "row": plan.row.row, "created_at": dt.datetime.now(dt.UTC)}

    def _claim_outside_chain(self, plans: list[Plan]) -> None:
        """Index the strong keys this job does not match on too, where no other lead holds them, so a
        later job matching on them (a bulk tag by document, a tenant moving to phone first) finds the lead.

        Best effort, after the leads are written: a key held by another lead stays with it, which is
        allowed when the chain does not use that kind (a family sharing a phone under email matching).
        """
        wanted = {key: plan.lead_id for plan in plans if plan.lead_id and plan.status != "error"
                  for key in plan.extra}
        if not wanted:
            return
        refs = {key: key_ref(self._tenant, *key) for key in wanted}
        held = {snap.reference.path for snap in self._db.get_all(list(refs.values())) if snap.exists}
        now = dt.datetime.now(dt.UTC)
        free = [(refs[key], {"kind": key[0], "lead_id": lead_id, "job_id": self._job_id, "claimed_at": now})
                for key, lead_id in wanted.items() if refs[key].path not in held]
        create_or_find(self._db, free)  # one another import took meanwhile stays with it

    def _drop_moved_keys(self, plans: Any) -> None:
        """After the update is written, free the keys of values the lead gave up (an old email).

        If this never runs (the function died), the key still names a lead that no longer holds
        its value: the matcher treats such a key as stale and another lead may take it over.
        """
        release_keys(self._db, self._tenant, [(kind, value, plan.lead_id or "") for plan in plans
                                              for kind, value in plan.drops])

    @staticmethod
    def _result(plan: Plan) -> RowResult:
        warnings = list(plan.row.warnings) + ([plan.note] if plan.note else [])
        return RowResult(row=plan.row.row, status=plan.status, lead_id=plan.lead_id,
                         opportunity_id=plan.opportunity_id,
                         errors=[plan.error] if plan.error else [], warnings=warnings)


def merged_image(earlier: dict[str, Any], image: dict[str, Any]) -> dict[str, Any]:
    """The before-image of a lead two rows of one job updated: each field as it was before the first."""
    missing = set(earlier.get("missing") or [])
    fields = {k: v for k, v in {**(image.get("fields") or {}), **(earlier.get("fields") or {})}.items()
              if k not in missing}
    missing |= {name for name in image.get("missing") or [] if name not in (earlier.get("fields") or {})}
    return {**earlier, "fields": fields, "missing": sorted(missing), "keys_after": image.get("keys_after") or {}}


def between_read_and_write(plans: list[Plan]) -> None:
    """Runs between reading the leads and writing them: nothing in production; a test holds two writers
    here so that both have read before either writes, which is the race preconditions guard."""


def _carried(plan: Plan, earlier: Plan | None) -> Plan:
    """A replay of what the row's own lost round did write (its commit landed, though it was answered with an
    error) still frees the keys that round's update moved the lead off."""
    replay = plan.create is None and plan.update is None and plan.status in {"created", "updated"}
    if replay and earlier is not None and earlier.lead_id == plan.lead_id:
        plan.drops = earlier.drops
    return plan
