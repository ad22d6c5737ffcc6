"""Tenants: settings, users who can own leads, and the labels leads may carry."""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from google.cloud import firestore
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from leadimport.batches import BatchedWrites
from leadimport.errors import TerminalError
from leadimport.models import MatchKey

TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,62}$")
LabelKind = Literal["tags", "source", "channel", "segment", "interest_level"]


class TenantUser(BaseModel):
    email: EmailStr
    name: str
    active: bool = True
    # seed 002's "import clients from a file" role, seed 004's permission: needed to import through the add-on
    can_import: bool = False

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class TenantConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    default_region: str = Field(default="US", min_length=2, max_length=2)
    default_owner: EmailStr | None = None
    locale: Literal["en", "es", "fr", "ru", "pt"] = "en"
    match_on: list[MatchKey] = Field(default_factory=lambda: ["email", "phone"])
    report_to: list[EmailStr] = Field(default_factory=list)
    # the tenant's own fields, stored as custom.<name>; a column named like one maps to it
    custom_fields: list[str] = Field(default_factory=list)
    # Google Workspace domains whose every verified account may import (the `hd` claim of the ID token)
    import_domains: list[str] = Field(default_factory=list)
    # email: reports go out from this sender ("Inmobiliaria Sol <crm@inmosol.ec>"); None: the deployment's
    mail_from: str | None = None
    # who may email files to import+<tenant>@…: addresses, or domains as "@inmosol.ec" (and users with can_import)
    allowed_senders: list[str] = Field(default_factory=list)
    answer_strangers: bool = True  # False: mail from anyone not allowed gets no answer at all
    users: list[TenantUser] = Field(default_factory=list)
    labels: dict[LabelKind, list[str]] = Field(default_factory=dict)

    @field_validator("default_region")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


def check_tenant_id(tenant_id: str) -> str:
    if not TENANT_ID.match(tenant_id):
        raise TerminalError(
            f"'{tenant_id}' is not a valid tenant id (lower-case letters, digits, '-' and '_', 2–63 characters)."
        )
    return tenant_id


def tenant_ref(db: firestore.Client, tenant_id: str) -> firestore.DocumentReference:
    return db.collection("tenants").document(check_tenant_id(tenant_id))


def _doc_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def apply_tenant(db: firestore.Client, tenant_id: str, config: TenantConfig) -> None:
    """Create or update a tenant; users and labels are upserted, never deleted here."""
    ref = tenant_ref(db, tenant_id)
    writes = BatchedWrites(db)
    settings = config.model_dump(exclude={"users", "labels"})
    writes.set(ref, {**settings, "updated_at": firestore.SERVER_TIMESTAMP}, merge=True)
    for user in config.users:
        writes.set(user_ref(ref, user.email), user.model_dump())
    _set_labels(writes, ref, config.labels)
    writes.flush()
    index_members(db, tenant_id, config)


def user_ref(tenant: firestore.DocumentReference, email: str) -> firestore.DocumentReference:
    return tenant.collection("users").document(_doc_id(email.lower()))


def member_ref(db: firestore.Client, email: str) -> firestore.DocumentReference:
    """members/{hash of email}: the tenants a verified caller belongs to (no collection-group queries)."""
    return db.collection("members").document(_doc_id(email.lower()))


def domain_ref(db: firestore.Client, domain: str) -> firestore.DocumentReference:
    return db.collection("import_domains").document(domain.lower())


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
            writes.set(tenant.collection("labels").document(_doc_id(kind, value.casefold())),
                       {"kind": kind, "value": value})


def load_tenant(db: firestore.Client, tenant_id: str) -> TenantConfig:
    ref = tenant_ref(db, tenant_id)
    snapshot = ref.get()
    if not snapshot.exists:
        raise TerminalError(f"Tenant '{tenant_id}' does not exist. Create it first (leadimport tenant apply).")
    data = snapshot.to_dict() or {}
    known = set(TenantConfig.model_fields) - {"users", "labels"}
    users = [TenantUser.model_validate(doc.to_dict()) for doc in ref.collection("users").stream()]
    labels: dict[str, list[str]] = {}
    for doc in ref.collection("labels").stream():
        item = doc.to_dict() or {}
        labels.setdefault(item["kind"], []).append(item["value"])
    return TenantConfig.model_validate(
        {**{k: v for k, v in data.items() if k in known}, "users": users, "labels": labels}
    )
