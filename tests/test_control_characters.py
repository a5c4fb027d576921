"""NUL and other control characters, on every way text comes in, on both databases.

PostgreSQL refuses NUL in text and JSONB, so one NUL in an answer used to make every
attempt to send it fail with "Sorry, please try again". Now control characters are taken
out (tabs and line breaks kept), or the input is refused with a clear message.
"""

import codecs
import io
from datetime import date

import pytest
from sqlalchemy import func, select

from app.config import Config
from app.models import (
    Action,
    ActionUpdate,
    ContactRequest,
    Draft,
    Report,
    ReportComment,
    Response,
    SafeguardingFlag,
)
from app.surveys.files import read_survey_file
from app.text import printable
from tests.factories import (
    PASSWORD,
    load_shipped_surveys,
    make_response,
    make_user,
    sign_in_as,
    write_csv,
)
from tests.pages import csrf_token, error_summary, parse
from tests.respond.walk import answer, complete, form_fields, start
from tests.staff.test_actions import GOOD
from tests.staff.test_entry import enter

pytestmark = pytest.mark.postgres

# NUL, bell, escape (a terminal colour), DEL and two C1 controls (NEL, CSI) among
# ordinary text, a tab and line breaks.
DIRTY = "I like\x00 art\x07 club\x1b[31m\nand\tmusic\x7f\x85\x9b!"
CLEAN = "I like art club[31m\nand\tmusic!"


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def rows(db, model):
    db.expire_all()
    found = db.scalars(select(model).order_by(model.id)).all()
    db.commit()
    return found


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("tab\there\nline\r\nend", "tab\there\nline\r\nend"),
        ("nul\x00 bell\x07 esc\x1b del\x7f nel\x85 csi\x9b", "nul bell esc del nel csi"),
        ("family \U0001f468\u200d\U0001f469\u200d\U0001f467 ok", None),
        ("line\u2028separator and caf\u00e9 and \u0648\u0644\u062f", None),
        ("", ""),
    ],
)
def test_printable_takes_out_control_characters_only(text, kept, backend):
    assert printable(text) == (text if kept is None else kept)


def test_an_answer_with_control_characters_is_sent_and_stored_clean(client, db, backend):
    done = complete(client, "children", {"going_well": DIRTY, "cares_about_opinion": "always"})
    assert "Your answers have been sent" in parse(done).select_one("h1").text
    [response] = rows(db, Response)
    assert response.answers["going_well"] == CLEAN


def test_a_saved_page_keeps_no_control_characters(client, db, backend):
    answer(client, start(client, "children"), {"cares_about_opinion": "always"})
    definition = read_survey_file(Config.SURVEYS_DIR / "children.yaml").definition
    page_id = next(p.id for p in definition.pages if "going_well" in {q.id for q in p.questions})
    saved = answer(client, client.get(f"/s/children/q/{page_id}"), {"going_well": DIRTY})
    assert saved.status_code == 302
    [draft] = rows(db, Draft)
    assert draft.answers["going_well"] == CLEAN


def test_a_draft_saved_with_a_nul_before_this_change_can_still_be_sent(client, db, backend):
    first = start(client, "children")
    answer(client, first, {"cares_about_opinion": "always"})
    [draft] = rows(db, Draft)
    # As a draft was stored before answers were cleaned (drafts are json, not jsonb, on
    # PostgreSQL, which kept the NUL).
    draft.answers = {**draft.answers, "going_well": "stuck\x00 forever"}
    db.commit()
    check = client.get("/s/children/check")
    sent = client.post("/s/children/check", data=form_fields(parse(check)))
    assert sent.status_code == 302
    assert "Your answers have been sent" in (parse(client.get(sent.headers["Location"])).h1.text)
    [response] = rows(db, Response)
    assert response.answers["going_well"] == "stuck forever"


def test_an_answer_of_nothing_but_control_characters_is_not_stored(client, db, backend):
    complete(client, "children", {"going_well": "\x00\x07", "cares_about_opinion": "always"})
    [response] = rows(db, Response)
    assert response.answers == {"cares_about_opinion": "always"}


def test_a_disclosure_hidden_by_control_characters_is_still_flagged(client, db, backend):
    complete(client, "children", {"going_well": "my d\x00ad h\x1bits me"})
    [flag] = rows(db, SafeguardingFlag)
    assert "harm_at_home" in flag.reasons["going_well"]


def test_a_paper_response_is_stored_clean(client, db, backend):
    sign_in_as(client, db, "officer")
    entered = enter(client, {"going_well": DIRTY}, on=date(2025, 10, 3))
    assert entered.status_code == 302
    [response] = rows(db, Response)
    assert response.answers["going_well"] == CLEAN


def test_an_imported_cell_is_stored_clean(runner, db, tmp_path, backend):
    path = write_csv(
        tmp_path / "dirty.csv",
        ["survey", "submitted_at", "going_well"],
        [["children", "2025-10-01", DIRTY.replace("\x00", "")]],
    )
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 0, result.output
    [response] = rows(db, Response)
    assert response.answers["going_well"] == CLEAN


def test_a_control_character_in_a_bad_cell_is_not_echoed(runner, db, tmp_path, backend):
    path = write_csv(
        tmp_path / "dirty.csv",
        ["survey", "submitted_at", "cares_about_opinion"],
        [["children", "2025-10-01", "al\x1b[2Jways\x9b"]],
    )
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x9b" not in result.output
    assert rows(db, Response) == []


HEADER = b"survey,submitted_at,going_well\n"
MALFORMED = {
    "NUL bytes": (
        HEADER + b"children,2025-10-01,hi\x00there\n",
        "the file has a NUL byte (byte 53), so it is not text; save it as 'CSV UTF-8'",
    ),
    "UTF-16": (
        codecs.BOM_UTF16_LE + "survey,submitted_at\n".encode("utf-16-le"),
        "the file is UTF-16 text; save it as 'CSV UTF-8'",
    ),
    "Windows-1252": (
        HEADER + "children,2025-10-01,caf\u00e9\n".encode("cp1252"),
        "the file is not UTF-8 text (byte 54); save it as 'CSV UTF-8'",
    ),
    "a huge field": (
        HEADER + b'children,2025-10-01,"' + b"x" * 200_000 + b'"\n',
        "row 2: not valid CSV: field larger than field limit (131072)",
    ),
    "a quote left open": (
        HEADER + b'children,2025-10-01,"never closed\n',
        "row 2: not valid CSV: unexpected end of data",
    ),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_file_is_one_clear_line_and_nothing_is_stored(
    runner, db, tmp_path, backend, kind
):
    content, problem = MALFORMED[kind]
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: bad.csv was not imported: 1 problem(s); nothing was changed.",
        f"  {problem}",
    ]
    assert rows(db, Response) == []


def test_byte_order_marks_before_the_header_are_ignored(runner, db, tmp_path, backend):
    path = tmp_path / "twice.csv"
    path.write_bytes(codecs.BOM_UTF8 * 2 + HEADER + b"children,2025-10-01,Good\n")
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert [r.answers for r in rows(db, Response)] == [{"going_well": "Good"}]


def test_a_malformed_upload_is_refused_on_the_page_and_nothing_is_stored(client, db, backend):
    sign_in_as(client, db, "officer")
    url = "/staff/responses/import"
    data = {
        "csrf_token": csrf_token(client, url),
        "file": (io.BytesIO(MALFORMED["NUL bytes"][0]), "responses.csv"),
    }
    refused = client.post(url, data=data, content_type="multipart/form-data")
    assert refused.status_code == 200
    assert MALFORMED["NUL bytes"][1] in [li.text.strip() for li in parse(refused).select("main li")]
    assert rows(db, Response) == []


@pytest.mark.parametrize("email", ["parent\x00@example.org", "parent@example.org\x1b[2J"])
def test_an_email_with_control_characters_is_refused(client, db, backend, email):
    done = complete(client, "parent-carers", {"told_how_views_used": "yes"})
    fields = {**form_fields(parse(done)), "email": email, "consent": "y"}
    refused = client.post("/s/parent-carers/done", data=fields)
    assert error_summary(refused) == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    assert db.scalar(select(func.count()).select_from(ContactRequest)) == 0


def test_staff_text_is_stored_clean(client, db, backend):
    sign_in_as(client, db, "officer")
    fields = {name: DIRTY for name in ("you_said", "we_will", "success_measure")}
    added = client.post(
        "/staff/actions/new",
        data={
            "csrf_token": csrf_token(client, "/staff/actions/new"),
            **GOOD,
            **fields,
            "owner": "Transport\x00 team",
        },
    )
    assert added.status_code == 302
    [action] = rows(db, Action)
    assert (action.you_said, action.we_will, action.success_measure, action.owner) == (
        CLEAN,
        CLEAN,
        CLEAN,
        "Transport team",
    )
    url = f"/staff/actions/{action.id}/progress"
    client.post(url, data={"csrf_token": csrf_token(client, url), "note": DIRTY, "status": "done"})
    assert [update.note for update in rows(db, ActionUpdate)] == [CLEAN]

    make_response(db, survey="children", answers={})  # a report is of a year with answers
    created = client.post(
        "/staff/reports",
        data={
            "csrf_token": csrf_token(client, "/staff/reports"),
            "survey_id": "children",
            "period": "2025/26",
        },
    )
    assert created.status_code == 302, error_summary(created)
    report_url = created.headers["Location"]
    token = csrf_token(client, report_url)
    client.post(
        report_url,
        data={"csrf_token": token, "version": "1", "introduction": DIRTY, "child_summary": DIRTY},
    )
    client.post(f"{report_url}/comments", data={"csrf_token": token, "body": DIRTY})
    [report] = rows(db, Report)
    assert (report.introduction, report.child_summary) == (CLEAN, CLEAN)
    assert [c.body for c in rows(db, ReportComment)] == [CLEAN]


def test_a_safeguarding_note_is_stored_clean(app, client, db, backend):
    complete(app.test_client(), "children", {"should_change": "my dad hits me"})
    sign_in_as(client, db, "safeguarding")
    [flag] = rows(db, SafeguardingFlag)
    url = f"/staff/safeguarding/{flag.id}"
    client.post(url, data={"csrf_token": csrf_token(client, url), "note": DIRTY})
    assert rows(db, SafeguardingFlag)[0].handling_note == CLEAN


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/s/chil%00dren", 404),
        ("/you-said-we-did/chil%00dren/2025-26", 404),
        ("/staff/surveys/chil%00dren/settings", 404),
        ("/api/measures?period=2025/26%00", 400),
        ("/staff/responses?survey=%00", 400),
    ],
)
def test_an_address_with_a_nul_is_not_found_or_refused(client, db, backend, url, status):
    sign_in_as(client, db, "officer")
    assert client.get(url).status_code == status


def test_a_nul_in_the_sign_in_email_is_taken_out_not_a_database_error(client, db, backend):
    officer = make_user(db, "forum", "forum@example.org")
    form = {"csrf_token": csrf_token(client, "/staff/sign-in"), "password": PASSWORD}

    signed_in = client.post("/staff/sign-in", data={**form, "email": "forum@exa\x00mple.org"})
    assert signed_in.headers["Location"] == "/staff"

    stranger = client.application.test_client()
    form["csrf_token"] = csrf_token(stranger, "/staff/sign-in")
    refused = stranger.post("/staff/sign-in", data={**form, "email": "no\x00body@example.org"})
    assert refused.status_code == 200
    assert error_summary(refused) == ["Enter a correct email address and password"]
    assert officer.active
