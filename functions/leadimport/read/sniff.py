"""What kind of file this really is, judged by its bytes and not by its name."""

from __future__ import annotations

import zipfile
from enum import Enum
from pathlib import Path

from leadimport.errors import UnreadableFile
from leadimport.read.text_encoding import utf16_byte_order


class FileKind(Enum):
    TEXT = "text"
    WORKBOOK = "workbook"  # xlsx, xlsm, xlsb, xls, ods: all read by python-calamine


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
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
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"{filename} is a damaged Excel file (the archive is broken): {exc}.") from exc
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
