"""A file the person picked in the sidebar ("Import a file"): its columns and first rows, read by the
import's own reader, so the sidebar maps and previews it exactly as the job will read it.

The file itself then goes to the drop bucket through start_import's signed URL, like any upload; only
its sample passes here (a request is at most 5 MB: a long csv sends its first part, cut at a line end).
"""

from __future__ import annotations

import base64
import binascii
import itertools
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from leadimport.core.mapping.headers import is_known_header
from leadimport.core.read.files import read_table
from leadimport.core.read.sniff import FileKind, sniff
from leadimport.core.read.table import ReadOptions
from leadimport.core.read.workbook_reader import read_workbook
from leadimport.errors import UnreadableFile

PREVIEW_ROWS = 100  # the add-on's preview sends at most this many
SAMPLE_UNPACKED = 48 * 1024 * 1024  # an xlsx of the 3.5 MB a request carries unpacks to a few tens of MB
SAMPLE_PART = 24 * 1024 * 1024  # no one part (the shared strings, a sheet) bigger than that


def _check_xlsx(path: Path, filename: str) -> None:
    """An xlsx (not xls, xlsb or ods) whose parts unpack to what a sample of that size holds."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile:  # an .xls (an OLE file) or anything else that is no zip
        parts = []
    names = {part.filename for part in parts}
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(f"{filename} is not an .xlsx workbook: save it as .xlsx or .csv and pick it again.")
    if sum(p.file_size for p in parts) > SAMPLE_UNPACKED or any(p.file_size > SAMPLE_PART for p in parts):
        raise UnreadableFile(f"{filename} unpacks to more than a file this size holds: save it again from Excel, "
                             "or email it.")


def read_sample(filename: str, content_base64: str, header_row: int | None,
                no_header: bool = False) -> dict[str, Any]:
    """{columns, letters, header_row, rows: [{row, values}], sheet}: what the sidebar shows and previews.

    This runs in suggest_mapping, a small function serving several people at once: only the two kinds the
    sidebar offers are read, a csv as a stream and an xlsx through the streaming reader (never calamine's
    child), within an unpacked size a sample needs. Anything else is refused before it is read."""
    try:
        content = base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise UnreadableFile(f"{filename} did not arrive whole: pick it again.") from exc
    options = ReadOptions(header_row=header_row, known_header=is_known_header, no_header=no_header)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample"
        path.write_bytes(content)
        kind = sniff(path, filename)
        if kind is FileKind.WORKBOOK:
            _check_xlsx(path, filename)
            table = read_workbook(path, filename, options, stream_from=0, stream_only=True)
        else:
            table = read_table(path, filename, options)
        rows = [{"row": row.number, "values": list(row.values)} for row in itertools.islice(table.rows, PREVIEW_ROWS)]
        close = getattr(table.rows, "close", None)
        if close:  # the rest is not read here: a workbook's reader process stops now
            close()
    if not table.columns:
        raise UnreadableFile(f"{filename} has no column names: say which row holds them.")
    return {"columns": table.columns, "letters": table.letters, "header_row": table.header_row, "rows": rows,
            "sheet": table.sheet}
