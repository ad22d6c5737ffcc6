"""Who owns a lead: a tenant user named by email or by full name (seeds 000–003)."""

from __future__ import annotations

from dataclasses import dataclass

from leadimport.mapping.suggest import fold
from leadimport.tenants import TenantUser


@dataclass(frozen=True)
class OwnerResolution:
    email: str | None
    code: str | None = None  # unknown_owner or ambiguous_owner
    message: str | None = None


class OwnerDirectory:
    def __init__(self, users: list[TenantUser], default_owner: str | None):
        active = [u for u in users if u.active]
        self._by_email = {u.email.lower(): u for u in active}
        self._by_name: dict[str, list[TenantUser]] = {}
        for user in active:
            self._by_name.setdefault(fold(user.name), []).append(user)
        self.default_owner = default_owner

    def resolve(self, value: str) -> OwnerResolution:
        text = value.strip()
        user = self._by_email.get(text.lower())
        if user:
            return OwnerResolution(user.email)
        named = self._by_name.get(fold(text), [])
        if len(named) == 1:
            return OwnerResolution(named[0].email)
        if len(named) > 1:
            return OwnerResolution(
                None, "ambiguous_owner",
                f"{len(named)} users are called '{text}': write the owner's email instead",
            )
        fallback = f"; assigned to {self.default_owner}" if self.default_owner else ""
        return OwnerResolution(self.default_owner, "unknown_owner", f"No active user '{text}'{fallback}")
