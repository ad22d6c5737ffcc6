"""The inbound-mail webhook's envelope: the provider's shared secret, the raw message out of the request.

Providers post the whole message either as a multipart form field (SendGrid's Inbound Parse with
"raw" on sends `email`, Mailgun's routes send `body-mime`) or as the body itself with
Content-Type message/rfc822 (a relay or an SMTP-to-HTTP gateway). The secret is compared in
constant time wherever the provider can put it: a bearer token, basic auth's password (a URL
like https://inbound:SECRET@…) or an X-Leadimport-Secret header; never a query parameter, which
request logs keep.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import json
import logging
from email.utils import getaddresses

import flask
from google.api_core import exceptions as google_exceptions

from leadimport.errors import TransientError
from leadimport.inbound.receive import receive_mail
from leadimport.settings import get_settings
from leadimport.store.clients import firestore_client, storage_client

log = logging.getLogger(__name__)
MESSAGE_FIELDS = ("email", "body-mime", "message", "mime", "raw")  # the form fields that carry the message
RECIPIENT_FIELDS = ("recipient", "to")


def inbound_email(request: flask.Request) -> flask.Response:
    settings = get_settings()
    if not settings.inbound_secret:
        return _answer(503, {"error": {"code": "not_configured", "message": "Inbound mail is not configured."}})
    if request.method != "POST":
        return _answer(405, {"error": {"code": "method_not_allowed", "message": "POST the message."}})
    if not _authorized(request, settings.inbound_secret):
        log.info("inbound_email refused: bad secret")
        return _answer(401, {"error": {"code": "unauthorized", "message": "The webhook secret is missing or wrong."}})
    if (request.content_length or 0) > settings.inbound_max_bytes:
        return _answer(413, {"error": {"code": "too_large", "message": "The message is too large."}})
    request.max_content_length = settings.inbound_max_bytes
    request.max_form_memory_size = settings.inbound_max_bytes  # the message travels as one form field
    raw, recipients = _message(request)
    provider_dkim = request.form.get("dkim") if request.mimetype == "multipart/form-data" else None
    if not raw:
        return _answer(400, {"error": {"code": "no_message", "message": "No MIME message in the request: post it as "
                                       "message/rfc822 or in a form field named " + ", ".join(MESSAGE_FIELDS)}})
    try:
        outcome = receive_mail(raw, recipients, firestore_client(), storage_client(), settings, provider_dkim)
    except (TransientError, google_exceptions.ServiceUnavailable, google_exceptions.DeadlineExceeded,
            google_exceptions.TooManyRequests, google_exceptions.InternalServerError) as exc:
        log.warning("inbound_email will be retried by the provider: %s", type(exc).__name__)
        return _answer(503, {"error": {"code": "try_again", "message": "Busy; deliver the message again later."}})
    # a refusal is an answer too (200): the provider must not deliver the message again
    return _answer(200, outcome.model_dump())


def _authorized(request: flask.Request, secret: str) -> bool:
    # never in the URL's query: that lands in every request log on the way (basic auth's password does not)
    candidates = [request.headers.get("X-Leadimport-Secret", "")]
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        candidates.append(value.strip())
    elif scheme.lower() == "basic":
        with contextlib.suppress(binascii.Error, UnicodeDecodeError):
            candidates.append(base64.b64decode(value.strip()).decode().partition(":")[2])
    expected = secret.encode()
    # every candidate is compared, so the time taken says nothing about which one was close
    return sum(hmac.compare_digest(c.encode(), expected) for c in candidates if c) > 0


def _message(request: flask.Request) -> tuple[bytes, list[str]]:
    """The raw message and the envelope recipients, when the provider sends them apart from the headers."""
    if request.mimetype in ("message/rfc822", "application/octet-stream", "text/plain"):
        return request.get_data(), []
    if request.mimetype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return b"", []
    raw = b""
    for field in MESSAGE_FIELDS:
        if field in request.files:
            raw = request.files[field].read()
            break
        if field in request.form:
            raw = request.form[field].encode("utf-8")
            break
    return raw, _envelope_recipients(request.form)


def _envelope_recipients(form: dict) -> list[str]:
    recipients: list[str] = []
    with contextlib.suppress(ValueError, AttributeError, TypeError):  # SendGrid: envelope={"to": [...], "from": …}
        recipients += [str(a) for a in json.loads(form.get("envelope") or "{}").get("to") or []]
    for field in RECIPIENT_FIELDS:  # Mailgun: recipient=a@b, c@d
        recipients += [address for _, address in getaddresses([form.get(field) or ""]) if "@" in address]
    return recipients


def _answer(status: int, body: dict) -> flask.Response:
    response = flask.jsonify(body)
    response.status_code = status
    return response
