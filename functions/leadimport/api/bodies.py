"""The JSON bodies the HTTP functions accept: anything else is refused with what is wrong with it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from leadimport.core.models import ImportOptions, Reassignment
from leadimport.core.operations import OperationName

MAX_COLUMNS = 500
MAX_PREVIEW_ROWS = 200
MAX_SAMPLE_ROWS = 200
MAX_FILE_SAMPLE_BASE64 = 4_800_000  # under the 5 MB a request may be: an xlsx of ~3.5 MB, a csv's first part
SERVER_SET = {"requested_by", "filename", "fields_only", "sheet"}


class Body(BaseModel):
    # defer_build: a call validates one body; each builds its validator on its first use, not at import
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    # only to choose among the workspaces the verified caller belongs to; never trusted on its own
    tenant: str | None = None


class JobOptions(ImportOptions):
    """What the person chose in the sidebar: the import's own options, less what only the server sets."""

    @model_validator(mode="before")
    @classmethod
    def _no_server_fields(cls, data: Any) -> Any:
        given = sorted(SERVER_SET & set(data)) if isinstance(data, dict) else []
        if given:  # the requester is the verified caller, never this body
            raise ValueError(f"{', '.join(given)} cannot be given")
        return data


ColumnName = Annotated[str, Field(max_length=200)]  # a name, not a document


class FileSample(BaseModel):
    """A file the person picked in the sidebar, or its first part (a long csv), for its columns and first rows."""

    model_config = ConfigDict(extra="forbid")

    filename: str = Field(min_length=1, max_length=200)
    content_base64: str = Field(min_length=4, max_length=MAX_FILE_SAMPLE_BASE64)
    truncated: bool = False  # a csv cut at a line end: its rows past the sample are not read here


class SuggestMappingBody(Body):
    columns: list[ColumnName] = Field(default_factory=list, max_length=MAX_COLUMNS)
    rows: list[list[str]] = Field(default_factory=list, max_length=MAX_SAMPLE_ROWS)  # a few data rows
    locale: Literal["en", "es", "fr", "ru", "pt"] | None = None  # the person's, for the labels; else the tenant's
    file: FileSample | None = None  # instead of columns and rows: the backend reads them from the file
    header_row: int | None = Field(default=None, ge=1)  # the file's, when the person says where it is
    no_header: bool = False  # the file has no header row: every row is data (Sperant's start row 1)

    @model_validator(mode="after")
    def _columns_or_file(self) -> SuggestMappingBody:
        if bool(self.columns) == bool(self.file):
            raise ValueError("give either columns (and rows) or a file")
        return self


class PreviewRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    row: int = Field(ge=1)  # the sheet's row number
    values: list[str]  # by position from column A, as in the sheet's upload (core/read/sheet_export.py)
    formula_errors: str = Field(default="", max_length=2000)  # "C=#N/A D=#REF!": cells sent empty


class PreviewBody(Body):
    columns: list[ColumnName] = Field(min_length=1, max_length=MAX_COLUMNS)
    rows: list[PreviewRow] = Field(max_length=MAX_PREVIEW_ROWS)
    options: JobOptions = Field(default_factory=JobOptions)
    operation: OperationName = "import"  # previewed as start_import would run it (core/operations.py)
    tags: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=50)
    owner: str | None = Field(default=None, max_length=254)


class SheetSource(BaseModel):
    """Where the rows came from, so the result can be written back beside them."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["sheet"] = "sheet"
    spreadsheet_id: str = Field(pattern=r"^[A-Za-z0-9_-]{10,200}$")
    spreadsheet_name: str = Field(default="", max_length=300)
    # the link the report email offers: a Google Sheet's own address, never a javascript: or anyone's page
    url: str | None = Field(default=None, max_length=500, pattern=r"^https://docs\.google\.com/spreadsheets/[^\s<>\"']*$")
    sheet_id: int = Field(ge=0)
    sheet_title: str = Field(min_length=1, max_length=200)
    # how the upload numbers its rows: "rows-v1" is the add-on's (core/read/sheet_export.py); None, an add-on
    # from before it, whose csv is read as any csv and whose results are then not written back (no row identity)
    upload: Literal["rows-v1"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_say_in_where_results_go(cls, data: Any) -> Any:
        """Where results are written is worked out from the sheet and the job's own upload, never taken from
        here: what an add-on from before said of it (status_column, data_columns, header_row) is dropped."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in ("status_column", "data_columns", "header_row")}
        return data


class StartImportBody(Body):
    filename: str = Field(min_length=1, max_length=200)  # cleaned to one line of 120 by ImportOptions
    content_type: Literal["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = \
        "text/csv"
    rows: int | None = Field(default=None, ge=0)  # how many data rows the upload holds, for the progress bar
    source: SheetSource | None = None
    operation: OperationName = "import"  # what each sets on the options: core/operations.py
    tags: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=50)  # for "tag"
    owner: str | None = Field(default=None, max_length=254)  # for "assign"
    options: JobOptions = Field(default_factory=JobOptions)

    @model_validator(mode="after")
    def _a_sheets_upload_is_its_csv(self) -> StartImportBody:
        if self.source is not None and not self.source.upload and self.options.mapping_by == "letter":
            raise ValueError("a sheet mapped by column letter sends its rows numbered (source.upload rows-v1): "
                             "update the add-on")
        if self.source is not None and self.source.upload:
            if not self.options.header_row:
                raise ValueError("a sheet's import gives options.header_row: its upload's first record is that row")
            if self.content_type != "text/csv":
                raise ValueError("a sheet's upload is the add-on's csv (content_type text/csv)")
        return self


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
