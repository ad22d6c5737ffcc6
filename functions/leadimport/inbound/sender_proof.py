"""Whether an email's From is proven: anyone can write any From, so an emailed file imports only when
the receiving provider proved the sender's domain.

Proof is DMARC pass for the From domain, or DKIM pass with a signing domain aligned to it (the same
domain, or one a parent of the other). It is read only from what the sender cannot write:
- the provider's own fields, posted beside the message (SendGrid Inbound Parse's `dkim`:
  "{@inmosol.ec : pass}"), behind the webhook's secret;
- the topmost `Authentication-Results` header, and only when its authserv-id is one this deployment
  names (LEADIMPORT_INBOUND_AUTHSERV_ID): the receiving provider prepends its own, above anything the
  sender wrote. Set it only for a provider that stamps every message it receives.

SPF is not proof: it names the envelope sender, which need not be the From. Anything else (no verdict,
neutral, none, fail, a pass for another domain, a header from another server) fails closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leadimport.inbound.message import InboundMessage

_MAX_HEADER = 8_000  # an Authentication-Results longer than this is not one a provider wrote
_COMMENT = re.compile(r"\([^()]*\)")  # RFC 8601 comments, innermost first: linear each pass
# (?<!…): a name starts where the one before it ended, or "aaaa…" would be rescanned from each letter
_PROPERTY = re.compile(r"(?<![a-z0-9_.-])([a-z0-9_.-]+)=(\"[^\"]*\"|[^\s;]+)")
_SENDGRID_DKIM = re.compile(r"@([a-z0-9.-]+)\s*:\s*([a-z]+)")


@dataclass(frozen=True)
class SenderProof:
    proven: bool
    how: str  # "dmarc" or "dkim" when proven; else why not, as a code fit for a log line


def prove_sender(message: InboundMessage, authserv_ids: list[str], provider_dkim: str | None = None) -> SenderProof:
    """Proven, or the reason it is not: bad_from, no_verdict, untrusted_header, failed, unaligned."""
    if not message.sender:
        return SenderProof(False, message.sender_problem or "bad_from")
    domain = _ascii(message.sender.rpartition("@")[2])
    results: list[tuple[str, str, str]] = []  # (method, result, domain it speaks for)
    if provider_dkim:
        results += [("dkim", result, _ascii(signer)) for signer, result in
                    _SENDGRID_DKIM.findall(provider_dkim[:_MAX_HEADER].lower())]
    topmost = message.authentication_results[0] if message.authentication_results else None
    if topmost is not None:
        authserv_id, found = _parse(topmost)
        if authserv_id in {a.strip().lower() for a in authserv_ids if a.strip()}:
            results += found
        elif not results:
            return SenderProof(False, "untrusted_header")  # not our provider's: the sender may have written it
    if not results:
        return SenderProof(False, "no_verdict")
    passed = [(method, speaks_for) for method, result, speaks_for in results if result == "pass"]
    if ("dmarc", domain) in passed:
        return SenderProof(True, "dmarc")
    if any(method == "dkim" and _aligned(speaks_for, domain) for method, speaks_for in passed):
        return SenderProof(True, "dkim")
    if passed:
        return SenderProof(False, "unaligned")
    return SenderProof(False, "failed" if any(result == "fail" for _, result, _ in results) else "no_verdict")


def _parse(header: str) -> tuple[str, list[tuple[str, str, str]]]:
    """An Authentication-Results value → its authserv-id and each DMARC/DKIM result with its domain."""
    text = header[:_MAX_HEADER].lower()
    for _ in range(3):  # comments nest rarely, and never deeply in a provider's header
        text = _COMMENT.sub(" ", text)
    authserv_id, *resinfos = text.split(";")
    found = []
    for resinfo in resinfos:
        properties = dict(_PROPERTY.findall(resinfo))
        for method in ("dmarc", "dkim"):
            if method in properties:
                found.append((method, properties[method], _ascii(_speaks_for(method, properties))))
    return (authserv_id.split() or [""])[0], found


def _speaks_for(method: str, properties: dict[str, str]) -> str:
    if method == "dmarc":
        return properties.get("header.from", "").strip('"')
    signer = properties.get("header.d") or properties.get("header.i", "").rpartition("@")[2]
    return signer.strip('"')


def _aligned(signer: str, domain: str) -> bool:
    """DMARC's relaxed alignment without a public-suffix list: the same domain, or one a parent of the
    other, where the parent has at least two labels (a DKIM key for a bare suffix is nobody's to hold)."""
    if not signer or not domain:
        return False
    if signer == domain:
        return True
    parent, child = sorted((signer, domain), key=len)
    return child.endswith("." + parent) and parent.count(".") >= 1


def _ascii(domain: str) -> str:
    """An internationalised domain as DNS writes it, so 'ñandú.ec' and 'xn--and-6ma2c.ec' compare equal."""
    domain = domain.strip().strip(".").lower()
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain
