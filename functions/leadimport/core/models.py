"""The shapes that cross module and process boundaries: options in, per-row results out."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from leadimport.core.text import one_line

RowStatus = Literal["created", "updated", "unchanged", "skipped", "error"]
MatchKey = Literal["email", "phone", "id_number", "name"]
OnMatch = Literal["update", "fill-empty", "skip"]
Mode = Literal["upsert", "create-only", "update-only"]


class RowIssue(BaseModel):
    """One problem with one row: what the report, the email and the sheet all show."""

    # defer_build, here and below: every entry point imports these models, and each builds its validator on
    # its first use, not at import (bench/cold_start.py; tests/unit/test_entry_imports.py builds them all)
    model_config = ConfigDict(frozen=True, defer_build=True)

    field: str | None = None
    column: str | None = None  # the header of the column the value came from (None: a default or the row)
    cell: str | None = None  # where the person finds it: "C7"
    code: str
    message: str


class RowResult(BaseModel):
    model_config = ConfigDict(defer_build=True)
    row: int
    status: RowStatus
    lead_id: str | None = None
    opportunity_id: str | None = None  # the client interest created for the lead (seed 002)
    errors: list[RowIssue] = Field(default_factory=list)
    warnings: list[RowIssue] = Field(default_factory=list)
    check: str | None = None  # a sheet row's identity cells, fingerprinted (core/row_identity.py)


# warnings that say a value the person typed was left out of the lead (a value that failed its check costs
# the value, not the lead): the row goes into the files they fix and send again, with what they typed
COSTS_THE_VALUE = frozenset({"invalid_email", "invalid_phone", "invalid_value", "invalid_date", "invalid_number",
                             "invalid_id_number", "formula_error"})  # a warning, unless the tenant made it strict
LEFT_OUT_CODES = COSTS_THE_VALUE | {"id_unverified"}
# what puts an imported row in the files to fix: a value left out, or one kept that looks mistyped
TO_FIX_CODES = LEFT_OUT_CODES | {"email_typo"}
CONTACTS = frozenset({"email", "email_2", "phone", "phone_2"})  # the contact rule counts any of them


def to_fix(result: RowResult) -> bool:
    """An imported lead a value of which was left out or looks mistyped: sent back fixed, the row completes it."""
    return result.status in ("created", "updated") and any(w.code in TO_FIX_CODES for w in result.warnings)


class Counts(BaseModel):
    model_config = ConfigDict(defer_build=True)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: int = 0

    def add(self, status: RowStatus) -> None:
        self.rows += 1
        attr = "errors" if status == "error" else status
        setattr(self, attr, getattr(self, attr) + 1)

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{name: getattr(self, name) + getattr(other, name) for name in Counts.model_fields})


class ColumnMapping(BaseModel):
    model_config = ConfigDict(defer_build=True)
    column: str
    field: str | None
    confidence: float
    reason: str = ""  # in English: what the job keeps and the CLI prints
    # the reason's parts (core/mapping/reasons.py), for the sidebar to say in its user's language; not stored
    why: list[tuple[str, dict[str, str]]] = Field(default_factory=list, exclude=True)


class Reassignment(BaseModel):
    """Seed 004's reassignment: one owner's leads (or those with none) to another (run/reassign.py)."""

    model_config = ConfigDict(defer_build=True)
    to_user: str
    from_user: str | None = None  # None: only orphans (with orphans=True)
    segments: list[str] = Field(default_factory=list)  # only leads in one of these segments
    orphans: bool = False  # leads with no owner go to the destination too
    keep_original: bool = False  # the origin user stays on the lead as a co-owner
    notify: str | None = None


class ImportOptions(BaseModel):
    """What the uploader asked for; travels with the object as metadata."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    mapping: dict[str, str | None] | None = None
    # "letter": the mapping's keys are column letters ("C"), as the add-on sends it: a blank, merged or
    # repeated header cell still names its column, and two columns with one header name stay two
    mapping_by: Literal["header", "letter"] = "header"
    save_mapping: bool = True  # remember an explicit mapping for files with the same columns
    sheet: str | None = None
    header_row: int | None = Field(default=None, ge=1)
    no_header: bool = False  # the file has no header row: every row is data, columns named by their letters
    first_row: int | None = Field(default=None, ge=1)
    last_row: int | None = Field(default=None, ge=1)
    defaults: dict[str, str] = Field(default_factory=dict)
    match_on: list[MatchKey] | None = None
    on_match: OnMatch = "update"
    # bulk operations map only these fields ("keys": the fields of the chain's keys); None: every field
    fields_only: list[str] | None = None
    sales_scenario: str | None = None  # given to the opportunities the job creates (seed 002)
    replace_tags: bool = False  # tags replace the lead's own instead of adding to them
    create_labels: bool = False  # unknown tags, sources, channels, segments and levels are created
    mode: Mode = "upsert"
    dry_run: bool = False
    notify: str | None = None
    requested_by: str | None = None
    filename: str | None = None

    @field_validator("notify", "requested_by")
    @classmethod
    def _one_address(cls, value: str | None) -> str | None:
        """One mailbox, nothing else: 'a@x.ec, b@y.ec' or a CR/LF would address strangers or break the mail."""
        if value is None:
            return None
        # imported here: every entry point loads these models, and the library's import costs about 15 ms
        from email_validator import EmailNotValidError, validate_email

        value = value.strip()
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError as exc:
            raise ValueError(f"{value[:80]!r} is not one email address: {exc}") from exc
        return value.lower()

    @field_validator("filename")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        return one_line(value, 120) or None if value is not None else None
