"""Files made to hurt: XML entity bombs, zip bombs, archives of thousands of parts, csv with NUL bytes
or endless lines. Each is refused with a clear reason, quickly and in bounded memory, or read
without expanding anything."""

from __future__ import annotations

import importlib
import io
import resource
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from leadimport.errors import UnreadableFile
from leadimport.read import ReadOptions, read_table
from leadimport.read.workbook_reader import read_workbook

sniff_module = importlib.import_module("leadimport.read.sniff")  # the package exports a function of that name
ENTITIES = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))


def _workbook_parts() -> dict[str, bytes]:
    book = Workbook()
    book.active.append(["Nombre", "Correo"])
    book.active.append(["Ana", "ana@x.ec"])
    buffer = io.BytesIO()
    book.save(buffer)
    archive = zipfile.ZipFile(buffer)
    return {name: archive.read(name) for name in archive.namelist()}


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("stream_from", [None, 0], ids=["calamine", "streamed"])
def test_an_entity_bomb_in_a_sheet_is_never_expanded(tmp_path: Path, stream_from: int | None) -> None:
    parts = _workbook_parts()
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    # a billion "lol"s (3 GB) if a parser expanded the entity
    parts["xl/worksheets/sheet1.xml"] = (f"<!DOCTYPE worksheet [{ENTITIES}]>"
                                         + sheet.replace("<t>Ana</t>", "<t>&lol9;</t>")).encode()
    path = _zip(tmp_path / "bomb.xlsx", parts)
    before, start = _rss_mb(), time.perf_counter()
    try:
        table = read_workbook(path, path.name, ReadOptions(),
                              **({} if stream_from is None else {"stream_from": stream_from}))
        cells = [value for row in table.rows for value in row.values]
        assert max(len(value) for value in cells) < 1000  # whatever was read, nothing was expanded
    except UnreadableFile as exc:
        assert "bomb.xlsx" in str(exc)
    assert time.perf_counter() - start < 5
    assert _rss_mb() - before < 200


def test_an_archive_that_unpacks_far_tighter_than_a_spreadsheet_is_refused(tmp_path: Path) -> None:
    parts = _workbook_parts()
    parts["xl/media/image1.png"] = bytes(64 * 1024**2)  # 64 MB of zeros: about 64 KB packed
    path = _zip(tmp_path / "bomb.xlsx", parts)
    with pytest.raises(UnreadableFile, match="unpacks to 64 MB"):
        read_table(path, path.name, ReadOptions())


def test_an_archive_too_big_unpacked_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sniff_module, "MAX_UNPACKED", 4 * 1024**2)  # instead of writing 3 GB here
    parts = _workbook_parts()
    parts["xl/media/noise.bin"] = bytes(range(256)) * (20 * 1024 * 4)  # 20 MB
    path = _zip(tmp_path / "big.xlsx", parts)
    with pytest.raises(UnreadableFile, match="would unpack to"):
        read_table(path, path.name, ReadOptions())
    monkeypatch.undo()
    assert read_table(path, path.name, ReadOptions()).columns == ["Nombre", "Correo"]  # under the real limit


def test_an_archive_of_thousands_of_parts_is_refused(tmp_path: Path) -> None:
    parts = _workbook_parts()
    parts.update({f"xl/media/{n}.bin": b"" for n in range(sniff_module.MAX_ENTRIES)})
    path = _zip(tmp_path / "many.xlsx", parts)
    with pytest.raises(UnreadableFile, match="holds 10,009 files"):
        read_table(path, path.name, ReadOptions())


def test_a_nul_byte_deep_in_a_csv_is_refused_with_its_line(tmp_path: Path) -> None:
    rows = ["Nombre,Correo"] + [f"Lead {n},lead{n}@x.ec" for n in range(2000)]
    rows[1500] = "Lead\x00 1500,lead1500@x.ec"  # past the first 8 KB the sniffer looks at
    path = tmp_path / "nul.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    with pytest.raises(UnreadableFile, match=r"nul.csv has a NUL byte at line 1501"):
        list(read_table(path, path.name, ReadOptions()).rows)


def test_an_endless_line_is_refused_without_holding_it(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text("Nombre,Correo\nAna,ana@x.ec\n" + "x," * (3 * 1024**2) + "\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match=r"a line of 6.0 MB at line 3"):
        list(read_table(path, path.name, ReadOptions()).rows)
