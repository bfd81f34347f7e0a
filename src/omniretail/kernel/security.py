"""Security primitives: argon2 password hashes, random tokens stored only as hashes, constant-time checks."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 10


# The test suite hashes a password for nearly every staff member and shopper it makes (hundreds per run); with the
# production cost (argon2-cffi's RFC 9106 low-memory profile: 64 MiB, 3 passes) that alone took minutes on 2 cores.
# ``OMNIRETAIL_TEST_FAST_PASSWORD_HASHES=1`` (set by tests/conftest.py, never by the app) keeps argon2id with the
# smallest cost. Hashes made with it are re-hashed at the next sign-in under the normal cost (``needs_rehash``).
FAST_HASHES_ENV = "OMNIRETAIL_TEST_FAST_PASSWORD_HASHES"


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    if os.environ.get(FAST_HASHES_ENV) == "1":
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash with a random salt."""
    return str(_hasher().hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises on a bad or foreign hash."""
    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return bool(_hasher().check_needs_rehash(password_hash))


_DUMMY_HASH: str | None = None


def burn_password_check(password: str) -> None:
    """Spend the time of one real check, so "no such user" and "wrong password" take as long."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(16))
    verify_password(_DUMMY_HASH, password)


def new_token(prefix: str) -> str:
    """A random bearer secret, 256 bits, with a readable prefix (``ort_...``)."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def token_hash(token: str) -> str:
    """What the database keeps instead of the token: a SHA-256 digest (tokens have full entropy)."""
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
