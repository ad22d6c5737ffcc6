"""python-calamine in a child process held to CHILD_MEMORY: a workbook it cannot hold ends the child, not
the function.

calamine builds a sheet's whole range (an OpenDocument or xls file's every sheet, as it opens it), and
an allocation it cannot make aborts the process: nothing to catch, and the platform would retry the
file into the same abort. grid.py refuses the grids it can measure; whatever gets past it (a sheet
named in another namespace, a part where no measure looks, a BIFF record) kills only this child,
and the file is refused with a reason. The rows come back in pickled batches over a pipe, so the
child reads while the parent checks what it has already sent.

Protocol (pickle frames on stdout; the parent's answers on stdin):
  child → ("book", names, visible)           parent → sheet name, or None to stop
  child → ("sheet", merged ranges, first column, rows, columns)
  child → ("rows", [(number, cells), …]) …   child → ("end",)    or at any point ("error", message)

It lives beside read/ rather than in it: the child starts as `python -m` this module, and read/'s package
would load every reader and the translations first, tripling the child's start.
"""

from __future__ import annotations

import contextlib
import pickle
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

CHILD_MEMORY = 1536 * 1024**2  # of address space: the function has 2 GiB, the parent keeps the rest
_BATCH = 2000  # rows a frame


class ChildDied(Exception):
    """The child ended without a word: what it was asked to hold did not fit."""


class CalamineChild:
    """The parent's side: a workbook opened by calamine in a child process."""

    def __init__(self, path: Path):
        self._process = subprocess.Popen([sys.executable, "-m", "leadimport.core.calamine_child", str(path)],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL)
        self.names, self.visible = self._expect("book")

    def open_sheet(self, name: str) -> tuple[list[Any], int, tuple[int, int]]:
        """The sheet's merged ranges, first used column, and the grid rows() would walk (rows down to the
        last used one, blank ones included, by the used columns); its rows follow in rows()."""
        self._send(name)
        merged, first_column, rows, columns = self._expect("sheet")
        return merged, first_column, (rows, columns)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        try:
            while True:
                frame = self._receive()
                if frame[0] == "end":
                    return
                if frame[0] != "rows":
                    raise ChildDied(str(frame))
                yield from frame[1]
        finally:
            self.close()

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe:
                with contextlib.suppress(OSError):  # what is still buffered for a dead child cannot be sent
                    pipe.close()

    def _send(self, message: object) -> None:
        assert self._process.stdin
        try:
            pickle.dump(message, self._process.stdin)
            self._process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            self.close()  # reaped, and its pipes closed: every way out of here leaves no process behind
            raise ChildDied("the reader process is gone") from exc

    def _receive(self) -> tuple[Any, ...]:
        assert self._process.stdout
        try:
            frame = pickle.load(self._process.stdout)
        except (EOFError, pickle.UnpicklingError) as exc:
            self.close()
            raise ChildDied(f"the reader process ended ({self._process.returncode})") from exc
        if frame[0] == "error":
            self.close()
            raise CalamineError(frame[1])
        return tuple(frame)

    def _expect(self, kind: str) -> tuple[Any, ...]:
        frame = self._receive()
        if frame[0] != kind:
            self.close()
            raise ChildDied(f"expected {kind}, got {frame[0]}")
        return frame[1:]


class CalamineError(Exception):
    """calamine refused the workbook or the sheet (damaged, encrypted, unsupported): its own words."""


def _child(path: str, out: IO[bytes], given: IO[bytes]) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    import python_calamine

    from leadimport.core.cells import cell_text  # light: the child starts in a few hundredths of a second

    def send(*frame: object) -> None:
        pickle.dump(frame, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(path)
        visible = [meta.name for meta in workbook.sheets_metadata
                   if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
                   and meta.visible == python_calamine.SheetVisibleEnum.Visible]
        send("book", workbook.sheet_names, visible)
        name = pickle.load(given)
        if name is None:
            return
        sheet = workbook.get_sheet_by_name(name)
        send("sheet", sheet.merged_cell_ranges or [], sheet.start[1] if sheet.start else 0,
             sheet.end[0] + 1 if sheet.end else 0, sheet.width)
        batch: list[tuple[int, list[str]]] = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            # strings, most cells, inline: a call per cell is a tenth of the read
            batch.append((number, [v.strip() if type(v) is str else cell_text(v) for v in cells]))
            if len(batch) >= _BATCH:
                send("rows", batch)
                batch = []
        send("rows", batch)
        send("end")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's own errors, and Rust panics it turns into BaseException
        send("error", str(exc)[:500])


if __name__ == "__main__":
    _child(sys.argv[1], sys.stdout.buffer, sys.stdin.buffer)
