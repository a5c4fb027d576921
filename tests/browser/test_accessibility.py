"""axe finds nothing on any page a respondent meets, in any colour theme, errors included.
(Every public page on a 320px screen: tests/browser/test_public_pages.py.)"""

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
