"""Questions the outcome measures count: their ids and answers change only after a clear
warning that the measure's trend breaks, and a confirmation."""

import pytest

from tests.pages import error_summary, parse
from tests.staff.builder.helpers import newest, post, version_count
from tests.staff.workspace import sign_in_as

MEASURE_QUESTION = "/staff/surveys/children/build/questions/cares_about_opinion"


@pytest.fixture
def officer(client, runner, surveys_dir):
    sign_in_as(client, runner)
    return client


def test_the_question_page_warns_that_the_trend_would_break(officer):
    page = parse(officer.get(MEASURE_QUESTION))
    warning = page.select_one(".govuk-warning-text").get_text(" ", strip=True)
    assert "outcome measures" in warning and "trend breaks" in warning


@pytest.mark.parametrize(
    "change", [{"question_id": "cares_about_me"}, {"kind": "free_text"}, {"kind": "told"}]
)
def test_changing_its_id_or_answers_needs_the_confirmation(officer, db, change):
    page = post(officer, MEASURE_QUESTION, {"action": "save", **change})
    assert any("breaks the trend" in item for item in error_summary(page))
    assert version_count(db, "children") == 1


def test_confirmed_a_new_id_is_saved(officer, db):
    page = post(
        officer,
        MEASURE_QUESTION,
        {"action": "save", "question_id": "cares_about_me", "confirm_measure": "y"},
    )
    assert page.status_code == 302
    assert newest(db, "children").question("cares_about_me") is not None


def test_its_words_change_without_confirmation(officer, db):
    page = post(
        officer, MEASURE_QUESTION, {"action": "save", "options-1-label": "Most of the time"}
    )
    assert page.status_code == 302
    assert newest(db, "children").question("cares_about_opinion").options[1].label == (
        "Most of the time"
    )


def test_its_option_ids_cannot_change_even_confirmed(officer, db):
    """The loader's own rule: a measure question keeps its scale's options exactly."""
    page = post(
        officer,
        MEASURE_QUESTION,
        {"action": "save", "options-1-id": "often", "confirm_measure": "y"},
    )
    assert any("counted in the outcome measures" in item for item in error_summary(page))
    assert version_count(db, "children") == 1


def test_removing_it_needs_the_confirmation(officer, db):
    url = "/staff/surveys/children/build/questions/cares_about_opinion/remove"
    page = post(officer, url, {})
    assert any("trend will break" in item for item in error_summary(page))
    assert version_count(db, "children") == 1
    assert post(officer, url, {"confirm_measure": "y"}).status_code == 302
    assert newest(db, "children").question("cares_about_opinion") is None
