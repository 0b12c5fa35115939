"""Login sessions and permission checks around every page handler, with CSRF checks on form posts."""

from __future__ import annotations

import functools
from typing import Any, Callable
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from tradewind.security.roles import can
from tradewind.store import users
from tradewind.web.context import ctx_of

SESSION_COOKIE = "tradewind_session"
Handler = Callable[[Request], Response]


def current_user(request: Request) -> dict[str, Any] | None:
    """The logged-in user (username, role, names) of this request, or None."""
    ctx = ctx_of(request)
    session = ctx.signer.loads(request.cookies.get(SESSION_COOKIE))
    if not session or "user" not in session:
        return None
    with ctx.db.read() as conn:
        row = users.get(conn, session["user"])
    if row is None or not row["active"]:
        return None
    request.scope["tw_csrf"] = ctx.signer.csrf_token(session.get("sid", ""))
    request.scope["tw_session"] = session
    return {k: row[k] for k in ("username", "role", "first_name", "last_name", "email")}


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "") or request.url.path.endswith(".json")


def _refuse(request: Request, status: int, message: str) -> Response:
    if _wants_json(request) or request.method != "GET":
        return JSONResponse({"detail": message}, status_code=status)
    return ctx_of(request).renderer.render(request, "error.html", status_code=status, title="Access is Denied",
                                           message=message)


def requires(permission: str) -> Callable[[Handler], Callable[[Request], Any]]:
    """Wrap a sync page handler: login required, `permission` checked, CSRF checked on POST."""

    def wrap(handler: Handler) -> Callable[[Request], Any]:
        @functools.wraps(handler)
        async def endpoint(request: Request) -> Response:
            user = await run_in_threadpool(current_user, request)
            if user is None:
                if request.method == "GET" and not _wants_json(request):
                    return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
                return JSONResponse({"detail": "log in first"}, status_code=401)
            request.scope["tw_user"] = user
            if not can(user["role"], permission):
                return _refuse(request, 403, f"Your role {user['role']} may not do this ({permission}).")
            if request.method == "POST":
                form = await request.form()
                request.scope["tw_form"] = form
                token = form.get("csrf_token") or request.headers.get("x-csrf-token")
                if not ctx_of(request).signer.check_csrf(request.scope["tw_session"].get("sid", ""), token):
                    return _refuse(request, 400, "The form has expired or lacks its CSRF token: reload the page.")
            return await run_in_threadpool(handler, request)

        return endpoint

    return wrap


def form_of(request: Request) -> Any:
    """The parsed form of a POST (read once by `requires`)."""
    return request.scope.get("tw_form") or {}


def user_of(request: Request) -> dict[str, Any]:
    """The logged-in user of a handled request."""
    return request.scope["tw_user"]
