"""`/staff/measures`: the same figures unsuppressed, with bases, marked not for publication.

Figures from `make_small_dataset` (tests/test_measures_cli.py): the opinion measure's
breakdowns, all hidden in public, are child 1 of 1 and young people 7 of 10 here.
"""

import pytest

from app.models import Role
from tests import factories
from tests.factories import make_response
from tests.pages import parse
from tests.test_measures_cli import make_small_dataset

OPINION = "#o2_opinion_cared_about"


def sign_in_as(client, db, role: Role) -> None:
    factories.sign_in_as(client, db, role.value)


def test_anyone_not_signed_in_is_sent_to_sign_in(client, db):
    make_small_dataset(db)

    response = client.get("/staff/measures")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/sign-in")


@pytest.mark.parametrize("role", list(Role))
def test_staff_of_any_role_see_every_figure_with_its_base(client, db, role):
    make_small_dataset(db)
    sign_in_as(client, db, role)

    page = parse(client.get("/staff/measures?by=audience"))

    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select(".app-responsive-table__value")]
        for row in page.select(f"{OPINION} table.govuk-table tbody tr")
    ]
    assert rows == [
        ["All", "72.7%", "43.4 to 90.3", "8 of 11", "Shown"],
        ["By who answered"],
        [
            "Children (under 11)",
            "100.0%",
            "20.7 to 100.0",
            "1 of 1",
            "Hidden: fewer than 10 answers",
        ],
        [
            "Young people (11 to 25)",
            "70.0%",
            "39.7 to 89.2",
            "7 of 10",
            "Hidden to protect a small group",
        ],
    ]
    head = [th.get_text(strip=True) for th in page.select(f"{OPINION} table thead th")]
    assert head[-2:] == ["Answers counted", "Public page"]


def test_the_page_is_marked_not_for_publication(client, db):
    make_small_dataset(db)
    sign_in_as(client, db, Role.FORUM)

    page = parse(client.get("/staff/measures"))

    assert page.select_one("h1").get_text(strip=True) == "Outcome measures: not for publication"
    warning = page.select_one(".govuk-warning-text").get_text(" ", strip=True)
    assert "Not for publication" in warning
    assert "not for publication" in page.title.get_text()
    assert "not for publication" in page.select_one("main h2.govuk-heading-m").get_text()
    assert page.select_one("form.app-measures-form")["action"] == "/staff/measures"


def test_a_small_overall_figure_is_shown_to_staff_and_marked_hidden_in_public(client, db):
    make_small_dataset(db)
    for answer in ("yes", "yes", "no"):
        make_response(db, "parent-carers", {"told_how_views_used": answer})
    sign_in_as(client, db, Role.OFFICER)

    page = parse(client.get("/staff/measures?by="))
    public = parse(client.get("/measures?by="))

    told = "#o2_told_how_views_used"
    assert page.select_one(f"{told} .app-measure__sentence").get_text(strip=True) == (
        "67 in every 100 children, young people and parent carers said they were told how "
        "their views had been used."
    )
    assert page.select_one(f"{told} .app-measure__public").get_text(" ", strip=True) == (
        "Public page Hidden: fewer than 10 answers"
    )
    assert public.select_one(f"{told} .app-measure__sentence").get_text(strip=True) == (
        "We cannot show this figure: there were fewer than 10 answers."
    )
    # No one answered the co-production question: staff see there are no answers.
    assert page.select_one("#o5_coproduction_effective .app-measure__sentence").get_text(
        strip=True
    ) == ("There are no answers for this yet.")


def test_bad_options_show_an_error(client, db):
    make_small_dataset(db)
    sign_in_as(client, db, Role.OFFICER)

    response = client.get("/staff/measures?by=colour")

    assert response.status_code == 400
    summary = parse(response).select_one(".govuk-error-summary__list").get_text(" ", strip=True)
    assert "Cannot break down by colour" in summary
