"""Sending through a relay like a provider's: a real aiosmtpd server with STARTTLS or implicit TLS and login."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from leadimport.devstack.stack import free_port
from leadimport.errors import TerminalError, TransientError
from leadimport.report.mail.send import send_message
from leadimport.settings import Settings, get_settings


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: the relay's, and the CA the client is told to trust."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "relay.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "relay.pem", folder / "relay.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Relay:
    """Keeps what it accepted and who logged in; refuses the mailbox nobody@."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.logins: list[str] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user"
        if address.startswith("busy@"):
            return f"450 4.2.1 Mailbox {address} busy, try later"  # relays echo the address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.login == b"apikey" and data.password == b"relay-pass"
        if ok:
            self.logins.append(data.login.decode())
        return AuthResult(success=ok)


def _context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


@pytest.fixture
def relay(certificate: tuple[Path, Path], request: pytest.FixtureRequest) -> Iterator[tuple[Relay, Settings]]:
    implicit = getattr(request, "param", "starttls") == "implicit"
    handler, port = Relay(), free_port()
    # aiosmtpd only counts STARTTLS as TLS for AUTH; an implicit-TLS connection is encrypted from the first byte
    tls = {"ssl_context": _context(certificate), "auth_require_tls": False} if implicit else \
        {"tls_context": _context(certificate), "require_starttls": True}
    controller = Controller(handler, hostname="127.0.0.1", port=port, auth_required=True,
                            authenticator=handler.authenticate, **tls)
    controller.start()
    settings = get_settings().model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": not implicit, "smtp_ssl": implicit,
        "smtp_ca_file": str(certificate[0]), "smtp_username": "apikey", "smtp_password": "relay-pass"})
    yield handler, settings
    controller.stop()


def _message(to: str = "ana@inmosol.ec") -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "Inmobiliaria Sol <crm@inmosol.ec>", to, "Importación"
    message.set_content("Filas leídas: 3")
    return message


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # implicit TLS: it is
@pytest.mark.parametrize("relay", ["starttls", "implicit"], indirect=True)
def test_sent_over_tls_after_login(relay: tuple[Relay, Settings]) -> None:
    handler, settings = relay
    send_message(_message(), settings)
    (sender, recipients, data), = handler.messages
    assert sender == "crm@inmosol.ec" and recipients == ["ana@inmosol.ec"] and b"Importaci" in data
    assert handler.logins == ["apikey"]


def test_the_relays_certificate_is_checked(relay: tuple[Relay, Settings]) -> None:
    handler, settings = relay
    with pytest.raises(TransientError, match="CERTIFICATE_VERIFY_FAILED"):
        send_message(_message(), settings.model_copy(update={"smtp_ca_file": None}))  # not a CA the system trusts
    assert handler.messages == []


def test_a_relay_that_is_down_is_retried_later(relay: tuple[Relay, Settings]) -> None:
    handler, settings = relay
    with pytest.raises(TransientError):
        send_message(_message(), settings.model_copy(update={"smtp_port": free_port()}))
    assert handler.messages == []


def test_a_mailbox_that_does_not_exist_is_not_retried(relay: tuple[Relay, Settings]) -> None:
    _, settings = relay
    with pytest.raises(TerminalError, match=r"refused every recipient \(it answered \[550\]\)") as refused:
        send_message(_message("nobody@inmosol.ec"), settings)
    assert "nobody" not in str(refused.value)  # what is raised is logged: it names no one


def test_a_busy_mailbox_is_retried_and_named_nowhere(relay: tuple[Relay, Settings]) -> None:
    _, settings = relay
    with pytest.raises(TransientError) as busy:
        send_message(_message("busy@inmosol.ec"), settings)
    assert "busy@" not in str(busy.value) and "450" in str(busy.value)
