"""Who may open what: every route of the app against each role.

Every staff route must be listed in ACCESS, so a new page cannot appear without someone
deciding who sees it. The forum sees suppressed results and drafts, never raw comments
or the safeguarding queue; only the safeguarding lead sees flagged answers.
"""

import pytest
from flask import Flask

from app.models import Action, Report, SafeguardingFlag
from tests.factories import load_shipped_surveys, make_response, make_user, sign_in_as
from tests.pages import parse

OFFICER, FORUM, SAFEGUARDING = "officer", "forum", "safeguarding"
ANY_STAFF = {OFFICER, FORUM, SAFEGUARDING}

# endpoint -> the roles that may use it (None: anyone, signed in or not)
ACCESS: dict[str, set[str] | None] = {
    "staff.sign_in": None,
    "staff.set_password": None,
    # The second step of signing in: for whoever is part signed in (tests/staff/test_two_factor.py).
    "staff.two_factor": None,
    "staff.two_factor_set_up": None,
    "staff.renew_codes": ANY_STAFF,
    "staff.sign_out": ANY_STAFF,
    "staff.dashboard": ANY_STAFF,
    "staff.measures": ANY_STAFF,
    "staff.actions": {OFFICER, FORUM},
    "staff.edit_action": {OFFICER},
    "staff.action_progress": {OFFICER},
    "staff.reports": {OFFICER, FORUM},
    "staff.report": {OFFICER, FORUM},
    "staff.report_step": {OFFICER, FORUM},
    "staff.report_pdf": {OFFICER, FORUM},
    "staff.comment_on_report": {OFFICER, FORUM},
    "staff.themes": {OFFICER},
    "staff.remove_theme": {OFFICER},
    "staff.tag_comments": {OFFICER},
    "staff.responses": {OFFICER, SAFEGUARDING},
    "staff.export_responses": {OFFICER},
    "staff.import_responses": {OFFICER},
    "staff.exports": {OFFICER},
    "staff.outbox": {OFFICER},
    "staff.chart": {OFFICER},
    "staff.enter_response": {OFFICER},
    "staff.paper": {OFFICER},
    "staff.paper_download": {OFFICER},
    "staff.qr_download": {OFFICER},
    "staff.share": {OFFICER},
    "staff.paper_settings": {OFFICER},
    "staff.survey": {OFFICER},
    "staff.survey_settings": {OFFICER},
    "staff.survey_targets": {OFFICER},
    "staff.survey_wording": {OFFICER},
    "staff.safeguarding_queue": {SAFEGUARDING},
    "staff.safeguarding_flag": {SAFEGUARDING},
    "staff.team": {OFFICER},
    "staff.invite_member": {OFFICER},
    "staff.team_member": {OFFICER},
    "staff.change_member_role": {OFFICER},
    "staff.disable_member": {OFFICER},
    "staff.enable_member": {OFFICER},
    "staff.reset_member_password": {OFFICER},
    "staff.bursts_page": {OFFICER},
    "staff.burst_step": {OFFICER},
    "staff.erase_response_page": {OFFICER},
    "staff.new_survey": {OFFICER},
    "staff.import_survey": {OFFICER},
    "staff.build_survey": {OFFICER},
    "staff.build_details": {OFFICER},
    "staff.build_question": {OFFICER},
    "staff.move_question": {OFFICER},
    "staff.remove_question": {OFFICER},
    "staff.preview_survey": {OFFICER},
    "staff.preview_frame": {OFFICER},
    "staff.publish_survey": {OFFICER},
    "staff.export_survey": {OFFICER},
    "staff.reading_age_now": {OFFICER},
}


def url_values(db) -> dict[str, str]:
    load_shipped_surveys(db)
    flagged = make_response(db, answers={"should_change": "my dad hits me"})
    action = Action(
        you_said="x",
        we_will="y",
        owner="z",
        due_on=flagged.submitted_at.date(),
        success_measure="w",
    )
    report = Report(survey_id="children", period="2025/26")
    db.add_all([action, report])
    db.commit()
    flag = db.query(SafeguardingFlag).one()
    member = make_user(db, "forum", "member@example.org")
    return {
        "survey_id": "children",
        "report_id": str(report.id),
        "action_id": str(action.id),
        "flag_id": str(flag.id),
        "step": "return",
        "by": "audience",
        "kind": "svg",
        "token": "not-a-token",
        "code": "AAAA-AAAA",
        "page_id": "cares_about_opinion",
        "question_id": "cares_about_opinion",
        "period": "2025-26",
        "user_id": str(member.id),
        "move": "release",
        "response_id": str(flagged.id),
    }


def staff_routes(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff."):
            yield rule


def test_every_staff_route_says_who_may_use_it(app):
    assert {rule.endpoint for rule in staff_routes(app)} == set(ACCESS)


@pytest.mark.parametrize("role", [None, OFFICER, FORUM, SAFEGUARDING])
def test_each_role_reaches_only_its_own_pages(app, client, db, role):
    values = url_values(db)
    if role:
        sign_in_as(client, db, role)
    token = parse(client.get("/resume")).select_one("input[name=csrf_token]")["value"]
    wrong = []
    # Signing out last, so every other page is tried while signed in.
    for rule in sorted(staff_routes(app), key=lambda rule: rule.endpoint == "staff.sign_out"):
        allowed = ACCESS[rule.endpoint]
        url = rule.build({name: values[name] for name in rule.arguments})[1]
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(
            url, method=method, data={"csrf_token": token} if method == "POST" else None
        )
        if allowed is None:
            ok = response.status_code not in (401, 403)
        elif role is None:
            ok = response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]
        elif role in allowed and rule.endpoint == "staff.sign_out":
            ok = response.status_code == 302
        elif role in allowed:
            location = response.headers.get("Location", "")
            ok = response.status_code not in (401, 403) and "/staff/sign-in" not in location
        else:
            ok = response.status_code == 403
        if not ok:
            wrong.append(f"{method} {url}: {response.status_code}")
    assert wrong == []


def test_the_forum_never_sees_raw_comments_or_disclosures(app, client, db):
    url_values(db)
    make_response(
        db, survey="children", answers={"going_well": "Mrs Smith at Kington school is kind"}
    )
    sign_in_as(client, db, FORUM)
    for url in ("/staff", "/staff/reports", "/staff/actions", "/staff/measures"):
        html = client.get(url).get_data(as_text=True)
        assert "Mrs Smith" not in html and "dad hits me" not in html


def test_respondents_see_only_their_own_saved_answers(app, db):
    from tests.respond.walk import answer, start

    load_shipped_surveys(db)
    mine, theirs = app.test_client(), app.test_client()
    answer(mine, start(mine, "children"), {"cares_about_opinion": "never"})
    page = theirs.get("/s/children/q/cares_about_opinion")
    assert page.status_code == 302  # no draft of theirs: sent to the start page
    started = start(theirs, "children")
    assert not parse(started).select_one("input[value=never]").has_attr("checked")
