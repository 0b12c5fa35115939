"""The login and logout pages and /health, the only addresses open without a session."""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tradewind.security.passwords import verify_password
from tradewind.store import schema
from tradewind.store import users
from tradewind.store.views import actions
from tradewind.web.auth import SESSION_COOKIE
from tradewind.web.context import ctx_of

_HEARTBEAT_THRESHOLD_KEY = ("scheduler", "scheduler_health_check_threshold")


def _safe_next(target: str | None) -> str:
    # Only paths on this site, so the login form cannot bounce a user to another host.
    return target if target and target.startswith("/") and not target.startswith("//") else "/home"


async def login_page(request: Request) -> Response:
    """GET shows the form; POST checks the password and sets the session cookie."""
    ctx = ctx_of(request)
    next_url = _safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return ctx.renderer.render(request, "login.html", next_url=next_url, error=None)
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    next_url = _safe_next(str(form.get("next", "")))
    user = await run_in_threadpool(_check_login, ctx, username, password)
    if user is None:
        return ctx.renderer.render(request, "login.html", status_code=401, next_url=next_url,
                                   error="Invalid login. Please try again.")
    response = RedirectResponse(next_url, status_code=303)
    cookie = ctx.signer.dumps({"user": user["username"], "sid": secrets.token_urlsafe(16)})
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="lax", path="/")
    return response


def _check_login(ctx: Any, username: str, password: str) -> dict[str, Any] | None:
    with ctx.db.read() as conn:
        user = users.get(conn, username)
    if user is None or not user["active"] or not verify_password(password, user["password_hash"]):
        return None
    now = ctx.clock.now()
    with ctx.db.write() as conn:
        users.record_login(conn, username, now=now)
        actions.append_log(conn, at=now, event="login", owner=username)
    return user


async def logout(request: Request) -> Response:
    """Forget the session cookie and go back to the login page."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _health(ctx: Any) -> dict[str, Any]:
    try:
        with ctx.db.read() as conn:
            job = schema.job.c
            beat = conn.execute(sa.select(sa.func.max(job.latest_heartbeat))
                                .where(job.job_type.in_(("SchedulerJob", "scheduler")))).scalar()
        db_status = "healthy"
    except Exception:  # noqa: BLE001 - any database failure means the database is unhealthy
        return {"metadatabase": {"status": "unhealthy"}, "scheduler": {"status": None, "latest_scheduler_heartbeat": None}}
    threshold = ctx.settings.get(*_HEARTBEAT_THRESHOLD_KEY)
    alive = beat is not None and (ctx.clock.now() - beat).total_seconds() <= threshold
    return {"metadatabase": {"status": db_status},
            "scheduler": {"status": "healthy" if alive else "unhealthy",
                          "latest_scheduler_heartbeat": beat.isoformat() if beat else None}}


async def health(request: Request) -> Response:
    """Airflow's /health document: metadatabase and scheduler status; open without login."""
    return JSONResponse(await run_in_threadpool(_health, ctx_of(request)))


ROUTES = [
    Route("/login", login_page, methods=["GET", "POST"]),
    Route("/login/", login_page, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["GET", "POST"]),
    Route("/health", health),
    Route("/api/v2/monitor/health", health),
]
