"""Public pages: the health check and the home page."""

from tests.factories import load_shipped_surveys
from tests.pages import parse


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "ok")


def test_healthz_fails_when_the_database_does_not_answer(app, client, tmp_path):
    from app.db import make_engine

    missing = tmp_path / "gone" / "nowhere.db"
    app.extensions["db_engine"] = make_engine(f"sqlite:///{missing}")
    missing.parent.rmdir()
    response = client.get("/healthz")
    assert response.status_code == 503


def test_home_lists_the_surveys_in_plain_words(client, db):
    load_shipped_surveys(db)
    links = {a["href"]: a.text for a in parse(client.get("/")).select("main a")}
    assert set(links) >= {"/s/children", "/s/young-people", "/s/parent-carers"}


def test_every_page_sends_security_headers(client):
    headers = client.get("/").headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_inline_scripts_carry_the_pages_nonce(client):
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    scripts = parse(response).select("script")
    assert scripts and all(script.get("nonce") == nonce for script in scripts)


def test_home_lists_the_childrens_survey_first_saying_who_each_is_for(client, db):
    load_shipped_surveys(db)
    items = parse(client.get("/")).select("main .app-surveys__item")
    listed = [(item.a["href"], item.a.get_text(strip=True)) for item in items]
    assert listed == [
        ("/s/children", "For children aged 10 and under"),
        ("/s/young-people", "For young people aged 11 to 25"),
        ("/s/parent-carers", "For parents and carers of 0 to 25 year olds"),
    ]
    # Each has a picture beside the words, hidden from screen readers (the words say it).
    for item in items:
        picture = item.select_one("svg")
        assert (picture["aria-hidden"], picture["focusable"]) == ("true", "false")
        assert picture.select("circle, rect")
    assert items[0].select_one(".app-surveys__title").text == "Tell us what you think"
