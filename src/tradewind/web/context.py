"""What every page handler needs: settings, database, clock, session signer and the template renderer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tradewind.clock import Clock
from tradewind.config.settings import Settings
from tradewind.security.sessions import SessionSigner


@dataclass
class WebContext:
    """The web app's dependencies, built once by create_app and stored on app.state.ctx."""

    settings: Settings
    db: Any                   # tradewind.store.database.Database
    clock: Clock
    signer: SessionSigner
    renderer: Any             # tradewind.web.rendering.Renderer


def ctx_of(request: Any) -> WebContext:
    """The WebContext of the app serving this request."""
    return request.app.state.ctx
