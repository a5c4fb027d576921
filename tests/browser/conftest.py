"""Browser tests: the real app served on loopback, driven by Debian's Chromium via Playwright.

No browser is downloaded: Playwright launches /usr/bin/chromium (installed by `make test`).
"""

import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from app import create_app
from app.config import TestConfig
from tests.factories import load_shipped_surveys

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium keeps trying to reach Google's services, which this machine refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_app(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("live") / "live.db"
    shutil.copy(sqlite_template, path)
    # Every browser test comes from 127.0.0.1: limits per address would soon refuse them
    # all (tests/test_ratelimit.py checks the limits themselves).
    unlimited = {
        name: (10**6, 60) for name in ("sign-in", "two-factor", "respond", "codes", "sends")
    }
    config = type(
        "Config", (TestConfig,), {"DATABASE_URL": f"sqlite:///{path}", "RATE_LIMITS": unlimited}
    )
    app = create_app(config)
    with Session(app.extensions["db_engine"]) as session:
        load_shipped_surveys(session)
    return app


@pytest.fixture(scope="session")
def base_url(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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
