"""Password hashes, signed session cookies, CSRF tokens and the role table."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tradewind.clock import ManualClock
from tradewind.security.passwords import hash_password, verify_password
from tradewind.security.roles import PERMISSIONS, ROLES, can
from tradewind.security.sessions import SessionSigner


def test_password_hashes_are_salted_and_verify():
    first, second = hash_password("s3cret"), hash_password("s3cret")
    assert first != second and "s3cret" not in first
    assert verify_password("s3cret", first) and verify_password("s3cret", second)
    assert not verify_password("wrong", first)
    assert not verify_password("s3cret", "garbage")


def test_session_cookies_round_trip_and_refuse_tampering():
    signer = SessionSigner("key-one")
    cookie = signer.dumps({"user": "ada", "sid": "x"})
    assert signer.loads(cookie) == {"user": "ada", "sid": "x"}
    body, _, sig = cookie.rpartition(".")
    assert signer.loads(body[:-2] + "AA." + sig) is None
    assert SessionSigner("key-two").loads(cookie) is None
    assert signer.loads(None) is None and signer.loads("nonsense") is None


def test_sessions_expire():
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=timezone.utc))
    signer = SessionSigner("k", clock=clock, max_age_s=3600)
    cookie = signer.dumps({"user": "ada"})
    clock.advance(timedelta(minutes=59))
    assert signer.loads(cookie) == {"user": "ada"}
    clock.advance(timedelta(minutes=2))
    assert signer.loads(cookie) is None


def test_csrf_tokens_are_bound_to_the_session():
    signer = SessionSigner("k")
    token = signer.csrf_token("session-a")
    assert signer.check_csrf("session-a", token)
    assert not signer.check_csrf("session-b", token)
    assert not signer.check_csrf("session-a", None)


@pytest.mark.parametrize("role, allowed", [
    ("Viewer", {"read", "read_action_log"}),
    ("User", {"read", "read_action_log", "trigger", "pause", "clear", "mark", "delete_run"}),
])
def test_each_role_has_exactly_its_rights(role, allowed):
    assert {p for p in PERMISSIONS if can(role, p)} == allowed


def test_admin_may_do_everything_and_higher_roles_include_lower_ones():
    assert all(can("Admin", p) for p in PERMISSIONS)
    for lower, higher in zip(ROLES, ROLES[1:]):
        assert {p for p in PERMISSIONS if can(lower, p)} < {p for p in PERMISSIONS if can(higher, p)}
    assert not can(None, "read") and not can("Public", "read")
