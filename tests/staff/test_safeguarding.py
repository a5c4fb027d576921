"""Disclosures of harm: flagged the moment they are stored, seen only by the safeguarding
lead in a queue with the child's own words, every view logged, each marked handled."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.models import AuditEvent, SafeguardingFlag
from tests.factories import load_shipped_surveys, make_response, sign_in_as
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


def flag_at(db, words: str, flagged_at, handled: bool = False) -> SafeguardingFlag:
    """A response with WORDS, its flag dated FLAGGED_AT (and marked handled if HANDLED)."""
    response = make_response(db, "children", {"should_change": words})
    flag = db.scalar(select(SafeguardingFlag).where(SafeguardingFlag.response_id == response.id))
    flag.flagged_at = flagged_at
    if handled:
        flag.handled_at, flag.handling_note = flagged_at + timedelta(minutes=5), "Called school"
    db.commit()
    return flag


def flag_id(row) -> int:
    return int(row.select_one("a[data-flagged-at]")["href"].rsplit("/", 1)[1])


def queue_rows(client, page: str = ""):
    rows = parse(client.get(f"/staff/safeguarding{page}")).select("main table tbody tr")
    return [
        {
            "id": flag_id(row),
            "why": row.select_one("[data-why]").text.strip(),
            "flagged": row.select_one("[data-flagged-at]").text.strip(),
            "age": row.select_one("[data-age]").text.strip(),
            "status": " ".join(row.select_one("[data-status]").text.split()),
        }
        for row in rows
    ]


def test_the_queue_puts_what_is_waiting_first_newest_first_in_london_time_with_its_age(client, db):
    now = datetime.now(UTC)
    old = flag_at(db, "i want to kill myself", datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    handled = flag_at(db, "i am not safe at the park", now - timedelta(hours=1), handled=True)
    newest = flag_at(db, DISCLOSURE, now - timedelta(hours=3, minutes=5))
    sign_in_as(client, db, "safeguarding")
    rows = queue_rows(client)
    assert [row["id"] for row in rows] == [newest.id, old.id, handled.id]
    assert "harm at home" in rows[0]["why"]
    assert rows[0]["age"] == "3 hours ago"
    assert rows[0]["status"] == "Not handled"
    # 1pm in London: British Summer Time.
    assert rows[1]["flagged"] == "1 July 2026 at 1:00pm"
    assert rows[1]["age"].endswith("days ago")
    assert rows[2]["status"] == "Handled"
    assert rows[2]["age"] == "1 hour ago"
    assert "UTC" not in parse(client.get("/staff/safeguarding")).select_one("main").text


def test_a_flag_waiting_more_than_a_working_day_is_marked_overdue_in_words(client, db):
    now = datetime.now(UTC)
    # A week ago always includes a whole working day, whatever today is; three hours never.
    late = flag_at(db, "i want to kill myself", now - timedelta(days=7))
    recent = flag_at(db, DISCLOSURE, now - timedelta(hours=3))
    dealt_with = flag_at(db, "my dad hits me", now - timedelta(days=8), handled=True)
    sign_in_as(client, db, "safeguarding")
    page = parse(client.get("/staff/safeguarding"))
    status = {row["id"]: row["status"] for row in queue_rows(client)}
    assert status == {
        recent.id: "Not handled",
        late.id: "Overdue Not handled for more than a working day",
        dealt_with.id: "Handled",
    }
    overdue_rows = page.select("tr.app-safeguarding-queue__overdue")
    assert [flag_id(row) for row in overdue_rows] == [late.id]


def test_a_long_queue_is_paged_with_the_newest_disclosure_first(client, db):
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    older = [flag_at(db, "i want to kill myself", start + timedelta(hours=n)) for n in range(26)]
    newest = flag_at(db, DISCLOSURE, start + timedelta(days=3))
    sign_in_as(client, db, "safeguarding")
    first = queue_rows(client)
    assert len(first) == 25
    assert first[0]["id"] == newest.id and "harm at home" in first[0]["why"]
    second = queue_rows(client, "?page=2")
    assert [row["id"] for row in second] == [older[1].id, older[0].id]
    assert queue_rows(client, "?page=99") == second
    assert queue_rows(client, "?page=abc") == first
    summary = parse(client.get("/staff/safeguarding")).select_one("[data-queue-summary]").text
    assert summary.startswith("27 not handled yet, out of 27.")
