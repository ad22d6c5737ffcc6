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
_SENDGRID_ENTRY = re.compile(r"@([a-z0-9.-]{1,253})\s*:\s*([a-z]{1,20})")


@dataclass(frozen=True)
class SenderProof:
    proven: bool
    how: str  # "dmarc" or "dkim" when proven; else why not, as a code fit for a log line


def prove_sender(message: InboundMessage, authserv_ids: list[str], provider_dkim: str | None = None) -> SenderProof:
    """Proven, or the reason it is not: bad_from, no_verdict, untrusted_header, malformed, failed, unaligned."""
    if not message.sender:
        return SenderProof(False, message.sender_problem or "bad_from")
    domain = _ascii(message.sender.rpartition("@")[2])
    results: list[tuple[str, str, str]] = []  # (method, result, the domain it speaks for)
    if provider_dkim:
        parsed = _sendgrid_dkim(provider_dkim)
        if parsed is None:
            return SenderProof(False, "malformed")
        results += parsed
    topmost = message.authentication_results[0] if message.authentication_results else None
    if topmost is not None:
        read = _parse(topmost)
        if read is None:
            return SenderProof(False, "malformed")  # quotes or comments left open: nothing in it is read
        authserv_id, found = read
        if authserv_id in {a.strip().lower() for a in authserv_ids if a.strip()}:
            results += found
        elif not results:
            return SenderProof(False, "untrusted_header")  # not our provider's: the sender may have written it
    if not results:
        return SenderProof(False, "no_verdict")
    # a failure for the From's own domain vetoes any pass beside it: one of the two was not what it seems
    if any(result in _FAILED and _aligned(speaks_for, domain) for _, result, speaks_for in results):
        return SenderProof(False, "failed")
    passed = [(method, speaks_for) for method, result, speaks_for in results if result == "pass"]
    if ("dmarc", domain) in passed:
        return SenderProof(True, "dmarc")
    if any(method == "dkim" and _aligned(speaks_for, domain) for method, speaks_for in passed):
        return SenderProof(True, "dkim")
    if passed:
        return SenderProof(False, "unaligned")
    return SenderProof(False, "failed" if any(result in _FAILED for _, result, _ in results) else "no_verdict")


_FAILED = {"fail", "permerror"}
_METHOD = re.compile(r"([a-z0-9-]+)(?:/[0-9]+)?=([a-z]+)")
_PROPERTY = re.compile(r"([a-z0-9_-]+(?:\.[a-z0-9_-]+)?)=(.*)")
_SPEAKS_FOR = {"dmarc": ("header.from",), "dkim": ("header.d", "header.i")}


def _parse(header: str) -> tuple[str, list[tuple[str, str, str]]] | None:
    """An Authentication-Results value → its authserv-id and each DMARC/DKIM result with the domain it
    speaks for, read as RFC 8601 writes them: a result's method is its first word, comments (nested, and
    whatever they quote) are skipped, quoted strings are one word, and ';' ends a result only outside both,
    so what a sender put in a comment or a quoted address cannot pose as a result. None if malformed."""
    resinfos = _tokens(header[:_MAX_HEADER].lower())
    if resinfos is None or not resinfos[0]:
        return None
    found = []
    for words in resinfos[1:]:
        if not words or words == ["none"]:
            continue
        method = _METHOD.fullmatch(words[0])
        properties = [_PROPERTY.fullmatch(word) for word in words[1:]]
        if method is None or None in properties:
            return None  # a word that is no result and no property: the header is not what a provider writes
        if method.group(1) in _SPEAKS_FOR:
            values = {p.group(1): p.group(2) for p in properties if p is not None}
            speaks_for = next((values[name] for name in _SPEAKS_FOR[method.group(1)] if name in values), "")
            found.append((method.group(1), method.group(2), _ascii(speaks_for.rpartition("@")[2])))
    return resinfos[0][0], found


def _tokens(text: str) -> list[list[str]] | None:
    """The header's words, result by result (the first 'result' holds the authserv-id); one linear pass."""
    results: list[list[str]] = [[]]
    word: list[str] = []
    depth, quoted, escaped = 0, False, False

    def end_word() -> None:
        if word:
            results[-1].append("".join(word))
            word.clear()

    for ch in text:
        if escaped:
            escaped = False
            if not depth:
                word.append(ch)
        elif ch == "\\" and (quoted or depth):
            escaped = True
        elif quoted:
            if ch == '"':
                quoted = False
            else:
                word.append(ch)
        elif depth:
            depth += {"(": 1, ")": -1}.get(ch, 0)
        elif ch == "(":
            end_word()
            depth = 1
        elif ch == '"':
            quoted = True
        elif ch == ";":
            end_word()
            results.append([])
        elif ch.isspace():
            end_word()
        else:
            word.append(ch)
    if quoted or depth or escaped:
        return None
    end_word()
    return results


def _sendgrid_dkim(field: str) -> list[tuple[str, str, str]] | None:
    """SendGrid's dkim field, "{@inmosol.ec : pass, @other.com : fail}", read whole: every entry must be
    exactly '@domain : result', or none is believed (a signer writes its i= identity freely)."""
    text = field[:_MAX_HEADER].strip().lower()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    found = []
    for entry in text[1:-1].split(","):
        match = _SENDGRID_ENTRY.fullmatch(entry.strip())
        if match is None:
            return None
        found.append(("dkim", match.group(2), _ascii(match.group(1))))
    return found


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
