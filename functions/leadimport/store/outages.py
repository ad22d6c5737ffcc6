"""Which failures are the platform's and not the input's: contention and the outages of Google's services.

A retry waits these out (leases.py counts them apart from crashes); see errors.py for the exceptions.
"""

import requests
from google.api_core import exceptions as api
from google.auth.exceptions import TransportError

from leadimport.errors import TransientError

# What Google's clients raise when a service is unavailable, overloaded or slow
_OUTAGES = (api.ServiceUnavailable, api.DeadlineExceeded, api.InternalServerError, api.BadGateway,
            api.GatewayTimeout, api.TooManyRequests, api.ResourceExhausted, api.RetryError,
            requests.ConnectionError, requests.Timeout, TransportError, ConnectionError, TimeoutError)


def busy_reason(failure: BaseException) -> str | None:
    """"contention" (another delivery or import holds what this one needs), "outage" (a service did not
    answer), or None: a crash, which a retry may well repeat."""
    if isinstance(failure, TransientError | api.Aborted):  # Aborted: Firestore's own "too much contention"
        return "contention"
    if isinstance(failure, _OUTAGES):
        return "outage"
    return None
