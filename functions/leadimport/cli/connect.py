"""Where the CLI sends its work: the running local stack, else the environment's Google project."""

from __future__ import annotations

import os

from leadimport.devstack.stack import Stack, default_state_dir, function_env


def use_local_stack_if_running() -> bool:
    """Point the Google clients at the local stack when it is up; True if it is."""
    status = Stack(default_state_dir()).status()
    if not status["running"]:
        return False
    os.environ.update(function_env(status))
    return True
