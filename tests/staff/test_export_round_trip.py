"""The officer's download imports again, as CSV or XLSX, and adds nothing: each response
carries its stable public id. Text survives the trip exactly, U+2028 included."""

import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import delete, select

from app import migrations
from app.models import Response, SafeguardingFlag
from tests.factories import load_shipped_surveys, make_response, sign_in_as, write_csv
from tests.pages import csrf_token, parse

pytestmark = pytest.mark.postgres

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TRICKY = [
    "first line\u2028second line\u2029next paragraph",
    "=SUM(A1:A9) is how I count",
    "emoji \U0001f469\u200d\U0001f467 and caf\u00e9, \u0648\u0644\u062f",
    'tabs\tand\nnewlines, "quotes", commas',
]


@pytest.fixture
def responses(db):
    """Eight responses: online, paper and event, with tricky free text."""
    load_shipped_surveys(db)
    made = [
        make_response(
            db,
            answers={"cares_about_opinion": "always", "going_well": text},
            submitted_at=datetime(2025, 10, 1 + n, 9, 30, tzinfo=UTC),
        )
        for n, text in enumerate(TRICKY)
    ]
    made += [
        make_response(db, survey="young-people", channel="paper", answers={"area": "kington"}),
        make_response(db, survey="young-people", channel="paper", answers={"area": "kington"}),
        make_response(db, survey="parent-carers", channel="event", answers={"support": "none"}),
        make_response(db, answers={"should_change": "More clubs"}),
    ]
    return made


def snapshot(db) -> list[tuple]:
    db.expire_all()
    rows = sorted(
        (r.public_id, r.survey_id, r.channel, r.submitted_at, sorted(r.answers.items()))
        for r in db.scalars(select(Response))
    )
    db.commit()
    return rows


def download(client, kind: str, tmp_path):
    body = client.get(f"/staff/responses/export?format={kind}")
    assert body.status_code == 200
    path = tmp_path / f"export.{kind}"
    path.write_bytes(body.data)
    return path


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_importing_a_download_again_adds_nothing(
    client, runner, db, responses, tmp_path, backend, kind
):
    sign_in_as(client, db, "officer")
    before = snapshot(db)
    path = download(client, kind, tmp_path)

    result = runner.invoke(args=["responses", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert "Imported 0 responses; 8 row(s) were imported before and were skipped." in (
        result.output
    )
    assert snapshot(db) == before


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_download_restores_the_same_responses_exactly(
    client, runner, db, responses, tmp_path, backend, kind
):
    sign_in_as(client, db, "officer")
    before = snapshot(db)
    path = download(client, kind, tmp_path)
    db.execute(delete(SafeguardingFlag))
    db.execute(delete(Response))
    db.commit()

    first = runner.invoke(args=["responses", "import", str(path)])
    again = runner.invoke(args=["responses", "import", str(path)])

    assert first.exit_code == 0, first.output
    assert "Imported 8 responses" in first.output
    assert "8 row(s) were imported before" in again.output
    assert snapshot(db) == before
    assert set(TRICKY) <= {dict(answers).get("going_well") for *_rest, answers in before}


def test_the_staff_page_takes_the_workbook_too(client, db, responses, tmp_path, backend):
    sign_in_as(client, db, "officer")
    before = snapshot(db)
    path = download(client, "xlsx", tmp_path)
    url = "/staff/responses/import"
    sent = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "file": (io.BytesIO(path.read_bytes()), "export.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    banner = parse(client.get(url)).select_one(".govuk-notification-banner").text
    assert "8 row(s) were imported before" in banner
    assert snapshot(db) == before


def test_every_response_has_its_own_public_id(db, responses, backend):
    ids = [public_id for public_id, *_rest in snapshot(db)]
    assert len(set(ids)) == len(ids) == 8
    assert all(UUID.match(public_id) for public_id in ids)


def test_responses_stored_before_the_migration_get_distinct_ids(app, db, responses, backend):
    engine = app.extensions["db_engine"]
    db.close()
    migrations.downgrade(engine, "5b1e7c2d9a04")
    migrations.upgrade(engine)
    ids = [public_id for public_id, *_rest in snapshot(db)]
    assert len(set(ids)) == 8
    assert all(UUID.match(public_id) for public_id in ids)


@pytest.mark.parametrize(
    ("ids", "problem"),
    [
        (["not-a-uuid", ""], "row 2, column response_id: 'not-a-uuid' is not a response id"),
        (
            ["0F8FAD5B-D9CB-469F-A165-70867728950E", "0f8fad5b-d9cb-469f-a165-70867728950e"],
            "row 3, column response_id: repeats the id of row 2",
        ),
    ],
)
def test_a_bad_or_repeated_response_id_rejects_the_file(
    runner, db, tmp_path, backend, ids, problem
):
    load_shipped_surveys(db)
    path = write_csv(
        tmp_path / "ids.csv",
        ["survey", "submitted_at", "response_id", "area"],
        [["children", "2025-10-01", public_id, "kington"] for public_id in ids],
    )
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 1
    assert problem in result.output
    assert snapshot(db) == []


def test_a_row_with_a_new_id_is_stored_with_that_id(runner, db, tmp_path, backend):
    load_shipped_surveys(db)
    given = "0F8FAD5B-D9CB-469F-A165-70867728950E"
    path = write_csv(
        tmp_path / "ids.csv",
        ["survey", "submitted_at", "response_id", "area"],
        [["children", "2025-10-01", given, "kington"]],
    )
    assert runner.invoke(args=["responses", "import", str(path)]).exit_code == 0
    [(public_id, *_rest)] = snapshot(db)
    assert public_id == given.lower()


def damaged_workbook() -> bytes:
    """A workbook whose sheet is not XML, in an otherwise sound file."""
    workbook = Workbook()
    workbook.active.append(["survey", "submitted_at"])
    sound = io.BytesIO()
    workbook.save(sound)
    damaged = io.BytesIO()
    with (
        zipfile.ZipFile(sound) as source,
        zipfile.ZipFile(damaged, "w") as target,
    ):
        for item in source.infolist():
            broken = item.filename == "xl/worksheets/sheet1.xml"
            target.writestr(item, b"<broken" if broken else source.read(item.filename))
    return damaged.getvalue()


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 not really a workbook", b"PK\x03\x04" + bytes(200), damaged_workbook()],
)
def test_a_broken_workbook_is_one_clear_line(runner, db, tmp_path, backend, content):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        "  the file is not a workbook that can be read; save it as 'CSV UTF-8'"
    ]


def test_a_workbook_typed_by_hand_is_read_like_a_csv(runner, db, tmp_path, backend):
    load_shipped_surveys(db)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["survey", "submitted_at", "area", "going_well", None])
    sheet.append(["children", datetime(2025, 10, 1, 14, 30), "kington", None, None])
    sheet.append(["young-people", "2025-10-02", None, 42, None])
    output = io.BytesIO()
    workbook.save(output)
    path = tmp_path / "typed.xlsx"
    path.write_bytes(output.getvalue())
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 0, result.output
    stored = sorted((survey, answers) for _i, survey, *_r, answers in snapshot(db))
    assert stored == [
        ("children", [("area", "kington")]),
        ("young-people", [("going_well", "42")]),
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_response_erased_on_request_does_not_come_back_from_an_earlier_download(
    client, runner, db, responses, tmp_path, backend, kind
):
    sign_in_as(client, db, "officer")
    path = download(client, kind, tmp_path)
    online = responses[0]
    gone = online.public_id
    online.receipt_code = "KX4T-9MPA"  # as the journey gives one when the answers are sent
    db.commit()
    erased = runner.invoke(args=["responses", "erase", "KX4T-9MPA"])
    assert erased.exit_code == 0, erased.output

    result = runner.invoke(args=["responses", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert "Imported 0 responses; 8 row(s) were imported before and were skipped." in (
        result.output
    )
    assert gone not in {public_id for public_id, *_rest in snapshot(db)}
