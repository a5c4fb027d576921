"""The stylesheet holds only the GOV.UK Frontend components the app draws (issue 11: page
weight). Trimmed too far, a page would quietly lose a component's styles, and axe would not
notice an unstyled tag or summary card: so every public and staff page is walked in
Chromium, and every GOV.UK class on it must be named by some rule of its stylesheets."""

import pytest

from tests.browser.public_pages import public_tour
from tests.browser.sample import sampled_site
from tests.browser.staff_pages import staff_walk

# GOV.UK classes on the app's pages that no rule of GOV.UK Frontend 6.3's complete
# stylesheet names either: hooks for its JavaScript, blocks styled only through their
# elements, and two modifiers the app sets that this version no longer styles.
UNSTYLED_BY_DESIGN = {
    "govuk-character-count__sr-status",
    "govuk-character-count__status",
    "govuk-checkboxes",
    "govuk-generic-header__container",
    "govuk-js-character-count",
    "govuk-js-password-input-input",
    "govuk-js-password-input-toggle",
    "govuk-js-service-navigation-toggle",
    "govuk-password-input",
    "govuk-password-input__input",
    "govuk-password-input__sr-status",
    "govuk-radios",
    "govuk-table__caption--s",
    "govuk-tag--blue",
}

# Each GOV.UK class on the page that no rule of its stylesheets names.
UNSTYLED = """() => {
  const named = new Set();
  const collect = (rules) => {
    for (const rule of rules) {
      if (rule.selectorText) {
        for (const match of rule.selectorText.matchAll(/\\.((?:\\\\.|[\\w-])+)/g)) {
          named.add(match[1].replace(/\\\\/g, ""));
        }
      }
      if (rule.cssRules) collect(rule.cssRules);
    }
  };
  for (const sheet of document.styleSheets) collect(sheet.cssRules);
  const used = new Set();
  for (const element of document.querySelectorAll("[class]")) {
    for (const name of element.classList) if (name.startsWith("govuk-")) used.add(name);
  }
  return [...used].filter((name) => !named.has(name)).sort();
}"""


live_app, base_url, sample = sampled_site("styles")


@pytest.mark.parametrize("walk", [public_tour, staff_walk], ids=["public", "staff"])
def test_every_govuk_class_on_every_page_is_styled(new_page, sample, walk):
    unstyled: dict[str, list[str]] = {}
    classes_seen = 0

    def check(page, label):
        nonlocal classes_seen
        classes_seen += page.evaluate(
            "new Set([...document.querySelectorAll('[class]')]"
            ".flatMap((e) => [...e.classList])).size"
        )
        missing = sorted(set(page.evaluate(UNSTYLED)) - UNSTYLED_BY_DESIGN)
        if missing:
            unstyled[label] = missing

    walk(new_page(1280, 800), check, sample)
    assert classes_seen > 100
    assert unstyled == {}, "\n".join(f"{label}: {names}" for label, names in unstyled.items())
