"""The check-answers page shows each face the child chose beside its words; what a child
typed, and a value no option has, are shown as words and never run as markup."""

from sqlalchemy import select

from app.models import Draft
from app.respond.faces import FACES, face_svg
from tests.factories import load_shipped_surveys
from tests.pages import parse
from tests.respond.walk import answer, start


def walk_to_check(client, answers: dict):
    page = start(client, "children")
    while "/q/" in page.request.path:
        question_id = page.request.path.rsplit("/", 1)[1]
        given = {question_id: answers[question_id]} if question_id in answers else {}
        moved = answer(client, page, given, "continue" if given else "skip")
        page = client.get(moved.headers["Location"])
    return page


def rows(page) -> dict[str, object]:
    found = {}
    for row in parse(page).select(".govuk-summary-list__row"):
        href = row.select_one(".govuk-summary-list__actions a")["href"]
        found[href.split("/q/")[1].split("?")[0]] = row.select_one(".govuk-summary-list__value")
    return found


def test_each_face_answer_shows_its_face_and_words(client, db):
    load_shipped_surveys(db)
    page = walk_to_check(client, {"cares_about_opinion": "always", "safe_in_community": "never"})
    shown = rows(page)
    assert shown["cares_about_opinion"].select_one("svg")["data-face"] == "very_happy"
    assert shown["cares_about_opinion"].get_text(strip=True) == "Always"
    assert shown["safe_in_community"].select_one("svg")["data-face"] == "sad"
    assert shown["belong_in_community"].select_one("svg") is None
    assert shown["belong_in_community"].get_text(strip=True) == "Not answered"
    assert shown["area"].select_one("svg") is None


def test_typed_markup_and_a_forged_value_are_shown_as_words(client, db):
    load_shipped_surveys(db)
    page = walk_to_check(client, {"going_well": "<script>alert(1)</script><svg onload=x>"})
    draft = db.scalar(select(Draft))
    # A value no option has, as if the stored answers had been tampered with.
    draft.answers = {**draft.answers, "enjoy_life": '"><img src=x onerror=alert(1)>'}
    db.commit()
    page = client.get("/s/children/check")
    assert page.status_code == 200
    shown = rows(page)
    assert shown["going_well"].select("script, svg") == []
    assert "<script>alert(1)</script>" in shown["going_well"].get_text()
    assert shown["enjoy_life"].select("img, svg") == []
    assert "onerror" in shown["enjoy_life"].get_text()


def test_each_face_is_drawn_at_its_own_size_and_fill():
    sizes = {name: face.size for name, face in FACES.items()}
    fills = {face.fill for face in FACES.values()}
    assert len(fills) == len(FACES)
    assert sizes["very_happy"] > sizes["happy"] > sizes["neutral"]
    for name in FACES:
        svg = face_svg(name)
        assert f'width="{sizes[name]}"' in svg and 'aria-hidden="true"' in svg
