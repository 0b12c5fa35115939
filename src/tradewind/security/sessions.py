"""Signed session cookies: a JSON payload with an issue time, signed with HMAC-SHA256."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from tradewind.clock import Clock

SESSION_MAX_AGE_S = 12 * 3600


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Turns a session dict into a tamper-proof cookie value and back."""

    def __init__(self, secret_key: str, *, clock: Clock | None = None, max_age_s: float = SESSION_MAX_AGE_S) -> None:
        if not secret_key:
            raise ValueError("[webserver] secret_key is empty: set it in airflow.cfg")
        self._key = hashlib.sha256(("tradewind-session:" + secret_key).encode()).digest()
        self._clock = clock or Clock()
        self._max_age_s = max_age_s

    def _sign(self, body: str) -> str:
        return _encode(hmac.new(self._key, body.encode(), hashlib.sha256).digest())

    def dumps(self, session: dict[str, Any]) -> str:
        """The cookie value for `session`, stamped with the current time."""
        payload = {"s": session, "t": int(self._clock.now().timestamp())}
        body = _encode(json.dumps(payload, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def loads(self, cookie: str | None) -> dict[str, Any] | None:
        """The session in a cookie, or None when it is missing, forged, malformed or expired."""
        if not cookie or "." not in cookie:
            return None
        body, _, signature = cookie.rpartition(".")
        if not hmac.compare_digest(signature, self._sign(body)):
            return None
        try:
            payload = json.loads(_decode(body))
        except ValueError:
            return None
        if self._clock.now().timestamp() - payload.get("t", 0) > self._max_age_s:
            return None
        session = payload.get("s")
        return session if isinstance(session, dict) else None

    def csrf_token(self, session_id: str) -> str:
        """The form token bound to one login session; forms must echo it back."""
        return _encode(hmac.new(self._key, ("csrf:" + session_id).encode(), hashlib.sha256).digest())

    def check_csrf(self, session_id: str, token: str | None) -> bool:
        """True when `token` is this session's form token."""
        return bool(token) and hmac.compare_digest(token, self.csrf_token(session_id))
