"""What kind of file this really is, judged by its bytes and not by its name."""

from __future__ import annotations

import zipfile
from enum import Enum
from pathlib import Path

from leadimport.core.read.text_encoding import utf16_byte_order
from leadimport.errors import UnreadableFile


class FileKind(Enum):
    TEXT = "text"
    WORKBOOK = "workbook"  # xlsx, xlsm, xlsb, xls, ods: all read by python-calamine


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Zip limits, checked on the archive's directory before anything is unpacked. A million rows of 12
# columns are about 1 GB of sheet XML at a ratio near 15; a zip bomb packs far more, far tighter.
MAX_ENTRIES = 10_000
MAX_UNPACKED = 3 * 1024**3
MAX_RATIO = 200  # for a part of over BIG_PART bytes unpacked
BIG_PART = 50 * 1024**2
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def sniff(path: Path, filename: str) -> FileKind:
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile(f"{filename} is empty (0 bytes): there is nothing to import.")
    with path.open("rb") as handle:
        head = handle.read(8192)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        _check_workbook_zip(path, filename)
        return FileKind.WORKBOOK
    if head.startswith(_OLE_MAGIC):
        with path.open("rb") as handle:
            if _ENCRYPTED_PACKAGE in handle.read(min(size, 4 * 1024 * 1024)):
                raise UnreadableFile(
                    f"{filename} is protected by a password. Remove the password in Excel "
                    "(File > Info > Protect Workbook) and send it again."
                )
        return FileKind.WORKBOOK
    if head.startswith(b"%PDF"):
        raise UnreadableFile(f"{filename} is a PDF. Send the leads as an Excel (.xlsx) or CSV file.")
    if b"\x00" in head and not utf16_byte_order(head):
        raise UnreadableFile(
            f"{filename} is not a spreadsheet or a text file we can read. "
            "Save it as Excel (.xlsx) or CSV and send it again."
        )
    return FileKind.TEXT


def _check_workbook_zip(path: Path, filename: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"{filename} is a damaged Excel file (the archive is broken): {exc}.") from exc
    _check_zip_limits(parts, filename)
    names = {part.filename for part in parts}
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names or "content.xml" in names:
        return
    if any(name.startswith("Index/") and name.endswith(".iwa") for name in names):
        raise UnreadableFile(
            f"{filename} is an Apple Numbers file. In Numbers choose File > Export To > Excel and send the .xlsx."
        )
    if not names:
        raise UnreadableFile(f"{filename} is an empty archive, not a spreadsheet.")
    raise UnreadableFile(
        f"{filename} is a zip archive but not a spreadsheet. Send the Excel (.xlsx) or CSV file itself."
    )


def _check_zip_limits(parts: list[zipfile.ZipInfo], filename: str) -> None:
    """Refuse an archive that would unpack into more than a spreadsheet can hold (a zip bomb). What a
    part's header claims is what Python's zipfile will unpack at most: it stops there and checks the CRC."""
    if len(parts) > MAX_ENTRIES:
        raise UnreadableFile(f"{filename} holds {len(parts):,} files; a spreadsheet holds a few. "
                             "Save it again as .xlsx or .csv and send it again.")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED:
        raise UnreadableFile(f"{filename} would unpack to {unpacked / 1024**3:.1f} GB, more than a spreadsheet of "
                             "1,048,576 rows. Split it into smaller files.")
    for part in parts:
        if part.file_size > BIG_PART and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise UnreadableFile(f"{filename} is not a normal spreadsheet: its part {part.filename} unpacks to "
                                 f"{part.file_size / 1024**2:,.0f} MB from {part.compress_size / 1024:,.0f} KB. "
                                 "Save it again from Excel and send it again.")
