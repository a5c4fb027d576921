"""The officer erases a response typed from paper or imported (no receipt code) on a
person's request: a confirmation page first, the safeguarding check of erasure by
receipt code, and an audit entry naming who erased it."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, Response, SafeguardingFlag
from tests.factories import load_shipped_surveys, make_response, write_csv
from tests.pages import csrf_token, parse
from tests.staff.workspace import sign_in_as

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def exists(db, response_id: int) -> bool:
    found = db.scalar(select(func.count()).select_from(Response).where(Response.id == response_id))
    db.commit()
    return found == 1


def erase_link(client, response_id: int) -> str | None:
    card = parse(client.get("/staff/responses")).select_one(f"[data-response='{response_id}']")
    link = card.select_one("a[href$='/erase']")
    return link["href"] if link else None


def confirm(client, url: str):
    page = parse(client.get(url))
    form = page.select_one("main form")
    fields = {i["name"]: i["value"] for i in form.select("input")}
    return client.post(url, data=fields)


def test_the_officer_erases_a_paper_response_after_confirming(client, runner, db):
    paper = make_response(
        db,
        survey="young-people",
        channel="paper",
        submitted_at=datetime(2026, 1, 15, 9, 30, tzinfo=UTC),
        answers={"cares_about_opinion": "mostly"},
    )
    other = make_response(db, channel="paper")
    sign_in_as(client, runner)
    url = erase_link(client, paper.id)
    assert url == f"/staff/responses/{paper.id}/erase"
    page = parse(client.get(url))
    assert page.h1.text == "Erase this response?"
    summary = page.select_one(".govuk-summary-list").get_text(" ", strip=True)
    assert "on paper, 15 January 2026" in summary
    assert exists(db, paper.id)  # opening the page erases nothing

    erased = confirm(client, url)
    assert erased.headers["Location"] == "/staff/responses"
    assert not exists(db, paper.id) and exists(db, other.id)
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "data.erase"))
    assert (event.subject, event.user.email) == (f"response:{paper.id}", "officer@example.org")
    assert event.detail == {"channel": "paper"}
    banner = parse(client.get("/staff/responses")).select_one(".govuk-notification-banner")
    assert f"Response {paper.id} has been erased" in banner.text
    assert client.get(url).status_code == 404


def test_an_imported_response_is_erasable_and_an_online_one_is_not(client, runner, db):
    imported = make_response(db, channel="event")
    online = make_response(db)
    online.receipt_code = "KX4T-9MPA"
    db.commit()
    sign_in_as(client, runner)
    assert erase_link(client, imported.id) is not None
    assert erase_link(client, online.id) is None
    url = f"/staff/responses/{online.id}/erase"
    assert client.get(url).status_code == 404
    token = csrf_token(client, "/resume")  # one form token serves every form of a session
    assert client.post(url, data={"csrf_token": token}).status_code == 404
    assert exists(db, online.id)


def test_a_disclosure_waiting_for_the_safeguarding_lead_is_kept(client, runner, db):
    flagged = make_response(db, channel="paper", answers={"should_change": "my dad hits me"})
    sign_in_as(client, runner)
    url = f"/staff/responses/{flagged.id}/erase"
    page = parse(client.get(url))
    assert page.select_one("[data-waiting]") is not None
    assert page.select_one("main form") is None
    assert "dad hits me" not in page.get_text()
    forced = client.post(url, data={"csrf_token": csrf_token(client, "/resume")})
    assert forced.status_code == 409
    assert exists(db, flagged.id)

    flag = db.scalar(select(SafeguardingFlag))
    flag.handled_at = datetime.now(UTC)
    db.commit()
    assert confirm(client, url).status_code == 302
    assert not exists(db, flagged.id)


def test_without_the_form_token_nothing_is_erased(client, runner, db):
    paper = make_response(db, channel="paper")
    sign_in_as(client, runner)
    refused = client.post(f"/staff/responses/{paper.id}/erase")
    assert refused.status_code in (200, 400)
    assert exists(db, paper.id)
    assert client.get("/staff/responses/999999/erase").status_code == 404


def test_importing_the_same_file_again_does_not_bring_an_erased_response_back(
    client, runner, db, tmp_path
):
    path = write_csv(
        tmp_path / "paper.csv",
        ["survey", "submitted_at", "channel", "cares_about_opinion"],
        [
            ["children", "2025-10-01", "paper", "always"],
            ["children", "2025-10-02", "paper", "never"],
        ],
    )
    assert runner.invoke(args=["responses", "import", str(path)]).exit_code == 0
    erased = db.scalar(
        select(Response).where(Response.answers["cares_about_opinion"].as_string() == "never")
    )
    db.commit()
    sign_in_as(client, runner)
    confirm(client, f"/staff/responses/{erased.id}/erase")

    again = runner.invoke(args=["responses", "import", str(path)])
    assert "Imported 0 responses; 2 row(s) were imported before" in again.output
    answers = [r.answers["cares_about_opinion"] for r in db.scalars(select(Response))]
    db.commit()
    assert answers == ["always"]
