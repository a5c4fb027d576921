"""The children's survey as a 9-year-old meets it on a phone: "Read aloud" in the first
screen of every question, in a British voice, with a Stop; faces that differ in shape,
size and colour; and the same faces again on the check-answers page."""

from tests.browser.axe_check import violations
from tests.browser.navigation import press

PHONE = (360, 740)

# The browser's voice stood in for: headless Chromium has no speech engine, so this
# records what would be spoken and lets the test say when speaking ends.
FAKE_VOICE = """
window.__spoken = [];
window.__cancelled = 0;
const fake = {
  speak(utterance) { window.__spoken.push(utterance); },
  cancel() { window.__cancelled += 1; },
  getVoices() {
    return [{lang: "en-US", name: "American"}, {lang: "en-GB", name: "British"}];
  },
};
Object.defineProperty(window, "speechSynthesis", {value: fake, configurable: true});
window.SpeechSynthesisUtterance = class extends EventTarget {
  constructor(text) { super(); this.text = text; this.lang = ""; this.voice = null; }
};
"""


def start(page) -> None:
    page.goto("/s/children")
    press(page, "Start now")


def test_read_aloud_is_in_the_first_screen_of_every_question_on_a_phone(new_page):
    page = new_page(*PHONE)
    start(page)
    seen = 0
    while "/q/" in page.url:
        seen += 1
        control = page.locator("[data-read-aloud]")
        assert control.is_visible(), page.url
        box = control.bounding_box()
        assert box["y"] + box["height"] <= PHONE[1], page.url
        first_answer = page.locator("main .govuk-radios, main textarea").first.bounding_box()
        assert box["y"] < first_answer["y"], page.url
        press(page, "I don't want to answer")
    assert seen == 16


def test_read_aloud_speaks_british_english_and_stops(new_page):
    page = new_page(*PHONE)
    page.add_init_script(FAKE_VOICE)
    start(page)
    assert page.locator("html").get_attribute("lang") == "en-GB"
    page.get_by_role("button", name="Read aloud").click()
    spoken = page.evaluate(
        "window.__spoken.map(u => ({text: u.text, lang: u.lang, voice: u.voice && u.voice.lang}))"
    )
    assert len(spoken) == 1
    assert spoken[0]["lang"] == "en-GB" and spoken[0]["voice"] == "en-GB"
    assert spoken[0]["text"].startswith(
        "Do the grown-ups who look after you care what you think? This means your family"
    )
    assert "helpers. Always. Mostly." in spoken[0]["text"]
    stop = page.get_by_role("button", name="Stop")
    assert stop.is_visible() and not page.get_by_role("button", name="Read aloud").is_visible()
    assert page.evaluate("document.activeElement.matches('[data-read-aloud-stop]')")
    cancelled = page.evaluate("window.__cancelled")
    stop.click()
    assert page.evaluate("window.__cancelled") == cancelled + 1
    assert page.get_by_role("button", name="Read aloud").is_visible() and not stop.is_visible()
    # When the voice finishes by itself, "Read aloud" comes back too.
    page.get_by_role("button", name="Read aloud").click()
    page.evaluate("window.__spoken.at(-1).dispatchEvent(new Event('end'))")
    assert page.get_by_role("button", name="Read aloud").is_visible()


def test_each_face_differs_in_shape_size_and_colour_and_has_words(new_page):
    page = new_page(*PHONE)
    start(page)
    faces = page.locator(".app-faces .govuk-radios__item").all()
    assert len(faces) == 5
    drawn = []
    for item in faces:
        svg = item.locator("svg.app-face")
        box = svg.bounding_box()
        drawn.append(
            {
                "words": item.locator(".app-face__words").inner_text().strip(),
                "size": round(box["width"]),
                "shape": svg.evaluate(
                    "s => Array.from(s.querySelectorAll('path, circle'), e => e.getAttribute('d')"
                    " || ['cx', 'cy', 'r'].map(a => e.getAttribute(a)).join(',')).join(';')"
                ),
                "colour": svg.evaluate("s => getComputedStyle(s.querySelector('circle')).fill"),
            }
        )
    words = [face["words"] for face in drawn]
    assert words == ["Always", "Mostly", "Sometimes", "Never", "I'm not sure"]
    for key in ("size", "shape", "colour"):
        values = [face[key] for face in drawn]
        assert len(set(values)) == 5, (key, values)
    always, mostly = drawn[0], drawn[1]
    assert always["size"] - mostly["size"] >= 8
    assert all(face["size"] >= 44 for face in drawn)
    for item in faces:
        label = item.locator(".govuk-radios__label").bounding_box()
        assert label["height"] >= 44 and label["width"] >= 44


def test_check_answers_shows_the_faces_the_child_chose(new_page):
    page = new_page(*PHONE)
    start(page)
    chosen = {}
    while "/q/" in page.url:
        faces = page.locator(".app-faces .govuk-radios__item")
        if faces.count():
            pick = faces.nth(len(chosen) % faces.count())
            chosen[page.url.rsplit("/", 1)[-1]] = pick.locator("svg").get_attribute("data-face")
            pick.locator(".govuk-radios__label").click()
            press(page, "Continue")
        else:
            press(page, "I don't want to answer")
    assert page.url.endswith("/check")
    shown = {}
    for row in page.locator(".govuk-summary-list__row").all():
        link = row.locator(".govuk-summary-list__actions a").get_attribute("href")
        face = row.locator(".govuk-summary-list__value svg.app-face")
        if face.count():
            shown[link.split("/q/")[1].split("?")[0]] = face.get_attribute("data-face")
    assert shown == chosen and len(chosen) == 9
    assert violations(page) == []
