"""Clicking something that loads a new page, and waiting until it has."""

from playwright.sync_api import Page


def press(page: Page, name: str, role: str = "button") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()
