"""The match decision for one row, with no I/O: given the key documents and the leads they name (read by
run/match.py, a chunk at a time), which stored lead the row is, which keys it may claim or take over,
or why it cannot be matched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from leadimport.core.keys import STRONG_KINDS, lead_keys
from leadimport.core.models import RowIssue
from leadimport.errors import TransientError
from leadimport.i18n import messages

Key = tuple[str, str]  # (kind, normalised value)

# A key whose lead does not exist is either being written right now or was left by a function
# that died between claiming and writing. After this long it is the latter and may be reclaimed.
STALE_CLAIM = dt.timedelta(minutes=15)


@dataclass
class Match:
    lead_id: str | None = None  # the stored lead this row is, if any
    lead: dict[str, Any] | None = None
    read_at: dt.datetime | None = None  # the lead's update_time when read: its update applies only if still so
    unclaimed: list[Key] = field(default_factory=list)  # chain keys no lead holds yet
    stale: list[Key] = field(default_factory=list)  # keys to take over from dead claims
    # keys this job claimed in an earlier round or delivery whose write did not land, with the lead each names
    own: list[tuple[Key, str]] = field(default_factory=list)
    # when each stale or own key was read: taking it over applies only if nobody has written it since
    key_read_at: dict[Key, dt.datetime] = field(default_factory=dict)
    error: RowIssue | None = None
    # first-key policy: keys of the row that found another lead than the winner, (kind, that lead); their
    # values stay with that lead, since one value is one lead's key
    elsewhere: list[tuple[str, str]] = field(default_factory=list)
    found_by: str | None = None  # the kind of key that found the lead


@dataclass
class Found:
    """What the matcher read for a chunk: key documents by key, leads by id, and when each was read."""
    keys: dict[Key, dict[str, Any]]
    leads: dict[str, dict[str, Any]]
    read_at: dict[str, dt.datetime]
    key_read_at: dict[Key, dt.datetime]


def match_row(row_keys: dict[str, str], chain: list[str], found: Found, own_id: str, job_id: str,
              locale: str, now: dt.datetime, first_key_wins: bool = False, typed_ids: bool = False,
              other_forms: dict[str, str] | None = None) -> Match:
    """Follow the chain: every strong key (email, phone, document) must agree on one lead; the
    name is only looked at when none of them found a lead (1C's "then by name"). With `first_key_wins`
    (1C's search in steps) the first key of the chain that finds a lead decides, and the keys that found
    others are listed in `elsewhere` instead of refusing the row.

    `own_id` is the id this row's new lead gets (core/keys.new_lead_id): a key naming it is the row's own.
    """
    result = Match()
    hits: list[tuple[str, str]] = []  # (kind, lead id) in chain order
    for kind in chain:
        if kind not in row_keys:
            continue
        key = (kind, row_keys[kind])
        claim = found.keys.get(key)
        if claim is None:
            result.unclaimed.append(key)  # claimed now in the tenant's form, whatever found the lead
            claim = _found_by_other_form(kind, (other_forms or {}).get(kind), found, key, typed_ids)
            if claim is None:
                continue
        lead = found.leads.get(claim["lead_id"])
        if lead is not None and lead_keys(lead, [kind], typed_ids).get(kind) == key[1]:
            if kind == "name" and any(k in STRONG_KINDS for k, _ in hits):
                continue
            hits.append((kind, claim["lead_id"]))
        elif claim["lead_id"] == own_id or claim.get("job_id") == job_id:
            # this row claimed it in an earlier round whose lead changed under it, or in an attempt that
            # died before its lead was written (in-file dedup leaves no other row of the job this key)
            result.own.append((key, claim["lead_id"]))
            result.key_read_at[key] = found.key_read_at[key]
        elif is_stale(claim, now):
            result.stale.append(key)  # its lead is gone, or moved on to another value and left it behind
            result.key_read_at[key] = found.key_read_at[key]
        else:
            raise TransientError("A key of this file is being claimed by another import; retry shortly.")
    if any(kind in STRONG_KINDS for kind, _ in hits):
        hits = [(kind, lead_id) for kind, lead_id in hits if kind in STRONG_KINDS]
    distinct = list(dict.fromkeys(lead_id for _, lead_id in hits))
    if len(distinct) > 1 and first_key_wins:
        result.elsewhere = [(kind, lead_id) for kind, lead_id in hits if lead_id != distinct[0]]
        distinct = distinct[:1]
    if len(distinct) > 1:
        kinds = ", ".join(f"{kind} → {lead_id}" for kind, lead_id in hits)
        result.error = RowIssue(field=hits[0][0], code="conflicting_match",
                                message=messages.render("conflicting_match", locale, leads=kinds))
    elif distinct:
        result.found_by = next(kind for kind, lead_id in hits if lead_id == distinct[0])
        result.lead_id, result.lead = distinct[0], found.leads[distinct[0]]
        result.read_at = found.read_at[distinct[0]]
    return result


def _found_by_other_form(kind: str, other: str | None, found: Found, key: Key,
                        typed_ids: bool) -> dict[str, Any] | None:
    """A document's key stored in the other form (core/keys.other_document_key), when its lead still holds
    the document: the lead is found by it."""
    claim = found.keys.get((kind, other)) if other else None
    lead = found.leads.get(claim["lead_id"]) if claim else None
    return claim if lead is not None and lead_keys(lead, [kind], typed_ids).get(kind) == key[1] else None


def is_stale(claim: dict[str, Any], now: dt.datetime) -> bool:
    claimed_at = claim.get("claimed_at")
    return not isinstance(claimed_at, dt.datetime) or now - claimed_at > STALE_CLAIM
