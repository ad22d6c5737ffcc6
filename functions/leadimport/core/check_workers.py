"""The check pass on every core the instance has: a big file's rows validated in worker processes.

Validation is nine tenths of the pass and each row's is its own, so it is what the workers share. The
reading (one stream, which also finds the notes of the whole file) and the in-file dedup (the first row
holding a key wins, in file order) stay in this process. Each worker hands back its rows already as
chunk-file lines, with their match keys' fingerprints, so this process does little more than read, look
fingerprints up and join lines: a row's objects never cross a process boundary (loading a pickled
ValidatedRow costs more than half of validating it). The few rows the dedup marks are decoded, marked and
encoded again here.

Workers are started with `spawn`: the process that calls this holds gRPC channels, which a fork would
copy mid-flight. A worker that dies (killed for memory) breaks the pool, and the pass raises rather than
waiting for a block that will never come.
"""

from __future__ import annotations

import itertools
import marshal
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from leadimport.core.dedup import InFileDuplicates, with_duplicates
from leadimport.core.key_table import keyed_fingerprint
from leadimport.core.read.table import SheetRow
from leadimport.core.row_lines import Lines, decode_line, encode_line
from leadimport.core.validate.row import RowValidator

Block = bytes  # marshal of [(number, values, formula_errors), …]: the cheapest way across a pipe
BLOCK_BYTES = 4 * 1024 * 1024  # a block of wide rows is cut: two a worker in flight stay a few tens of MB

_validator: RowValidator | None = None  # each worker's own, from the pass's
_kinds: tuple[str, ...] = ()  # the keys the file is deduplicated by, in the chain's order
_fingerprint: Callable[[str], tuple[int, int]] | None = None  # keyed with the pass's secret


def _start(validator: bytes, kinds: tuple[str, ...], secret: bytes) -> None:
    global _validator, _kinds, _fingerprint
    _validator, _kinds, _fingerprint = pickle.loads(validator), kinds, keyed_fingerprint(secret)


def _check(block: Block) -> bytes:
    """In a worker: a block's rows validated, as (lines, for each valid row its number and its keys'
    fingerprints (kind, low, high), None for a refused one)."""
    assert _validator is not None and _fingerprint is not None, "the worker was started without its pass"
    validate, kinds, fingerprint = _validator.validate, _kinds, _fingerprint
    lines, found = [], []
    for number, values, formula_errors in marshal.loads(block):
        row = SheetRow(number, values, formula_errors)
        validated = validate(row)
        lines.append(encode_line(row, validated).encode())
        keys = validated.keys
        found.append(None if validated.errors else (
            number, [(kind, *fingerprint(f"{kind}\x1f{keys[kind]}")) for kind in kinds if kind in keys]))
    return marshal.dumps((lines, found))


def checked_lines(rows: Iterator[SheetRow], validator: RowValidator, duplicates: InFileDuplicates,
                  workers: int, size: int) -> Generator[Lines, None, None]:
    """Every row once, in file order, a block of `size` at a time: validated on `workers` processes and
    checked here against the rows before it."""
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start,
                               initargs=(pickle.dumps(validator), tuple(duplicates.kinds), os.urandom(16)))
    try:
        pending: deque[Future[bytes]] = deque()
        for block in _blocks(rows, size):
            pending.append(pool.submit(_check, block))
            if len(pending) >= 2 * workers:  # one block a worker works on, one waiting: memory for no more
                yield _deduplicated(pending.popleft().result(), duplicates)
        while pending:
            yield _deduplicated(pending.popleft().result(), duplicates)
    finally:  # also when the caller stops early or fails: the blocks still queued are dropped, not checked
        pool.shutdown(wait=True, cancel_futures=True)


def _blocks(rows: Iterator[SheetRow], size: int) -> Iterator[Block]:
    """The rows, `size` at a time, and fewer where they are wide: a block holds at most BLOCK_BYTES."""
    while block := [(row.number, row.values, row.formula_errors) for row in itertools.islice(rows, size)]:
        yield from _within_budget(block)


def _within_budget(block: list[tuple[int, tuple[str, ...], tuple[tuple[str, str], ...]]]) -> Iterator[Block]:
    data = marshal.dumps(block)
    if len(data) <= BLOCK_BYTES or len(block) == 1:
        yield data
        return
    del data  # the halves are marshalled anew: not both at once
    half = len(block) // 2
    yield from _within_budget(block[:half])
    yield from _within_budget(block[half:])


def _deduplicated(result: bytes, duplicates: InFileDuplicates) -> Lines:
    lines, found = marshal.loads(result)
    out: Lines = []
    find = duplicates.find
    for line, row_prints in zip(lines, found, strict=True):
        if row_prints is None:  # refused already: it holds no key for the rows after it
            out.append((line, False))
            continue
        earlier, repeat_of = find(*row_prints)  # (number, its keys' fingerprints)
        if earlier:  # a few rows a file
            row, validated = decode_line(line.decode())
            validated.repeat_of = repeat_of
            issues = duplicates.issues(earlier, validated.keys, repeat_of)
            line = encode_line(row, with_duplicates(validated, issues)).encode()
        out.append((line, repeat_of is not None))
    return out
