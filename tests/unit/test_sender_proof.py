"""An emailed file imports only when our receiving provider proved its From: every spoof the security
review found, and real-shaped mail from Gmail, Outlook and a mailing list with their genuine results."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leadimport.inbound.message import parse_message
from leadimport.inbound.sender_proof import SenderProof, prove_sender

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"
OURS = ["mx.leads.localhost"]  # the local stack's provider, as a deployment names its own


def proof(headers: str, provider_dkim: str | None = None, authserv_ids: list[str] = OURS) -> SenderProof:
    raw = (headers + "To: import+inmosol@leads.localhost\r\nSubject: leads\r\n\r\nadjunto\r\n").encode()
    return prove_sender(parse_message(raw), authserv_ids, provider_dkim)


@pytest.mark.parametrize(("headers", "why"), [
    # no verdict at all: the message says nothing of how it came
    ("From: ana@inmosol.ec\r\n", "no_verdict"),
    # a verdict that proves nothing
    ("Authentication-Results: mx.leads.localhost; spf=neutral smtp.mailfrom=inmosol.ec\r\nFrom: ana@inmosol.ec\r\n",
     "no_verdict"),
    ("Authentication-Results: mx.leads.localhost; dkim=none; dmarc=none header.from=inmosol.ec\r\n"
     "From: ana@inmosol.ec\r\n", "no_verdict"),
    # SPF passes for the envelope sender, another domain: it says nothing of the From
    ("Authentication-Results: mx.leads.localhost; spf=pass smtp.mailfrom=bounce@evil.test\r\n"
     "From: ana@inmosol.ec\r\n", "no_verdict"),
    # a signature, but the attacker's own domain's
    ("Authentication-Results: mx.leads.localhost; dkim=pass header.d=evil.test; dmarc=pass header.from=evil.test\r\n"
     "From: ana@inmosol.ec\r\n", "unaligned"),
    # a bare suffix is nobody's key to hold
    ("Authentication-Results: mx.leads.localhost; dkim=pass header.d=ec\r\nFrom: ana@inmosol.ec\r\n", "unaligned"),
    # the provider added none: the topmost is the attacker's own, from another server
    ("Authentication-Results: mx.google.com; dkim=pass header.d=inmosol.ec; dmarc=pass header.from=inmosol.ec\r\n"
     "From: ana@inmosol.ec\r\n", "untrusted_header"),
    # the provider's verdict on top says fail; the attacker's below says pass
    ("Authentication-Results: mx.leads.localhost; dkim=fail header.d=inmosol.ec; dmarc=fail header.from=inmosol.ec\r\n"
     "Authentication-Results: mx.leads.localhost; dkim=pass header.d=inmosol.ec; dmarc=pass header.from=inmosol.ec\r\n"
     "From: ana@inmosol.ec\r\n", "failed"),
    # a pass hidden in a comment is a comment
    ("Authentication-Results: mx.leads.localhost; arc=none (dkim=pass header.d=inmosol.ec)\r\n"
     "From: ana@inmosol.ec\r\n", "no_verdict"),
    # Python 3.11's parseaddr reads the boss here; a proof for acme.ec proves nobody
    ("Authentication-Results: mx.leads.localhost; dmarc=pass header.from=acme.ec\r\n"
     "From: boss@acme.ec)<attacker@evil.test>\r\n", "bad_from"),
    ("Authentication-Results: mx.leads.localhost; dmarc=pass header.from=acme.ec\r\n"
     "From: Boss <boss@acme.ec> <attacker@evil.test>\r\n", "bad_from"),
    ("Authentication-Results: mx.leads.localhost; dmarc=pass header.from=inmosol.ec\r\n"
     "From: ana@inmosol.ec\r\nFrom: attacker@evil.test\r\n", "several_from"),
    ("Authentication-Results: mx.leads.localhost; dmarc=pass header.from=inmosol.ec\r\n", "no_from"),
])
def test_each_spoof_is_refused(headers: str, why: str) -> None:
    assert proof(headers) == SenderProof(False, why)


def test_a_display_name_that_looks_like_an_address_proves_only_the_real_one() -> None:
    headers = ("Authentication-Results: mx.leads.localhost; dkim=pass header.d=evil.test; dmarc=pass "
               "header.from=evil.test\r\nFrom: \"boss@acme.ec\" <attacker@evil.test>\r\n")
    message = parse_message((headers + "\r\nx").encode())
    assert message.sender == "attacker@evil.test"  # proven, and it is the attacker: a stranger to acme's tenant
    assert prove_sender(message, OURS) == SenderProof(True, "dmarc")


@pytest.mark.parametrize(("headers", "how"), [
    ("Authentication-Results: mx.leads.localhost; dmarc=pass header.from=inmosol.ec\r\nFrom: ana@inmosol.ec\r\n",
     "dmarc"),
    ("Authentication-Results: mx.leads.localhost; dkim=pass header.i=@inmosol.ec\r\nFrom: ana@inmosol.ec\r\n", "dkim"),
    # relaxed alignment: a subdomain signs for its parent's From, and the other way round
    ("Authentication-Results: mx.leads.localhost; dkim=pass header.d=mail.inmosol.ec\r\nFrom: ana@inmosol.ec\r\n",
     "dkim"),
    ("Authentication-Results: MX.Leads.Localhost (ours); dkim=pass header.d=inmosol.ec\r\n"
     "From: ana@ventas.inmosol.ec\r\n", "dkim"),
    # an internationalised domain, written either way
    ("Authentication-Results: mx.leads.localhost; dmarc=pass header.from=xn--and-6ma2c.ec\r\n"
     "From: José <jose@ñandú.ec>\r\n", "dmarc"),
])
def test_a_proven_sender(headers: str, how: str) -> None:
    assert proof(headers) == SenderProof(True, how)


def test_sendgrids_own_dkim_field_proves_and_a_header_the_sender_wrote_does_not() -> None:
    forged = "Authentication-Results: mx.google.com; dmarc=pass header.from=inmosol.ec\r\nFrom: ana@inmosol.ec\r\n"
    assert proof(forged, provider_dkim="{@inmosol.ec : pass}", authserv_ids=[]) == SenderProof(True, "dkim")
    assert proof(forged, provider_dkim="{@evil.test : pass}", authserv_ids=[]) == SenderProof(False, "unaligned")
    assert proof(forged, provider_dkim="{@inmosol.ec : fail}", authserv_ids=[]) == SenderProof(False, "failed")
    assert proof(forged, authserv_ids=[]) == SenderProof(False, "untrusted_header")  # no field, no id: nothing


# Each fixture as our provider delivered it, and the same mail as the provider would have stamped it had
# it come from somewhere else: DKIM broken (a list's footer, a forger's copy), SPF for another envelope.
FAILED = ("Authentication-Results: mx.leads.localhost;\r\n"
          "\tdkim=fail (body hash did not verify) header.d=inmosol.ec;\r\n"
          "\tspf=pass smtp.mailfrom=bounces@lists.example.org;\r\n"
          "\tdmarc=fail (p=QUARANTINE) header.from=inmosol.ec")


@pytest.mark.parametrize("name", ["gmail_xlsx_inline_logo.eml", "outlook_csv_cp1252_with_pdf.eml",
                                  "list_forwarded_google_group.eml", "apple_mail_two_csv.eml",
                                  "forwarded_rfc822_russian_name.eml", "no_attachment.eml"])
def test_real_shaped_mail_both_ways(name: str) -> None:
    raw = (MAIL / name).read_bytes().replace(b"TENANT", b"inmosol")
    assert prove_sender(parse_message(raw), OURS) == SenderProof(True, "dmarc")
    text = raw.decode("utf-8", "surrogateescape")
    ours = re.search(r"Authentication-Results: mx\.leads\.localhost;.*?(?=\r\n\S)", text, re.DOTALL)
    assert ours is not None
    failed = text.replace(ours.group(0), FAILED, 1).encode("utf-8", "surrogateescape")
    assert prove_sender(parse_message(failed), OURS) == SenderProof(False, "failed")


@pytest.mark.parametrize("header", [
    # the envelope's local part, which the stranger chooses, in the provider's comment: it closes the comment
    'mx.leads.localhost; spf=pass (domain of a) dmarc=pass header.from=victim.ec (b@evil.test designates '
    '1.2.3.4) smtp.mailfrom="a) dmarc=pass header.from=victim.ec (b"@evil.test; dkim=none; dmarc=fail '
    'header.from=victim.ec',
    # a quoted local part with a ';' in it: one word, not a result of its own
    'mx.leads.localhost; spf=pass smtp.mailfrom="x;dkim=pass header.d=victim.ec "@evil.test; dkim=none; '
    'dmarc=none header.from=victim.ec',
    # the provider's own verdict fails for the From's domain: nothing beside it proves it
    "mx.leads.localhost; dkim=pass header.d=victim.ec; dmarc=fail header.from=victim.ec",
    # a comment, or a quote, left open: nothing in the header is read
    "mx.leads.localhost; dmarc=pass header.from=victim.ec (",
    'mx.leads.localhost; dmarc=pass header.from="victim.ec',
    # a word that is neither a result nor a property
    "mx.leads.localhost; dkim=pass header.d=victim.ec @evil.test",
])
def test_what_a_stranger_writes_inside_our_providers_header_proves_nothing(header: str) -> None:
    message = parse_message(f"Authentication-Results: {header}\r\nFrom: boss@victim.ec\r\n\r\nx".encode())
    assert not prove_sender(message, OURS).proven


@pytest.mark.parametrize("field", ["{x@victim.ec:pass@evil.test : fail}", "{@evil.test : neutral (victim.ec : pass)}",
                                   "@victim.ec : pass", "{@victim.ec : pass} @evil.test"])
def test_sendgrids_field_is_read_whole_or_not_at_all(field: str) -> None:
    message = parse_message(b"From: boss@victim.ec\r\n\r\nx")
    assert prove_sender(message, [], provider_dkim=field) == SenderProof(False, "malformed")
