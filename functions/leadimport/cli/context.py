"""What a CLI command works against, connected once per run.

The running local stack, else the environment's Google project (cli/connect.py decides), and through
it the settings, Firestore, Cloud Storage and a tenant's documents. main() makes one Cli and hands it
to every command; nothing connects until a command asks, so `leadimport dev …` and `template` without
--tenant never do, and no command repeats the preamble (use_local_stack_if_running, then clients).

The Google libraries are imported on first use, as the handlers did: `leadimport dev status` stays fast.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from google.cloud import firestore, storage

    from leadimport.core.tenant_config import TenantConfig
    from leadimport.settings import Settings


class Cli:
    def __init__(self) -> None:
        self._local: bool | None = None

    @property
    def local(self) -> bool:
        """True when the local stack runs: the Google clients then point at its emulators."""
        if self._local is None:
            from leadimport.cli.connect import use_local_stack_if_running

            self._local = use_local_stack_if_running()
        return self._local

    @cached_property
    def settings(self) -> Settings:
        from leadimport.settings import get_settings

        _ = self.local  # the stack's environment first: settings and clients read it once
        return get_settings()

    @cached_property
    def db(self) -> firestore.Client:
        from leadimport.store.clients import firestore_client

        _ = self.local
        return firestore_client()

    @cached_property
    def gcs(self) -> storage.Client:
        from leadimport.store.clients import storage_client

        _ = self.local
        return storage_client()

    def tenant(self, tenant_id: str) -> firestore.DocumentReference:
        """The tenant's document (its id checked): what every store function takes."""
        from leadimport.store.tenant_refs import tenant_ref

        return tenant_ref(self.db, tenant_id)

    def tenant_config(self, tenant_id: str) -> TenantConfig:
        from leadimport.store.tenants import load_tenant

        return load_tenant(self.db, tenant_id)

    @property
    def mail_dir(self) -> str | None:
        """Where the local stack's SMTP server saves what it receives (None against a real project)."""
        if not self.local:
            return None
        from leadimport.devstack.stack import Stack, default_state_dir

        return Stack(default_state_dir()).status().get("mail_dir")
