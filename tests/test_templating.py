"""The Jinja environment's template globals stay live while answering Jinja's imports fast."""

from app.templating import TemplateGlobals


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
