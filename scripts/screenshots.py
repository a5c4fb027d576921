"""Photograph every public and staff page at 360 and 1280 CSS pixels wide: `make screenshots`.

Serves the app on loopback with the browser tests' sample data (tests/browser/sample.py)
on a throwaway SQLite database, walks the pages in Debian's Chromium, and writes one
full-page PNG per page and width to screenshots/WIDTH/NN-label.png (git-ignored), so
anyone can look at every page without setting anything up.

Each set of pages is a walk that calls `check(page, label)` at each stop, as the browser
tests do; to add another set, write its walk and add it to WALKS. The staff walk signs in
as the sample's officer, forum member and safeguarding lead in turn.
"""

import argparse
import logging
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import migrations  # noqa: E402
from app.db import make_engine  # noqa: E402
from tests.browser.live import launch_chromium, live_app, serving  # noqa: E402
from tests.browser.public_pages import public_tour  # noqa: E402
from tests.browser.sample import Sample, add_sample_data  # noqa: E402
from tests.browser.staff_pages import staff_walk  # noqa: E402
from tests.browser.tour import Check  # noqa: E402

WIDTHS = (360, 1280)
HEIGHTS = {360: 740, 1280: 800}

Walk = Callable[[Page, Check, Sample], None]
WALKS: dict[str, Walk] = {"public": public_tour, "staff": staff_walk}


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def photograph(base_url: str, sample: Sample, walks: list[str], out: Path) -> int:
    """Walk each named set of pages at each width; returns how many PNGs were written."""
    written = 0
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for width in WIDTHS:
            for name in walks:
                context = browser.new_context(
                    base_url=base_url, viewport={"width": width, "height": HEIGHTS[width]}
                )
                page = context.new_page()
                page.set_default_timeout(15_000)
                written += walk(page, name, sample, out / str(width))
                context.close()
        browser.close()
    return written


def walk(page: Page, name: str, sample: Sample, folder: Path) -> int:
    """Photograph every stop of the walk NAME into FOLDER; returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    seen: list[str] = []

    def check(page: Page, label: str) -> None:
        seen.append(label)
        page.screenshot(path=folder / f"{name}-{len(seen):02d}-{slug(label)}.png", full_page=True)

    WALKS[name](page, check, sample)
    return len(seen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--only", choices=sorted(WALKS), action="append")
    options = parser.parse_args()
    shutil.rmtree(options.out, ignore_errors=True)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "screenshots.db"
        engine = make_engine(f"sqlite:///{database}")
        migrations.upgrade(engine)
        engine.dispose()
        app = live_app(database)
        with app.app_context(), Session(app.extensions["db_engine"]) as session:
            sample = add_sample_data(session)
        with serving(app) as base_url:
            written = photograph(base_url, sample, options.only or list(WALKS), options.out)
    print(f"{written} screenshots in {options.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
