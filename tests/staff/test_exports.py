"""Downloads: responses as CSV (which imports again) and XLSX, and charts of the counts."""

import csv
import io
import tracemalloc
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, insert, select

from app.models import AuditEvent, Response, SafeguardingFlag
from app.surveys.files import read_survey_file
from app.surveys.versions import latest_version, store_surveys
from tests.factories import load_shipped_surveys, make_response
from tests.pages import parse
from tests.staff.workspace import sign_in_as

pytestmark = pytest.mark.postgres

CLUBS = """\
audience: young_person
title: Clubs
intro: Which clubs do you go to?
easy_read: Tell us your clubs.
pages:
  - id: clubs
    questions:
      - id: clubs
        type: multiple_choice
        text: Which clubs do you go to?
        options:
          - {id: art, label: Art}
          - {id: music, label: Music}
          - {id: sport, label: Sport}
"""
SVG = "{http://www.w3.org/2000/svg}"
URLS = [
    "/staff/exports",
    "/staff/responses/export?format=csv",
    "/staff/responses/export?format=xlsx",
    "/staff/charts/area.svg",
    "/staff/charts/area.png",
]


@pytest.fixture(autouse=True)
def surveys(db, tmp_path):
    load_shipped_surveys(db)
    path = tmp_path / "clubs.yaml"
    path.write_text(CLUBS, encoding="utf-8")
    store_surveys(db, [read_survey_file(path)])
    db.commit()


@pytest.fixture
def responses(db):
    """A mix of surveys, channels and answers, and one that raises a safeguarding flag."""
    made = [
        make_response(db, answers={"cares_about_opinion": "always", "area": "kington"}),
        make_response(
            db,
            survey="young-people",
            channel="paper",
            submitted_at=datetime(2026, 1, 15, 9, 30, tzinfo=UTC),
            answers={"going_well": '=1+1 and\nmore lines, "quoted"', "should_change": "- clubs"},
        ),
        make_response(db, survey="clubs", channel="event", answers={"clubs": ["art", "sport"]}),
    ]
    make_response(db, answers={"going_well": "my dad hits me"})
    return made


def download(client, query: str) -> tuple[list[str], list[dict[str, str]]]:
    response = client.get(f"/staff/responses/export?{query}")
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def snapshot(db) -> list[tuple]:
    db.expire_all()
    rows = sorted(
        (r.survey_id, r.channel, r.submitted_at, sorted(r.answers.items()))
        for r in db.scalars(select(Response))
    )
    db.commit()
    return rows


@pytest.mark.parametrize("url", URLS)
def test_anyone_not_signed_in_is_sent_to_sign_in(client, url):
    assert client.get(url).headers["Location"].startswith("/staff/sign-in")


@pytest.mark.parametrize("role", ["forum", "safeguarding"])
def test_only_the_officer_downloads(client, runner, role):
    sign_in_as(client, runner, role)
    assert {client.get(url).status_code for url in URLS} == {403}


def test_the_csv_has_one_column_per_question_and_no_flagged_response(client, runner, db, responses):
    sign_in_as(client, runner)
    header, rows = download(client, "format=csv")
    assert header[:3] == ["survey", "submitted_at", "channel"]
    assert {"cares_about_opinion", "going_well", "area", "clubs"} <= set(header)
    assert len(header) == len(set(header))
    assert [row["survey"] for row in rows] == ["children", "clubs", "young-people"]
    assert rows[0]["submitted_at"] == "2025-10-01T13:00:00+01:00"
    assert rows[1]["clubs"] == "art;sport"
    assert rows[2]["going_well"] == '\t=1+1 and\nmore lines, "quoted"'
    assert rows[2]["should_change"] == "\t- clubs"
    assert all("hits me" not in value for row in rows for value in row.values())
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "responses.export"))
    assert event.detail == {"format": "csv"}


def test_an_export_imports_again_as_the_same_responses(client, runner, db, responses, tmp_path):
    sign_in_as(client, runner)
    exported = client.get("/staff/responses/export?format=csv").data
    flagged_ids = set(db.scalars(select(SafeguardingFlag.response_id)))
    before = [row for row in snapshot(db) if "my dad hits me" not in str(row)]
    db.execute(delete(SafeguardingFlag))
    db.execute(delete(Response))
    db.commit()
    assert flagged_ids

    path = tmp_path / "export.csv"
    path.write_bytes(exported)
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 3 responses" in result.output
    assert snapshot(db) == before
    again = runner.invoke(args=["responses", "import", str(path)])
    assert "3 row(s) were imported before" in again.output
    assert snapshot(db) == before


def test_a_big_export_is_sent_from_its_file_never_held_in_memory_whole(client, runner, db):
    """An export twenty times the size of a chunk of responses: its peak memory stays
    well under the file's size (it was held whole, and copied, before)."""
    version = latest_version(db, "young-people")
    words = "My support worker listens to me and helps with college. " * 10
    first = datetime(2025, 10, 1, 9, tzinfo=UTC)
    db.execute(
        insert(Response),
        [
            {
                "public_id": f"big-export-{number}",
                "survey_id": "young-people",
                "survey_version_id": version.id,
                "audience": "young_person",
                "submitted_at": first + timedelta(minutes=number),
                "channel": "online",
                "answers": {"going_well": words, "should_change": f"{number} {words}"},
            }
            for number in range(10_000)
        ],
    )
    db.commit()
    sign_in_as(client, runner)
    tracemalloc.start()
    try:
        response = client.get("/staff/responses/export?format=csv", buffered=False)
        size = sum(len(block) for block in response.response)
        response.close()
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert size > 10_000 * 2 * len(words)
    assert peak < size / 2


def test_the_filters_choose_what_is_exported(client, runner, responses):
    sign_in_as(client, runner)
    _header, rows = download(client, "format=csv&survey=young-people&period=2025/26")
    assert [row["channel"] for row in rows] == ["paper"]
    assert download(client, "format=csv&survey=children&area=hereford") == (
        ["survey", "submitted_at", "channel", "response_id"],
        [],
    )


def test_the_workbook_has_the_same_table_with_every_cell_as_text(client, runner, responses):
    sign_in_as(client, runner)
    header, _rows = download(client, "format=csv")
    response = client.get("/staff/responses/export?format=xlsx")
    assert (
        response.headers["Content-Disposition"].endswith('.xlsx"')
        or ".xlsx" in (response.headers["Content-Disposition"])
    )
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook["Responses"]
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0] == header
    formula = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=1+1"))
    assert formula.data_type == "s"
    wording = {row[0].value: row[2].value for row in workbook["Questions"].iter_rows(min_row=2)}
    assert wording["clubs"] == "Which clubs do you go to?"


def test_a_bad_export_request_is_refused(client, runner):
    sign_in_as(client, runner)
    assert client.get("/staff/responses/export?format=pdf").status_code == 400
    assert client.get("/staff/responses/export?format=csv&survey=nope").status_code == 400


def test_charts_count_the_answers_as_svg_and_png(client, runner, responses):
    sign_in_as(client, runner)
    svg = client.get("/staff/charts/area.svg?survey=children")
    assert svg.mimetype == "image/svg+xml"
    drawn = ElementTree.fromstring(svg.data)
    assert "Total: 2" in drawn.find(f"{SVG}title").text
    description = drawn.find(f"{SVG}desc").text
    assert "Kington: 1" in description
    assert "Not stated: 1" in description
    png = client.get("/staff/charts/channel.png?download=1")
    assert png.data.startswith(b"\x89PNG")
    assert "attachment" in png.headers["Content-Disposition"]
    assert client.get("/staff/charts/mood.svg").status_code == 404


def test_the_downloads_page_links_every_download_and_the_open_data(client, runner, responses):
    sign_in_as(client, runner)
    page = parse(client.get("/staff/exports?survey=children"))
    hrefs = {a["href"] for a in page.select("main a")}
    assert "/staff/responses/export?format=csv&survey=children" in hrefs
    assert "/staff/charts/area.png?download=1&survey=children" in hrefs
    assert "/api/measures" in hrefs
    images = page.select("main img")
    assert len(images) == 3
    assert all(image["alt"] for image in images)
