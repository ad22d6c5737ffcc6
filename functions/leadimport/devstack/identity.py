"""The local stand-in for Google's sign-in: one RSA key that mints ID tokens and signs upload URLs.

Production checks tokens against Google's published certificates and signs URLs with the function's
service account; the local stack publishes this key's certificate instead (LEADIMPORT_ID_CERTS_URL)
and hands the functions this key as their signer. Nothing here is used outside the local stack.

    python -m leadimport.devstack.identity --key signer.json --port N   # serves GET /certs
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import crypt, jwt

AUDIENCE = "leadimport-local-addon"  # the add-on's OAuth client id, locally
ISSUER = "https://accounts.google.com"


def ensure_key(path: Path) -> dict:
    """A service-account-shaped key file (google-auth reads it as one), made once per state folder."""
    if path.is_file():
        return json.loads(path.read_text())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    info = {"type": "service_account", "project_id": "leadimport-local", "private_key_id": uuid.uuid4().hex,
            "private_key": pem, "client_email": "functions@leadimport-local.iam.gserviceaccount.com",
            "client_id": "0", "token_uri": "http://127.0.0.1:9/token"}
    path.write_text(json.dumps(info))
    path.chmod(0o600)
    return info


def certificates(info: dict) -> dict[str, str]:
    """{key id: public key PEM}, the shape of Google's v1 certs document."""
    key = serialization.load_pem_private_key(info["private_key"].encode(), password=None)
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return {info["private_key_id"]: public.decode()}


def mint_id_token(info: dict, email: str, audience: str = AUDIENCE, *, hd: str | None = None,
                  lifetime: int = 3600, issued_at: int | None = None, verified: bool = True,
                  issuer: str = ISSUER, name: str | None = None) -> str:
    """An ID token shaped like the one ScriptApp.getIdentityToken() returns."""
    now = int(time.time()) if issued_at is None else issued_at
    claims = {"iss": issuer, "aud": audience, "azp": audience, "sub": hashlib.sha256(email.encode()).hexdigest()[:21],
              "email": email, "email_verified": verified, "iat": now, "exp": now + lifetime}
    if hd:
        claims["hd"] = hd
    if name:
        claims["name"] = name
    signer = crypt.RSASigner.from_service_account_info(info)
    return jwt.encode(signer, claims).decode()


def serve(key_path: Path, port: int) -> None:
    body = json.dumps(certificates(ensure_key(key_path))).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?")[0] != "/certs":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "public, max-age=3600")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--key", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    serve(args.key, args.port)
