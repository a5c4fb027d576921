"""The Jinja environment's template globals stay live while answering Jinja's imports fast."""

from app.templating import TemplateGlobals
from tests.factories import load_shipped_surveys
from tests.pages import csrf_token, parse


def test_a_global_added_after_a_template_loaded_is_seen_by_it(app):
    with app.test_request_context():
        template = app.jinja_env.from_string("{{ added_later() if added_later is defined }}")
        assert template.render() == ""
        app.jinja_env.globals["added_later"] = lambda: "seen"
        assert template.render() == "seen"


def test_the_keys_of_template_globals_are_the_union_and_a_template_own_win():
    environment_globals = {"url_for": 1, "service_name": "env"}
    chained = TemplateGlobals({"service_name": "own"}, environment_globals)

    assert set(chained.keys()) == {"url_for", "service_name"}
    assert {"url_for", "extra"} - chained.keys() == {"extra"}
    assert chained["service_name"] == "own"
    environment_globals["later"] = 2
    assert {"later"} - chained.keys() == set()


def test_a_remembered_block_is_drawn_once_for_each_key(app):
    drawn = []

    def draw(name):
        drawn.append(name)
        return f"<b>{name}</b>"

    template = app.jinja_env.from_string(
        "{% call remembered('test-block', name) %}{{ draw(name) | safe }}{% endcall %}"
    )
    with app.test_request_context():
        pages = [template.render(name=name, draw=draw) for name in ("a", "b", "a", "a", "b")]

    assert pages == ["<b>a</b>", "<b>b</b>", "<b>a</b>", "<b>a</b>", "<b>b</b>"]
    assert drawn == ["a", "b"]


def test_code_boxes_drawn_once_keep_their_own_id_and_label_and_a_fresh_token(client, db):
    load_shipped_surveys(db)
    for _ in range(2):
        home = parse(client.get("/")).select_one("main form.app-code-box")
        assert home.select_one("input[name=code]")["id"] == "home-code"
        assert home.select_one("label[for=home-code]").get_text(strip=True) == "Your code"
        assert home.select_one("#home-code-hint")
        assert home.select_one("input[name=csrf_token]")["value"]
        footer = parse(client.get("/s/children")).select_one("footer form.app-code-box")
        assert footer.select_one("input[name=code]")["id"] == "footer-code"
        label = footer.select_one("label[for=footer-code]").get_text(strip=True)
        assert label == "See what happened because of your answers"
        assert footer.select_one("input[name=csrf_token]")["value"]


def test_the_code_page_box_still_brings_back_what_was_typed_and_its_error(client):
    page = client.post("/code", data={"code": "NOPE", "csrf_token": csrf_token(client, "/code")})

    box = parse(page).select_one("main form.app-code-box")
    assert box.select_one("input[name=code]")["value"] == "NOPE"
    assert box.select_one(".govuk-error-message")
