"""The "this page is busy" answer of the public measures, as a phone and a laptop see it:
one heading, plain words, and nothing axe can find, at 360 and 1280 pixels wide."""

from pathlib import Path

import pytest

from tests.browser.axe_check import violations
from tests.public.test_busy import Holder

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.mark.parametrize("width", [360, 1280])
def test_the_busy_page_reads_plainly_and_passes_axe(live_app, new_page, width):
    holder = Holder(live_app, 0)
    try:
        page = new_page(width=width)
        answer = page.goto("/measures")
        assert answer.status == 503
        assert answer.headers["retry-after"] == "5"
        assert page.locator("h1").inner_text() == "This page is busy"
        assert "try again" in page.locator("main").inner_text()
        assert page.get_by_role("link", name="Try again").get_attribute("href") == "/measures"
        assert violations(page, best_practice=True) == []
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SHOTS / f"busy-{width}.png", full_page=True)
    finally:
        holder.release()
