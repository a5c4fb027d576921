"""The way around the workspace: GOV.UK service navigation with the pages each role may
open (and no other), the current page marked, and the account with sign-out at the top of
every staff page."""

import pytest

from tests.factories import load_shipped_surveys, sign_in_as
from tests.pages import csrf_token, parse

# What each role's navigation offers, in order, as a new colleague would be told.
NAVIGATION = {
    "officer": [
        ("Surveys", "/staff"),
        ("Responses", "/staff/responses"),
        ("Themes", "/staff/themes"),
        ("Actions", "/staff/actions"),
        ("Reports", "/staff/reports"),
        ("Measures", "/staff/measures"),
        ("Downloads", "/staff/exports"),
        ("Team", "/staff/team"),
    ],
    "forum": [
        ("Home", "/staff"),
        ("Actions", "/staff/actions"),
        ("Reports", "/staff/reports"),
        ("Measures", "/staff/measures"),
    ],
    "safeguarding": [
        ("Home", "/staff"),
        ("Responses", "/staff/responses"),
        ("Measures", "/staff/measures"),
        ("Safeguarding", "/staff/safeguarding"),
    ],
}
EVERY_PAGE = {href for links in NAVIGATION.values() for _label, href in links}
# Pages of the account bar, beside two-step sign-in and signing out.
ACCOUNT = {"officer": ["/staff/outbox", "/staff/bursts"], "forum": [], "safeguarding": []}


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def navigation(page) -> list[tuple[str, str]]:
    return [
        (link.get_text(strip=True), link["href"])
        for link in page.select("header .govuk-service-navigation a")
    ]


@pytest.mark.parametrize("role", NAVIGATION)
def test_each_role_is_offered_the_pages_it_may_open_and_no_other(client, db, role):
    sign_in_as(client, db, role)

    offered = navigation(parse(client.get("/staff")))

    assert offered == NAVIGATION[role]
    for _label, href in offered:
        assert client.get(href).status_code == 200, href
    for href in EVERY_PAGE - {href for _label, href in offered}:
        assert client.get(href).status_code == 403, href


@pytest.mark.parametrize("role", NAVIGATION)
def test_every_page_in_the_navigation_has_the_navigation_and_the_account_at_the_top(
    client, db, role
):
    user = sign_in_as(client, db, role)
    for _label, href in NAVIGATION[role]:
        page = parse(client.get(href))
        header = page.select_one("header")
        assert navigation(page) == NAVIGATION[role], href
        account = header.select_one("nav.app-account")
        assert account.select_one(".app-account__email").text == user.email
        sign_out = account.select_one("form[action='/staff/sign-out']")
        assert sign_out.select_one("button").get_text(strip=True) == "Sign out"
        assert sign_out.select_one("input[name=csrf_token]")["value"]
        links = [a["href"] for a in account.select("a")]
        assert links == ["/staff/two-factor/set-up", *ACCOUNT[role]]


def test_the_current_page_is_marked_and_its_part_of_the_workspace_active(client, db):
    sign_in_as(client, db, "officer")

    def marked(url: str) -> list[tuple[str, str]]:
        page = parse(client.get(url))
        return [
            (link.get_text(strip=True), link["aria-current"])
            for link in page.select(".govuk-service-navigation a[aria-current]")
        ]

    assert marked("/staff") == [("Surveys", "page")]
    assert marked("/staff/responses") == [("Responses", "page")]
    assert marked("/staff/surveys/children") == [("Surveys", "true")]
    assert marked("/staff/surveys/children/targets") == [("Surveys", "true")]
    assert marked("/staff/responses/import") == [("Responses", "true")]
    assert marked("/staff/team/invite") == [("Team", "true")]
    assert marked("/staff/outbox") == []
    page = parse(client.get("/staff/outbox"))
    assert page.select_one(".app-account a[aria-current=page]")["href"] == "/staff/outbox"


def test_the_menu_collapses_on_a_phone_with_govuks_own_toggle(client, db):
    sign_in_as(client, db, "officer")
    navigation = parse(client.get("/staff")).select_one("header .govuk-service-navigation")
    assert navigation["data-module"] == "govuk-service-navigation"
    toggle = navigation.select_one("button.govuk-service-navigation__toggle")
    # Hidden until GOV.UK's script shows it on a small screen: without JavaScript the
    # list stays open.
    assert toggle.has_attr("hidden")
    assert toggle["aria-controls"] == navigation.select_one("ul")["id"]


def test_the_forum_is_offered_two_step_sign_in_and_the_officer_sees_it_on(app, client, db):
    sign_in_as(client, db, "forum")
    forum = parse(client.get("/staff")).select_one(".app-account")
    assert forum.select_one("a").get_text(strip=True) == "Set up two-step sign-in"
    officer = app.test_client()
    sign_in_as(officer, db, "officer")
    account = parse(officer.get("/staff")).select_one(".app-account")
    assert account.select_one("a").get_text(strip=True) == "Two-step sign-in: on"


def test_no_navigation_before_signing_in_or_after_signing_out(client, db):
    assert not parse(client.get("/staff/sign-in")).select(".govuk-service-navigation")
    sign_in_as(client, db, "officer")
    client.post("/staff/sign-out", data={"csrf_token": csrf_token(client, "/staff")})
    page = parse(client.get("/staff/sign-in"))
    assert not page.select(".govuk-service-navigation, .app-account")


def test_public_pages_have_no_staff_navigation_even_when_signed_in(client, db):
    sign_in_as(client, db, "officer")
    page = parse(client.get("/"))
    assert not page.select(".govuk-service-navigation, .app-account")


def test_the_forum_and_safeguarding_home_lists_their_pages(client, db):
    sign_in_as(client, db, "safeguarding")
    page = parse(client.get("/staff"))
    listed = [a["href"] for a in page.select("main [data-pages] a")]
    assert listed == ["/staff/responses", "/staff/measures", "/staff/safeguarding"]
