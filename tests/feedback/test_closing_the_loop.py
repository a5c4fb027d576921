"""End to end: responses in, themes, actions added, forum sign-off, published page, and
the receipt code shows it. Disclosures never appear in any output."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.models import Report, Response
from tests.factories import load_shipped_surveys, make_user, sign_in, write_csv
from tests.pages import csrf_token, parse
from tests.respond.walk import complete
from tests.staff.report_pages import save_text, step

pytestmark = pytest.mark.postgres

WAITING = [
    "The wait for CAMHS is far too long",
    "we waited 2 years for an assessment",
    "Waiting lists are awful, my son Jack has been waiting forever",
    "too long a wait for speech therapy, call me on 07700 900123",
    "the waiting time for the EHC plan was 30 weeks",
    "Waited months to hear back, email me at mum@example.com",
    "The waiting list at the HR4 9XY clinic is shocking",
    "waiting for ages for an OT",
    "Long waits for everything <script>alert('x')</script>",
    "Still waiting for the annual review meeting",
]
DISCLOSURE = "my dad hits me and i am scared to go home, the waiting is awful"
HEADER = [
    "survey",
    "submitted_at",
    "channel",
    "told_how_views_used",
    "coproduction_overall",
    "should_change",
]


def post(client, url, page=None, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page or url), **data})


def test_you_said_we_did_from_answers_to_published_report_and_receipt(app, db, runner, tmp_path):
    load_shipped_surveys(db)
    rows = [
        ["parent-carers", f"2025-10-0{i % 9 + 1}", "paper", "yes", "effective", text]
        for i, text in enumerate(WAITING)
    ]
    rows.append(["parent-carers", "2025-10-20", "event", "no", "ineffective", DISCLOSURE])
    assert (
        runner.invoke(
            args=["responses", "import", str(write_csv(tmp_path / "p.csv", HEADER, rows))]
        ).exit_code
        == 0
    )
    respondent = app.test_client()
    done = complete(
        respondent,
        "parent-carers",
        {"told_how_views_used": "a_little", "should_change": "More short breaks please"},
    )
    receipt = parse(done).select_one("[data-receipt-code]").text
    # As if they had answered during 2025/26, the year the report covers.
    answered = db.scalar(select(Response).where(Response.receipt_code == receipt))
    answered.submitted_at = datetime(2025, 11, 3, 16, 0, tzinfo=UTC)
    db.commit()

    officer, forum = app.test_client(), app.test_client()
    sign_in(officer, db, make_user(db, "officer"))
    sign_in(forum, db, make_user(db, "forum"))

    post(
        officer,
        "/staff/actions/new",
        survey_id="parent-carers",
        theme="waiting_times",
        you_said="Waiting times for CAMHS and assessments are too long",
        we_will="Publish waiting times every month and add two CAMHS clinics",
        owner="CAMHS commissioning team",
        success_measure="Average wait under 18 weeks",
        status="in_progress",
        **{"due_on-day": "31", "due_on-month": "3", "due_on-year": "2026"},
    )

    started = post(officer, "/staff/reports", survey_id="parent-carers", period="2025/26")
    report_url = started.headers["Location"]
    save_text(
        officer,
        report_url,
        introduction="Thank you to every parent carer who answered.",
        child_summary="You told us waiting is too long.",
    )
    draft = parse(officer.get(report_url))
    assert "Waiting times" in draft.text
    assert (
        forum.post(
            report_url + "/publish", data={"csrf_token": csrf_token(forum, report_url)}
        ).status_code
        == 403
    )

    save_text(officer, report_url, send=True)
    post(forum, report_url + "/comments", page=report_url, body="Please say when the clinics open.")
    step(forum, report_url, "sign-off")
    step(officer, report_url, "publish")
    report = db.scalar(select(Report))
    db.commit()
    assert report.status == "published"

    public = app.test_client()
    page = public.get("/you-said-we-did/parent-carers/2025-26")
    html = page.get_data(as_text=True)
    text = parse(page).select_one("main").get_text(" ", strip=True)
    assert "Publish waiting times every month" in text
    assert "Waiting times" in text
    assert "Thank you to every parent carer who answered." in text
    for private in (
        "Jack",
        "07700",
        "mum@example.com",
        "HR4 9XY",
        "dad hits me",
        "scared to go home",
    ):
        assert private not in html
    assert "<script>alert" not in html
    assert public.get("/you-said-we-did").status_code == 200
    assert "Publish waiting times" in public.get("/you-said-we-did").get_data(as_text=True)

    easy = (
        parse(public.get("/you-said-we-did/parent-carers/2025-26/easy-read"))
        .select_one("main")
        .text
    )
    assert "You told us waiting is too long." in easy
    pdf = public.get("/you-said-we-did/parent-carers/2025-26/report.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")

    for output in ("md", "html"):
        printed = runner.invoke(
            args=["report", "you-said-we-did", "parent-carers", "--format", output]
        )
        assert printed.exit_code == 0, printed.output
        assert "Publish waiting times every month" in printed.output
        assert "dad hits me" not in printed.output and "Jack" not in printed.output

    receipt_page = parse(public.get(f"/r/{receipt}"))
    assert (
        "Publish waiting times every month"
        in receipt_page.select_one("[data-receipt-actions]").text
    )


def test_the_report_command_says_when_nothing_is_published(runner, db):
    load_shipped_surveys(db)
    result = runner.invoke(args=["report", "you-said-we-did", "children"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no published report for survey 'children'"
