"""axe-core in Chromium, with the WCAG 2.2 AA tags (target size included), and axe's
best-practice rules (landmarks, heading order) where asked."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
axe = Axe()


def violations(page: Page, best_practice: bool = False) -> list[str]:
    """Every axe violation on the page, and every colour contrast axe could not measure
    (as bad as a failure: that theme would be unchecked), as "rule: element"."""
    page.wait_for_load_state("load")
    tags = [*AXE_TAGS, "best-practice"] if best_practice else AXE_TAGS
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": tags}})
    unmeasured = [v for v in result.response["incomplete"] if v["id"] == "color-contrast"]
    return [
        f"{v['id']}: {node['target']}"
        for v in result.response["violations"] + unmeasured
        for node in v["nodes"]
    ]
