"""The password rule: long enough and not easy to guess, for every user and password change."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.accounts.passwords import weakness
from seriktes.accounts.service import change_password, create_user
from seriktes.demo.users import DEMO_PASSWORD
from seriktes.kit.errors import ValidationFailed
from tests.webkit import PASSWORD, make_user

EMAIL = "aigerim.sapar@example.kz"


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaa", "repeats"),
        ("ZZZZZZZZZZZZ", "repeats"),
        ("1212121212", "repeats"),
        ("abcabcabcabc", "repeats"),
        ("1234567890", "sequence"),
        ("0987654321", "sequence"),
        ("abcdefghijk", "sequence"),
        ("qwertyuiop", "sequence"),
        ("йцукенгшщз", "sequence"),
        ("7890123456", "sequence"),
        ("password123!", "common"),
        ("Qwerty2026!!", "common"),
        ("1q2w3e4r5t", "common"),
        ("пароль2024", "common"),
        ("aigerim.sapar", "e-mail"),
        ("AIGERIM.SAPAR@EXAMPLE.KZ", "e-mail"),
        ("short1!", "fewer than 10"),
    ],
)
def test_passwords_easy_to_guess_are_refused_with_the_reason(password: str, why: str) -> None:
    reason = weakness(password, EMAIL)
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    "password", [DEMO_PASSWORD, PASSWORD, "Тау-Кен 2026 Өскемен", "k7#Vq9!mZp2x"]
)
def test_passwords_hard_to_guess_pass(password: str) -> None:
    assert weakness(password, EMAIL) is None


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "1234567890"])
def test_an_administrator_cannot_get_a_trivial_password(db_session: Session, password: str) -> None:
    with pytest.raises(ValidationFailed, match="the password is refused"):
        create_user(db_session, "root@example.kz", password, "Root", Role.ADMIN)


def test_a_password_change_follows_the_rule(db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    with pytest.raises(ValidationFailed, match="e-mail"):
        change_password(db_session, user, user.email)
    change_password(db_session, user, "a new pass phrase 2027")
