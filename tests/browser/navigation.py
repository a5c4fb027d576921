"""Clicking something that loads a new page, and waiting until it has; signing staff in."""

from playwright.sync_api import Page
from sqlalchemy.orm import Session

from app.models import User
from tests.factories import PASSWORD, unused_code


def press(page: Page, name: str, role: str = "button") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()


def sign_in(page: Page, session: Session, user: User) -> None:
    """Sign USER in as a person would: the password, then the code from their app (users
    from tests.factories.make_user) if they have one."""
    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    press(page, "Sign in")
    if page.url.endswith("/staff/two-factor"):
        page.get_by_label("Code", exact=True).fill(unused_code(session, user))
        press(page, "Continue")
