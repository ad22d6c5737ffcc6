"""Who is calling: a Google ID token checked for signature, issuer, audience and expiry, then the
tenant that token's verified email (or Workspace domain) belongs to. Never the request body's say-so.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

import google.auth.exceptions
import requests
from google.auth import jwt
from google.cloud import firestore

from leadimport.settings import Settings
from leadimport.store.tenant_refs import domain_ref, member_ref, tenant_ref, user_ref

GOOGLE_ISSUERS = ("accounts.google.com", "https://accounts.google.com")


class AuthError(Exception):
    """The request is refused; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Caller:
    email: str
    tenant_id: str
    name: str
    can_import: bool


class _Certificates:
    """The signers' public keys, kept for as long as their Cache-Control says (Google rotates them daily)."""

    # a token naming a key we do not hold asks for a refresh: at most this often, or anyone could keep every
    # sign-in waiting on Google's certificates, behind this lock, by sending tokens with made-up key ids
    MIN_REFRESH_SECONDS = 60.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._url, self._certs, self._until, self._fetched = "", {}, 0.0, -1e9

    def get(self, url: str, refresh: bool = False) -> dict[str, str]:
        with self._lock:
            now = time.monotonic()
            refresh = refresh and now - self._fetched >= self.MIN_REFRESH_SECONDS
            if refresh or url != self._url or now >= self._until:
                try:
                    response = requests.get(url, timeout=10)
                    response.raise_for_status()
                except requests.RequestException as exc:
                    raise AuthError(503, "certs_unavailable", "Sign-in cannot be checked right now; "
                                                              "try again in a minute.") from exc
                age = re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", ""))
                self._url, self._certs, self._fetched = url, response.json(), time.monotonic()
                self._until = self._fetched + min(int(age.group(1)) if age else 300, 6 * 3600)
            return self._certs


_CERTS = _Certificates()


def verified_claims(authorization: str | None, settings: Settings) -> dict:
    """The token's claims, or AuthError (401) saying what is wrong with it."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError(401, "missing_token", "Sign in: this call needs a Google ID token (Authorization: Bearer …).")
    if not settings.id_audiences:
        raise AuthError(500, "not_configured", "The service has no ID token audience configured.")
    try:
        key_id = jwt.decode_header(token.strip()).get("kid")
        certs = _CERTS.get(settings.id_certs_url)
        if key_id not in certs:  # keys rotated since we fetched them
            certs = _CERTS.get(settings.id_certs_url, refresh=True)
        claims = jwt.decode(token.strip(), certs=certs, audience=settings.id_audiences, clock_skew_in_seconds=10)
    except (ValueError, google.auth.exceptions.GoogleAuthError) as exc:
        message = str(exc)
        code = "expired_token" if "expired" in message.lower() else \
            "wrong_audience" if "audience" in message.lower() else "invalid_token"
        raise AuthError(401, code, f"The sign-in token was refused: {message}") from exc
    if claims.get("iss") not in GOOGLE_ISSUERS:
        raise AuthError(401, "wrong_issuer", "The sign-in token was not issued by Google.")
    if not claims.get("email") or not claims.get("email_verified"):
        raise AuthError(401, "unverified_email", "The sign-in token carries no verified email address.")
    return claims


def resolve_caller(claims: dict, db: firestore.Client, wanted_tenant: str | None = None) -> Caller:
    """The tenant the verified email belongs to (or whose Workspace domain it is in) and what it may do."""
    email = str(claims["email"]).lower()
    tenants = set((member_ref(db, email).get().to_dict() or {}).get("tenants") or [])
    domain_tenant = None
    if claims.get("hd"):  # only Google vouches for `hd`: an address merely ending in the domain is not enough
        domain_tenant = (domain_ref(db, str(claims["hd"])).get().to_dict() or {}).get("tenant")
    candidates = tenants | ({domain_tenant} if domain_tenant else set())
    if wanted_tenant is not None:
        candidates &= {wanted_tenant}
    if not candidates:
        raise AuthError(403, "not_a_member", f"{email} is not a user of this workspace in Lead Import. "
                                             "Ask your CRM administrator to add you.")
    if len(candidates) > 1:
        raise AuthError(400, "choose_tenant", "You belong to several workspaces: say which one (tenant).")
    tenant_id = candidates.pop()
    user = user_ref(tenant_ref(db, tenant_id), email).get().to_dict()
    if user is not None:
        if not user.get("active", True):
            raise AuthError(403, "inactive_user", f"{email} is inactive in this workspace.")
        return Caller(email, tenant_id, user.get("name") or email, bool(user.get("can_import")))
    if tenant_id == domain_tenant:
        return Caller(email, tenant_id, str(claims.get("name") or email), can_import=True)
    raise AuthError(403, "not_a_member", f"{email} is not a user of this workspace in Lead Import.")


def require_import(caller: Caller) -> None:
    if not caller.can_import:
        raise AuthError(403, "not_allowed", f"{caller.email} may not import leads: ask your CRM administrator "
                                            "for the import permission.")
