"""The measure counts (app/counts.py) against the full computation from every response.

Every kind of change goes through the app's own code: a send, a paper entry, a CSV
import, an erasure, the retention purge, a quarantine and a release, a new version of a
survey, an admin-data import. After each one, the measures served from the counts must
equal `measures_from_database` in every figure, for periods, ranges and breakdowns, and
the counts must equal a fresh count row for row.
"""

import csv
import hashlib
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from analysis.definitions import DEFAULT_BY
from analysis.intervals import round_half_away
from analysis.load import NothingToMeasure, load_responses, measures_from_database, questions_needed
from analysis.periods import period_containing, period_dates, possible_dates
from analysis.results import compute_measures
from analysis.suppression import THRESHOLD
from app import choice_counts, tallies
from app.config import Config
from app.counts import differences, measures_from_counts, rebuild, survey_measures
from app.data_protection import erase_response, purge
from app.db import reading
from app.feedback.reports import ABOUT_YOU, build_content
from app.imports.admin_data import import_admin_data
from app.imports.csvfile import ImportRejected
from app.imports.responses import MULTIPLE_SEPARATOR, import_responses
from app.models import AdminFigure, Channel, MeasureCount, Report, Response, ResponseTally
from app.quarantine import PAST_ALLOWANCE, quarantine, release
from app.respond import drafts
from app.staff.entry import store_entry
from app.surveys.answers import is_shown
from app.surveys.files import read_survey_files
from app.surveys.schema import MEASURE_SCALES, SurveyDefinition
from app.surveys.versions import definition_of, latest_version, store_surveys
from app.time import LONDON
from tests.factories import load_shipped_surveys, make_response
from tests.pages import parse

pytestmark = pytest.mark.postgres

SURVEY_FILES = {file.id: file for file in read_survey_files(Config.SURVEYS_DIR)}
SURVEYS = sorted(SURVEY_FILES)
NOW = datetime.now(UTC)
# Instants on the edges the counts split at: academic years (00:30 BST on 1 September is
# the new year), clock changes, month ends in GMT and BST, and today.
MOMENTS = [
    datetime(2024, 8, 31, 23, 30, tzinfo=UTC),
    datetime(2025, 3, 30, 0, 30, tzinfo=UTC),
    datetime(2025, 8, 31, 22, 59, tzinfo=UTC),
    datetime(2025, 8, 31, 23, 0, tzinfo=UTC),
    datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
    datetime(2025, 10, 31, 23, 30, tzinfo=UTC),
    datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
    datetime(2026, 2, 28, 23, 59, tzinfo=UTC),
    datetime(2026, 8, 31, 23, 30, tzinfo=UTC),
    NOW - timedelta(hours=1),
]
QUERIES: list[dict[str, Any]] = [
    {},
    {"period": "2025/26", "by": ["area"], "suppress": False},
    {"period": "2024/25", "by": []},
    {"date_from": "2025-08-31", "date_to": "2025-10-31", "by": ["audience", "support"]},
    {"date_from": "2025-10-26", "suppress": False},
    {"date_to": "2025-09-01", "by": ["age_band", "setting"], "suppress": False},
    {"period": "2026/27", "by": list(DEFAULT_BY)},
]


def answers_from(survey: str, picks: list[int], version=None) -> dict[str, Any]:
    """Valid answers to SURVEY's choice questions (as in VERSION, else as shipped), each
    option (or no answer, where one may be skipped) chosen by the next of PICKS, a
    multiple choice's options by its bits; free text never (it is not counted)."""
    definition = SURVEY_FILES[survey].definition if version is None else definition_of(version)
    answers: dict[str, Any] = {}
    choices = iter(picks)
    for question in definition.questions():
        if not question.is_choice or not is_shown(question, answers):
            continue
        pick = next(choices, 0)
        if question.type == "multiple_choice":
            ticked = [o for n, o in enumerate(question.option_ids()) if pick >> n & 1]
            if ticked or question.required:
                answers[question.id] = ticked or question.option_ids()[:1]
            continue
        options = question.option_ids() + ([] if question.required else [None])
        chosen = options[pick % len(options)]
        if chosen is not None:
            answers[question.id] = chosen
    return answers


def edited_survey(survey: str, number: int) -> SurveyDefinition:
    """SURVEY as shipped, edited by NUMBER: a new title; or a multiple-choice question
    added; or that question with its last option dropped, and the last option of a
    single choice no measure, breakdown or branch reads, where there is one (answers
    already given keep the options as they were)."""
    definition = SURVEY_FILES[survey].definition.canonical()
    definition["title"] = f"{SURVEY_FILES[survey].definition.title} {number}"
    kind = number % 3
    if kind:
        options = [{"id": f"way_{n}", "label": f"Way {n}"} for n in range(4 - (kind == 2))]
        question = {"id": "ways_to_take_part", "type": "multiple_choice", "text": "How?"}
        definition["pages"].append(
            {"id": "taking_part", "questions": [{**question, "options": options}]}
        )
    if kind == 2:
        depended_on = {
            q["show_if"]["question"]
            for page in definition["pages"]
            for q in page["questions"]
            if "show_if" in q
        }
        singles = [
            q
            for page in definition["pages"]
            for q in page["questions"]
            if q["type"] == "single_choice"
            and q["id"] not in MEASURE_SCALES
            and q["id"] not in ABOUT_YOU
            and q["id"] not in depended_on
            and len(q["options"]) > 2
        ]
        for single in singles[:1]:
            single["options"] = single["options"][:-1]
    return SurveyDefinition.model_validate(definition)


picks = st.lists(st.integers(0, 50), min_size=40, max_size=40)
moments = st.sampled_from(MOMENTS)
surveys = st.sampled_from(SURVEYS)
steps = st.one_of(
    st.tuples(st.just("send"), surveys, picks, moments, st.booleans()),
    st.tuples(st.just("paper"), surveys, picks, moments),
    st.tuples(st.just("import"), st.lists(st.tuples(surveys, picks, moments), max_size=4)),
    st.tuples(st.just("erase"), st.integers(0, 1000)),
    st.tuples(st.just("purge"), st.integers(300, 900)),
    st.tuples(st.just("quarantine"), st.integers(0, 1000)),
    st.tuples(st.just("release"), st.integers(0, 1000)),
    st.tuples(st.just("edit survey"), surveys, st.integers(0, 10**6)),
    st.tuples(
        st.just("admin data"),
        st.sampled_from(["2024/25", "2025/26"]),
        st.sampled_from(["", "hereford", "kington"]),
        st.integers(0, 40),
        st.integers(0, 40),
    ),
)


def apply(step: tuple, session: Session, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the change STEP describes through the app's own code; the caller commits."""
    kind, *args = step
    if kind == "send":
        survey, choices, moment, held = args
        monkeypatch.setattr(drafts, "utcnow", lambda: moment)
        version = latest_version(session, survey)
        draft = drafts.start_draft(session, version)
        draft.answers = answers_from(survey, choices, version)
        # Saved first, as the pages save them before the send: submit reads the draft's
        # row afresh (without this, every send in this test stored no answers at all).
        session.flush()
        drafts.submit(session, draft, PAST_ALLOWANCE if held else None)
    elif kind == "paper":
        survey, choices, moment = args
        version = latest_version(session, survey)
        store_entry(
            session,
            version,
            answers_from(survey, choices, version),
            channel=Channel.PAPER.value,
            filled_in_on=moment.date(),
            key=hashlib.sha256(repr(args).encode()).hexdigest()[:20],
        )
    elif kind == "import":
        rows = [
            {
                "survey": survey,
                "submitted_at": moment.isoformat(),
                **{
                    question: MULTIPLE_SEPARATOR.join(answer)
                    if isinstance(answer, list)
                    else answer
                    for question, answer in answers_from(
                        survey, choices, latest_version(session, survey)
                    ).items()
                },
            }
            for survey, choices, moment in args[0]
        ]
        header = sorted({name for row in rows for name in row})
        path = folder / "responses.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header or ["survey", "submitted_at"])
            writer.writeheader()
            writer.writerows(rows)
        try:
            import_responses(session, path)
        except ImportRejected:
            session.rollback()
            return
    elif kind == "erase":
        ids = session.scalars(select(Response.id).order_by(Response.id)).all()
        if not ids:
            return
        erase_response(session, session.get(Response, ids[args[0] % len(ids)]), None)
    elif kind == "purge":
        purge(session, args[0], NOW)
    elif kind in ("quarantine", "release"):
        held = Response.quarantined_at.is_not(None)
        chosen = session.scalars(
            select(Response)
            .where(Response.channel == Channel.ONLINE.value, held if kind == "release" else ~held)
            .order_by(Response.id)
        ).all()
        if not chosen:
            return
        response = chosen[args[0] % len(chosen)]
        hour = response.submitted_at.replace(minute=0, second=0, microsecond=0)
        (quarantine if kind == "quarantine" else release)(session, None, response.survey_id, hour)
    elif kind == "edit survey":
        survey, number = args
        file = SURVEY_FILES[survey]
        store_surveys(session, [type(file)(file.id, file.path, edited_survey(survey, number))])
    elif kind == "admin data":
        period, area, numerator, extra = args
        path = folder / "admin.csv"
        path.write_text(
            "measure,period,area,numerator,denominator\n"
            f"o5_good_attendance,{period},{area},{numerator},{numerator + extra}\n",
            encoding="utf-8",
        )
        import_admin_data(session, path)


def assert_counts_exact(engine, queries: list[dict[str, Any]] = QUERIES) -> None:
    """The counts equal a fresh count row for row, and served from them the measures
    equal those computed from every response, for each of QUERIES."""
    with reading(engine).connect() as connection:
        assert differences(connection).empty
        for query in queries:
            try:
                expected = measures_from_database(connection, **query)
            except NothingToMeasure:
                with pytest.raises(NothingToMeasure):
                    measures_from_counts(connection, **query)
                continue
            assert measures_from_counts(connection, **query) == expected, query


REPORT_PERIODS = ["2023/24", "2024/25", "2025/26", period_containing(NOW)]
NO_ADMIN_DATA = pd.DataFrame(columns=["measure", "period", "area", "numerator", "denominator"])


def expected_choices(session: Session, survey: str, period: str) -> list[dict[str, Any]]:
    """The oracle of a report's option tables: every response of SURVEY in PERIOD read
    and counted here, each multiple choice once under each option it chose, shares of
    those who answered, figures hidden under 10."""
    first, last = period_dates(period)
    earliest, latest = possible_dates()
    kept = [
        response.answers
        for response in session.scalars(
            select(Response).where(Response.survey_id == survey, Response.quarantined_at.is_(None))
        )
        if max(first, earliest)
        <= response.submitted_at.astimezone(LONDON).date()
        <= min(last, latest)
    ]
    tables = []
    definition = definition_of(latest_version(session, survey))
    for question in definition.questions():
        if not question.is_choice or question.id in ABOUT_YOU:
            continue
        given = [answers[question.id] for answers in kept if answers.get(question.id) is not None]
        chosen = [set(answer) if isinstance(answer, list) else {answer} for answer in given]
        base = len(given)
        counts = [sum(option in each for each in chosen) for option in question.option_ids()]
        tables.append(
            {
                "base": base if base >= THRESHOLD else None,
                "suppressed": base < THRESHOLD,
                "options": [(count, float(round_half_away(100 * count / base))) for count in counts]
                if base >= THRESHOLD
                else [],
            }
        )
    return tables


def assert_reports_exact(app, session: Session) -> None:
    """A report of each survey and period, built from the kept counts, equals the full
    computation from every response: its headline measures (`compute_measures` of the
    survey's responses alone, overall only), its number of responses, and its option
    tables; and the choice counts equal a fresh count row for row."""
    session.expire_all()
    connection = session.connection()
    assert choice_counts.differences(connection) == {}
    with app.test_request_context():
        for survey in SURVEYS:
            for period in REPORT_PERIODS:
                first, last = period_dates(period)
                responses = load_responses(
                    connection,
                    questions=questions_needed(by=()),
                    surveys=[survey],
                    date_from=first,
                    date_to=last,
                )
                expected = compute_measures(responses, NO_ADMIN_DATA, period=period, by=())
                measured = survey_measures(connection, survey, period)
                assert measured.result == expected, (survey, period)
                assert measured.responses == len(responses), (survey, period)
                content = build_content(session, Report(survey_id=survey, period=period))
                overall = {entry["id"]: entry["overall"] for entry in expected["measures"]}
                for headline in content["headlines"]:
                    cell = overall[headline["id"]]
                    assert (headline["percent"], headline["base"], headline["suppressed"]) == (
                        cell["percent"],
                        cell["base"],
                        cell["suppressed"],
                    ), (survey, period, headline["id"])
                shown = [
                    {
                        "base": table["base"],
                        "suppressed": table["suppressed"],
                        "options": [(o["count"], o["percent"]) for o in table["options"]],
                    }
                    for table in content["choices"]
                ]
                assert shown == expected_choices(session, survey, period), (survey, period)
    session.rollback()


@settings(
    max_examples=8,
    deadline=None,
    # One database for all the examples: each goes on from the last one's state, which is
    # more changes to check, not less; the comparison is made after every step.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.lists(steps, min_size=1, max_size=5))
def test_counts_equal_the_full_computation_after_every_kind_of_change(
    app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changes: list[tuple]
):
    engine = app.extensions["db_engine"]
    with Session(engine, expire_on_commit=False) as session:
        if latest_version(session, SURVEYS[0]) is None:
            load_shipped_surveys(session)
            # Each survey asks a multiple-choice question from the start (edits may take
            # it away, or an option of it).
            for survey in SURVEYS:
                apply(("edit survey", survey, 1), session, tmp_path, monkeypatch)
            session.commit()
        for step in changes:
            apply(step, session, tmp_path, monkeypatch)
            session.commit()
            # Every step row for row and two queries; every query at the end (served
            # from equal counts, the other queries could only differ in the adding up).
            assert_counts_exact(engine, QUERIES[:1] + QUERIES[3:4])
            assert_reports_exact(app, session)
        assert_counts_exact(engine)


def test_rebuild_after_rows_inserted_around_the_app_gives_the_same_measures(app, db):
    load_shipped_surveys(db)
    version = latest_version(db, "children")
    engine = app.extensions["db_engine"]
    with engine.begin() as connection:
        connection.execute(
            Response.__table__.insert(),
            [
                {
                    "public_id": f"bulk-{number}",
                    "survey_id": "children",
                    "survey_version_id": version.id,
                    "audience": "child",
                    "submitted_at": MOMENTS[number % len(MOMENTS)],
                    "channel": "online",
                    "answers": {"cares_about_opinion": ["always", "never"][number % 2]},
                    "created_at": NOW,
                }
                for number in range(30)
            ],
        )
        assert not differences(connection).empty
    with engine.begin() as connection:
        assert rebuild(connection) > 0
    assert_counts_exact(engine)


def test_a_rolled_back_send_counts_nothing(app, db):
    load_shipped_surveys(db)
    engine = app.extensions["db_engine"]
    with Session(engine) as session:
        draft = drafts.start_draft(session, latest_version(session, "children"))
        draft.answers = {"cares_about_opinion": "always"}
        drafts.submit(session, draft)
        session.rollback()
        session.commit()
    with engine.connect() as connection:
        assert connection.scalar(select(MeasureCount.base).limit(1)) is None


def test_sends_at_once_from_many_connections_are_each_counted_once(app, db, backend):
    """Twelve sends on one day at once, each in its own transaction and connection (as
    from several workers and servers): every one lands in the same hot rows, of the
    measures' counts and of the staff pages' tallies."""
    load_shipped_surveys(db)
    engine = app.extensions["db_engine"]
    senders = 12
    ready = threading.Barrier(senders)
    failures: list[BaseException] = []

    def send(number: int) -> None:
        try:
            with Session(engine) as session:
                draft = drafts.start_draft(session, latest_version(session, "young-people"))
                draft.answers = {
                    "cares_about_opinion": ["always", "sometimes"][number % 2],
                    "area": "hereford",
                }
                session.commit()
                ready.wait(timeout=30)
                drafts.submit(session, draft)
                session.commit()
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=send, args=(number,)) for number in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    with engine.connect() as connection:
        result = measures_from_counts(connection, by=["area"])
    measure = next(m for m in result["measures"] if m["id"] == "o2_opinion_cared_about")
    assert measure["overall"]["base"] == senders
    assert measure["overall"]["numerator"] == senders // 2
    assert measure["breakdowns"]["area"]["hereford"]["base"] == senders
    assert_counts_exact(engine)
    # The staff pages' tallies and the reports' choice counts go through the same doors.
    with engine.connect() as connection:
        assert tallies.differences(connection) == {}
        assert choice_counts.differences(connection) == {}
        hereford = select(func.sum(ResponseTally.responses)).where(ResponseTally.area == "hereford")
        assert connection.scalar(hereford) == senders


def test_two_officers_holding_the_same_hour_at_once_take_it_out_once(
    app, db, backend, monkeypatch: pytest.MonkeyPatch
):
    load_shipped_surveys(db)
    engine = app.extensions["db_engine"]
    moment = datetime(2025, 11, 4, 10, 15, tzinfo=UTC)
    monkeypatch.setattr(drafts, "utcnow", lambda: moment)
    with Session(engine) as session:
        for _ in range(3):
            draft = drafts.start_draft(session, latest_version(session, "children"))
            draft.answers = {"cares_about_opinion": "always"}
            drafts.submit(session, draft)
        session.commit()
    ready = threading.Barrier(2)
    failures: list[BaseException] = []

    def hold() -> None:
        try:
            with Session(engine) as session:
                if backend == "postgresql":
                    session.execute(text("SELECT 1"))
                ready.wait(timeout=30)
                quarantine(session, None, "children", moment.replace(minute=0))
                session.commit()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert_counts_exact(engine)
    with engine.connect() as connection:
        assert connection.scalar(
            select(MeasureCount.base).where(
                MeasureCount.grain == "day",
                MeasureCount.start == date(2025, 11, 4),
                MeasureCount.measure == "o2_opinion_cared_about",
                MeasureCount.dimension == "overall",
            )
        ) in (0, None)


def test_the_measures_are_served_without_reading_an_answer(app, db, client):
    """Answers taken away behind the app's back (raw SQL, no counting) leave what is
    served unchanged: it comes from the counts alone."""
    load_shipped_surveys(db)
    engine = app.extensions["db_engine"]
    with Session(engine) as session:
        for number in range(12):
            draft_moment = datetime(2025, 10, 1 + number, 12, tzinfo=UTC)
            store_entry(
                session,
                latest_version(session, "children"),
                {"cares_about_opinion": ["always", "never", "mostly"][number % 3]},
                channel=Channel.PAPER.value,
                filled_in_on=draft_moment.date(),
                key=f"served-{number}",
            )
        session.commit()
    before = [client.get(path) for path in ("/api/measures", "/measures")]
    assert before[0].json["period"] == "2025/26"
    opinion = next(m for m in before[0].json["measures"] if m["id"] == "o2_opinion_cared_about")
    assert (opinion["overall"]["numerator"], opinion["overall"]["base"]) == (8, 12)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM responses"))
    after = [client.get(path) for path in ("/api/measures", "/measures")]
    assert after[0].json == before[0].json
    assert after[1].status_code == 200
    # The page's text, not its bytes: each page carries a fresh CSP nonce.
    assert (
        parse(after[1]).select_one("main").get_text()
        == parse(before[1]).select_one("main").get_text()
    )


def test_a_page_of_measures_reads_the_admin_figures_once_however_many_years_it_shows(
    app, db, client
):
    """The page shows the figures and each measure's trend over every year: each of
    those results is summed from the counts, but the admin figures and the years are
    read once a request, not once a result."""
    load_shipped_surveys(db)
    for year in (2022, 2023, 2024, 2025):
        for answer in ["always"] * 6 + ["never"] * 6:
            make_response(
                db,
                "young-people",
                {"cares_about_opinion": answer, "area": "hereford"},
                submitted_at=datetime(year, 11, 1, 12, tzinfo=UTC),
            )
    db.add(AdminFigure(measure="o5_good_attendance", period="2024/25", numerator=8, denominator=10))
    db.commit()
    engine = app.extensions["db_engine"]
    statements: list[str] = []

    def record(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        page = parse(client.get("/measures?by=area"))
    finally:
        event.remove(engine, "before_cursor_execute", record)

    trend = page.select("#o2_opinion_cared_about .app-chart--trend li")
    assert [row.get_text(" ", strip=True).split(" ")[0] for row in trend] == [
        "2022/23",
        "2023/24",
        "2024/25",
        "2025/26",
    ]
    assert len([s for s in statements if "FROM admin_figures" in s]) == 1
    # The years read twice (the list, and the default year: up to today only), then one
    # sum per result shown: the chosen year and the trend's four years.
    assert len([s for s in statements if "FROM measure_counts" in s]) == 2 + 1 + 4
