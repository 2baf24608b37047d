"""Password hashing with argon2id, and the rule that refuses passwords easy to guess."""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from itertools import pairwise

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from seriktes.accounts.common_passwords import COMMON_BASES, COMMON_PASSWORDS
from seriktes.kit.errors import Message, ValidationFailed
from seriktes.kit.i18n import N_

MIN_PASSWORD = 10
# rows of the keyboards people type on (Latin, Russian and Kazakh ЙЦУКЕН), and the digits
KEYBOARD_ROWS = (
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "йцукенгшщзхъ",
    "фывапролджэ",
    "ячсмитьбю",
    "әіңғүұқөһ",
)
_TAIL = re.compile(r"[\d\W_]*$")


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches the hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def verify_nothing(password: str) -> None:
    """Verify `password` against a hash nobody knows the password of: a login with an
    unknown or inactive account takes as long as one with a wrong password, so the answer's
    timing does not tell whether an account exists."""
    verify_password(_dummy_hash(), password)


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)


def check_password_rule(password: str, email: str) -> None:
    """Refuse a password that is short or easy to guess, saying why (ValidationFailed)."""
    reason = weakness(password, email)
    if reason is not None:
        raise ValidationFailed(
            N_(
                "the password is refused: %(reason)s; choose at least %(MIN_PASSWORD)s characters "
                "that are not a common password, one repeated character, a sequence or the e-mail"
            ),
            params={"reason": reason, "MIN_PASSWORD": MIN_PASSWORD},
        )


def weakness(password: str, email: str) -> Message | None:
    """Why `password` is easy to guess for the account `email` (in English, translatable), or
    None when it is not."""
    folded = password.casefold()
    email = email.strip().casefold()
    if len(password) < MIN_PASSWORD:
        return Message(N_("it has fewer than %(min)s characters"), {"min": MIN_PASSWORD})
    if folded in (email, email.partition("@")[0]):
        return Message(N_("it is the e-mail address"))
    if _repeats(folded):
        return Message(N_("it repeats one character or a short group of them"))
    if _is_sequence(folded):
        return Message(N_("it is a sequence of characters"))
    if folded in COMMON_PASSWORDS or _TAIL.sub("", folded) in COMMON_BASES:
        return Message(N_("it is a common password"))
    return None


def _repeats(text: str) -> bool:
    """One character or a group of up to three repeated (aaaaaaaaaa, 121212…, abcabc…)."""
    return any(text == (text[:size] * len(text))[: len(text)] for size in (1, 2, 3))


def _is_sequence(text: str) -> bool:
    """Characters in steps of one (abcdefghij, 9876543210) or along a keyboard row, either
    way, wrapping around (1234567890, qwertyuiop, йцукенгшщз)."""
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    if steps in ({1}, {-1}):
        return True
    for row in KEYBOARD_ROWS:
        ring = row * (len(text) // len(row) + 2)
        if text in ring or text[::-1] in ring:
            return True
    return False
