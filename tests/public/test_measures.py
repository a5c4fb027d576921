"""The public measures: `/api/measures` (the CLI's JSON) and the `/measures` page.

Figures come from `make_small_dataset` (tests/test_measures_cli.py), worked out by hand
in that module's docstring: the opinion measure is 8 of 11 (72.7%, so "73 in every
100"), and every breakdown of it is hidden, two cells for small groups, two to protect
them.
"""

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from analysis.definitions import MEASURES
from app.public.measures import WORDING, change_words, period_label
from tests.factories import load_shipped_surveys, make_response
from tests.pages import parse
from tests.test_measures_cli import make_small_dataset

ROOT = Path(__file__).resolve().parents[2]
OPINION = "#o2_opinion_cared_about"


def in_year(start_year: int) -> dt.datetime:
    return dt.datetime(start_year, 11, 1, 12, tzinfo=dt.UTC)


# --- /api/measures ---------------------------------------------------------------------


def test_api_gives_the_same_json_as_the_command(client, runner, db):
    make_small_dataset(db)

    for query, args in (
        ("", []),
        ("?period=2025/26&by=audience,area", ["--period", "2025/26", "--by", "audience,area"]),
        ("?from=2025-09-01&to=2025-10-01&by=area", ["--from", "2025-09-01", "--to", "2025-10-01"]),
    ):
        if "by=area" in query and "from" in query:
            args = [*args, "--by", "area"]
        response = client.get(f"/api/measures{query}")
        cli = runner.invoke(args=["measures", *args])
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert response.get_data(as_text=True) == cli.stdout


def test_api_is_suppressed_and_keeps_the_category_order(client, db):
    make_small_dataset(db)

    data = client.get("/api/measures?period=2025/26&by=audience&by=area").get_json()

    opinion = next(item for item in data["measures"] if item["id"] == "o2_opinion_cared_about")
    assert opinion["overall"]["percent"] == 72.7
    for categories in opinion["breakdowns"].values():
        for cell in categories.values():
            assert cell["suppressed"] is True
            assert cell["base"] is None and cell["numerator"] is None
    attendance = next(item for item in data["measures"] if item["id"] == "o5_good_attendance")
    assert list(attendance["breakdowns"]["area"]) == ["hereford", "leominster", "kington"]


def test_api_never_unsuppresses(client, db):
    make_small_dataset(db)
    data = client.get("/api/measures?by=audience&unsuppressed=1&suppress=false").get_json()
    opinion = next(item for item in data["measures"] if item["id"] == "o2_opinion_cared_about")
    assert opinion["breakdowns"]["audience"]["child"]["base"] is None


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("period=2025-26", "period must be written like 2025/26"),
        ("from=2025-10-02&to=2025-10-01", "after it ends"),
        ("from=tomorrow", "dates must be written like 2025-09-01"),
        ("by=audience,colour", "cannot break down by colour"),
        ("period=2025/26&from=2025-09-01", "not both"),
    ],
)
def test_api_bad_options_are_400_with_a_reason(client, db, query, reason):
    make_small_dataset(db)

    response = client.get(f"/api/measures?{query}")

    assert response.status_code == 400
    assert reason in response.get_json()["error"]


def test_api_with_nothing_to_measure_is_404(client):
    response = client.get("/api/measures")
    assert response.status_code == 404
    assert response.get_json() == {"error": "there are no responses or admin data to measure yet"}


# --- /measures ---------------------------------------------------------------------------


def test_each_measure_is_a_plain_sentence(client, db):
    make_small_dataset(db)

    page = parse(client.get("/measures"))

    sentences = {
        section["id"]: section.select_one(".app-measure__sentence").get_text(strip=True)
        for section in page.select("section.app-measure")
    }
    assert len(sentences) == len(MEASURES)
    assert sentences["o2_opinion_cared_about"] == (
        "73 in every 100 children and young people said the people who look after them "
        "care about their opinion."
    )
    assert sentences["o5_good_attendance"].startswith(
        "90 in every 100 children with SEND have good attendance at school"
    )
    assert sentences["o2_told_how_views_used"] == (
        "We cannot show this figure: there were fewer than 10 answers."
    )
    base = page.select_one(f"{OPINION} .app-measure__base").get_text(" ", strip=True)
    assert base == ("Based on 11 answers. The true figure is likely to be between 43.4% and 90.3%.")


def test_hidden_cells_say_why_in_the_chart_and_the_table(client, db):
    make_small_dataset(db)

    page = parse(client.get("/measures?period=2025/26&by=area"))

    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select(".app-responsive-table__value")]
        for row in page.select(f"{OPINION} table.govuk-table tbody tr")
    ]
    assert rows == [
        ["All", "72.7%", "43.4 to 90.3", "8 of 11"],
        ["By where they live"],
        ["Hereford", "Hidden to protect a small group"],
        ["Not stated", "Fewer than 10 answers"],
    ]
    chart = [row.get_text(" ", strip=True) for row in page.select(f"{OPINION} .app-chart li")][:3]
    assert chart == [
        "All 72.7%",
        "Hereford Hidden to protect a small group",
        "Not stated Fewer than 10 answers",
    ]
    links = page.select(f"{OPINION} table a[href='#why-hidden']")
    assert len(links) == 2
    assert page.select_one("#why-hidden").name == "h2"
    # The hidden counts (7 of 10, 1 of 1) appear nowhere on the page.
    text = page.select_one("main").get_text(" ", strip=True)
    assert "7 of 10" not in text and "1 of 1" not in text and "70.0%" not in text


def test_the_chart_needs_no_script_and_labels_every_value_in_text(client, db):
    make_small_dataset(db)

    response = client.get("/measures?by=area")
    page = parse(response)

    attendance = page.select_one("#o5_good_attendance .app-chart")
    bars = attendance.select("rect.app-chart__bar")
    # County and Hereford are shown; Leominster and Kington are hidden, so have no bar.
    assert [bar["width"] for bar in bars] == ["90.0", "90.0"]
    values = [value.get_text(strip=True) for value in attendance.select(".app-chart__value")]
    assert values == ["90.0%", "90.0%"]
    interval = attendance.select_one("line.app-chart__interval")
    assert (interval["x1"], interval["x2"]) == ("82.6", "94.5")
    assert all(svg["aria-hidden"] == "true" for svg in attendance.select("svg"))
    # The page's CSP forbids inline styles: nothing on the page may rely on them.
    assert page.select("main [style]") == []
    assert page.select("main script") == []


def test_chart_styles_use_the_theme_colours_only():
    scss = (ROOT / "app" / "assets" / "_charts.scss").read_text()
    code = re.sub(r"//[^\n]*", "", scss)
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(", code)
    colours = set(re.findall(r"(?:fill|stroke|color):\s*([^;]+);", code))
    allowed = {"var(--app-text)", "var(--app-accent)", "var(--app-accent-2)", "var(--app-border)"}
    # CanvasText is the system colour of forced-colours mode, not a colour of ours.
    assert colours <= allowed | {"CanvasText", "none"}


def test_the_table_sits_beside_the_chart(client, db):
    make_small_dataset(db)

    page = parse(client.get("/measures"))

    columns = page.select(f"{OPINION} .govuk-grid-row > .govuk-grid-column-one-half-from-desktop")
    assert [bool(column.select(".app-chart")) for column in columns] == [True, False]
    assert columns[1].select_one("table.govuk-table caption").get_text(strip=True) == (
        "Their opinion matters: figures for 2025/26"
    )


def test_the_period_selector_is_a_get_form(client, db):
    make_small_dataset(db)
    make_response(db, "young-people", {"cares_about_opinion": "never"}, submitted_at=in_year(2024))

    page = parse(client.get("/measures?period=2024/25"))

    form = page.select_one("form.app-measures-form")
    assert form["method"] == "get"
    assert form["action"] == "/measures"
    options = [
        (o["value"], o.has_attr("selected")) for o in form.select("select[name=period] option")
    ]
    assert options == [("2025/26", False), ("2024/25", True)]
    assert {o["value"] for o in form.select("select[name=by] option")} >= {"", "audience", "area"}
    assert page.select_one("main h2.govuk-heading-m").get_text(strip=True) == "Figures for 2024/25"


def test_the_trend_compares_each_year_with_the_first_year_with_a_figure(client, db):
    load_shipped_surveys(db)
    # 2023/24: 5 answers (hidden); 2024/25: 8 of 10; 2025/26: 9 of 12.
    for year, answers in (
        (2023, ["always"] * 5),
        (2024, ["always"] * 8 + ["never"] * 2),
        (2025, ["mostly"] * 9 + ["never"] * 3),
    ):
        for answer in answers:
            make_response(
                db, "young-people", {"cares_about_opinion": answer}, submitted_at=in_year(year)
            )

    page = parse(client.get("/measures"))

    rows = [row.get_text(" ", strip=True) for row in page.select(f"{OPINION} .app-chart--trend li")]
    assert rows == [
        "2023/24 Fewer than 10 answers",
        "2024/25 (baseline) 80.0%",
        "2025/26 75.0% down 5.0 percentage points on 2024/25",
    ]
    baselines = page.select(f"{OPINION} .app-chart--trend line.app-chart__baseline")
    assert {line["x1"] for line in baselines} == {"80.0"}


def test_one_year_only_is_its_own_baseline(client, db):
    make_small_dataset(db)
    page = parse(client.get("/measures"))
    trend = page.select_one(OPINION).find("h3", string="Over the years").find_next("p")
    assert "2025/26 is the first year with a figure" in trend.get_text(" ", strip=True)


def test_a_bad_period_shows_an_error_and_no_figures(client, db):
    make_small_dataset(db)

    response = client.get("/measures?period=last-year")

    assert response.status_code == 400
    page = parse(response)
    summary = [item.get_text(strip=True) for item in page.select(".govuk-error-summary__list li")]
    assert summary == ["Period must be written like 2025/26, not 'last-year'"]
    assert page.select("section.app-measure") == []
    assert page.title.get_text().startswith("Error: ")


def test_with_no_answers_yet_the_page_says_so(client):
    page = parse(client.get("/measures"))
    assert "There are no figures yet" in page.select_one("main").get_text()
    assert page.select("section.app-measure") == []


def test_every_measure_has_its_wording():
    assert set(WORDING) == {measure.id for measure in MEASURES}


def test_words_for_periods_and_changes():
    assert period_label("2025/26") == "2025/26"
    assert period_label("2025-09-01..2026-03-31") == "1 September 2025 to 31 March 2026"
    assert period_label("2025-09-01..") == "from 1 September 2025"
    assert change_words(3.2, "2024/25") == "up 3.2 percentage points on 2024/25"
    assert change_words(-1.0, "2024/25") == "down 1.0 percentage point on 2024/25"
    assert change_words(0.0, "2024/25") == "the same as 2024/25"


def test_the_json_link_gives_the_same_period(client, db):
    make_small_dataset(db)
    page = parse(client.get("/measures?period=2025/26"))
    link = page.find("a", string="get these figures as data (JSON)")
    data = json.loads(client.get(link["href"]).get_data(as_text=True))
    assert data["period"] == "2025/26"
