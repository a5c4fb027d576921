"""axe finds nothing on any page a respondent meets, in any colour theme, errors included;
and no page scrolls sideways on a 320px screen, nor with text at 200%."""

import pytest

from app.preferences import THEMES
from tests.browser.axe_check import violations
from tests.browser.tour import tour


@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_no_violations_in_any_theme(new_page, theme):
    found: dict[str, list[str]] = {}
    stops: list[str] = []

    def check(page, label):
        stops.append(label)
        problems = violations(page)
        if problems:
            found[label] = problems

    tour(new_page(theme=None if theme == "default" else theme), check)
    assert len(stops) == 20
    assert found == {}


def _scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"
    )


@pytest.mark.parametrize("text", ["100%", "200%"])
def test_no_page_scrolls_sideways_at_320_css_pixels(new_page, text):
    sideways: list[str] = []

    def check(page, label):
        # Text-only zoom: the root size scales all of GOV.UK Frontend's rem-based text.
        page.evaluate(f"document.documentElement.style.fontSize = {text!r}")
        if _scrolls_sideways(page):
            sideways.append(label)

    tour(new_page(320, 640), check)
    assert sideways == []
