"""The lease decisions without a server: who may take work over, which attempt it is, what counts as a
crash, and when the work is given up. tests/integration/test_retries.py shows them carried out."""

from __future__ import annotations

import datetime as dt

import pytest

from leadimport.store.leases import BUSY_WINDOW, MAX_CRASHES, Lease, holder_alive, takeover

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(("found", "alive"), [
    ({"lease_until": NOW + dt.timedelta(seconds=1)}, True),
    ({"lease_until": NOW}, False),  # released at once (leases.release): the retry takes over now
    ({"lease_until": None}, False),  # a finished or split job, or a ticket waiting for its file
    ({}, False),
])
def test_a_live_holder_is_waited_for(found: dict, alive: bool) -> None:
    assert holder_alive(found, NOW) is alive


@pytest.mark.parametrize(("found", "attempt", "crashes"), [
    ({"attempt": 0, "crashes": 0}, 1, 0),  # start_import's ticket: nobody held it, nobody crashed
    ({"attempt": 1, "crashes": 0, "released": "crash"}, 2, 1),
    ({"attempt": 1, "crashes": 0}, 2, 1),  # died without a word: a crash
    ({"attempt": 3, "crashes": 1, "released": "busy"}, 4, 1),  # contention or an outage is not the input's
    ({"attempt": 5, "crashes": 3, "released": None}, 6, 4),
])
def test_a_takeover_counts_crashes_not_contention(found: dict, attempt: int, crashes: int) -> None:
    assert takeover(found) == (attempt, crashes)


def _lease(crashes: int = 0, busy_since: dt.datetime | None = None) -> Lease:
    return Lease(None, 1, settled=False, crashes=crashes, busy_since=busy_since)  # type: ignore[arg-type]


def test_the_work_is_given_up_after_max_crashes_or_a_long_busy_spell() -> None:
    now = dt.datetime.now(dt.UTC)
    assert _lease(crashes=MAX_CRASHES - 1).gave_up() is None
    assert _lease(crashes=MAX_CRASHES).gave_up() == "crashed"
    assert _lease(busy_since=now - BUSY_WINDOW / 2).gave_up() is None
    assert _lease(busy_since=now - BUSY_WINDOW - dt.timedelta(minutes=1)).gave_up() == "busy"
