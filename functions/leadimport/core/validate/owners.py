"""Who owns a lead: a tenant user named by email or by full name (seeds 000–003)."""

from __future__ import annotations

from dataclasses import dataclass

from leadimport.core.tenant_config import TenantUser
from leadimport.core.text import fold


@dataclass(frozen=True)
class OwnerResolution:
    email: str | None
    code: str | None = None  # unknown_owner or ambiguous_owner
    count: int = 0  # users sharing the name, for ambiguous_owner


class OwnerDirectory:
    def __init__(self, users: list[TenantUser]):
        active = [u for u in users if u.active]
        self._by_email = {u.email.lower(): u for u in active}
        self._by_name: dict[str, list[TenantUser]] = {}
        for user in active:
            self._by_name.setdefault(fold(user.name), []).append(user)

    def resolve(self, value: str) -> OwnerResolution:
        text = value.strip()
        user = self._by_email.get(text.lower())
        if user:
            return OwnerResolution(user.email)
        named = self._by_name.get(fold(text), [])
        if len(named) == 1:
            return OwnerResolution(named[0].email)
        if len(named) > 1:
            return OwnerResolution(None, "ambiguous_owner", count=len(named))
        # No fallback here: an update must keep the lead's owner; a new lead gets the default owner
        return OwnerResolution(None, "unknown_owner")
