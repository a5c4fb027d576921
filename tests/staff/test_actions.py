"""The action log: the officer adds and updates actions; overdue ones show as overdue,
to staff and to the public."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import Action, ActionUpdate
from tests.factories import load_shipped_surveys, sign_in_as
from tests.pages import csrf_token, error_summary, parse

GOOD = {
    "survey_id": "children",
    "theme": "transport",
    "you_said": "The school taxi is often late",
    "we_will": "Check every taxi contract this term",
    "owner": "Home to school transport team",
    "due_on-day": "1",
    "due_on-month": "2",
    "due_on-year": "2026",
    "success_measure": "Fewer than 1 in 20 journeys late",
    "status": "planned",
}


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def add(client, **changes):
    return client.post(
        "/staff/actions/new",
        data={
            "csrf_token": csrf_token(client, "/staff/actions/new"),
            **GOOD,
            **changes,
        },
    )


def test_the_officer_adds_an_action(client, db):
    sign_in_as(client, db, "officer")
    assert add(client).headers["Location"] == "/staff/actions"
    action = db.scalar(select(Action))
    assert (action.survey_id, action.theme, action.due_on) == (
        "children",
        "transport",
        date(2026, 2, 1),
    )
    assert action.owner == "Home to school transport team"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"you_said": ""}, "Enter what people said"),
        ({"owner": ""}, "Enter who owns this action"),
        ({"due_on-day": "", "due_on-month": "", "due_on-year": ""}, "Enter the date it is due by"),
        ({"due_on-month": ""}, "Due by must include a month"),
        ({"due_on-day": "31", "due_on-month": "2"}, "Due by must be a real date"),
        ({"status": "finished"}, "Select the status"),
        ({"survey_id": "teachers"}, "Select a survey"),
        ({"theme": "weather"}, "Select a theme"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(client, db, changes, message):
    sign_in_as(client, db, "officer")
    refused = add(client, **changes)
    assert refused.status_code == 200
    assert error_summary(refused) == [message]
    assert db.scalar(select(Action)) is None


def test_progress_notes_move_the_status_and_are_kept(client, db):
    sign_in_as(client, db, "officer")
    add(client)
    action = db.scalar(select(Action))
    url = f"/staff/actions/{action.id}/progress"
    client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "note": "Contracts checked", "status": "done"},
    )
    db.commit()  # end the test's read, so it sees the request's write
    db.expire_all()
    assert db.scalar(select(Action)).status == "done"
    assert [u.note for u in db.scalars(select(ActionUpdate))] == ["Contracts checked"]


def test_overdue_actions_show_as_overdue_to_staff_and_public(app, client, db):
    sign_in_as(client, db, "officer")
    past = date.today() - timedelta(days=3)
    due = {
        "due_on-day": str(past.day),
        "due_on-month": str(past.month),
        "due_on-year": str(past.year),
    }
    add(client, **due)
    add(client, you_said="Done already", status="done", **due)
    for page in (client.get("/staff/actions"), app.test_client().get("/you-said-we-did")):
        rows = parse(page).select("table.app-action-table tbody tr")
        overdue = ["Overdue" in row.text for row in rows]
        assert sorted(overdue) == [False, True]


@pytest.mark.parametrize("role", ["forum", "safeguarding"])
def test_only_the_officer_changes_actions(client, db, role):
    sign_in_as(client, db, role)
    assert client.get("/staff/actions/new").status_code == 403


def test_text_is_shown_as_text_on_the_public_list(app, client, db):
    sign_in_as(client, db, "officer")
    add(client, we_will="<script>alert(1)</script> fix it")
    html = app.test_client().get("/you-said-we-did").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
