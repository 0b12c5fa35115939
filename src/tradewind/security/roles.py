"""Roles and what each may do, in one table: Viewer < User < Op < Admin, as in Airflow."""

from __future__ import annotations

ROLES: tuple[str, ...] = ("Viewer", "User", "Op", "Admin")

# Each action names the least role allowed to do it; a higher role inherits every lower one's rights.
PERMISSIONS: dict[str, str] = {
    "read": "Viewer",                 # every page: DAGs, runs, task instances, logs, code
    "read_config": "Op",
    "trigger": "User",                # trigger a run
    "pause": "User",                  # the on/off toggle
    "clear": "User",                  # clear task instances and runs
    "mark": "User",                   # mark success / failed
    "delete_run": "User",
    "edit_variables": "Op",
    "edit_connections": "Op",
    "read_connections": "Op",
    "edit_pools": "Op",
    "read_action_log": "Viewer",
    "manage_users": "Admin",
}


def role_rank(role: str) -> int:
    """The position of a role in ROLES; an unknown role ranks below Viewer."""
    return ROLES.index(role) if role in ROLES else -1


def can(role: str | None, action: str) -> bool:
    """True when `role` may perform `action` (a key of PERMISSIONS)."""
    if action not in PERMISSIONS:
        raise KeyError(f"unknown permission {action!r}: add it to tradewind.security.roles.PERMISSIONS")
    return role is not None and role_rank(role) >= role_rank(PERMISSIONS[action])


def check_role_name(role: str) -> str:
    """The role name itself when valid; otherwise a ValueError listing the valid roles."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    return role
