"""A tenant's settings as a model: who may import, how leads are matched, which labels exist. No I/O."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from leadimport.core.models import MatchKey

LabelKind = Literal["tags", "source", "channel", "segment", "interest_level", "project"]
LABEL_KINDS = frozenset(get_args(LabelKind))
OwnerFallback = Literal["job", "tenant", "importer"]


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
    # a value that fails its check costs the value, not the lead (a warning names the cell); the fields
    # listed here refuse the row instead (a bank that wants every document verified: ["id_number"])
    strict_fields: list[str] = Field(default_factory=list)

    # The rules below are each CRM's own (docs/tenant-settings.md says which manual each comes from); the
    # defaults lose nothing: they keep every lead a row can make and overwrite nothing the file did not say.
    # seed 001: a lead needs an email or a phone; Sperant and 1C keep a client known by name and document
    require_contact: bool = True
    # who owns a lead whose owner cell is empty or names no user, in order after the file's cell: the job's
    # default (1C's "Ответственный", --default owner=), the tenant's default_owner, the person importing
    owner_fallback: list[OwnerFallback] = Field(default_factory=lambda: ["job", "tenant", "importer"])
    unknown_owner: Literal["warning", "error"] = "warning"  # Cadence: "Utilisateur non présent" blocks the lead
    # whether an update writes the owner: "file" only the file's own cell; "never"; "always" also a fallback
    # (Sperant gives every lead whose user it cannot find to the importer, on creation and on update)
    update_owner: Literal["file", "never", "always"] = "file"
    # what a job's default value does to a lead that exists: "fill-empty" fills only what it lacks,
    # "overwrite" replaces its value, "new-only" leaves it alone (1C's default group is for new clients)
    defaults_on_update: Literal["fill-empty", "overwrite", "new-only"] = "fill-empty"
    # keys of the chain finding different leads: "refuse" the row (conflicting_match); "first-key": the
    # first key of the chain that finds a lead wins (1C searches by phone, then email, then name)
    on_conflict: Literal["refuse", "first-key"] = "refuse"
    # a document is one key whatever type label it came with (NIF and DNI, cédula typed as "CI"); True: the
    # type is part of the key
    id_type_matters: bool = False
    # every column no field takes is kept as a custom field named after its header (HubSpot's properties)
    keep_unmapped: bool = False
    # a row repeating an earlier row's key: "refuse" it (duplicate_in_file), or "merge" it into that row's
    # lead, written after it (its non-empty values fill or update the lead; each row reported against it)
    repeated_rows: Literal["refuse", "merge"] = "refuse"

    @field_validator("default_region")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @field_validator("strict_fields")
    @classmethod
    def _known_fields(cls, value: list[str]) -> list[str]:
        from leadimport.core.mapping.catalog import BY_NAME  # the catalog reads the i18n texts: only when given

        unknown = sorted(set(value) - set(BY_NAME))
        if unknown:
            raise ValueError(f"strict_fields names unknown fields: {', '.join(unknown)}")
        return value


# the settings that decide which leads are kept, matched and how (docs/tenant-settings.md): a tenant without
# them has the defaults that lose nothing
RULES = ("match_on", "strict_fields", "require_contact", "owner_fallback", "unknown_owner", "update_owner",
         "defaults_on_update", "on_conflict", "id_type_matters", "keep_unmapped", "repeated_rows")
assert set(RULES) <= set(TenantConfig.model_fields)

