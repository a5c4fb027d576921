"""Passwords that are easy to guess are refused wherever a password is set (the set-password
form, so every link that sets one), with zxcvbn's advice in the message."""

import pytest
from sqlalchemy import select

from app.models import User
from tests.pages import error_summary
from tests.staff.test_views import create, set_password

EMAIL = "officer@herefordshire.gov.uk"
HARDER = "Choose a password that is harder to guess: "


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",  # accepted before: 12 characters, one letter
        "password1234",
        "Password123!",
        "qwertyuiop123",
        "123456789012",
        "iloveyou2026",
        "Your voice in Herefordshire SEND",  # the service's name
        "yourvoiceinherefordshiresend",
        "herefordshire2026",
        EMAIL,  # the account's own email address
        "officer@herefordshire",
    ],
)
def test_guessable_passwords_are_refused_with_advice(runner, client, db, password):
    token = create(runner, EMAIL)

    response = set_password(client, token, password)

    assert response.status_code == 200
    [message] = error_summary(response)
    assert message.startswith(HARDER)
    assert len(message) > len(HARDER) + 10, "the message says what to do"
    assert db.scalar(select(User.password_hash)) is None


@pytest.mark.parametrize(
    ("password", "advice"),
    [
        ("aaaaaaaaaaaa", 'repeats like "aaa" are easy to guess.'),
        ("password1234", "this is a very common password."),
        (EMAIL, "harder to guess: do not use your email address or the name of this service."),
        ("Your voice in Herefordshire SEND", "do not use your email address or the name"),
    ],
)
def test_the_message_says_why(runner, client, password, advice):
    response = set_password(client, create(runner, EMAIL), password)
    assert advice in error_summary(response)[0]


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "purple otter kettle lamp", "tJ8#qv93!mLp-x"],
)
def test_passwords_that_are_hard_to_guess_are_accepted(runner, client, db, password):
    response = set_password(client, create(runner, EMAIL), password)

    assert response.status_code == 302
    assert db.scalar(select(User.password_hash)).startswith("$argon2id$")


def test_a_password_past_200_characters_is_refused_as_too_long(runner, client):
    token = create(runner, EMAIL)
    assert error_summary(set_password(client, token, "ab" * 101)) == [
        "Password must be 200 characters or fewer"
    ]
