"""Masking of secrets in task logs: a value registered here is written as `***` wherever it appears.

Values are registered when a task reads them: variables whose key names a secret (password,
secret, token, key, api_key... plus `[core] sensitive_var_conn_names`) and connection passwords.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from typing import Any

MASK = "***"

# Short values (a one-letter password, "true") would mask ordinary words all over the log.
MIN_SECRET_LENGTH = 4

DEFAULT_SENSITIVE_WORDS = frozenset(
    {"access_token", "api_key", "apikey", "authorization", "passphrase", "passwd", "password",
     "private_key", "secret", "token", "key"}
)


class SecretsMasker:
    """A set of secret strings and the redaction of text that may contain them."""

    def __init__(self, sensitive_words: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()
        self.sensitive_words = frozenset(DEFAULT_SENSITIVE_WORDS | {w.strip().lower() for w in sensitive_words if w.strip()})

    def is_sensitive_name(self, name: str | None) -> bool:
        """Whether a variable key or field name marks its value as secret."""
        if not name:
            return False
        lowered = name.lower()
        return any(word in lowered for word in self.sensitive_words)

    def add_sensitive_words(self, words: Iterable[str]) -> None:
        """Also treat names containing these words as secret (from `[core] sensitive_var_conn_names`)."""
        self.sensitive_words = self.sensitive_words | {w.strip().lower() for w in words if w.strip()}

    def add(self, value: Any) -> None:
        """Register a secret; dicts, lists and JSON text are walked so that each string inside is masked."""
        strings = list(_strings_in(value))
        with self._lock:
            before = len(self._secrets)
            self._secrets.update(s for s in strings if len(s) >= MIN_SECRET_LENGTH)
            if len(self._secrets) != before:
                # Longest first, so that a secret containing another is masked whole.
                ordered = sorted(self._secrets, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(s) for s in ordered))

    def redact(self, text: str) -> str:
        """`text` with every registered secret replaced by `***`."""
        pattern = self._pattern
        if pattern is None or not text:
            return text
        return pattern.sub(MASK, text)

    def clear(self) -> None:
        """Forget every registered secret."""
        with self._lock:
            self._secrets.clear()
            self._pattern = None


def _strings_in(value: Any) -> Iterable[str]:
    if value is None:
        return
    if isinstance(value, str):
        yield value
        parsed = _json_or_none(value)
        if isinstance(parsed, (dict, list)):
            yield from _strings_in(parsed)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings_in(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)


def _json_or_none(text: str) -> Any:
    if text[:1] not in ("{", "["):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


masker = SecretsMasker()
"""The process's masker: task logs are redacted with it, and readers of secrets register here."""


def mask_secret(value: Any, name: str | None = None) -> None:
    """Register `value` as a secret to mask in logs (Airflow's `mask_secret`); `name` is informational."""
    masker.add(value)


def redact(text: str) -> str:
    """`text` with the process's registered secrets masked."""
    return masker.redact(text)
