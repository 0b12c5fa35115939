"""The Jinja environment of the UI and the function that turns a template into a response."""

from __future__ import annotations

from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tradewind.rules.states import TaskInstanceState
from tradewind.security.roles import can
from tradewind.version import __version__
from tradewind.web import formatting
from tradewind.web.states import STATE_COLORS

NAV_MENUS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("Browse", (("DAG Runs", "/dagrun/list/", "read"), ("Task Instances", "/taskinstance/list/", "read"),
                ("XComs", "/xcom/list/", "read"), ("Import Errors", "/importerror/list/", "read"),
                ("Audit Logs", "/log/list/", "read_action_log"))),
    ("Admin", (("Variables", "/variable/list/", "edit_variables"), ("Connections", "/connection/list/", "read_connections"),
               ("Pools", "/pool/list/", "edit_pools"))),
    ("Security", (("List Users", "/users/list/", "manage_users"),)),
)


class Renderer:
    """Loads the package templates once and renders them with the page's user and CSRF token."""

    def __init__(self) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("tradewind.web", "templates"),
            autoescape=jinja2.select_autoescape(["html", "svg"]),
            trim_blocks=True, lstrip_blocks=True,
        )
        self.env.filters.update(dt=formatting.time_tag, duration=formatting.duration_text,
                                pretty_json=formatting.pretty_json, run_duration=formatting.run_duration_s)
        self.env.globals.update(version=__version__, state_colors=STATE_COLORS, can=can, nav_menus=NAV_MENUS,
                                ti_states=[s.value for s in TaskInstanceState])

    def render(self, request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """The named template as an HTML response, with `user`, `csrf_token` and `request` available."""
        user = request.scope.get("tw_user")
        csrf = request.scope.get("tw_csrf", "")
        html = self.env.get_template(name).render(request=request, user=user, csrf_token=csrf, **context)
        return HTMLResponse(html, status_code=status_code)

    def render_text(self, name: str, **context: Any) -> str:
        """A template as text (SVG fragments)."""
        return self.env.get_template(name).render(**context)
