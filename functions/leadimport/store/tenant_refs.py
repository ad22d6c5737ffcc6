"""Where a tenant's documents are: its own, its users', and the indexes a caller is found by.

Apart from store/tenants.py (the tenant's settings, read and written) so that checking who calls, on every
request, loads no settings model: bench/cold_start.py times it.
"""

from __future__ import annotations

import hashlib
import re

from google.cloud import firestore

from leadimport.errors import TerminalError

_TENANT_ID = re.compile(r"[a-z0-9][a-z0-9_-]{1,62}")


def is_tenant_id(text: str) -> bool:
    """Lower-case letters, digits, '-' and '_', 2–63 characters, and nothing else: the whole text (a pattern
    ending in "$" also takes "acme" and a newline, which names a document apart from "acme's")."""
    return _TENANT_ID.fullmatch(text) is not None


def check_tenant_id(tenant_id: str) -> str:
    if not is_tenant_id(tenant_id):
        raise TerminalError(
            f"'{tenant_id}' is not a valid tenant id (lower-case letters, digits, '-' and '_', 2–63 characters)."
        )
    return tenant_id


def tenant_ref(db: firestore.Client, tenant_id: str) -> firestore.DocumentReference:
    return db.collection("tenants").document(check_tenant_id(tenant_id))


def user_ref(tenant: firestore.DocumentReference, email: str) -> firestore.DocumentReference:
    return tenant.collection("users").document(doc_id(email.lower()))


def member_ref(db: firestore.Client, email: str) -> firestore.DocumentReference:
    """members/{hash of email}: the tenants a verified caller belongs to (no collection-group queries)."""
    return db.collection("members").document(doc_id(email.lower()))


def domain_ref(db: firestore.Client, domain: str) -> firestore.DocumentReference:
    return db.collection("import_domains").document(domain.lower())


def doc_id(*parts: str) -> str:
    """A document id for these parts, of a fixed length whatever they hold (an email, a label's value)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
