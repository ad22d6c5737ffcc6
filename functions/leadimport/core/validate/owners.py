"""Who owns a lead: a tenant user named by email or by full name (seeds 000–003)."""

from __future__ import annotations

from dataclasses import dataclass

from leadimport.core.tenant_config import TenantUser
from leadimport.core.text import fold, fold_words


@dataclass(frozen=True)
class OwnerResolution:
    email: str | None
    code: str | None = None  # unknown_owner or ambiguous_owner
    count: int = 0  # users sharing the name, for ambiguous_owner


_PATRONYMIC = ("вич", "вна", "ична", "чна", "ич", "оглы", "кызы")  # Иванович, Ивановна, Ильич, Кузьминична


class OwnerDirectory:
    def __init__(self, users: list[TenantUser]):
        active = [u for u in users if u.active]
        self._by_email = {u.email.lower(): u for u in active}
        self._by_name: dict[str, list[TenantUser]] = {}
        for user in active:
            self._by_name.setdefault(fold(user.name), []).append(user)
        self._words = [(frozenset(fold_words(user.name)), user) for user in active]

    def resolve(self, value: str) -> OwnerResolution:
        text = value.strip()
        user = self._by_email.get(text.lower())
        if user:
            return OwnerResolution(user.email)
        named = self._by_name.get(fold(text), [])
        if not named:  # written otherwise; two users it could be are no one, as a name no user has
            by_words = self._by_words(text)
            named = by_words if len(by_words) == 1 else []
        if len(named) == 1:
            return OwnerResolution(named[0].email)
        if len(named) > 1:
            return OwnerResolution(None, "ambiguous_owner", count=len(named))
        # No fallback here: an update must keep the lead's owner; a new lead gets the default owner
        return OwnerResolution(None, "unknown_owner")

    def _by_words(self, text: str) -> list[TenantUser]:
        """The users a name names in another order or form: "Martin Luc" (reversed), "Иванов Иван Иванович"
        (the user's name and a patronymic), "Смирнов О." (a surname and an initial). Only the user's own
        words: "Juan Carlos Gómez" is not the user "Carlos Gómez"."""
        if "@" in text:
            return []
        words = fold_words(text)
        whole = {w for w in words if len(w) > 1}
        initials = [w for w in words if len(w) == 1]
        extra = {w for w in whole if w.endswith(_PATRONYMIC)}
        found = []
        for user_words, user in self._words:
            if len(user_words) < 2:
                continue
            missing = user_words - whole
            if ((whole == user_words or (whole - extra == user_words and len(extra) == 1)) and not initials) or (
                    initials and whole < user_words and len(missing) == len(initials)
                    and all(any(u.startswith(i) for u in missing) for i in initials)):
                found.append(user)
        return found
