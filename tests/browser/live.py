"""The real app served on loopback, and Debian's Chromium to drive it: shared by the
browser tests (tests/browser/conftest.py) and `make screenshots` (scripts/screenshots.py).

No browser is downloaded: Playwright launches /usr/bin/chromium (installed by `make test`).
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from playwright.sync_api import Browser, Playwright
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


def live_app(database: Path) -> Flask:
    """The app on the migrated SQLite file DATABASE, with the shipped surveys loaded."""
    # Every browser comes from 127.0.0.1: limits per address would soon refuse them all
    # (tests/test_ratelimit.py checks the limits themselves).
    unlimited = {
        name: (10**6, 60) for name in ("sign-in", "two-factor", "respond", "codes", "sends")
    }
    config = type(
        "Config",
        (TestConfig,),
        {"DATABASE_URL": f"sqlite:///{database}", "RATE_LIMITS": unlimited},
    )
    app = create_app(config)
    with Session(app.extensions["db_engine"]) as session:
        load_shipped_surveys(session)
    return app


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve APP on a free loopback port while inside; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    # Links the pages print are built from BASE_URL, the site's published address: here.
    app.config["BASE_URL"] = url
    try:
        yield url
    finally:
        server.shutdown()


def launch_chromium(playwright: Playwright) -> Browser:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)"
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
