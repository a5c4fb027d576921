"""axe-core in Chromium, with the WCAG 2.2 AA tags (target size included)."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
axe = Axe()


def violations(page: Page) -> list[str]:
    """Every axe violation on the page, and every colour contrast axe could not measure
    (as bad as a failure: that theme would be unchecked), as "rule: element"."""
    page.wait_for_load_state("load")
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    unmeasured = [v for v in result.response["incomplete"] if v["id"] == "color-contrast"]
    return [
        f"{v['id']}: {node['target']}"
        for v in result.response["violations"] + unmeasured
        for node in v["nodes"]
    ]
