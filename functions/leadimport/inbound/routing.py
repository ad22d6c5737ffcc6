"""Which tenant an email is for (its address, import+<tenant>@…) and whether its sender may import there."""

from __future__ import annotations

from leadimport.core.tenant_config import TenantConfig
from leadimport.inbound.message import InboundMessage
from leadimport.settings import Settings
from leadimport.store.tenant_refs import is_tenant_id


def tenant_for(recipients: list[str], settings: Settings) -> tuple[str, str] | None:
    """(tenant, the address that named it): the first of our addresses among the recipients (plus addressing)."""
    for address in recipients:
        local, _, domain = address.lower().rpartition("@")
        base, plus, tenant = local.partition("+")
        if base != settings.inbound_local or not plus:
            continue
        if settings.inbound_domain and domain != settings.inbound_domain:
            continue
        if is_tenant_id(tenant):
            return tenant, address
    return None


def sender_allowed(message: InboundMessage, config: TenantConfig) -> bool:
    """A user with the import role, or an address or domain the tenant lists; only a From that
    sender_proof proved, since anyone can write any From."""
    if not message.sender or not message.proven_by:
        return False
    domain = message.sender.rpartition("@")[2]
    if any(u.email == message.sender and u.active and u.can_import for u in config.users):
        return True
    return any(entry.strip().lower() in (message.sender, domain, "@" + domain) for entry in config.allowed_senders)
