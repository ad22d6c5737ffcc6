"""The envelope every HTTP function shares: verify the caller, validate the body, answer JSON.

Errors are JSON too, {"error": {"code", "message", "details"?}}, with the status that says whose
problem it is: 401 (who are you), 403 (not allowed), 400/422 (the body), 404, 503 (try again).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import flask
from google.api_core import exceptions as google_exceptions
from pydantic import BaseModel, ValidationError

from leadimport.api.auth import AuthError, resolve_caller, verified_claims
from leadimport.api.services import FileResponse, NotFound, Services
from leadimport.errors import TerminalError
from leadimport.settings import get_settings
from leadimport.store.clients import firestore_client, storage_client

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 5 * 1024 * 1024  # the largest preview or sample fits easily; files go to the bucket instead
B = TypeVar("B", bound=BaseModel)


def serve(request: flask.Request, body_model: type[B], handler: Callable[[Any, B, Services], Any]) -> flask.Response:
    name = getattr(handler, "__name__", "call")
    try:
        if request.method != "POST":
            raise AuthError(405, "method_not_allowed", "Use POST with a JSON body.")
        settings = get_settings()
        claims = verified_claims(request.headers.get("Authorization"), settings)
        if (request.content_length or 0) > MAX_BODY_BYTES:
            raise AuthError(413, "too_large", "The request is too large; send files through the upload URL.")
        request.max_content_length = MAX_BODY_BYTES  # a chunked body says no length: it is cut off all the same
        raw = request.get_json(silent=True)
        if not isinstance(raw, dict):
            raise AuthError(400, "invalid_json", "The body must be a JSON object.")
        services = Services(firestore_client(), storage_client(), settings)
        # who the caller is before what they sent: a stranger learns nothing about our bodies
        wanted = raw.get("tenant") if isinstance(raw.get("tenant"), str) else None
        caller = resolve_caller(claims, services.db, wanted)
        body = body_model.model_validate(raw)
        result = handler(caller, body, services)
    except AuthError as exc:
        log.info("%s refused: %s", name, exc.code)
        return _error(exc.status, exc.code, exc.message)
    except ValidationError as exc:
        details = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]
        return _error(422, "invalid_body", "The request is not valid: " + "; ".join(
            f"{d['field']}: {d['message']}" for d in details[:5]), details)
    except NotFound as exc:
        return _error(404, "not_found", str(exc))
    except TerminalError as exc:
        return _error(400, "refused", str(exc))
    except (google_exceptions.ServiceUnavailable, google_exceptions.DeadlineExceeded,
            google_exceptions.TooManyRequests) as exc:
        log.warning("%s: backend busy: %s", name, type(exc).__name__)
        return _error(503, "try_again", "The service is busy; try again in a moment.")
    if isinstance(result, FileResponse):
        response = flask.Response(result.content, 200, content_type=result.content_type)
        response.headers["Content-Disposition"] = f'attachment; filename="{result.filename}"'
        return response
    return flask.jsonify(result)


def _error(status: int, code: str, message: str, details: list[dict[str, str]] | None = None) -> flask.Response:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    response = flask.jsonify({"error": error})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="lead-import"'
    return response
