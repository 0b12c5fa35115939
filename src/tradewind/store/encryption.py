"""Fernet encryption of secrets at rest ([core] fernet_key; several comma-separated keys rotate)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tradewind.errors import ConfigError


class SecretDecryptionError(ConfigError):
    """A stored secret cannot be decrypted with [core] fernet_key: restore the key it was written with."""


@lru_cache(maxsize=8)
def _fernet(fernet_key: str) -> Any:
    from cryptography.fernet import Fernet, MultiFernet

    try:
        keys = [Fernet(k.strip().encode()) for k in fernet_key.split(",") if k.strip()]
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"[core] fernet_key is not a valid Fernet key ({exc}): generate one with "
                          "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`",
                          section="core", key="fernet_key") from None
    return MultiFernet(keys)


def encrypt(value: str, fernet_key: str) -> str:
    """The Fernet token of `value` under the first key."""
    return _fernet(fernet_key).encrypt(value.encode()).decode()


def decrypt(token: str, fernet_key: str, *, what: str = "secret") -> str:
    """The plain text of a Fernet token; any of the rotated keys may have written it."""
    from cryptography.fernet import InvalidToken

    if not fernet_key:
        raise SecretDecryptionError(f"{what} is encrypted but [core] fernet_key is empty: set the key it was written with",
                                    section="core", key="fernet_key")
    try:
        return _fernet(fernet_key).decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretDecryptionError(f"{what} cannot be decrypted with [core] fernet_key: set the key it was written with",
                                    section="core", key="fernet_key") from None
