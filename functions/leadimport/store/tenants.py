"""Tenants in Firestore: their settings (core/tenant_config.py), users, members and labels."""

from __future__ import annotations

from google.cloud import firestore

from leadimport.core.tenant_config import TenantConfig, TenantUser
from leadimport.errors import TerminalError
from leadimport.store.batches import BatchedWrites
from leadimport.store.tenant_refs import doc_id, domain_ref, member_ref, tenant_ref, user_ref


def apply_tenant(db: firestore.Client, tenant_id: str, config: TenantConfig) -> None:
    """Create or update a tenant; users and labels are upserted, never deleted here."""
    ref = tenant_ref(db, tenant_id)
    writes = BatchedWrites(db)
    settings = config.model_dump(exclude={"users", "labels"})
    # a kind listed with no values is a kind whose values the tenant keeps, none yet: remembered as such
    settings["label_kinds"] = sorted(config.labels)
    writes.set(ref, {**settings, "updated_at": firestore.SERVER_TIMESTAMP}, merge=True)
    for user in config.users:
        writes.set(user_ref(ref, user.email), user.model_dump())
    _set_labels(writes, ref, config.labels)
    writes.flush()
    index_members(db, tenant_id, config)


def index_members(db: firestore.Client, tenant_id: str, config: TenantConfig) -> None:
    """Let the HTTP functions find a caller's tenant from the email or domain in their ID token."""
    for domain in config.import_domains:
        holder = (domain_ref(db, domain).get().to_dict() or {}).get("tenant")
        if holder not in (None, tenant_id):
            raise TerminalError(f"The domain {domain} already belongs to another tenant.")
        domain_ref(db, domain).set({"tenant": tenant_id})
    for user in config.users:
        ref = member_ref(db, user.email)
        tenants = set((ref.get().to_dict() or {}).get("tenants") or [])
        if tenant_id not in tenants:
            ref.set({"email": user.email, "tenants": sorted(tenants | {tenant_id})})


def add_labels(db: firestore.Client, tenant: firestore.DocumentReference, labels: dict[str, list[str]]) -> None:
    """Store labels an import was allowed to create (existing ones are rewritten unchanged)."""
    writes = BatchedWrites(db)
    _set_labels(writes, tenant, labels)
    writes.flush()


def _set_labels(writes: BatchedWrites, tenant: firestore.DocumentReference, labels: dict[str, list[str]]) -> None:
    for kind, values in labels.items():
        for value in values:
            writes.set(tenant.collection("labels").document(doc_id(kind, value.casefold())),
                       {"kind": kind, "value": value})


def load_tenant(db: firestore.Client, tenant_id: str) -> TenantConfig:
    ref = tenant_ref(db, tenant_id)
    snapshot = ref.get()
    if not snapshot.exists:
        raise TerminalError(f"Tenant '{tenant_id}' does not exist. Create it first (leadimport tenant apply).")
    data = snapshot.to_dict() or {}
    known = set(TenantConfig.model_fields) - {"users", "labels"}
    users = [TenantUser.model_validate(doc.to_dict()) for doc in ref.collection("users").stream()]
    labels: dict[str, list[str]] = {kind: [] for kind in data.get("label_kinds") or []}
    for doc in ref.collection("labels").stream():
        item = doc.to_dict() or {}
        labels.setdefault(item["kind"], []).append(item["value"])
    return TenantConfig.model_validate(
        {**{k: v for k, v in data.items() if k in known}, "users": users, "labels": labels}
    )
