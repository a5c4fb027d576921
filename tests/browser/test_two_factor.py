"""An officer sets up two-step sign-in in Chromium, reading the key from the page as a
person would type it into their app, then signs in with a code; on a phone and a laptop,
with axe finding nothing on any of its pages, errors included."""

from datetime import UTC, datetime

import pyotp
import pytest
from sqlalchemy.orm import Session

from tests.browser.axe_check import violations
from tests.browser.navigation import press
from tests.factories import PASSWORD, make_user


def shoot(page, folder, name: str, width: int) -> None:
    """A full-page screenshot in the test's temporary folder, to look at."""
    page.screenshot(path=folder / f"two-factor-{name}-{width}.png", full_page=True)


def next_code(secret: str) -> str:
    """The app's next code: the server takes it (a phone a little fast) and it cannot be
    the one just used to set up."""
    totp = pyotp.TOTP(secret)
    return totp.at(datetime.now(UTC), counter_offset=1)


@pytest.mark.parametrize("width", [360, 1280])
def test_an_officer_sets_up_two_step_sign_in_and_signs_in_with_it(
    new_page, live_app, tmp_path, width
):
    email = f"new-officer-{width}@example.org"
    with Session(live_app.extensions["db_engine"]) as session:
        make_user(session, "officer", email, two_factor=False)
    found = {}
    page = new_page(width=width, height=740 if width == 360 else 800)

    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    press(page, "Sign in")
    assert page.url.endswith("/staff/two-factor/set-up")
    qr = page.get_by_role("img", name=f"QR code that adds {email} to your authenticator app")
    assert qr.locator("svg").bounding_box()["width"] >= 150
    found["set up"] = violations(page)
    shoot(page, tmp_path, "set-up", width)

    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator("[data-secret]")
    assert key.is_visible()
    secret = "".join(key.inner_text().split())
    found["set up, key shown"] = violations(page)

    press(page, "Turn on two-step sign-in")
    assert page.get_by_text("Enter the code from your authenticator app").first.is_visible()
    found["set up with an error"] = violations(page)
    shoot(page, tmp_path, "set-up-error", width)

    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    press(page, "Turn on two-step sign-in")
    codes = page.locator("[data-recovery-codes] li").all_inner_texts()
    assert len(codes) == 10
    found["recovery codes"] = violations(page)
    shoot(page, tmp_path, "recovery-codes", width)
    press(page, "Continue", role="button")
    assert page.url.endswith("/staff")

    again = new_page(width=width)
    again.goto("/staff/sign-in")
    again.get_by_label("Email address").fill(email)
    again.get_by_role("textbox", name="Password").fill(PASSWORD)
    press(again, "Sign in")
    assert again.url.endswith("/staff/two-factor")
    found["code"] = violations(again)
    shoot(again, tmp_path, "code", width)
    press(again, "Continue")
    found["code with an error"] = violations(again)
    shoot(again, tmp_path, "code-error", width)
    press(again, "Use a recovery code instead", role="link")
    found["recovery code"] = violations(again)
    shoot(again, tmp_path, "recovery-code", width)
    press(again, "Use a code from your authenticator app instead", role="link")
    again.get_by_label("Code", exact=True).fill(next_code(secret))
    press(again, "Continue")
    assert again.url.endswith("/staff")
    assert found == {name: [] for name in found}
