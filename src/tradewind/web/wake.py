"""Tell a running scheduler that the UI changed something it should act on now."""

from __future__ import annotations

from typing import Any


def wake_scheduler(request: Any) -> None:
    """Send the scheduler its wake-up datagram (nothing happens when no scheduler listens)."""
    from tradewind.wakeup import notify_scheduler

    notify_scheduler(request.app.state.ctx.settings.home)
