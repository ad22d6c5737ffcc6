"""Seed 004's bulk operations, defined once: what each one sets on an import's options.

A bulk operation is an import of a file of keys that only finds leads (update-only): `tag` adds the
given tags, `assign` gives the leads an owner, `update` writes the file's fields. The command line
(`leadimport bulk tag|assign|update`, cli/main.py) and the HTTP API (start_import's `operation`,
api/job_options.py) both call operation_options, so one table decides what they do; the add-on sends
only "import" today. Reassignment reads no file and is no import: run/reassign.py.

Pure: no Google client, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from leadimport.core.models import ImportOptions, Mode, OnMatch
from leadimport.errors import TerminalError

OperationName = Literal["import", "tag", "assign", "update"]
Choice = Literal["tags", "owner"]


class OperationRefused(TerminalError):
    """The choices do not fit the operation: the message says what to change.

    A TerminalError, so the API answers 400 "refused" and the CLI prints it and exits 1, as for any
    other refusal; nothing has been uploaded or created yet when it is raised.
    """


@dataclass(frozen=True)
class Operation:
    name: OperationName
    summary: str  # the CLI's help for `leadimport bulk NAME`
    mode: Mode | None = None  # forced on the job; None: the caller's
    on_match: OnMatch | None = None  # forced on the job; None: the caller's
    # the only fields the file's columns may fill ("keys": the fields of the match chain's keys); None: every field
    fields_only: tuple[str, ...] | None = None
    # the only fields a default may fill, besides what reads the keys (_READ_WITH_KEYS); None: any field
    defaults_only: tuple[str, ...] | None = None
    replace_tags: bool | None = None  # forced on the job; None: the caller may ask tags to replace the lead's own
    sales_scenario: bool = True  # False: cleared (a job that only finds leads gives no opportunity a scenario)
    choices: tuple[Choice, ...] = ()  # what this operation takes besides the import's options
    needs: tuple[Choice, ...] = ()  # which of those it cannot run without

    @property
    def bulk(self) -> bool:
        return self.name != "import"


_FIND_ONLY: dict[str, Any] = {"mode": "update-only", "on_match": "update", "sales_scenario": False}

OPERATIONS: dict[str, Operation] = {op.name: op for op in (
    Operation("import", "import a file: create new leads and update the ones found"),
    Operation("tag", "add tags to the leads a file names (emails, phones or documents)", **_FIND_ONLY,
              fields_only=("keys",), defaults_only=("tags",), choices=("tags",), needs=("tags",)),
    Operation("assign", "give the leads a file names to an owner (or its Owner column)", **_FIND_ONLY,
              fields_only=("keys", "owner"), defaults_only=("owner",), replace_tags=False, choices=("owner",)),
    Operation("update", "update the leads a file names; never creates one", **_FIND_ONLY),
)}
BULK: tuple[str, ...] = tuple(name for name, op in OPERATIONS.items() if op.bulk)
assert set(OPERATIONS) == set(get_args(OperationName))

# defaults that only say how to read the file's keys (a phone's country, a document's type), never a value
# written over a lead's own: a tag job's `--default last_name=…` would rename every lead it finds
_READ_WITH_KEYS = frozenset({"country_code", "id_type"})
_FLAG = {"tags": "--tag", "owner": "--owner"}  # how the CLI spells each choice (the API: its body field)


def operation(name: str) -> Operation:
    try:
        return OPERATIONS[name]
    except KeyError:
        raise OperationRefused(f"There is no operation {name!r}: use one of {', '.join(OPERATIONS)}.") from None


def operation_options(name: str, base: ImportOptions, *, tags: Sequence[str] | None = None,
                      owner: str | None = None, replace_tags: bool | None = None) -> ImportOptions:
    """`base` (what the caller chose for the import) with what operation `name` sets.

    What the operation forces (mode, on_match, fields_only, replace_tags, no sales scenario) overrides
    `base`, as both callers always did. Its own choices: `tags` (tag: at least one), `owner` (assign:
    else the file's owner column), `replace_tags` (True: the caller asked tags to replace the lead's own;
    None/False: `base` decides). A choice the operation does not take is refused, not ignored, and so is
    a default of a field the operation does not touch (`bulk tag --default city=Quito`).
    """
    op = operation(name)
    given = {"tags": [t.strip() for t in tags or () if t.strip()], "owner": (owner or "").strip() or None}
    stray = [choice for choice, value in given.items() if value and choice not in op.choices]
    if stray:
        raise OperationRefused(f"{op.name} takes no {' or '.join(stray)}.")
    missing = [choice for choice in op.needs if not given[choice]]
    if missing:
        raise OperationRefused(f"Say which {missing[0]} to add ({_FLAG[missing[0]]} on the command line, "
                               f"{missing[0]} in the request).")
    if replace_tags and op.replace_tags is False:
        raise OperationRefused(f"{op.name} never replaces tags.")
    if not op.bulk:
        return base if not replace_tags else base.model_copy(update={"replace_tags": True})

    defaults = dict(base.defaults)
    if given["tags"]:
        defaults["tags"] = ",".join(given["tags"])  # the validator splits tags on , ; | as in a cell
    if given["owner"]:
        defaults["owner"] = given["owner"]
    if op.defaults_only is not None:
        allowed = set(op.defaults_only) | _READ_WITH_KEYS
        others = sorted(field for field, value in defaults.items() if field not in allowed and value.strip())
        if others:
            raise OperationRefused(f"{op.name} changes only {', '.join(op.defaults_only)}: "
                                   f"{', '.join(others)} cannot be a default of it.")

    change: dict[str, Any] = {"defaults": defaults}
    if op.mode is not None:
        change["mode"] = op.mode
    if op.on_match is not None:
        change["on_match"] = op.on_match
    if op.fields_only is not None:
        change["fields_only"] = list(op.fields_only)
    if not op.sales_scenario:
        change["sales_scenario"] = None
    if op.replace_tags is not None:
        change["replace_tags"] = op.replace_tags
    elif replace_tags:
        change["replace_tags"] = True
    return base.model_copy(update=change)
