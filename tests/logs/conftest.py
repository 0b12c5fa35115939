"""The runner's fixtures, shared with the log tests."""

from tests.runner.conftest import env  # noqa: F401
