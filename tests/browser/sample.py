"""Sample data that fills every public page: answers from every audience (enough for the
measures to show figures in each breakdown, and a few hidden), actions with long words and
progress notes, and a published report with its receipt codes. Used by the browser tests
and by `make screenshots` (scripts/screenshots.py)."""

import random
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.feedback import reports as workflow
from app.feedback.actions import add_progress
from app.models import Action, ActionStatus, Report
from app.respond.drafts import new_code
from app.responses import store_response
from app.surveys.versions import definition_of, latest_version
from tests.browser.live import live_app as serve_database
from tests.browser.live import serving
from tests.factories import make_user

COMMENTS = [
    "The wait for CAMHS was far too long",
    "My teaching assistant helps me every day",
    "Waiting lists for speech and language therapy are too long",
    "I like the after school club",
    "Nobody explained my EHCP review",
    "The bus to college is always late",
]

ACTIONS = [
    {
        "you_said": "You said you wait too long to see someone at CAMHS, the children and "
        "adolescent mental health service.",
        "we_will": "Open two new drop-in clinics, in Hereford and Leominster, on Saturdays.",
        "owner": "CAMHS team, Herefordshire and Worcestershire Health and Care NHS Trust",
        "due_on": date(2020, 1, 1),
        "success_measure": "Nine in every ten first appointments within 18 weeks.",
        "progress": "The Hereford clinic opened in March; Leominster opens in June.",
    },
    {
        "you_said": "Teaching assistants make a big difference.",
        "we_will": "Train every new teaching assistant in autism awareness.",
        "owner": "SEND team",
        "due_on": date(2031, 7, 31),
        "success_measure": "Every school has a trained teaching assistant.",
        "progress": None,
    },
]


@dataclass(frozen=True)
class Sample:
    """What the sample holds that pages are reached by."""

    survey_id: str
    period: str
    # A receipt for an answer in the published report's year.
    receipt_code: str
    # The email address of a sample account of each role (password and app: tests.factories).
    staff: dict[str, str]


def add_sample_data(db: Session, seed: int = 1) -> Sample:
    """Store the sample (in its own commits) and say where it shows."""
    chance = random.Random(seed)
    receipt = ""
    # Young people last, so that RECEIPT is one of theirs, in the published report's year.
    for survey, count in (("children", 40), ("parent-carers", 30), ("young-people", 60)):
        definition = definition_of(latest_version(db, survey))
        for number in range(count):
            answers: dict[str, object] = {}
            for question in definition.questions():
                if question.type == "free_text":
                    answers[question.id] = chance.choice(COMMENTS)
                elif question.options:
                    answers[question.id] = chance.choice(question.options).id
            # Half in each of two years, so the measures have a trend.
            year = 2024 + number % 2
            moment = datetime(year, 10, 1, 12, tzinfo=UTC) + timedelta(hours=number)
            response = store_response(
                db,
                latest_version(db, survey),
                answers,
                submitted_at=moment,
                channel="online",
                receipt_code=new_code(),
            )
            if year == 2024:
                receipt = response.receipt_code
    db.commit()
    officer = make_user(db, "officer", "sample-officer@example.org")
    forum = make_user(db, "forum", "sample-forum@example.org")
    make_user(db, "safeguarding", "sample-safeguarding@example.org")
    for fields in ACTIONS:
        progress = fields["progress"]
        action = Action(
            survey_id="young-people", **{k: v for k, v in fields.items() if k != "progress"}
        )
        db.add(action)
        if progress:
            add_progress(db, action, progress, ActionStatus.IN_PROGRESS.value, officer)
    report = Report(
        survey_id="young-people",
        period="2024/25",
        introduction="Thank you to the 30 young people who answered.",
        child_summary="You told us waits are long.\nWe are opening new clinics.",
    )
    db.add(report)
    db.flush()
    workflow.send_to_forum(report, officer, db, report.version)
    workflow.sign_off(report, forum, db, report.version)
    workflow.publish(report, officer, db, report.version)
    db.commit()
    staff = {
        "officer": officer.email,
        "forum": forum.email,
        "safeguarding": "sample-safeguarding@example.org",
    }
    return Sample(survey_id="young-people", period="2024-25", receipt_code=receipt, staff=staff)


def sampled_site(folder: str):
    """The fixtures live_app, base_url and sample for a test module whose pages show the
    sample: an app and database of its own, because its hundreds of answers would change
    what other modules' pages show (the staff responses list grows a pagination, say).
    Assign them by name in the module: `live_app, base_url, sample = sampled_site("x")`."""

    @pytest.fixture(scope="module")
    def live_app(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory):
        path = tmp_path_factory.mktemp(folder) / f"{folder}.db"
        shutil.copy(sqlite_template, path)
        return serve_database(path)

    @pytest.fixture(scope="module")
    def base_url(live_app):
        with serving(live_app) as url:
            yield url

    @pytest.fixture(scope="module")
    def sample(live_app):
        with live_app.app_context(), Session(live_app.extensions["db_engine"]) as db:
            return add_sample_data(db)

    return live_app, base_url, sample
