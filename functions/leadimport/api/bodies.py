"""The JSON bodies the HTTP functions accept: anything else is refused with what is wrong with it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from leadimport.models import MatchKey, Mode, OnMatch
from leadimport.reassign import Reassignment

MAX_COLUMNS = 500
MAX_PREVIEW_ROWS = 200
MAX_SAMPLE_ROWS = 200


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # only to choose among the workspaces the verified caller belongs to; never trusted on its own
    tenant: str | None = None


class JobOptions(BaseModel):
    """What the person chose in the sidebar. The requester is the verified caller, never this body."""

    model_config = ConfigDict(extra="forbid")

    mapping: dict[str, str | None] | None = None
    save_mapping: bool = True
    header_row: int | None = Field(default=None, ge=1)
    first_row: int | None = Field(default=None, ge=1)
    last_row: int | None = Field(default=None, ge=1)
    defaults: dict[str, str] = Field(default_factory=dict)
    match_on: list[MatchKey] | None = None
    on_match: OnMatch = "update"
    mode: Mode = "upsert"
    replace_tags: bool = False
    create_labels: bool = False
    sales_scenario: str | None = None
    dry_run: bool = False
    notify: str | None = None  # defaults to the caller


class SuggestMappingBody(Body):
    columns: list[str] = Field(min_length=1, max_length=MAX_COLUMNS)
    rows: list[list[str]] = Field(default_factory=list, max_length=MAX_SAMPLE_ROWS)  # a few data rows


class PreviewRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    row: int = Field(ge=1)  # the sheet's row number
    values: list[str]


class PreviewBody(Body):
    columns: list[str] = Field(min_length=1, max_length=MAX_COLUMNS)
    rows: list[PreviewRow] = Field(max_length=MAX_PREVIEW_ROWS)
    options: JobOptions = Field(default_factory=JobOptions)


class SheetSource(BaseModel):
    """Where the rows came from, so the result can be written back beside them."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["sheet"] = "sheet"
    spreadsheet_id: str = Field(pattern=r"^[A-Za-z0-9_-]{10,200}$")
    spreadsheet_name: str = ""
    url: str | None = None
    sheet_id: int = Field(ge=0)
    sheet_title: str = Field(min_length=1, max_length=200)
    status_column: int = Field(ge=1, le=18278)  # 1-based; the lead id goes in the next column
    data_columns: int = Field(ge=1, le=18278)  # the person's own columns: write-back never touches them
    header_row: int = Field(ge=1)


class StartImportBody(Body):
    filename: str = Field(min_length=1, max_length=200)
    content_type: Literal["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = \
        "text/csv"
    rows: int | None = Field(default=None, ge=0)  # how many data rows the upload holds, for the progress bar
    source: SheetSource | None = None
    operation: Literal["import", "tag", "assign", "update"] = "import"
    tags: list[str] = Field(default_factory=list)  # for "tag"
    owner: str | None = None  # for "assign"
    options: JobOptions = Field(default_factory=JobOptions)


class JobBody(Body):
    job_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")


class ListImportsBody(Body):
    limit: int = Field(default=20, ge=1, le=100)


class TemplateBody(Body):
    kind: Literal["person", "company"] = "person"
    locale: Literal["en", "es", "fr", "ru", "pt"] | None = None  # default: the tenant's
    format: Literal["xlsx", "json"] = "xlsx"


class ReassignBody(Body, Reassignment):
    pass
