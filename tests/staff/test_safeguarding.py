"""Disclosures of harm: flagged the moment they are stored, seen only by the safeguarding
lead in a queue with the child's own words, every view logged, each marked handled."""

import pytest
from sqlalchemy import select

from app.models import AuditEvent, SafeguardingFlag
from tests.factories import load_shipped_surveys, sign_in_as
from tests.pages import csrf_token, error_summary, parse
from tests.respond.walk import complete

pytestmark = pytest.mark.postgres

DISCLOSURE = "my dad hits me wen hes angry and i am scared to go home <script>alert(1)</script>"


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def flags(db):
    db.expire_all()
    found = db.scalars(select(SafeguardingFlag)).all()
    db.commit()
    return found


def test_a_disclosure_is_flagged_the_moment_it_is_sent(app, db):
    complete(app.test_client(), "children", {"should_change": DISCLOSURE, "going_well": "art club"})
    [flag] = flags(db)
    assert set(flag.reasons) == {"should_change"}
    assert "harm_at_home" in flag.reasons["should_change"]


def test_ordinary_answers_are_not_flagged(app, db):
    complete(
        app.test_client(),
        "young-people",
        {"going_well": "I feel safe at school and my TA is great"},
    )
    assert flags(db) == []


def test_an_imported_disclosure_is_flagged_too(runner, db, tmp_path):
    from tests.factories import write_csv

    path = write_csv(
        tmp_path / "paper.csv",
        ["survey", "submitted_at", "channel", "going_well"],
        [["children", "2025-11-01", "paper", "i want to kill myself"]],
    )
    assert runner.invoke(args=["responses", "import", str(path)]).exit_code == 0
    [flag] = flags(db)
    assert flag.reasons == {"going_well": ["self_harm"]}


def test_the_safeguarding_lead_sees_the_childs_words_as_text_and_each_view_is_logged(
    app, client, db
):
    complete(app.test_client(), "children", {"should_change": DISCLOSURE})
    lead = sign_in_as(client, db, "safeguarding")
    queue = parse(client.get("/staff/safeguarding"))
    link = queue.select_one("main table a")["href"]
    assert "harm at home" in queue.select_one("main table").text

    page = client.get(link)
    words = parse(page).select_one("[data-childs-words]")
    assert words.text.strip() == DISCLOSURE
    assert "<script>" not in page.get_data(as_text=True)
    client.get(link)
    views = db.scalars(select(AuditEvent).where(AuditEvent.action == "safeguarding.view")).all()
    assert [(v.user_id, v.subject) for v in views] == [
        (lead.id, link.replace("/staff/safeguarding/", "flag:"))
    ] * 2


def test_marking_handled_needs_a_note_and_records_who(app, client, db):
    complete(app.test_client(), "children", {"should_change": DISCLOSURE})
    lead = sign_in_as(client, db, "safeguarding")
    [flag] = flags(db)
    url = f"/staff/safeguarding/{flag.id}"
    refused = client.post(url, data={"csrf_token": csrf_token(client, url), "note": ""})
    assert error_summary(refused) == ["Enter what was done"]
    client.post(
        url, data={"csrf_token": csrf_token(client, url), "note": "Passed to the MASH team"}
    )
    [flag] = flags(db)
    assert (flag.handled_by_id, flag.handling_note) == (lead.id, "Passed to the MASH team")
    assert flag.handled_at is not None


@pytest.mark.parametrize("role", ["officer", "forum"])
def test_nobody_else_can_open_the_queue(app, client, db, role):
    complete(app.test_client(), "children", {"should_change": DISCLOSURE})
    sign_in_as(client, db, role)
    [flag] = flags(db)
    assert client.get("/staff/safeguarding").status_code == 403
    assert client.get(f"/staff/safeguarding/{flag.id}").status_code == 403
    views = select(AuditEvent).where(AuditEvent.action.startswith("safeguarding."))
    assert db.scalars(views).all() == []


def test_anyone_not_signed_in_is_sent_to_sign_in(client):
    assert client.get("/staff/safeguarding").headers["Location"].startswith("/staff/sign-in")
