"""The responses browser: filters, pages, free text shown as text, flagged answers withheld."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select

from app.models import AuditEvent, SafeguardingFlag, ThemeCorrection
from app.staff import responses as browser
from tests.factories import load_shipped_surveys, make_response
from tests.pages import error_summary, parse
from tests.staff.workspace import sign_in_as

pytestmark = pytest.mark.postgres

DISCLOSURE = "my dad hits me and I am scared to go home"


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def flagged(db, **kwargs):
    """A response stored as every response is: its words raise a safeguarding flag."""
    response = make_response(db, **kwargs)
    assert db.scalar(select(SafeguardingFlag).where(SafeguardingFlag.response_id == response.id))
    db.commit()
    return response


def shown(client, query="") -> dict[int, object]:
    page = parse(client.get(f"/staff/responses{query}"))
    return {int(card["data-response"]): card for card in page.select("[data-response]")}


def test_anyone_not_signed_in_is_sent_to_sign_in(client):
    assert client.get("/staff/responses").headers["Location"].startswith("/staff/sign-in")


def test_the_forum_never_sees_peoples_own_words(client, runner):
    sign_in_as(client, runner, "forum")
    assert client.get("/staff/responses").status_code == 403


def test_free_text_is_shown_as_text_never_as_html(client, runner, db):
    words = '<script>alert("x")</script> <b>art</b> club'
    response = make_response(db, answers={"going_well": words, "area": "kington"})
    sign_in_as(client, runner)
    card = shown(client)[response.id]
    assert not card.select("script, b")
    assert words in card.get_text()
    assert "Kington" in card.get_text()


def test_a_flagged_response_is_withheld_from_the_officer(client, runner, db):
    response = flagged(db, answers={"going_well": DISCLOSURE})
    sign_in_as(client, runner)
    page = client.get("/staff/responses")
    card = shown(client)[response.id]
    assert card.has_attr("data-withheld")
    assert "Withheld: passed to the safeguarding lead" in card.get_text()
    assert "hits me" not in page.get_data(as_text=True)


def test_the_safeguarding_lead_sees_it_and_the_view_is_logged(client, runner, db):
    response = flagged(db, answers={"going_well": DISCLOSURE})
    sign_in_as(client, runner, "safeguarding")
    card = shown(client)[response.id]
    assert DISCLOSURE in card.get_text()
    assert not card.has_attr("data-withheld")
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "safeguarding.view"))
    assert event.subject == f"response:{response.id}"


def test_filters_choose_by_survey_audience_and_area(client, runner, db):
    kington = make_response(db, answers={"area": "kington"})
    unstated = make_response(db, answers={"area": "prefer_not_to_say"})
    parents = make_response(db, survey="parent-carers", answers={"area": "kington"})
    sign_in_as(client, runner)
    assert set(shown(client)) == {kington.id, unstated.id, parents.id}
    assert set(shown(client, "?survey=children")) == {kington.id, unstated.id}
    assert set(shown(client, "?audience=parent_carer")) == {parents.id}
    assert set(shown(client, "?area=kington")) == {kington.id, parents.id}
    assert set(shown(client, "?area=not_stated")) == {unstated.id}
    assert set(shown(client, "?survey=children&area=kington")) == {kington.id}


def test_the_year_is_judged_by_the_date_in_london(client, runner, db):
    # 23:30 UTC on 31 August 2025 is 00:30 on 1 September in London: the new year.
    new_year = make_response(db, submitted_at=datetime(2025, 8, 31, 23, 30, tzinfo=UTC))
    old_year = make_response(db, submitted_at=datetime(2025, 8, 31, 22, 30, tzinfo=UTC))
    sign_in_as(client, runner)
    assert set(shown(client, "?period=2025/26")) == {new_year.id}
    assert set(shown(client, "?period=2024/25")) == {old_year.id}
    options = [o["value"] for o in parse(client.get("/staff/responses")).select("#period option")]
    assert options == ["", "2025/26", "2024/25"]


def test_the_theme_filter_finds_comments_by_their_themes(client, runner, db):
    waiting = make_response(db, answers={"should_change": "The waiting list is far too long"})
    make_response(db, answers={"going_well": "I like art club"})
    flagged(db, answers={"going_well": "The wait is awful and " + DISCLOSURE})
    sign_in_as(client, runner)
    assert set(shown(client, "?theme=waiting_times")) == {waiting.id}


def test_a_filter_that_is_not_among_the_choices_is_an_error(client, runner, db):
    make_response(db)
    sign_in_as(client, runner)
    response = client.get("/staff/responses?survey=nope&area=atlantis")
    assert error_summary(response) == ["Select a survey", "Select an area"]


def test_responses_come_a_page_at_a_time_newest_first(client, runner, db):
    made = [
        make_response(db, submitted_at=datetime(2025, 10, 1, 12, minute, tzinfo=UTC))
        for minute in range(25)
    ]
    sign_in_as(client, runner)
    first = parse(client.get("/staff/responses?survey=children"))
    ids = [int(card["data-response"]) for card in first.select("[data-response]")]
    assert ids == [r.id for r in reversed(made)][:20]
    assert "Showing 1 to 20 of 25 responses" in first.text
    next_link = first.select_one(".govuk-pagination__next a")["href"]
    assert "survey=children" in next_link
    second = parse(client.get(next_link))
    assert len(second.select("[data-response]")) == 5
    assert parse(client.get("/staff/responses?page=99")).select("[data-response]")


def test_a_response_is_a_short_block_its_written_answers_first_and_the_rest_folded(
    client, runner, db
):
    response = make_response(
        db,
        answers={
            "cares_about_opinion": "always",
            "going_well": "art club",
            "should_change": "x " * 300,
        },
    )
    sign_in_as(client, runner)
    card = shown(client)[response.id]
    short, long = (p.get_text(strip=True) for p in card.select("[data-comment]"))
    assert short.endswith("“art club”")
    assert len(long) < 300 and long.endswith("...”")
    details = card.select_one("details[data-answers]")
    assert not details.has_attr("open")
    assert len(details.select(".govuk-summary-list__row")) == 3
    assert "x x x" in details.get_text()


def test_long_paginations_mark_the_pages_left_out_with_words(client, runner, db, monkeypatch):
    monkeypatch.setattr(browser, "PAGE_SIZE", 1)
    for minute in range(9):
        make_response(db, submitted_at=datetime(2025, 10, 1, 12, minute, tzinfo=UTC))
    sign_in_as(client, runner)
    page = parse(client.get("/staff/responses?survey=children&page=5"))
    items = page.select(".govuk-pagination__list li")
    assert [li.get_text(strip=True) for li in items] == [
        "1",
        "… more pages",
        "4",
        "5",
        "6",
        "… more pages",
        "9",
    ]
    assert all("survey=children" in a["href"] for a in page.select(".govuk-pagination a"))


def test_a_filter_that_leaves_fewer_pages_shows_the_last_of_them(client, runner, db, monkeypatch):
    monkeypatch.setattr(browser, "PAGE_SIZE", 2)
    for minute in range(6):
        make_response(db, submitted_at=datetime(2025, 10, 1, 12, minute, tzinfo=UTC))
    kept = make_response(db, survey="parent-carers", answers={"going_well": "ok"})
    sign_in_as(client, runner)
    page = parse(client.get("/staff/responses?survey=parent-carers&page=3"))
    assert [int(c["data-response"]) for c in page.select("[data-response]")] == [kept.id]
    assert page.select(".govuk-pagination") == []


def test_the_theme_filter_follows_new_answers_and_corrections(client, runner, db):
    waiting = make_response(db, answers={"should_change": "The waiting list is far too long"})
    sign_in_as(client, runner)
    assert set(shown(client, "?theme=waiting_times")) == {waiting.id}
    later = make_response(db, answers={"going_well": "no more waiting for a plan"})
    art = make_response(db, answers={"going_well": "I like art club"})
    db.add_all(
        [
            ThemeCorrection(
                response_id=waiting.id,
                question="should_change",
                theme="waiting_times",
                action="remove",
            ),
            ThemeCorrection(
                response_id=art.id, question="going_well", theme="waiting_times", action="add"
            ),
        ]
    )
    db.commit()
    assert set(shown(client, "?theme=waiting_times")) == {later.id, art.id}
    total = parse(client.get("/staff/responses?theme=waiting_times")).select_one("[data-total]")
    assert total["data-total"] == "2"


def test_every_page_is_its_slice_of_the_newest_first_list_read_from_the_nearer_end(
    client, runner, db, app, monkeypatch
):
    """Pages in the older half are read oldest first and turned round: each page must
    still be exactly its slice of the whole list, ties on the time broken by the id."""
    monkeypatch.setattr(browser, "PAGE_SIZE", 3)
    made = [
        make_response(
            db,
            survey="young-people",
            answers={"area": ["kington", "hereford", "prefer_not_to_say"][number % 3]},
            submitted_at=datetime(2025, 10, 1 + number // 2, 12, tzinfo=UTC),
        )
        for number in range(14)
    ]
    newest_first = sorted(made, key=lambda r: (r.submitted_at, r.id), reverse=True)
    sign_in_as(client, runner)
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(" ".join(statement.lower().split()))

    engine = app.extensions["db_engine"]
    for query, chosen in (
        ("", newest_first),
        ("&area=not_stated", [r for r in newest_first if "prefer_not_to_say" in str(r.answers)]),
    ):
        pages = -(-len(chosen) // 3)
        for number in range(1, pages + 1):
            shown_ids = list(shown(client, f"?survey=young-people{query}&page={number}"))
            expected = [r.id for r in chosen[(number - 1) * 3 : number * 3]]
            assert shown_ids == expected, (query, number)
        event.listen(engine, "before_cursor_execute", seen)
        try:
            last = list(shown(client, f"?survey=young-people{query}&page=999"))
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        assert last == [r.id for r in chosen[(pages - 1) * 3 :]]
    # The last page is read from the oldest end (where it is the first rows), not after
    # stepping over every newer response.
    pages_read = [s for s in statements if "order by responses.submitted_at" in s]
    assert pages_read and all("submitted_at desc" not in s for s in pages_read)
    # How many there are is added up from the tallies, not counted from the responses.
    assert not [s for s in statements if "count(" in s and "from responses" in s]
    assert [s for s in statements if "from response_tallies" in s]
