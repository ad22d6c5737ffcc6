"""Files made to hurt: XML entity bombs, zip bombs, archives of thousands of parts, csv with NUL bytes
or endless lines. Each is refused with a clear reason, quickly and in bounded memory, or read
without expanding anything."""

from __future__ import annotations

import io
import os
import re
import resource
import signal
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from leadimport.core import calamine_child
from leadimport.core.read import grid
from leadimport.core.read import sniff as sniff_module
from leadimport.core.read.files import read_table
from leadimport.core.read.table import ReadOptions
from leadimport.core.read.workbook_reader import read_workbook
from leadimport.errors import UnreadableFile

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


def test_rows_before_a_bad_line_are_read_and_a_bad_line_past_the_last_row_asked_for_is_never_looked_at(
        tmp_path: Path) -> None:
    """Lines are checked a block at a time: the block holding a bad line still gives the lines before it."""
    rows = ["Nombre,Correo"] + [f"Lead {n},lead{n}@x.ec" for n in range(2000)]
    rows[1502] = "Lead\x00 1502,lead1502@x.ec"  # line 1503, in the middle of a block
    path = tmp_path / "nul.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    table = read_table(path, path.name, ReadOptions(last_row=1500))
    assert [row.number for row in table.rows][-1] == 1500
    read = []
    with pytest.raises(UnreadableFile, match=r"NUL byte at line 1503"):
        for row in read_table(path, path.name, ReadOptions()).rows:
            read.append(row.number)
    assert read[-1] == 1502


def test_a_mixed_encoding_is_refused_near_its_line(tmp_path: Path) -> None:
    rows = [b"Nombre,Correo"] + [f"Lead {n},lead{n}@x.ec".encode() for n in range(20_000)]
    rows[15_000] = "José,jose@x.ec".encode("latin-1")  # line 15,001 of a UTF-8 file
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"\n".join(rows))
    with pytest.raises(UnreadableFile, match=r"mixes text encodings near line (\d+)") as refused:
        list(read_table(path, path.name, ReadOptions()).rows)
    near = int(re.search(r"near line (\d+)", str(refused.value)).group(1))
    assert 15_001 - 600 <= near <= 15_001  # within the few KB the text layer decodes at once


def test_an_endless_line_is_refused_without_holding_it(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text("Nombre,Correo\nAna,ana@x.ec\n" + "x," * (3 * 1024**2) + "\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match=r"a line of 6.0 MB at line 3"):
        list(read_table(path, path.name, ReadOptions()).rows)


# Grids bigger than the file: calamine builds a sheet's whole used range, and an allocation it cannot
# make aborts the process (nothing to catch). Each case runs in a child process with 2 GB of address
# space, so that a regression fails this test instead of taking the test run down.
SHEET_HEAD = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _sheet_xlsx(path: Path, sheet_data: str, dimension: str = "") -> Path:
    parts = _workbook_parts()
    parts["xl/worksheets/sheet1.xml"] = (SHEET_HEAD + dimension + f"<sheetData>{sheet_data}</sheetData></worksheet>"
                                         ).encode()
    return _zip(path, parts)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _read_in_a_child(path: Path) -> str:
    """What reading the file gives, in a child limited to 2 GB and 60 s: 'rows: N' or the refusal."""
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))\n"
            "from pathlib import Path\n"
            "from leadimport.errors import UnreadableFile\n"
            "from leadimport.core.read.files import read_table\n"
            "try:\n"
            f"    table = read_table(Path({str(path)!r}), {path.name!r})\n"
            "    print('rows:', sum(1 for _ in table.rows))\n"
            "except UnreadableFile as exc:\n"
            "    print('refused:', exc)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"the reader died ({done.returncode}): {done.stderr[-500:]}"
    return done.stdout.strip()


@pytest.mark.parametrize(("sheet_data", "outcome"), [
    # 1.5 KB: values at A1 and XFD1048576 (550 GB for calamine, a million 16,384-cell rows for the streamer)
    (_cell("A1", "Nombre") + "</row><row r='1048576'>".replace("'", '"') + _cell("XFD1048576", "x"),
     "refused: corners.xlsx has values in 16,384 columns"),
    # the same, with cells that name no position: each follows the one before it
    ("<c/>" * 20_000 + '<c t="inlineStr"><is><t>x</t></is></c></row><row r="900000">'
     '<c t="inlineStr"><is><t>y</t></is></c>', "refused: corners.xlsx has values in 20,001 columns"),
    # a row past Excel's grid
    (_cell("A1", "Nombre") + '</row><row r="5000000">' + _cell("A5000000", "x"),
     "refused: corners.xlsx has values down to row 1,048,577"),
])
def test_a_sheet_whose_grid_is_too_big_is_refused_before_anything_allocates_it(
        tmp_path: Path, sheet_data: str, outcome: str) -> None:
    path = _sheet_xlsx(tmp_path / "corners.xlsx", f'<row r="1">{sheet_data}</row>')
    assert path.stat().st_size < 6000  # openpyxl's styles and theme are most of it
    assert _read_in_a_child(path).startswith(outcome)


@pytest.mark.parametrize("cell", [
    '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',  # its row tag names no row: the cell does
    "<c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c>",  # single quotes
    '<c r = "XFD1048576" t="inlineStr"><is><t>x</t></is></c>',  # spaced
    '<c\tr="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',  # a tab before it
    '<c r="&#88;FD1048576" t="inlineStr"><is><t>x</t></is></c>',  # a character reference
    '<c r="XFD99999" t="inlineStr"><is><t>x</t></is></c>',  # 1.6 billion cells below the six-digit rows
])
def test_a_far_position_however_it_is_written_is_refused_never_a_crash(tmp_path: Path, cell: str) -> None:
    """Found by test_hostile_fuzz.py: a measure that read positions from row tags only let a cell of a
    bare <row> at XFD1048576 through to calamine, which aborted the process. However the position is
    written, calamine's child dies or refuses it, and the streamer refuses what lies too far."""
    path = _sheet_xlsx(tmp_path / "far.xlsx", f'<row r="1">{_cell("A1", "Nombre")}</row><row>{cell}</row>')
    assert _read_in_a_child(path).startswith("refused: ")


@pytest.mark.parametrize(("sheet_data", "outcome"), [
    (f'<row r="1048575">{_cell("A1048575", "Nombre")}</row><row r="1048576">{_cell("XFD1048576", "x")}</row>',
     "refused: far.xlsx has values in 16,384 columns"),
    (f'<row r="1048500">{_cell("A1048500", "Nombre")}{_cell("B1048500", "Correo")}</row>'
     f'<row r="1048576">{_cell("A1048576", "Ana")}{_cell("BZ1048576", "ana@x.ec")}</row>', "rows: 1"),
])
def test_a_small_grid_far_down_the_sheet_is_never_walked_from_row_one(tmp_path: Path, sheet_data: str,
                                                                      outcome: str) -> None:
    """Found by test_hostile_fuzz.py: two rows at the bottom of the sheet are a small grid for calamine, but it
    walks them from row 1, every blank row as wide as the used columns (17 billion cells for the first file,
    minutes of a child's CPU). Past the cell budget the sheet is streamed, which reads only the values."""
    assert _read_in_a_child(_sheet_xlsx(tmp_path / "far.xlsx", sheet_data)).startswith(outcome)


def test_a_big_sparse_grid_of_few_values_is_streamed_and_read(tmp_path: Path) -> None:
    """A1 and Z1000000: 26 million cells for calamine, two rows for the streamer."""
    path = _sheet_xlsx(tmp_path / "sparse.xlsx", f'<row r="1">{_cell("A1", "Nombre")}{_cell("B1", "Correo")}</row>'
                       f'<row r="1000000">{_cell("A1000000", "Ana")}{_cell("Z1000000", "ana@x.ec")}</row>')
    assert _read_in_a_child(path) == "rows: 1"


def test_a_lying_dimension_alone_changes_nothing(tmp_path: Path) -> None:
    path = _sheet_xlsx(tmp_path / "dim.xlsx", f'<row r="1">{_cell("A1", "Nombre")}</row>'
                       f'<row r="2">{_cell("A2", "Ana")}</row>', dimension='<dimension ref="A1:XFD1048576"/>')
    assert _read_in_a_child(path) == "rows: 1"


def test_an_opendocument_sheet_repeated_to_the_edge_is_refused(tmp_path: Path) -> None:
    table = ('<table:table table:name="Hoja1"><table:table-row><table:table-cell office:value-type="string">'
             '<text:p>a</text:p></table:table-cell></table:table-row>'
             '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
             'table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell '
             'table:number-columns-repeated="16383"/><table:table-cell office:value-type="string"><text:p>b</text:p>'
             '</table:table-cell></table:table-row></table:table>')
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               f'{table}</office:spreadsheet></office:body></office:document-content>')
    path = tmp_path / "bomb.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    assert _read_in_a_child(path).startswith("refused: bomb.ods (Hoja1) has values in 16,384 columns")


def test_an_xlsb_sheets_records_are_measured() -> None:
    def record(kind: int, payload: bytes) -> bytes:
        return bytes([kind]) + bytes([len(payload)]) + payload  # both fit one byte here

    part = (record(0x00, struct.pack("<I", 0)) + record(0x07, struct.pack("<III", 0, 0, 1))  # row 1: A1
            + record(0x00, struct.pack("<I", 1_048_575))  # row 1048576
            + record(0x01, struct.pack("<II", 16_383, 0))  # a blank cell at XFD: no value, not counted
            + record(0x07, struct.pack("<III", 9_999, 0, 2)))  # a string at NTP1048576
    extent = grid.xlsb_extent(io.BytesIO(part))
    assert extent == grid.Extent(1_048_576, 10_000)
    with pytest.raises(UnreadableFile, match="10,000 columns"):
        grid.refuse_beyond(extent, "leads.xlsb")


def test_a_csv_of_a_hundred_thousand_columns_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("x" * 100_000) + "\n")
    start = time.perf_counter()
    with pytest.raises(UnreadableFile, match="100,000 columns"):
        read_table(path, path.name)
    assert time.perf_counter() - start < 2


def test_a_field_too_long_to_split_does_not_break_the_delimiter_guess(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    # within the sample the delimiter is guessed from, a line that split any other way is one field past the
    # csv module's default limit: the guess raised csv.Error, a crash (retried, then blamed on the file)
    path.write_text("Nombre,Notas\nAna," + "x" * 150_000 + "\nLuis,y\n")
    table = read_table(path, path.name)
    assert table.columns == ["Nombre", "Notas"] and [len(row.values[1]) for row in table.rows] == [150_000, 1]


def test_a_sheet_the_measure_never_saw_kills_only_calamines_child(tmp_path: Path) -> None:
    """Found in review: a <sheet> in a foreign namespace is calamine's (it matches local names), not the
    streamer's, so its grid went unmeasured and calamine asked for 550 GB. Whatever calamine cannot hold
    now kills only the child process it runs in, held to a memory budget, never the function."""
    parts = _workbook_parts()
    # the streamer measures "Leads", the only sheet it sees; calamine opens the first it sees, "Evil"
    parts["xl/workbook.xml"] = re.sub(
        rb"<sheets>.*</sheets>", b'<sheets><x:sheet xmlns:x="urn:x" name="Evil" sheetId="9" r:id="rId1"/>'
                                 b'<sheet name="Leads" sheetId="2" r:id="rId9"/></sheets>', parts["xl/workbook.xml"])
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/worksheet" Target="/xl/worksheets/sheet2.xml" Id="rId9"/></Relationships>')
    parts["xl/worksheets/sheet2.xml"] = (SHEET_HEAD + f'<sheetData><row r="1">{_cell("A1", "Nombre")}</row>'
                                         '</sheetData></worksheet>').encode()
    parts["xl/worksheets/sheet1.xml"] = (SHEET_HEAD + f'<sheetData><row r="1">{_cell("A1", "Nombre")}</row>'
                                         f'<row r="1048576">{_cell("XFD1048576", "x")}</row></sheetData></worksheet>'
                                         ).encode()
    # calamine's child dies on "Evil" (550 GB); the streamer then reads the sheet the workbook lists, "Leads"
    assert _read_in_a_child(_zip(tmp_path / "foreign.xlsx", parts)) == "rows: 0"


def test_thousands_of_merged_ranges_cost_a_row_its_own_width(tmp_path: Path) -> None:
    """2,000 ranges A1:B200000, A1:B199999, …: every range was walked on every row (over a minute)."""
    merges = "".join(f'<mergeCell ref="A{i + 1}:B{200_000 - i}"/>' for i in range(2_000))
    path = _sheet_xlsx(tmp_path / "merges.xlsx", f'<row r="1">{_cell("A1", "Nombre")}</row>'
                       f'<row r="200000">{_cell("A200000", "Ana")}</row>')
    parts = {name: zipfile.ZipFile(path).read(name) for name in zipfile.ZipFile(path).namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", f"</sheetData><mergeCells>{merges}</mergeCells>".encode())
    start = time.perf_counter()
    assert _read_in_a_child(_zip(tmp_path / "merges2.xlsx", parts)) == "rows: 1"
    assert time.perf_counter() - start < 10


def test_a_child_that_dies_between_frames_is_reaped_not_left_behind(tmp_path: Path) -> None:
    """Found in review: a child gone before it was asked for its sheet raised ChildDied and left the
    process unreaped, its pipes open; every way ChildDied is raised now closes the child first."""
    child = calamine_child.CalamineChild(_zip(tmp_path / "book.xlsx", _workbook_parts()))
    os.kill(child._process.pid, signal.SIGKILL)
    os.waitid(os.P_PID, child._process.pid, os.WEXITED | os.WNOWAIT)  # dead, and left for the reader to reap
    with pytest.raises(calamine_child.ChildDied):
        child.open_sheet("Sheet")
    assert child._process.returncode == -signal.SIGKILL
    assert child._process.stdin is not None and child._process.stdin.closed
