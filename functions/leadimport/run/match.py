"""The match stage: which stored lead, if any, each valid row is, found through key documents.

One get_all for the chunk's keys and one for the leads they name: never a read per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from google.cloud import firestore

from leadimport.core.keys import STRONG_KINDS, lead_keys, new_lead_id
from leadimport.core.models import RowIssue
from leadimport.core.validate import ValidatedRow
from leadimport.errors import TransientError
from leadimport.i18n import messages
from leadimport.store.key_docs import key_ref

# A key whose lead does not exist is either being written right now or was left by a function
# that died between claiming and writing. After this long it is the latter and may be reclaimed.
STALE_CLAIM = dt.timedelta(minutes=15)


@dataclass
class Match:
    lead_id: str | None = None  # the stored lead this row is, if any
    lead: dict[str, Any] | None = None
    read_at: dt.datetime | None = None  # the lead's update_time when read: its update applies only if still so
    unclaimed: list[tuple[str, str]] = field(default_factory=list)  # chain keys no lead holds yet
    stale: list[tuple[str, str]] = field(default_factory=list)  # keys to take over from dead claims
    # keys this job claimed in an earlier round or delivery whose write did not land, with the lead each names
    own: list[tuple[tuple[str, str], str]] = field(default_factory=list)
    # when each stale or own key was read: taking it over applies only if nobody has written it since
    key_read_at: dict[tuple[str, str], dt.datetime] = field(default_factory=dict)
    error: RowIssue | None = None


class Matcher:
    def __init__(self, db: firestore.Client, tenant: firestore.DocumentReference, chain: list[str], job_id: str,
                 locale: str = "en"):
        self._db, self._tenant, self._chain, self._job_id = db, tenant, chain, job_id
        self._locale = locale

    def match(self, rows: list[ValidatedRow]) -> dict[int, Match]:
        wanted = {(kind, row.keys[kind]) for row in rows for kind in self._chain if kind in row.keys}
        key_snaps = self._get_all({k: key_ref(self._tenant, *k) for k in wanted})
        keys = {k: snap.to_dict() or {} for k, snap in key_snaps.items()}
        lead_ids = {data["lead_id"] for data in keys.values()}
        snaps = self._get_all({lid: self._tenant.collection("leads").document(lid) for lid in lead_ids})
        leads = {lead_id: snap.to_dict() or {} for lead_id, snap in snaps.items()}
        read_at = {lead_id: snap.update_time for lead_id, snap in snaps.items()}
        key_read_at = {k: snap.update_time for k, snap in key_snaps.items()}
        return {row.row: self._match_row(row, keys, leads, read_at, key_read_at) for row in rows}

    def _get_all(self, refs: dict[Any, firestore.DocumentReference]) -> dict[Any, firestore.DocumentSnapshot]:
        if not refs:
            return {}
        by_path = {ref.path: name for name, ref in refs.items()}
        return {by_path[snap.reference.path]: snap for snap in self._db.get_all(list(refs.values())) if snap.exists}

    def _match_row(self, row: ValidatedRow, keys: dict[Any, dict[str, Any]], leads: dict[Any, dict[str, Any]],
                   read_at: dict[Any, dt.datetime], key_read_at: dict[Any, dt.datetime]) -> Match:
        """Follow the chain: every strong key (email, phone, document) must agree on one lead; the
        name is only looked at when none of them found a lead (1C's "then by name")."""
        result = Match()
        own_id = new_lead_id(self._job_id, row.row)
        found: list[tuple[str, str]] = []  # (kind, lead id) in chain order
        for kind in self._chain:
            if kind not in row.keys:
                continue
            key = (kind, row.keys[kind])
            claim = keys.get(key)
            if claim is None:
                result.unclaimed.append(key)
                continue
            lead = leads.get(claim["lead_id"])
            holds = lead is not None and lead_keys(lead, [kind]).get(kind) == key[1]
            if holds:
                if kind == "name" and any(k in STRONG_KINDS for k, _ in found):
                    continue
                found.append((kind, claim["lead_id"]))
            elif claim["lead_id"] == own_id or claim.get("job_id") == self._job_id:
                # this row claimed it in an earlier round whose lead changed under it, or in an attempt that
                # died before its lead was written (in-file dedup leaves no other row of the job this key)
                result.own.append((key, claim["lead_id"]))
                result.key_read_at[key] = key_read_at[key]
            elif _is_stale(claim):
                result.stale.append(key)  # its lead is gone, or moved on to another value and left it behind
                result.key_read_at[key] = key_read_at[key]
            else:
                raise TransientError("A key of this file is being claimed by another import; retry shortly.")
        if any(kind in STRONG_KINDS for kind, _ in found):
            found = [(kind, lead_id) for kind, lead_id in found if kind in STRONG_KINDS]
        distinct = list(dict.fromkeys(lead_id for _, lead_id in found))
        if len(distinct) > 1:
            kinds = ", ".join(f"{kind} → {lead_id}" for kind, lead_id in found)
            result.error = RowIssue(field=found[0][0], code="conflicting_match",
                                    message=messages.render("conflicting_match", self._locale, leads=kinds))
        elif distinct:
            result.lead_id, result.lead = distinct[0], leads[distinct[0]]
            result.read_at = read_at[distinct[0]]
        return result


def _is_stale(claim: dict[str, Any]) -> bool:
    claimed_at = claim.get("claimed_at")
    return not isinstance(claimed_at, dt.datetime) or dt.datetime.now(dt.UTC) - claimed_at > STALE_CLAIM
