"""Every public page on the smallest phone: at 320 CSS pixels, with text at 100% and 200%,
nothing scrolls or sticks out sideways and no word is broken across lines; and axe,
best-practice rules included, finds nothing there."""

import pytest

from tests.browser.axe_check import violations
from tests.browser.public_pages import public_tour
from tests.browser.sample import sampled_site

# What sticks out past the right edge of the screen, and which words are broken across
# lines that did not need to be: a word narrower than three quarters of the page's width
# ("You said" in a squeezed table column) fits on a line of its own. (At 200% a word in a
# big heading may be wider than the screen, and then it must break.)
FIT_PROBLEMS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1) problems.push("scrolls sideways");
  const hidden = (element) => element.closest(".govuk-visually-hidden, [hidden]");
  const name = (element) => element.tagName.toLowerCase()
    + (element.className && element.className.baseVal === undefined
       ? "." + element.className.trim().split(/\\s+/).join(".") : "");
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width > 1 && (box.right > width + 1 || box.left < -1) && !hidden(element)) {
      problems.push(`sticks out: ${name(element)}`);
    }
  }
  const page = document.querySelector(".govuk-width-container").clientWidth;
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    if (!node.parentElement || hidden(node.parentElement)) continue;
    // Whole words only: a web address may break anywhere, and must, to fit.
    for (const word of node.textContent.matchAll(/(?<!\\S)\\p{L}{2,15}(?=[\\s.,:;!?)]|$)/gu)) {
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const boxes = Array.from(range.getClientRects());
      const lines = new Set(boxes.map((box) => Math.round(box.top)));
      const wordWidth = boxes.reduce((sum, box) => sum + box.width, 0);
      if (lines.size > 1 && wordWidth < 0.75 * page) problems.push(`word broken: ${word[0]}`);
    }
  }
  return [...new Set(problems)].slice(0, 8);
}"""


live_app, base_url, sample = sampled_site("public")


@pytest.mark.parametrize("text", ["100%", "200%"])
def test_every_public_page_fits_a_320_pixel_screen(new_page, sample, text):
    found: dict[str, list[str]] = {}
    stops: list[str] = []

    def check(page, label):
        stops.append(label)
        # Text-only zoom: the root size scales all of GOV.UK Frontend's rem-based text.
        page.evaluate(f"document.documentElement.style.fontSize = {text!r}")
        problems = page.evaluate(FIT_PROBLEMS)
        if problems:
            found[label] = problems

    public_tour(new_page(320, 640), check, sample)
    assert len(stops) >= 34
    assert found == {}, "\n".join(f"{label}: {problems}" for label, problems in found.items())


def test_axe_with_best_practice_finds_nothing_on_any_public_page_at_320(new_page, sample):
    found: dict[str, list[str]] = {}

    def check(page, label):
        problems = violations(page, best_practice=True)
        if problems:
            found[label] = problems

    public_tour(new_page(320, 640), check, sample)
    assert found == {}, "\n".join(f"{label}: {problems}" for label, problems in found.items())


ACTION_HEADINGS = [
    "You said",
    "We will",
    "Who",
    "By when",
    "How we will know it worked",
    "Progress",
]


@pytest.mark.parametrize(("width", "cards"), [(360, True), (1280, False)])
def test_each_action_is_a_card_on_a_phone_and_a_row_on_a_laptop(new_page, sample, width, cards):
    page = new_page(width, 740)
    page.goto("/you-said-we-did")
    rows = page.locator("table.app-action-table tbody tr")
    assert rows.count() >= 2
    for index in range(rows.count()):
        row = rows.nth(index)
        headings = [
            heading.inner_text().strip()
            for heading in row.locator(".app-responsive-table__heading").all()
            if heading.is_visible()
        ]
        assert headings == (ACTION_HEADINGS if cards else [])
    column_headers = page.locator("table.app-action-table thead th").first
    assert column_headers.is_visible() is not cards
    # A card is as wide as the page's content; a row's cells sit side by side.
    first = rows.first.locator("td").first.bounding_box()
    second = rows.first.locator("td").nth(1).bounding_box()
    assert (second["y"] > first["y"]) is cards
