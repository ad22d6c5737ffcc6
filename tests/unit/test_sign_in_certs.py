"""Tokens naming keys we do not hold cannot keep sign-in waiting on Google's certificates."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from leadimport.api.auth import _Certificates


@pytest.fixture
def certs_server() -> Iterator[tuple[str, list[int]]]:
    fetched: list[int] = []

    class Certs(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fetched.append(1)
            body = json.dumps({"kid-1": "-----BEGIN CERTIFICATE-----"}).encode()
            self.send_response(200)
            self.send_header("Cache-Control", "public, max-age=3600")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Certs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/certs", fetched
    server.shutdown()


def test_unknown_key_ids_refresh_the_certificates_at_most_once_a_minute(certs_server: tuple[str, list[int]]) -> None:
    url, fetched = certs_server
    certs = _Certificates()
    assert "kid-1" in certs.get(url)
    for _ in range(50):  # fifty tokens with made-up key ids, each asking for a refresh
        certs.get(url, refresh=True)
    assert len(fetched) == 1  # the first fetch is less than a minute old: no more
    certs._fetched -= _Certificates.MIN_REFRESH_SECONDS  # a minute later, a rotated key is fetched again
    certs.get(url, refresh=True)
    assert len(fetched) == 2
