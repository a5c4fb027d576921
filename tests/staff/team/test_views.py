"""The Team page: officers see every account and invite, change the role of, disable,
enable and reset the password of staff, each confirmed first and audited; the last
active officer stays an officer."""

from sqlalchemy import select

from app.models import AuditEvent, User
from tests.factories import PASSWORD, make_user, sign_in_as
from tests.pages import csrf_token, error_summary, parse
from tests.staff.test_views import set_password, sign_in

FORUM = "forum@herefordshire.gov.uk"


def send(client, url: str, data: dict | None = None, token_from: str | None = None):
    return client.post(
        url, data={"csrf_token": csrf_token(client, token_from or url), **(data or {})}
    )


def fresh(db, user: User) -> User:
    db.rollback()
    db.expire_all()
    return db.get(User, user.id)


def signed_out(client) -> bool:
    return client.get("/staff").headers.get("Location", "").startswith("/staff/sign-in")


def test_the_team_page_lists_every_account_with_role_status_and_last_sign_in(client, db):
    sign_in_as(client, db, "officer")
    forum = make_user(db, "forum")
    waiting = make_user(db, "safeguarding")
    waiting.password_hash = None
    db.commit()
    cards = parse(client.get("/staff/team")).select("[data-member]")
    table = [
        [card.h2.get_text(" ", strip=True)]
        + [value.get_text(" ", strip=True) for value in card.select("dd")]
        for card in cards
    ]
    assert [row[:3] for row in table] == [
        ["forum@herefordshire.gov.uk", "Parent carer forum", "Active"],
        ["officer@herefordshire.gov.uk (you)", "Officer", "Active"],
        ["safeguarding@herefordshire.gov.uk", "Safeguarding lead", "Waiting for a password"],
    ]
    assert table[0][3] == "Never" and table[1][3] != "Never"
    assert cards[0].select_one("a")["href"] == f"/staff/team/{forum.id}"


def test_the_workspace_links_to_the_team_page_for_officers_only(app, client, db):
    sign_in_as(client, db, "officer")
    links = [a["href"] for a in parse(client.get("/staff")).select(".govuk-service-navigation a")]
    assert "/staff/team" in links
    forum = app.test_client()
    sign_in_as(forum, db, "forum")
    everywhere = [a["href"] for a in parse(forum.get("/staff")).select("a")]
    assert "/staff/team" not in everywhere


def test_an_officer_invites_someone_who_sets_a_password_from_the_link(app, client, db):
    sign_in_as(client, db, "officer")
    response = send(
        client, "/staff/team/invite", {"email": " New.Person@Example.org ", "role": "forum"}
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    link = parse(response).select_one("[data-set-password-link]").text
    token = link.rsplit("/", 1)[1]
    newcomer = app.test_client()
    assert set_password(newcomer, token).status_code == 302
    assert sign_in(newcomer, "new.person@example.org").status_code == 302
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "account.invited")).all()
    assert [(e.detail["email"], e.detail["role"], e.detail["by"]) for e in events] == [
        ("new.person@example.org", "forum", "team page")
    ]


def test_an_invitation_with_mistakes_is_refused_clearly(client, db):
    sign_in_as(client, db, "officer")
    assert error_summary(send(client, "/staff/team/invite", {"email": "", "role": ""})) == [
        "Enter their email address",
        "Select their role",
    ]
    assert error_summary(
        send(client, "/staff/team/invite", {"email": "not an email", "role": "boss"})
    ) == [
        "Enter an email address in the correct format, like name@example.com",
        "Select their role",
    ]
    taken = send(
        client, "/staff/team/invite", {"email": "OFFICER@herefordshire.gov.uk", "role": "forum"}
    )
    assert error_summary(taken) == ["There is already an account for officer@herefordshire.gov.uk."]
    assert parse(taken).select_one("#email")["value"] == "OFFICER@herefordshire.gov.uk"
    assert len(db.scalars(select(User)).all()) == 1


def test_a_role_change_is_confirmed_first_then_signs_them_out(app, client, db):
    sign_in_as(client, db, "officer")
    member = app.test_client()
    forum = sign_in_as(member, db, "forum")
    url = f"/staff/team/{forum.id}/role"

    asked = send(client, url, {"role": "safeguarding"})
    page = parse(asked)
    assert page.h1.text == f"Change the role of {FORUM}?"
    assert page.select_one("[data-new-role]").text == "Safeguarding lead"
    assert fresh(db, forum).role == "forum" and not signed_out(member)

    done = send(client, url, {"role": "safeguarding", "confirmed": "yes"})
    assert done.headers["Location"] == f"/staff/team/{forum.id}"
    assert fresh(db, forum).role == "safeguarding"
    assert signed_out(member)
    banner = parse(client.get(done.headers["Location"])).select_one(".govuk-notification-banner")
    assert "now has the role Safeguarding lead" in banner.text


def test_disabling_is_confirmed_signs_them_out_and_enabling_lets_them_back(app, client, db):
    sign_in_as(client, db, "officer")
    member = app.test_client()
    forum = sign_in_as(member, db, "forum")
    confirm = parse(client.get(f"/staff/team/{forum.id}/disable"))
    assert confirm.h1.text == f"Disable the account of {FORUM}?"
    assert fresh(db, forum).active

    send(client, f"/staff/team/{forum.id}/disable")
    assert not fresh(db, forum).active
    assert signed_out(member)
    assert sign_in(member, FORUM).status_code == 200
    assert (
        parse(client.get(f"/staff/team/{forum.id}")).select_one("[data-status]").text.strip()
        == "Disabled"
    )

    send(client, f"/staff/team/{forum.id}/enable", token_from=f"/staff/team/{forum.id}")
    assert fresh(db, forum).active
    assert sign_in(member, FORUM, PASSWORD).status_code == 302


def test_a_reset_shows_a_new_link_once_and_ends_the_old_password(app, client, db):
    sign_in_as(client, db, "officer")
    member = app.test_client()
    forum = sign_in_as(member, db, "forum")
    response = send(client, f"/staff/team/{forum.id}/reset")
    assert response.headers["Cache-Control"] == "no-store"
    token = parse(response).select_one("[data-set-password-link]").text.rsplit("/", 1)[1]
    assert signed_out(member)
    assert sign_in(member, FORUM, PASSWORD).status_code == 200
    set_password(member, token, "another long password")
    assert sign_in(member, FORUM, "another long password").status_code == 302


def test_the_only_officer_cannot_disable_or_demote_themselves(client, db):
    officer = sign_in_as(client, db, "officer")
    refused = send(client, f"/staff/team/{officer.id}/disable")
    reason = "officer@herefordshire.gov.uk is the only active officer and cannot be"
    assert error_summary(refused) == [f"{reason} disabled: make someone else an officer first."]
    demoted = send(client, f"/staff/team/{officer.id}/role", {"role": "forum", "confirmed": "yes"})
    assert error_summary(demoted) == [f"{reason} demoted: make someone else an officer first."]
    assert (fresh(db, officer).role, fresh(db, officer).active) == ("officer", True)
    assert client.get("/staff/team").status_code == 200


def test_changes_need_the_form_token_and_a_real_account(client, db):
    sign_in_as(client, db, "officer")
    forum = make_user(db, "forum")
    assert client.post(f"/staff/team/{forum.id}/disable").status_code == 400
    assert (
        client.post(
            f"/staff/team/{forum.id}/role", data={"role": "officer", "confirmed": "yes"}
        ).status_code
        == 400
    )
    assert (fresh(db, forum).active, fresh(db, forum).role) == (True, "forum")
    assert client.get("/staff/team/99999").status_code == 404
    assert client.get("/staff/team/not-a-number").status_code == 404
    tampered = send(client, f"/staff/team/{forum.id}/role", {"role": "admin", "confirmed": "yes"})
    assert error_summary(tampered) == ["Select the new role"]
