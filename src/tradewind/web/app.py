"""The web UI as one ASGI app: page routes, live JSON endpoints, static files and /health."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from tradewind.clock import Clock
from tradewind.config.settings import Settings
from tradewind.security.secret_key import resolve_secret_key
from tradewind.security.sessions import SessionSigner
from tradewind.web.context import WebContext
from tradewind.web.rendering import Renderer


def create_app(settings: Settings, db: Any, *, clock: Clock | None = None) -> Starlette:
    """The Starlette app serving the UI for this configuration and metadata database."""
    from tradewind.web.pages import (actions, admin, auth_pages, browse, charts_pages, code_details, dags_list,
                                     graph, grid, task_instance)

    clock = clock or Clock()
    secret = resolve_secret_key(settings.get("webserver", "secret_key"), settings.home)
    routes = [
        *auth_pages.ROUTES, *dags_list.ROUTES, *grid.ROUTES, *graph.ROUTES, *charts_pages.ROUTES,
        *code_details.ROUTES, *actions.ROUTES, *task_instance.ROUTES, *actions.RUN_ROUTES, *browse.ROUTES,
        *admin.routes(),
        Mount("/static", app=StaticFiles(packages=[("tradewind.web", "static")]), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.ctx = WebContext(settings=settings, db=db, clock=clock, signer=SessionSigner(secret, clock=clock),
                               renderer=Renderer())
    return app
