"""`BaseNotifier`: a callback object that sends a notification; subclasses implement `notify`."""

from __future__ import annotations

from typing import Any


class BaseNotifier:
    """Usable wherever a callback is: calling it with the context calls `notify(context)`."""

    template_fields: tuple[str, ...] = ()

    def notify(self, context: Any) -> None:
        """Send the notification."""
        raise NotImplementedError

    def __call__(self, *args: Any) -> None:
        # Task callbacks pass the context; DAG callbacks too. Older call shapes pass more arguments.
        self.notify(args[0] if args else {})
