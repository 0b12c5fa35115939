"""`airflow users create|list|delete`: the accounts that may log in to the web UI, and their roles."""

from __future__ import annotations

import argparse
import getpass

from tradewind.errors import TradewindError


def _db():
    from tradewind.cli.db_cmd import open_database

    return open_database()[1]

def create(args: argparse.Namespace) -> int:
    """Create a user with a role; asks for the password when -p is not given."""
    from tradewind.clock import Clock
    from tradewind.security.passwords import hash_password
    from tradewind.security.roles import ROLES
    from tradewind.store import action_log, users

    if args.role not in ROLES:
        raise TradewindError(f"role {args.role!r} does not exist: choose one of {', '.join(ROLES)}")
    password = args.password
    if args.use_random_password:
        import secrets

        password = secrets.token_urlsafe(12)
    if not password:
        password = getpass.getpass("Password:")
        if password != getpass.getpass("Repeat for confirmation:"):
            raise TradewindError("the passwords do not match: run the command again")
    now = Clock().now()
    with _db().write() as conn:
        if not users.create(conn, username=args.username, password_hash=hash_password(password), role=args.role,
                            email=args.email, first_name=args.firstname, last_name=args.lastname, now=now):
            raise TradewindError(f"user {args.username!r} exists already: pick another username "
                                 f"or `airflow users delete -u {args.username}` first")
        action_log.append(conn, "cli_users_create", owner=args.username, now=now)
    print(f"User \"{args.username}\" created with role \"{args.role}\"")
    return 0


def list_(args: argparse.Namespace) -> int:
    """List the users and their roles."""
    from tradewind.cli.output import print_rows
    from tradewind.store import users

    with _db().read() as conn:
        rows = users.list_users(conn)
    rows = [{"id": r["id"], "username": r["username"], "email": r["email"], "first_name": r["first_name"],
             "last_name": r["last_name"], "roles": r["role"]} for r in rows]
    print_rows(rows, args.output, ["id", "username", "email", "first_name", "last_name", "roles"])
    return 0


def delete(args: argparse.Namespace) -> int:
    """Delete a user by username."""
    from tradewind.clock import Clock
    from tradewind.store import action_log, users

    now = Clock().now()
    with _db().write() as conn:
        if not users.delete(conn, args.username):
            raise TradewindError(f"user {args.username!r} does not exist: see `airflow users list`")
        action_log.append(conn, "cli_users_delete", owner=args.username, now=now)
    print(f"User \"{args.username}\" deleted")
    return 0
