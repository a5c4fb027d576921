"""A report's "You said" (themes, shares, quotes) read from each comment's stored themes,
feeling and quote key stays exactly what a full computation from every comment gives
(`analysis.report.theme_summary`, tagging and scoring them all again), after a new
answer, a correction, a quarantine, a safeguarding flag and an erasure, on SQLite and
PostgreSQL; and a report's page scores no comment (TextBlob) when it is viewed."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, update

from analysis import sentiment
from analysis.load import FREE_TEXT_QUESTIONS, load_comments
from analysis.periods import period_dates
from analysis.report import theme_summary
from app.feedback import reports as workflow
from app.feedback.themes import tagged
from app.models import Report, Response, SafeguardingFlag, ThemeCorrection
from tests.factories import load_shipped_surveys, make_response, sign_in_as
from tests.pages import parse

pytestmark = pytest.mark.postgres

PERIOD = "2025/26"
FEELINGS = ("awful", "fine", "good", "terrible", "great", "slow", "poor", "lovely")
WAITING = [f"The wait for the assessment was {n} months and {FEELINGS[n % 8]}" for n in range(14)]
LISTENED = [f"My teacher listens to me, which is {FEELINGS[n % 8]}, {n}" for n in range(12)]
# Same words as the first of WAITING, but for case and punctuation: one quote, not two.
ECHO = "the WAIT for the assessment was 0 months, and awful!"


def store(db, answers, day=1):
    return make_response(
        db,
        survey="children",
        answers=answers,
        submitted_at=datetime(2025, 10, day, 12, tzinfo=UTC),
    )


def stored_groups(db, report):
    return workflow.build_content(db, report)["comment_groups"]


def from_scratch(db, report):
    """The comment groups as they were built before: every comment loaded, tagged,
    corrected and scored again, then summarised by `theme_summary`."""
    first, last = period_dates(report.period)
    comments = load_comments(
        db.connection(), surveys=[report.survey_id], date_from=first, date_to=last
    )
    tags = tagged(db, comments)
    groups = []
    for question in FREE_TEXT_QUESTIONS:
        written = comments[comments["question"] == question]
        summary = theme_summary(written, tags)
        shown = summary[~summary["suppressed"].astype(bool)]
        groups.append(
            {
                "question": question,
                "comments": len(written),
                "themes": [
                    (row.theme, int(row.count), float(row.percent), list(row.quotes))
                    for row in shown.itertuples()
                ],
                "themes_hidden": sorted(summary.loc[summary["suppressed"], "theme"]),
            }
        )
    return groups


def comparable(groups, labels):
    return [
        {
            "question": group["question"],
            "comments": group["comments"],
            "themes": [
                (theme["id"], theme["count"], theme["percent"], theme["quotes"])
                for theme in group["themes"]
            ],
            "themes_hidden": sorted(labels[label] for label in group["themes_hidden"]),
        }
        for group in groups
    ]


def test_the_report_s_themes_and_quotes_stay_exact(app, db):
    with app.app_context():
        from app.feedback.codebook import codebook

        labels = {theme.label: theme.id for theme in codebook().themes}
        load_shipped_surveys(db)
        made = [
            store(db, {"going_well": text, "should_change": other}, day=1 + n % 28)
            for n, (text, other) in enumerate(zip(WAITING, [*LISTENED, "", ""], strict=True))
        ]
        store(db, {"going_well": ECHO})
        report = Report(survey_id="children", period=PERIOD)
        db.add(report)
        db.flush()

        def check():
            mine = comparable(stored_groups(db, report), labels)
            assert mine == from_scratch(db, report)
            return mine

        first = check()
        waiting = next(t for t in first[0]["themes"] if t[0] == "waiting_times")
        assert waiting[1] == 15 and len(waiting[3]) == 3
        assert len({q.casefold().strip("!") for q in waiting[3]}) == 3
        # A new answer, then the officer's corrections both ways.
        store(db, {"going_well": "The wait was long but the nurse was kind to us"}, day=3)
        check()
        db.add_all(
            [
                ThemeCorrection(
                    response_id=made[0].id,
                    question="going_well",
                    theme="waiting_times",
                    action="remove",
                ),
                ThemeCorrection(
                    response_id=made[1].id,
                    question="should_change",
                    theme="waiting_times",
                    action="add",
                ),
            ]
        )
        db.flush()
        check()
        # Quarantine, a safeguarding flag, an erasure: each leaves the report at once.
        db.execute(
            update(Response)
            .where(Response.id == made[2].id)
            .values(quarantined_at=datetime(2025, 10, 5, tzinfo=UTC))
        )
        db.add(SafeguardingFlag(response_id=made[3].id, reasons={"going_well": ["test"]}))
        db.flush()
        check()
        db.execute(delete(Response).where(Response.id.in_([made[4].id, made[5].id])))
        after = check()
        assert next(t for t in after[0]["themes"] if t[0] == "waiting_times")[1] < 15


def test_viewing_a_report_scores_no_comment(app, client, db, monkeypatch):
    with app.app_context():
        load_shipped_surveys(db)
        for n, text in enumerate(WAITING):
            store(db, {"going_well": text}, day=1 + n)
    report = Report(survey_id="children", period=PERIOD)
    db.add(report)
    db.commit()
    sign_in_as(client, db, "officer")

    def no_scoring(text):
        raise AssertionError("a comment was scored while a page was viewed")

    monkeypatch.setattr(sentiment, "_polarity", no_scoring)
    html = parse(client.get(f"/staff/reports/{report.id}"))
    quotes = [q.text.strip() for q in html.select("blockquote, .app-quote")]
    assert html.select_one("h1") is not None
    assert any("wait for the assessment" in q for q in quotes), quotes
