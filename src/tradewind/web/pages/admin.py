"""The Admin and Security pages: Variables, Connections, Pools and Users, each a list with add/edit and delete."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tradewind.errors import TradewindError
from tradewind.security.passwords import hash_password
from tradewind.security.roles import ROLES, check_role_name
from tradewind.store import connections, pools, users, variables
from tradewind.store.views import actions
from tradewind.web.auth import form_of, requires, user_of
from tradewind.web.context import ctx_of


@dataclass(frozen=True)
class AdminKind:
    """One admin list: its address, title, columns, form fields, and how to list, save and delete rows."""

    slug: str
    title: str
    key: str
    columns: list[tuple[str, str, str]]
    fields: list[tuple[str, str, str]]          # (name, label, input type: text | password | number | textarea | select:a,b | checkbox)
    list_rows: Callable[[Any, Any], list[dict[str, Any]]]
    save: Callable[[Any, Any, dict[str, str]], None]
    delete: Callable[[Any, str], bool]


def _fernet(ctx: Any) -> str:
    return ctx.settings.get("core", "fernet_key")


def _extra_words(ctx: Any) -> list[str]:
    return [w for w in ctx.settings.get("core", "sensitive_var_conn_names").split(",") if w.strip()]


def _list_variables(conn: Any, ctx: Any) -> list[dict[str, Any]]:
    rows = variables.list_variables(conn, fernet_key=_fernet(ctx))
    hide = ctx.settings.get("core", "hide_sensitive_var_conn_fields")
    for row in rows:
        if hide and connections.is_sensitive(row["key"], _extra_words(ctx)):
            row["val"] = connections.MASK
    return rows


def _save_variable(conn: Any, ctx: Any, form: dict[str, str]) -> None:
    variables.set_variable(conn, form["key"], form.get("val", ""), description=form.get("description") or None,
                           fernet_key=_fernet(ctx))


def _save_connection(conn: Any, ctx: Any, form: dict[str, str]) -> None:
    fields = {k: (form.get(k) or None) for k in connections.FIELDS}
    if fields["password"] is None:
        # An empty password box keeps the stored password: the page never shows it to be retyped.
        existing = connections.get(conn, form["conn_id"], fernet_key=_fernet(ctx))
        fields["password"] = existing["password"] if existing else None
    if fields["extra"]:
        json.loads(fields["extra"])
    connections.set_connection(conn, fields, fernet_key=_fernet(ctx))


def _save_pool(conn: Any, ctx: Any, form: dict[str, str]) -> None:
    pools.set_pool(conn, form["pool"], int(form.get("slots") or 0), form.get("description") or "",
                   include_deferred=bool(form.get("include_deferred")))


def _save_user(conn: Any, ctx: Any, form: dict[str, str]) -> None:
    role = check_role_name(form.get("role") or "Viewer")
    existing = users.get(conn, form["username"])
    if existing:
        changes: dict[str, Any] = {"role": role, "email": form.get("email") or existing["email"],
                                   "first_name": form.get("first_name") or existing["first_name"],
                                   "last_name": form.get("last_name") or existing["last_name"]}
        if form.get("password"):
            changes["password_hash"] = hash_password(form["password"])
        users.update(conn, form["username"], **changes)
        return
    if not form.get("password"):
        raise ValueError(f"user {form['username']!r} needs a password")
    users.create(conn, username=form["username"], password_hash=hash_password(form["password"]), role=role,
                 email=form.get("email") or None, first_name=form.get("first_name") or None,
                 last_name=form.get("last_name") or None, now=ctx.clock.now())


KINDS: dict[str, tuple[str, AdminKind]] = {
    "variable": ("edit_variables", AdminKind(
        "variable", "Variables", "key", [("key", "Key", "text"), ("val", "Val", "pre"), ("description", "Description", "text"),
                                         ("is_encrypted", "Is Encrypted", "bool")],
        [("key", "Key", "text"), ("val", "Val", "textarea"), ("description", "Description", "text")],
        _list_variables, _save_variable, variables.delete)),
    "connection": ("edit_connections", AdminKind(
        "connection", "Connections", "conn_id",
        [("conn_id", "Conn Id", "text"), ("conn_type", "Conn Type", "text"), ("description", "Description", "text"),
         ("host", "Host", "text"), ("port", "Port", "text"), ("login", "Login", "text"), ("password", "Password", "secret"),
         ("is_encrypted", "Is Encrypted", "bool")],
        [("conn_id", "Connection Id", "text"), ("conn_type", "Connection Type", "text"), ("description", "Description", "text"),
         ("host", "Host", "text"), ("schema", "Schema", "text"), ("login", "Login", "text"),
         ("password", "Password", "password"), ("port", "Port", "number"), ("extra", "Extra (JSON)", "textarea")],
        lambda conn, ctx: connections.list_connections(conn, fernet_key=_fernet(ctx), extra_words=_extra_words(ctx)),
        _save_connection, connections.delete)),
    "pool": ("edit_pools", AdminKind(
        "pool", "Pools", "pool",
        [("pool", "Pool", "text"), ("slots", "Slots", "text"), ("running_slots", "Running Slots", "text"),
         ("queued_slots", "Queued Slots", "text"), ("occupied_slots", "Occupied Slots", "text"),
         ("open_slots", "Open Slots", "text"), ("description", "Description", "text"), ("include_deferred", "Include Deferred", "bool")],
        [("pool", "Pool", "text"), ("slots", "Slots", "number"), ("description", "Description", "text"),
         ("include_deferred", "Include deferred", "checkbox")],
        lambda conn, ctx: pools.list_pools(conn), _save_pool, pools.delete)),
    "users": ("manage_users", AdminKind(
        "users", "List Users", "username",
        [("username", "User Name", "text"), ("first_name", "First Name", "text"), ("last_name", "Last Name", "text"),
         ("email", "Email", "text"), ("role", "Role", "text"), ("active", "Is Active?", "bool"),
         ("last_login_at", "Last Login", "dt")],
        [("username", "User Name", "text"), ("password", "Password", "password"), ("role", "Role", "select:" + ",".join(ROLES)),
         ("email", "Email", "text"), ("first_name", "First Name", "text"), ("last_name", "Last Name", "text")],
        lambda conn, ctx: users.list_users(conn), _save_user, users.delete)),
}


def _list(request: Request, kind: AdminKind) -> Response:
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        rows = kind.list_rows(conn, ctx)
    return ctx.renderer.render(request, "admin_list.html", title=kind.title, kind=kind, rows=rows, total=len(rows),
                               columns=kind.columns, filters={}, page=1, pages=1, page_size=len(rows), error=None)


def _save(request: Request, kind: AdminKind) -> Response:
    ctx = ctx_of(request)
    form = {k: str(v) for k, v in form_of(request).items() if k != "csrf_token"}
    if not form.get(kind.key):
        return _redirect(kind, f"{kind.key} is required")
    try:
        with ctx.db.write() as conn:
            kind.save(conn, ctx, form)
            actions.append_log(conn, at=ctx.clock.now(), event=f"{kind.slug}.edit", owner=user_of(request)["username"],
                               extra=json.dumps({kind.key: form[kind.key]}))
    except (ValueError, TradewindError) as exc:
        return _redirect(kind, f"Not saved: {exc}")
    return _redirect(kind, f"Saved {form[kind.key]}")


def _delete(request: Request, kind: AdminKind) -> Response:
    ctx = ctx_of(request)
    key = str(form_of(request).get("key", ""))
    if kind.slug == "users" and key == user_of(request)["username"]:
        return _redirect(kind, "You cannot delete yourself")
    try:
        with ctx.db.write() as conn:
            found = kind.delete(conn, key)
            actions.append_log(conn, at=ctx.clock.now(), event=f"{kind.slug}.delete", owner=user_of(request)["username"],
                               extra=json.dumps({kind.key: key}))
    except (ValueError, TradewindError) as exc:
        return _redirect(kind, f"Not deleted: {exc}")
    return _redirect(kind, f"Deleted {key}" if found else f"{key} was not there")


def _redirect(kind: AdminKind, message: str) -> Response:
    return RedirectResponse(f"/{kind.slug}/list/?flash={quote(message)}", status_code=303)


def _guarded(view: Callable[[Request, AdminKind], Response], slug: str) -> Callable[[Request], Any]:
    """The view for one kind, behind that kind's permission."""
    permission, kind = KINDS[slug]

    def handler(request: Request) -> Response:
        return view(request, kind)

    handler.__name__ = f"{slug}_{view.__name__.strip('_')}"
    return requires(permission)(handler)


def routes() -> list[Route]:
    """The admin routes, one set per kind."""
    out = []
    for slug in KINDS:
        out += [Route(f"/{slug}/list/", _guarded(_list, slug)),
                Route(f"/{slug}/save", _guarded(_save, slug), methods=["POST"]),
                Route(f"/{slug}/delete", _guarded(_delete, slug), methods=["POST"])]
    return out
