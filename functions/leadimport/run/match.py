"""The match stage's reads: the key documents of a chunk's rows and the leads they name, in one get_all
each (never a read per row); core/matching.py decides what each row is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from google.cloud import firestore

from leadimport.core.keys import new_lead_id, other_document_key
from leadimport.core.matching import Found, Match, match_row
from leadimport.core.validate.row import ValidatedRow
from leadimport.store.key_docs import key_ref
from leadimport.store.leads import lead_ref


class Matcher:
    def __init__(self, db: firestore.Client, tenant: firestore.DocumentReference, chain: list[str], job_id: str,
                 locale: str = "en", first_key_wins: bool = False, typed_ids: bool = False):
        self._db, self._tenant, self._chain, self._job_id = db, tenant, chain, job_id
        self._locale, self._first_key_wins, self._typed_ids = locale, first_key_wins, typed_ids

    def match(self, rows: list[ValidatedRow]) -> dict[int, Match]:
        wanted = {(kind, row.keys[kind]) for row in rows for kind in self._chain if kind in row.keys}
        others: dict[int, dict[str, str]] = {}  # a document's key in the other form, by row
        if "id_number" in self._chain:
            for row in rows:
                other = other_document_key(row.fields, self._typed_ids) if "id_number" in row.keys else None
                if other:
                    others[row.row] = {"id_number": other}
                    wanted.add(("id_number", other))
        key_snaps = self._get_all({k: key_ref(self._tenant, *k) for k in wanted})
        keys = {k: snap.to_dict() or {} for k, snap in key_snaps.items()}
        lead_ids = {data["lead_id"] for data in keys.values()}
        snaps = self._get_all({lid: lead_ref(self._tenant, lid) for lid in lead_ids})
        leads = {lead_id: snap.to_dict() or {} for lead_id, snap in snaps.items()}
        read_at = {lead_id: snap.update_time for lead_id, snap in snaps.items()}
        found = Found(keys, leads, read_at, {k: snap.update_time for k, snap in key_snaps.items()})
        now = dt.datetime.now(dt.UTC)
        return {row.row: match_row(row.keys, self._chain, found, new_lead_id(self._job_id, row.row), self._job_id,
                                   self._locale, now, self._first_key_wins, self._typed_ids, others.get(row.row))
                for row in rows}

    def _get_all(self, refs: dict[Any, firestore.DocumentReference]) -> dict[Any, firestore.DocumentSnapshot]:
        if not refs:
            return {}
        by_path = {ref.path: name for name, ref in refs.items()}
        return {by_path[snap.reference.path]: snap for snap in self._db.get_all(list(refs.values())) if snap.exists}
