"""A receipt is shown to the browser that sent the answers, never to whoever presents
the draft's code; on a shared tablet the next person never sees the last one's code."""

import pytest
from sqlalchemy import select

from app.models import Draft
from tests.factories import load_shipped_surveys
from tests.pages import csrf_token, parse
from tests.respond.walk import complete, start

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def receipt_on(response) -> str | None:
    code = parse(response).select_one("[data-receipt-code]")
    return code.text if code else None


@pytest.mark.parametrize("survey_id", ["children", "parent-carers"])
def test_someone_elses_draft_code_never_shows_their_receipt(app, db, survey_id):
    child = app.test_client()
    receipt = receipt_on(complete(child, survey_id, {}))
    draft_code = db.scalar(select(Draft.resume_code))
    db.commit()

    attacker = app.test_client()
    token = csrf_token(attacker, "/resume")
    for path in (f"/s/{survey_id}/done", f"/s/{survey_id}/check"):
        tried = attacker.post(path, data={"csrf_token": token, "draft": draft_code})
        page = attacker.get(tried.headers["Location"]) if tried.status_code == 302 else tried
        assert receipt not in page.get_data(as_text=True)
    on_done = attacker.get(f"/s/{survey_id}/done", follow_redirects=True)
    assert receipt_on(on_done) is None
    with_email = attacker.post(
        f"/s/{survey_id}/done",
        data={"csrf_token": token, "draft": draft_code, "email": "x@example.org", "consent": "y"},
        follow_redirects=True,
    )
    assert receipt not in with_email.get_data(as_text=True)


def test_the_next_child_on_a_shared_tablet_does_not_see_the_last_receipt(client):
    first = receipt_on(complete(client, "children", {}))
    assert first is not None
    # The next child starts another survey on the same tablet.
    start(client, "young-people")
    assert receipt_on(client.get("/s/children/done", follow_redirects=True)) is None
    assert receipt_on(client.get("/s/young-people/done", follow_redirects=True)) is None


def test_finish_hands_the_tablet_over_and_the_page_is_not_cached(client):
    done = complete(client, "children", {})
    assert done.headers["Cache-Control"] == "no-store"
    assert receipt_on(done) is not None
    finish = parse(done).select_one("form:has([data-finish])")
    fields = {i["name"]: i.get("value", "") for i in finish.select("input")}
    moved = client.post(finish["action"], data=fields)
    assert moved.headers["Location"] == "/s/children"
    assert receipt_on(client.get("/s/children/done", follow_redirects=True)) is None
    start_page = parse(client.get("/s/children"))
    assert start_page.select_one("form button").get_text(strip=True) == "Start now"


def test_the_sender_still_sees_their_receipt_after_a_double_click_or_refresh(client):
    receipt = receipt_on(complete(client, "children", {}))
    token = csrf_token(client, "/resume")
    again = client.post("/s/children/check", data={"csrf_token": token})
    assert again.headers["Location"] == "/s/children/done"
    assert receipt_on(client.get("/s/children/done")) == receipt
