"""Which failures a retry waits out (contention, outages) and which count against the input (crashes)."""

from __future__ import annotations

import pytest
import requests
from google.api_core import exceptions as api

from leadimport.errors import TerminalError, TransientError
from leadimport.store.outages import busy_reason


@pytest.mark.parametrize(("failure", "reason"), [
    (TransientError("a key of this file is being claimed by another import"), "contention"),
    (api.ServiceUnavailable("failed to connect to all addresses"), "outage"),
    (api.DeadlineExceeded("deadline"), "outage"),
    (api.Aborted("too much contention on these documents"), "contention"),
    (api.TooManyRequests("slow down"), "outage"),
    (requests.ConnectionError("connection refused"), "outage"),
    (api.FailedPrecondition("the stored version does not match"), None),  # handled where it is raised
    (api.InvalidArgument("a bug of ours"), None),
    (RuntimeError("reader bug"), None),
    (MemoryError(), None),
    (TerminalError("a bad file"), None),
])
def test_what_a_retry_waits_out_and_what_is_a_crash(failure: BaseException, reason: str | None) -> None:
    assert busy_reason(failure) == reason
