"""Failed sign-ins are limited per account as well as per address: guesses spread over
many addresses are stopped, the owner is slowed at most, never locked out, and the
limit says nothing about which accounts exist. The clock is moved by hand."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import AuditEvent, SignInFailures
from app.staff.throttle import FREE_FAILURES, LONGEST_DELAY, claim_try, forget_old_failures
from tests.factories import PASSWORD, make_user, sign_in
from tests.pages import csrf_token, error_summary

ADDRESSES = [f"203.0.113.{n}" for n in range(1, 6)]
TOO_MANY = "There have been too many tries. Wait 1 minute, then try again."


def try_password(client, email, password, address="192.0.2.1"):
    return client.post(
        "/staff/sign-in",
        data={
            "csrf_token": csrf_token(client, "/staff/sign-in"),
            "email": email,
            "password": password,
        },
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.mark.postgres
def test_guesses_from_five_addresses_are_stopped_after_five(app, client, db, backend, clock):
    officer = make_user(db, "officer")
    # 5 addresses x 10 guesses: within the limit per address (10 in 15 minutes).
    statuses = [
        try_password(client, officer.email, f"guess number {n}", address).status_code
        for address in ADDRESSES
        for n in range(10)
    ]
    assert statuses == [200] * FREE_FAILURES + [429] * (50 - FREE_FAILURES)

    # While the account waits, even the right password from a new address is refused.
    refused = try_password(client, officer.email, PASSWORD, "198.51.100.7")
    assert refused.status_code == 429
    assert error_summary(refused) == [TOO_MANY]
    assert client.get("/staff").status_code == 302


def test_the_owner_signs_in_after_the_wait(app, client, db, clock):
    officer = make_user(db, "officer")
    for address in ADDRESSES:
        for n in range(10):
            try_password(client, officer.email, f"guess number {n}", address)

    clock.advance(seconds=30)
    owner = app.test_client()
    assert sign_in(owner, db, officer).headers["Location"] == "/staff"
    assert owner.get("/staff").status_code == 200
    # Signing in cleared the count: the next mistake is one of five again.
    assert db.scalar(select(SignInFailures)) is None


@pytest.mark.postgres
def test_each_wait_doubles_up_to_fifteen_minutes_and_refused_tries_do_not_add(app, backend, clock):
    engine = app.extensions["db_engine"]
    with app.test_request_context():
        for _ in range(FREE_FAILURES):
            assert claim_try(engine, "k") is None
        waits = []
        for _ in range(8):
            wait = claim_try(engine, "k")
            waits.append(wait)
            for _ in range(20):  # tries while waiting change nothing
                assert claim_try(engine, "k") == wait
            clock.advance(seconds=wait.total_seconds())
            assert claim_try(engine, "k") is None
    assert [wait.total_seconds() for wait in waits] == [30, 60, 120, 240, 480, 900, 900, 900]
    assert max(waits) == LONGEST_DELAY


def test_unknown_addresses_get_the_same_answers_as_real_accounts(app, db, clock):
    officer = make_user(db, "officer")

    def answers(email, address):
        client = app.test_client()
        responses = [try_password(client, email, "wrong password!", address) for _ in range(7)]
        return [(response.status_code, error_summary(response)) for response in responses]

    known = answers(officer.email, ADDRESSES[0])
    unknown = answers("nobody@herefordshire.gov.uk", ADDRESSES[1])
    assert known == unknown
    assert unknown[-1] == (429, [TOO_MANY])


def test_the_email_typed_in_another_case_counts_as_the_same_account(app, client, db, clock):
    officer = make_user(db, "officer")
    for n in range(FREE_FAILURES):
        try_password(client, officer.email.upper() if n % 2 else officer.email, f"guess {n}")
    assert try_password(client, f"  {officer.email.title()} ", "guess").status_code == 429


def test_a_browser_the_owner_signed_in_from_is_not_held_up_by_an_attacker(app, db, clock):
    officer = make_user(db, "officer")
    owner = app.test_client()
    sign_in(owner, db, officer)
    owner.post("/staff/sign-out", data={"csrf_token": csrf_token(owner, "/staff")})

    attacker = app.test_client()
    for n in range(30):
        try_password(attacker, officer.email, f"guess {n}", ADDRESSES[n % 5])
    assert try_password(attacker, officer.email, PASSWORD).status_code == 429

    # The owner's own browser has its own count (a signed device cookie).
    assert sign_in(owner, db, officer).headers["Location"] == "/staff"


def test_a_forged_or_borrowed_device_cookie_gives_no_count_of_its_own(app, db, clock):
    officer = make_user(db, "officer")
    forum = make_user(db, "forum", "forum@herefordshire.gov.uk")
    attacker = app.test_client()
    # A real device cookie, but for another account: the forum member's.
    sign_in(attacker, db, forum)
    assert attacker.get_cookie("staff_device", path="/staff") is not None
    for n in range(FREE_FAILURES):
        try_password(attacker, officer.email, f"guess {n}")
    assert try_password(attacker, officer.email, "guess").status_code == 429

    forger = app.test_client()
    forger.set_cookie(
        "staff_device", "eyJhY2NvdW50IjoieCIsImRldmljZSI6InkifQ.forged", path="/staff"
    )
    assert try_password(forger, officer.email, "guess").status_code == 429


def test_staff_already_signed_in_can_sign_in_again_at_once(app, db, clock):
    """Loading the signed-in user must not hold SQLite's write lock while the limits count."""
    forum = make_user(db, "forum")
    client = app.test_client()
    sign_in(client, db, forum)
    assert sign_in(client, db, forum).headers["Location"] == "/staff"


@pytest.mark.postgres
def test_tries_at_the_same_moment_cannot_share_a_turn(app, db, backend, clock):
    """Twenty tries at once when the account has one free try left: one goes ahead."""
    engine = app.extensions["db_engine"]
    with app.test_request_context():
        for _ in range(FREE_FAILURES - 1):
            claim_try(engine, "racing")
    start = threading.Barrier(20)
    results = []

    def race():
        with app.test_request_context():
            start.wait()
            results.append(claim_try(engine, "racing"))

    threads = [threading.Thread(target=race) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(None) == 1


def test_counts_are_forgotten_a_day_after_their_wait(app, clock):
    engine = app.extensions["db_engine"]
    with app.test_request_context():
        claim_try(engine, "old")
        assert forget_old_failures(engine, clock.now + timedelta(hours=23)) == 0
        assert forget_old_failures(engine, clock.now + timedelta(hours=25)) == 1


def audit_trail(db):
    db.expire_all()
    events = db.scalars(select(AuditEvent).order_by(AuditEvent.id))
    return [(e.action, e.subject, e.user_id, e.detail) for e in events]


def test_failed_and_refused_passwords_are_in_the_audit_log_without_what_was_typed(
    app, client, db, clock
):
    officer = make_user(db, "officer")
    for n in range(FREE_FAILURES + 1):
        try_password(client, officer.email, f"guess number {n}")
    typed_as_email = "correct horse battery staple"
    try_password(client, typed_as_email, "anything at all")

    failed = ("staff.sign_in_failed", f"user:{officer.id}", None, {"step": "password"})
    refused = ("staff.sign_in_refused", f"user:{officer.id}", None, {"step": "password"})
    nobody = ("staff.sign_in_failed", "no-account", None, {"step": "password"})
    assert audit_trail(db) == [failed] * FREE_FAILURES + [refused, nobody]
    stored = " ".join(str(event) for event in audit_trail(db))
    assert "guess number" not in stored and "horse" not in stored
