"""Two-step sign-in: officers and safeguarding leads set up an authenticator app before
they reach the workspace, then sign in with a code from it; the forum may choose to.
Part signed in opens nothing; codes and recovery codes work once; the secret is stored
encrypted and never shown again."""

import re
import threading

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent, RecoveryCode, TwoFactor, User
from app.staff.accounts import issue_token
from app.staff.two_factor import check_code, new_recovery_codes, unseal
from tests.factories import PASSWORD, TOTP_SECRET, make_user, sign_in, unused_code
from tests.pages import csrf_token, error_summary, parse
from tests.staff.test_views import create, set_password, set_up_two_factor
from tests.staff.test_views import sign_in as sign_in_with_password
from tests.test_access import ACCESS, staff_routes, url_values

SET_UP = "/staff/two-factor/set-up"
CODE = "/staff/two-factor"
SECOND_STEP = {"staff.sign_in", "staff.set_password", "staff.two_factor", "staff.two_factor_set_up"}


def send_code(client, code, url=CODE):
    # The form token is the session's, on any page; the sign-in page always shows it.
    token = csrf_token(client, "/staff/sign-in")
    return client.post(url, data={"csrf_token": token, "code": code})


def code_at(clock, secret=TOTP_SECRET, steps_later=0):
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(clock.now) + steps_later)


@pytest.mark.parametrize("role", ["officer", "safeguarding"])
def test_officer_and_safeguarding_set_up_an_app_before_the_workspace(runner, client, db, role):
    email = f"{role}@herefordshire.gov.uk"
    set_password(client, create(runner, email, role))
    assert sign_in_with_password(client, email).headers["Location"] == SET_UP

    page = parse(client.get(SET_UP))
    assert page.select_one("[data-qr-code] svg") is not None
    secret = "".join(page.select_one("[data-secret]").get_text().split())
    stored = db.scalar(select(TwoFactor))
    assert secret not in stored.secret, "the secret is stored encrypted"
    assert unseal(stored.secret, "test-only-not-secret") == secret

    wrong = send_code(client, pyotp.TOTP(secret).at(0), SET_UP)  # a code from 1970
    assert error_summary(wrong) == ["The code is not right. Enter the code the app shows now"]
    assert client.get("/staff").status_code == 302

    done = send_code(client, pyotp.TOTP(secret).now(), SET_UP)
    codes = [item.get_text(strip=True) for item in parse(done).select("[data-recovery-codes] li")]
    assert len(codes) == len(set(codes)) == 10
    assert done.headers["Cache-Control"] == "no-store"
    db.rollback()  # read afresh
    stored_hashes = db.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored_hashes) == 10
    assert not any(code.replace("-", "") in h.upper() for code in codes for h in stored_hashes)
    assert client.get("/staff").status_code == 200
    assert db.scalar(
        select(AuditEvent.action).where(AuditEvent.action == "staff.two_factor_set_up")
    )


def test_the_secret_is_not_shown_again_once_set_up(runner, client):
    set_password(client, create(runner))
    sign_in_with_password(client)
    set_up_two_factor(client)

    again = parse(client.get(SET_UP))
    assert again.h1.text == "Two-step sign-in is on"
    assert again.select_one("[data-secret]") is None
    assert again.select_one("[data-qr-code]") is None


def test_reloading_the_set_up_page_keeps_the_key_already_scanned(runner, client):
    set_password(client, create(runner))
    sign_in_with_password(client)
    first = parse(client.get(SET_UP)).select_one("[data-secret]").get_text()
    assert parse(client.get(SET_UP)).select_one("[data-secret]").get_text() == first


@pytest.mark.parametrize("has_app", [True, False])
def test_part_signed_in_opens_no_staff_page(app, client, db, has_app):
    values = url_values(db)
    officer = make_user(db, "officer", "part@herefordshire.gov.uk", two_factor=has_app)
    response = client.post(
        "/staff/sign-in",
        data={
            "csrf_token": csrf_token(client, "/staff/sign-in"),
            "email": officer.email,
            "password": PASSWORD,
        },
    )
    assert response.headers["Location"] == (CODE if has_app else SET_UP)
    token = csrf_token(client, "/staff/sign-in")
    opened = []
    for rule in staff_routes(app):
        if rule.endpoint in SECOND_STEP:
            continue
        assert ACCESS[rule.endpoint] is not None
        url = rule.build({name: values[name] for name in rule.arguments})[1]
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method, data={"csrf_token": token})
        if not (response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]):
            opened.append(f"{method} {url}: {response.status_code}")
    assert opened == []


def test_no_code_page_without_the_password_first(client, db):
    make_user(db, "officer")
    token = csrf_token(client, "/staff/sign-in")
    code = unused_code(db, db.scalar(select(User)))
    response = client.post(CODE, data={"csrf_token": token, "code": code})
    assert response.headers["Location"] == "/staff/sign-in"
    assert client.get("/staff").status_code == 302


def test_a_code_works_once(app, db, clock):
    officer = make_user(db, "officer")
    first = app.test_client()
    sign_in_with_password(first, officer.email)
    assert send_code(first, code_at(clock)).headers["Location"] == "/staff"

    second = app.test_client()
    sign_in_with_password(second, officer.email)
    replayed = send_code(second, code_at(clock))
    assert error_summary(replayed) == [
        "The code is not right, or was used already. Enter a new code"
    ]
    # An older code is refused too; the next one, from a phone a little fast, is taken.
    assert send_code(second, code_at(clock, steps_later=-1)).status_code == 200
    assert send_code(second, code_at(clock, steps_later=1)).headers["Location"] == "/staff"


def test_codes_far_from_now_are_refused(app, client, db, clock):
    officer = make_user(db, "officer")
    sign_in_with_password(client, officer.email)
    for steps in (-3, -2, 2, 3):
        assert send_code(client, code_at(clock, steps_later=steps)).status_code == 200
    assert client.get("/staff").status_code == 302


@pytest.mark.postgres
def test_two_requests_racing_with_one_code_cannot_both_sign_in(app, db, backend, clock):
    officer = make_user(db, "officer")
    code = code_at(clock)
    start = threading.Barrier(2)
    results = []

    def race():
        with app.app_context(), Session(app.extensions["db_engine"]) as session:
            start.wait()
            results.append(check_code(session, session.get(User, officer.id), code))
            session.commit()

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (results.count("app"), results.count(None)) == (1, 1)


def test_a_recovery_code_signs_in_once(app, db, clock):
    officer = make_user(db, "officer", two_factor=False)
    client = app.test_client()
    sign_in_with_password(client, officer.email)
    totp = pyotp.TOTP(
        parse(client.get(SET_UP)).select_one("[data-secret]").get_text().replace(" ", "")
    )
    done = send_code(client, totp.at(clock.now), SET_UP)
    codes = [item.get_text(strip=True) for item in parse(done).select("[data-recovery-codes] li")]

    lost_phone = app.test_client()
    sign_in_with_password(lost_phone, officer.email)
    # Typed as people type: lower case, spaces instead of hyphens.
    used = send_code(lost_phone, codes[3].lower().replace("-", " "), f"{CODE}?use=recovery")
    assert used.headers["Location"] == "/staff"
    assert (
        "You have 9 left"
        in parse(lost_phone.get("/staff")).select_one(".govuk-notification-banner").text
    )

    again = app.test_client()
    sign_in_with_password(again, officer.email)
    assert send_code(again, codes[3]).status_code == 200
    assert again.get("/staff").status_code == 302
    assert send_code(again, codes[4]).headers["Location"] == "/staff"


def test_wrong_codes_are_limited_even_for_someone_with_the_password(app, client, db, clock):
    # The count per account, not the one per address (10 in 15 minutes, tested below).
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "two-factor": (100, 900)}
    officer = make_user(db, "officer")
    sign_in_with_password(client, officer.email)
    statuses = [send_code(client, f"{n:06d}").status_code for n in range(100000, 100007)]
    assert statuses == [200] * 5 + [429] * 2
    assert send_code(client, code_at(clock)).status_code == 429

    # Typing the password again does not clear the count of codes.
    clock.advance(seconds=30)
    sign_in_with_password(client, officer.email)
    assert send_code(client, "123456").status_code == 200
    assert send_code(client, code_at(clock)).status_code == 429
    clock.advance(minutes=1)
    assert send_code(client, code_at(clock)).headers["Location"] == "/staff"

    # Every wrong code and every refused try is in the audit log against the account.
    db.expire_all()
    events = db.scalars(select(AuditEvent).where(AuditEvent.action.startswith("staff.sign_in_")))
    trail = [(e.action, e.subject, e.user_id, e.detail["step"]) for e in events]
    wrong = ("staff.sign_in_failed", f"user:{officer.id}", None, "code")
    held = ("staff.sign_in_refused", f"user:{officer.id}", None, "code")
    assert trail == [wrong] * 5 + [held] * 3 + [wrong, held]


def test_part_signed_in_lasts_ten_minutes(client, db, clock):
    officer = make_user(db, "officer")
    sign_in_with_password(client, officer.email)
    clock.advance(minutes=11)
    response = send_code(client, code_at(clock))
    assert response.headers["Location"] == "/staff/sign-in"
    assert client.get("/staff").status_code == 302


def test_the_forum_signs_in_with_a_password_and_may_turn_on_a_second_step(app, db):
    forum = make_user(db, "forum")
    client = app.test_client()
    assert sign_in(client, db, forum).headers["Location"] == "/staff"
    account = parse(client.get("/staff")).select_one("header .app-account")
    link = account.find("a", string=re.compile("Set up two-step sign-in"))
    assert link["href"] == SET_UP
    set_up_two_factor(client)
    account = parse(client.get("/staff")).select_one("header .app-account")
    assert account.find("a", string=re.compile("Two-step sign-in: on"))["href"] == SET_UP

    later = app.test_client()
    assert sign_in_with_password(later, forum.email).headers["Location"] == CODE


def test_a_new_password_keeps_the_app_and_reset_2fa_removes_it(app, runner, client, db):
    officer = make_user(db, "officer")
    token = issue_token(db, officer)
    db.commit()
    set_password(client, token, "a different long passphrase")
    assert (
        sign_in_with_password(client, officer.email, "a different long passphrase").headers[
            "Location"
        ]
        == CODE
    )

    result = runner.invoke(args=["users", "reset-2fa", "OFFICER@herefordshire.gov.uk"])
    assert result.exit_code == 0, result.output
    assert db.scalar(select(TwoFactor)) is None
    assert db.scalar(select(RecoveryCode)) is None
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "staff.two_factor_reset"))
    assert event.subject == f"user:{officer.id}"

    fresh = app.test_client()
    assert (
        sign_in_with_password(fresh, officer.email, "a different long passphrase").headers[
            "Location"
        ]
        == SET_UP
    )


def test_reset_2fa_of_an_unknown_account_fails_and_changes_nothing(runner, db):
    make_user(db, "officer")
    result = runner.invoke(args=["users", "reset-2fa", "nobody@x.org"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: there is no account for nobody@x.org"
    assert db.scalar(select(TwoFactor)) is not None


def test_codes_are_limited_per_address_too(app, db):
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "two-factor": (2, 900)}
    make_user(db, "officer")
    client = app.test_client()
    sign_in_with_password(client, "officer@herefordshire.gov.uk")
    statuses = [send_code(client, "123456").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


RENEW = "/staff/two-factor/recovery-codes"


def test_new_recovery_codes_replace_the_old_ones_given_a_code_from_the_app(app, db, clock):
    officer = make_user(db, "officer")
    old = new_recovery_codes(db, officer)
    db.commit()
    client = app.test_client()
    sign_in(client, db, officer)
    page = parse(client.get(SET_UP))
    assert page.select_one("[data-codes-left]").get_text(strip=True) == (
        "You have 10 recovery codes left."
    )
    assert page.select_one(f"form[action='{RENEW}'] input[name=code]") is not None

    # A wrong code, or one of the recovery codes, renews nothing.
    for wrong in ("000000", old[0], ""):
        refused = send_code(client, wrong, RENEW)
        assert refused.status_code == 200
        assert error_summary(refused), wrong
        assert not parse(refused).select("[data-recovery-codes] li")

    code = unused_code(db, officer)
    renewed = send_code(client, code, RENEW)
    assert renewed.headers["Cache-Control"] == "no-store"
    banner = parse(renewed).select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert "You have new recovery codes. The old ones no longer work." in banner
    new = [item.get_text(strip=True) for item in parse(renewed).select("[data-recovery-codes] li")]
    assert len(new) == 10 and not set(new) & set(old)
    # The same app code again (a replay, or a double click) shows no codes a second time.
    assert not parse(send_code(client, code, RENEW)).select("[data-recovery-codes] li")

    lost_phone = app.test_client()
    sign_in_with_password(lost_phone, officer.email)
    assert send_code(lost_phone, old[1], f"{CODE}?use=recovery").status_code == 200
    assert send_code(lost_phone, new[1], f"{CODE}?use=recovery").headers["Location"] == "/staff"

    db.expire_all()
    actions = list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.count("staff.recovery_codes_renewed") == 1
    assert actions.count("staff.sign_in_failed") >= 3


def test_only_someone_signed_in_can_renew_codes(app, client, db, clock):
    officer = make_user(db, "officer")
    sign_in_with_password(client, officer.email)  # part signed in: password, no code yet
    response = send_code(client, unused_code(db, officer), RENEW)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/sign-in")
    assert db.scalar(select(RecoveryCode)) is None
