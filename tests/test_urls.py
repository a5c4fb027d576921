"""Links the site shows, prints or sends are built from BASE_URL, never from the Host
header a request arrives with (which whoever sends it chooses)."""

import re

import pytest
import segno
from flask.testing import FlaskClient

from app.urls import absolute_url
from tests.factories import load_shipped_surveys
from tests.pages import parse
from tests.respond.walk import answer, complete, start
from tests.staff.workspace import sign_in_as

BASE = "https://yourvoice.example.org/send"


@pytest.fixture(autouse=True)
def published_at_base(app, db):
    app.config["BASE_URL"] = BASE + "/"
    load_shipped_surveys(db)


class ForgedHostClient(FlaskClient):
    """A browser whose every request says `Host: evil.example`, as one sent through a
    shared cache or a misrouted proxy might."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("environ_overrides", {"HTTP_HOST": "evil.example"})
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    return ForgedHostClient(app, app.response_class, use_cookies=True)


def test_the_saved_answers_page_links_to_base_url_whatever_the_host(client):
    first = start(client, "parent-carers")
    answer(client, first, {"told_how_views_used": "no"}, action="save")
    response = client.get("/s/parent-carers/saved")
    assert response.request.host == "evil.example"
    page = parse(response)
    code = page.select_one("[data-resume-code]").text
    links = [a["href"] for a in page.select("main a") if code in a["href"]]
    texts = [a.text for a in page.select("main a") if code in a.text]
    assert texts == [f"{BASE}/resume/{code}"]
    assert all("evil.example" not in link for link in links)


def test_the_receipt_link_after_sending_uses_base_url(client):
    complete(client, "young-people", {})
    page = parse(client.get("/s/young-people/done"))
    code = page.select_one("[data-receipt-code]").text
    shown = [a.text for a in page.select("main a") if code in a.text]
    assert shown == [f"{BASE}/r/{code}"]


def test_the_share_page_qr_code_and_paper_version_use_base_url(client, runner):
    sign_in_as(client, runner)
    survey = f"{BASE}/s/children"
    share = parse(client.get("/staff/surveys/children/share"))
    assert share.select_one("[data-survey-link]")["href"] == survey
    qr = client.get("/staff/surveys/children/qr.svg").get_data(as_text=True)
    assert _modules(qr) == _modules(segno.make(survey, error="m", micro=False).svg_inline())
    paper = client.get("/staff/surveys/children/paper").get_data(as_text=True)
    assert survey in paper and "evil.example" not in paper


def test_one_time_links_from_commands_and_the_team_page_use_base_url(app, client, runner):
    created = runner.invoke(args=["users", "create", "new@example.org", "--role", "forum"])
    assert re.search(rf"^  {re.escape(BASE)}/staff/set-password/\S+$", created.output, re.M)
    sign_in_as(client, runner)
    page = client.get("/staff/team/invite")
    token = parse(page).select_one("input[name=csrf_token]")["value"]
    invited = client.post(
        "/staff/team/invite",
        data={"csrf_token": token, "email": "other@example.org", "role": "forum"},
    )
    link = parse(invited).select_one("[data-set-password-link]").text
    assert link.startswith(f"{BASE}/staff/set-password/")


def test_absolute_url_works_without_a_request(app):
    with app.app_context():
        assert absolute_url("respond.start", survey_id="children") == f"{BASE}/s/children"


def _modules(svg: str) -> str:
    """The QR code's drawing (its path), whatever the surrounding SVG attributes."""
    return re.search(r' d="([^"]+)"', svg).group(1)
