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
from pathlib import Path
from typing import Any

from leadimport.core.mapping import is_known_header
from leadimport.core.read import ReadOptions, read_table
from leadimport.errors import UnreadableFile

PREVIEW_ROWS = 100  # the add-on's preview sends at most this many


def read_sample(filename: str, content_base64: str, header_row: int | None) -> dict[str, Any]:
    """{columns, letters, header_row, rows: [{row, values}], notes}: what the sidebar shows and previews."""
    try:
        content = base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise UnreadableFile(f"{filename} did not arrive whole: pick it again.") from exc
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample"
        path.write_bytes(content)
        table = read_table(path, filename, ReadOptions(header_row=header_row, known_header=is_known_header))
        rows = [{"row": row.number, "values": list(row.values)} for row in itertools.islice(table.rows, PREVIEW_ROWS)]
        close = getattr(table.rows, "close", None)
        if close:  # the rest is not read here: a workbook's reader process stops now
            close()
    if not table.columns:
        raise UnreadableFile(f"{filename} has no column names: say which row holds them.")
    return {"columns": table.columns, "letters": table.letters, "header_row": table.header_row, "rows": rows,
            "sheet": table.sheet}
