"""Addresses whose domain looks like a slip on a common provider's ("gmial.com", "hotmal.com", "gmail.con"):
said with the likely address, never corrected, since a company may own a domain one letter from Gmail's.

Hand-written on purpose: pymailcheck (mailcheck.js's port) was tried, and with its lists it took real
addresses of our markets for slips (inmosol.ec → .es, sol.pe → .de, uol.com.br → uol.com, live.com.mx →
live.com); with ours, its one-pass distance still took short real domains (gmx.de, bk.ec, sfr.ec) for
providers'. The rules here only speak where a slip is the likely story:
- the name is one letter (or a swap) from a provider's name of 5 letters or more, with one of its suffixes;
- the suffix is a slip of .com, .net or .org (".con", ".cmo", ".nte"), which no registry sells;
- a provider that only has one domain (Gmail, iCloud…) written with another suffix ("gmail.co", "gmail.es").
"""

from __future__ import annotations

from functools import lru_cache

# the mail providers of our markets (Latin America, Spain, France, Russia) and the world's largest
PROVIDERS = (
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.es", "hotmail.fr", "hotmail.com.ar", "hotmail.com.mx",
    "hotmail.cl", "outlook.com", "outlook.es", "outlook.fr", "live.com", "live.com.mx", "live.fr", "msn.com",
    "mail.com", "email.com", "aol.com", "me.com", "mac.com", "yahoo.com", "yahoo.es", "yahoo.fr", "yahoo.com.mx",
    "yahoo.com.ar", "yahoo.com.br", "ymail.com", "icloud.com", "protonmail.com", "protonmail.ch", "proton.me",
    "pm.me", "gmx.com", "gmx.es", "gmx.fr", "gmx.de", "yandex.ru", "yandex.com", "mail.ru", "rambler.ru",
    "orange.fr", "wanadoo.fr", "laposte.net", "telefonica.net", "movistar.es", "uol.com.br", "terra.com.br",
    "bol.com.br", "prodigy.net.mx", "netlife.ec",
)
ONE_DOMAIN = {"gmail": "gmail.com", "googlemail": "googlemail.com", "icloud": "icloud.com"}
SLIPPED_SUFFIX = {"con": "com", "cmo": "com", "ocm": "com", "vom": "com", "xom": "com", "cpm": "com", "cim": "com",
                  "comm": "com", "coom": "com", "clm": "com", "nte": "net", "nett": "net", "ner": "net", "ogr": "org",
                  "orgg": "org"}
_NAMES: dict[str, set[str]] = {}
for _domain in PROVIDERS:
    _name, _, _suffix = _domain.partition(".")
    _NAMES.setdefault(_name, set()).add(_suffix)
_KNOWN = frozenset(PROVIDERS)


def suggested_address(email: str) -> str | None:
    """The address the person likely meant, or None when the domain does not look like a slip."""
    at = email.rfind("@")
    better = _suggested_domain(email[at + 1:])  # cached: a file's addresses share a few domains
    return f"{email[:at]}@{better}" if better else None


@lru_cache(maxsize=4096)  # a file's addresses share a few domains
def _suggested_domain(domain: str) -> str | None:
    if domain in _KNOWN or "." not in domain:
        return None
    name, _, suffix = domain.partition(".")
    last = suffix.rpartition(".")[2]
    if last in SLIPPED_SUFFIX:
        suffix = suffix[: len(suffix) - len(last)] + SLIPPED_SUFFIX[last]
    if name in ONE_DOMAIN:
        return ONE_DOMAIN[name] if domain != ONE_DOMAIN[name] else None
    if name in _NAMES:
        fixed = f"{name}.{suffix}"
        return fixed if fixed != domain and (fixed in _KNOWN or last in SLIPPED_SUFFIX) else None
    if len(name) >= 4:
        for provider, suffixes in _NAMES.items():
            if len(provider) >= 5 and _one_slip(name, provider):
                if provider in ONE_DOMAIN:
                    return ONE_DOMAIN[provider]
                if suffix in suffixes:
                    return f"{provider}.{suffix}"
    return f"{name}.{suffix}" if last in SLIPPED_SUFFIX else None


def _one_slip(typed: str, meant: str) -> bool:
    """One letter wrong, missing, extra, or two neighbours swapped (an optimal string alignment distance of 1)."""
    if typed == meant or abs(len(typed) - len(meant)) > 1:
        return False
    if len(typed) == len(meant):
        diff = [i for i, (a, b) in enumerate(zip(typed, meant, strict=True)) if a != b]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and typed[diff[0]] == meant[diff[1]] and typed[diff[1]] == meant[diff[0]])
    short, long = sorted((typed, meant), key=len)
    i = next((i for i, (a, b) in enumerate(zip(short, long, strict=False)) if a != b), len(short))
    return short[i:] == long[i + 1:]
