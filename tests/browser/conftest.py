"""Browser tests: the real app served on loopback, driven by Debian's Chromium via Playwright
(tests/browser/live.py)."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.live import launch_chromium, serving
from tests.browser.live import live_app as serve_database


@pytest.fixture(scope="session")
def live_app(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("live") / "live.db"
    shutil.copy(sqlite_template, path)
    return serve_database(path)


@pytest.fixture(scope="session")
def base_url(live_app):
    with serving(live_app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, base_url):
    """Open a page in a fresh context (own cookies): new_page(width=360, height=740, js=True)."""
    contexts = []

    def open_page(width: int = 1280, height: int = 800, js: bool = True, theme: str | None = None):
        context = browser.new_context(
            base_url=base_url, viewport={"width": width, "height": height}, java_script_enabled=js
        )
        if theme:
            context.add_cookies(
                [{"name": "display", "value": f"standard.{theme}.standard", "url": base_url}]
            )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
