"""'You said, we did' reports: what goes in them, and the co-production workflow.

The officer drafts; the parent carer forum comments and signs off; the officer then
publishes. What is published is a frozen copy (`Report.published_content`) built here
from suppressed figures, themes with redacted quotes, and the survey's actions. It is
frozen when the report is sent to the forum, so the forum signs off exactly what is
published. Answers flagged as possible safeguarding disclosures never reach any of it.

Every save and step names the version of the report its page showed (`Report.version`)
and raises it by one, in the transaction's first write: a second press of the same
button, an old form replayed, or a second tab's stale copy finds the version moved on
and is refused (`ReportChanged`), never applied on top of what happened since.
"""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from analysis.definitions import MEASURES
from analysis.intervals import round_half_away
from analysis.load import FREE_TEXT_QUESTIONS
from analysis.periods import period_dates
from analysis.report import QUOTES_PER_THEME, option_shares, pick_quotes
from analysis.suppression import SECONDARY, THRESHOLD
from app.audit import record
from app.choice_counts import ChoiceTotals, choice_totals
from app.counts import survey_measures
from app.db import utcnow
from app.feedback.actions import STATUS_WORDS, all_actions, is_overdue
from app.feedback.codebook import codebook
from app.feedback.themes import Scope, comment_totals, quote_candidates, theme_counts
from app.models import AuditEvent, Report, ReportComment, ReportStatus, User
from app.outbox import notices
from app.public.measures import WORDING, Wording
from app.surveys.catalogue import translate
from app.surveys.schema import SurveyDefinition
from app.surveys.versions import definition_of, latest_version
from app.time import today_in_london

# The questions summarised option by option: everything with choices except the "about
# you" questions, which would describe respondents rather than what they said.
ABOUT_YOU = frozenset({"area", "age_band", "setting", "support"})
MEASURE_QUESTIONS = {measure.id: measure.questions for measure in MEASURES}
# Who a survey's headlines speak for: its own audience, never everyone the measure covers.
AUDIENCE_WORDS = {
    "child": "children",
    "young_person": "young people",
    "parent_carer": "parent carers",
}
# "You said" in two parts, because both questions are asked and a theme means something
# different in each: waiting times "going well" is good news, "should change" is not.
COMMENT_HEADINGS = {
    "going_well": "What is going well",
    "should_change": "What should change",
}
NOT_SURE_NOTE = (
    'Out of {base} {people} who answered. "Not sure" answers are left out of the percentage.'
)


class WorkflowError(ValueError):
    """A step the report's status does not allow; the message says why."""


class ReportChanged(WorkflowError):
    """The page was shown at an older version of the report: someone saved it or moved
    it on since (`last_change` says who, what and when)."""

    def __init__(self) -> None:
        super().__init__("This report has changed since the page was opened.")


def build_content(session: Session, report: Report) -> dict[str, Any]:
    """Everything the report shows, as plain JSON data, safe to publish. Its figures are
    added up from the kept counts (app/counts.py, app/choice_counts.py), never from a
    read of every response."""
    version = latest_version(session, report.survey_id)
    definition = definition_of(version)
    first, last = period_dates(report.period)
    connection = session.connection()
    measured = survey_measures(connection, report.survey_id, report.period)
    choice_ids = [q.id for q in definition.questions() if q.is_choice and q.id not in ABOUT_YOU]
    totals = choice_totals(connection, report.survey_id, first, last, choice_ids)
    today = today_in_london()
    return {
        "title": f"You said, we did: {translate(definition.title)}, {report.period}",
        "survey_id": report.survey_id,
        "survey_title": translate(definition.title),
        "audience": definition.audience,
        "period": report.period,
        "responses": measured.responses if measured.responses >= THRESHOLD else None,
        "introduction": report.introduction,
        "child_summary": report.child_summary,
        "headlines": _headlines(measured.result, definition),
        "choices": _choices(totals, definition, choice_ids),
        "comment_groups": _comment_groups(session, Scope(report.survey_id, first, last)),
        "actions": [
            {
                "you_said": action.you_said,
                "we_will": action.we_will,
                "owner": action.owner,
                "due_on": action.due_on.isoformat(),
                "status": STATUS_WORDS[action.status],
                "overdue": is_overdue(action, today),
                "updates": [update.note for update in action.updates],
            }
            for action in all_actions(session, report.survey_id)
        ],
    }


def _headlines(result: dict[str, Any], definition: SurveyDefinition) -> list[dict]:
    """The survey measures the survey asks about, from RESULT (`compute_measures` of its
    own responses alone, overall only), each in words for its own audience."""
    asked = {q.id for q in definition.questions()}
    people = AUDIENCE_WORDS[definition.audience]
    headlines = []
    for entry in result["measures"]:
        if entry["source"] != "survey" or entry["id"] not in WORDING:
            continue
        if not set(MEASURE_QUESTIONS[entry["id"]]) <= asked:
            continue
        cell = entry["overall"]
        wording = WORDING[entry["id"]]
        headlines.append(
            {
                "id": entry["id"],
                "heading": wording.heading,
                "percent": cell["percent"],
                "base": cell["base"],
                "sentence": (
                    f"{round(cell['percent'])} in every 100 {people} {_what_they_said(wording)}."
                    if not cell["suppressed"]
                    else _hidden_words(cell)
                ),
                "note": None
                if cell["suppressed"]
                else NOT_SURE_NOTE.format(base=cell["base"], people=people),
                "suppressed": cell["suppressed"],
            }
        )
    return headlines


def _what_they_said(wording: Wording) -> str:
    """The public page's sentence from "said" on ("said they were told how..."): the
    page speaks for everyone the measure covers, a report only for its own audience."""
    return "said " + wording.sentence.split(" said ", 1)[1]


def _hidden_words(cell: dict) -> str:
    if cell.get("reason") == SECONDARY:
        return "Hidden to protect a small group."
    return "Fewer than 10 people answered, so we do not show this figure."


def _choices(totals: ChoiceTotals, definition: SurveyDefinition, ids: list[str]) -> list[dict]:
    questions = [definition.question(qid) for qid in ids]
    shares = option_shares(
        totals.chosen, totals.answered, [(q.id, q.option_ids()) for q in questions]
    )
    choices = []
    for question in questions:
        rows = shares[shares["question"] == question.id]
        labels = {o.id: translate(o.label) for o in question.options}
        hidden = bool(rows["suppressed"].any())
        choices.append(
            {
                "question": translate(question.text),
                "base": None if hidden else int(rows["base"].iloc[0]),
                "suppressed": hidden,
                "options": []
                if hidden
                else [
                    {
                        "label": labels[row.option],
                        "count": int(row.count),
                        "percent": float(row.percent),
                    }
                    for row in rows.itertuples()
                ],
            }
        )
    return choices


def _comment_groups(session: Session, scope: Scope) -> list[dict[str, Any]]:
    """The themes of each free-text question on its own ("What is going well", "What
    should change"), each suppressed and quoted as `analysis.report.theme_summary` says,
    counted and chosen in SQL from each comment's stored themes, feeling and quote key."""
    labels = {theme.id: theme.label for theme in codebook().themes}
    totals = comment_totals(session, scope, by="question")
    counts = theme_counts(session, scope, by="question")
    groups = []
    for question in FREE_TEXT_QUESTIONS:
        mentioned = [count for count in counts if count.group == question]
        candidates = quote_candidates(
            session, scope, question, mentioned, per_theme=QUOTES_PER_THEME
        )
        quotes = pick_quotes(
            candidates, [count.theme for count in mentioned], per_theme=QUOTES_PER_THEME
        )
        shown = [count for count in mentioned if count.count >= THRESHOLD]
        groups.append(
            {
                "question": question,
                "heading": COMMENT_HEADINGS[question],
                "comments": totals.get(question, 0),
                "themes": [
                    {
                        "id": count.theme,
                        "label": labels.get(count.theme, count.theme),
                        "count": count.count,
                        "percent": float(round_half_away(100 * count.share)),
                        "quotes": quotes.get(count.theme, []),
                    }
                    for count in shown
                ],
                "themes_hidden": [
                    labels.get(count.theme, count.theme)
                    for count in mentioned
                    if count.count < THRESHOLD
                ],
            }
        )
    return groups


# The workflow: each step claims the version its page showed, then checks the status it
# starts from.


def claim(session: Session, report: Report, version: int) -> None:
    """Raise REPORT's version from VERSION by one, or raise ReportChanged if it is no
    longer at VERSION. An UPDATE guarded by the version, so of two requests from one page
    only one gets through: PostgreSQL makes the second wait for the first's row lock and
    then finds no row at that version; SQLite runs write transactions one at a time."""
    if report.version != version:
        raise ReportChanged()
    claimed = session.execute(
        update(Report)
        .where(Report.id == report.id, Report.version == version)
        .values(version=Report.version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise ReportChanged()
    session.refresh(report)


def save_text(
    report: Report, user: User, session: Session, version: int, introduction: str, summary: str
) -> bool:
    """Store the officer's introduction and children's summary, if the page showed VERSION.
    Text that is already what is stored changes nothing (a second press of the button),
    and returns False; otherwise True."""
    if (introduction, summary) == (report.introduction, report.child_summary):
        return False
    claim(session, report, version)
    _expect(report, ReportStatus.DRAFT, "Only a draft can be changed.")
    report.introduction, report.child_summary = introduction, summary
    record(session, user, "report.saved", f"report:{report.id}")
    return True


def send_to_forum(report: Report, user: User, session: Session, version: int) -> None:
    """Freeze the content as it is now and send it to the forum to review and sign off."""
    claim(session, report, version)
    _expect(report, ReportStatus.DRAFT, "Only a draft can be sent to the forum.")
    report.published_content = build_content(session, report)
    report.status = ReportStatus.WITH_FORUM.value
    record(session, user, "report.sent_to_forum", f"report:{report.id}")
    notices.report_sent_to_forum(session, report)


def add_comment(report: Report, user: User, body: str, session: Session) -> None:
    if report.status == ReportStatus.PUBLISHED.value:
        raise WorkflowError("This report is published; comments are closed.")
    session.add(ReportComment(report=report, user=user, body=body))


def sign_off(report: Report, user: User, session: Session, version: int) -> None:
    claim(session, report, version)
    _expect(
        report, ReportStatus.WITH_FORUM, "The forum signs off a report once it is sent to them."
    )
    report.status = ReportStatus.SIGNED_OFF.value
    report.signed_off_at = utcnow()
    report.signed_off_by = user
    record(session, user, "report.signed_off", f"report:{report.id}")
    notices.report_signed_off(session, report)


def return_to_draft(report: Report, user: User, session: Session, version: int) -> None:
    """The forum asks for changes (or the officer wants to make some): back to a draft,
    whose content is built afresh until it is sent again."""
    claim(session, report, version)
    if report.status not in (ReportStatus.WITH_FORUM.value, ReportStatus.SIGNED_OFF.value):
        raise WorkflowError("Only a report with the forum or signed off can go back to draft.")
    report.status = ReportStatus.DRAFT.value
    report.signed_off_at = None
    report.signed_off_by = None
    report.published_content = None
    record(session, user, "report.returned_to_draft", f"report:{report.id}")


def publish(report: Report, user: User, session: Session, version: int) -> None:
    """Publish the content the forum signed off, as it was frozen when sent to them."""
    claim(session, report, version)
    _expect(
        report, ReportStatus.SIGNED_OFF, "A report is published only after the forum signs it off."
    )
    report.published_at = utcnow()
    # A report sent before content was frozen on sending has none yet: built now.
    content = report.published_content or build_content(session, report)
    report.published_content = {**content, "published_at": report.published_at.isoformat()}
    report.status = ReportStatus.PUBLISHED.value
    record(session, user, "report.published", f"report:{report.id}")
    notices.results_published(session, report)


def last_change(session: Session, report: Report) -> AuditEvent | None:
    """The latest save or step of REPORT: who did what, when."""
    return session.scalar(
        select(AuditEvent)
        .where(AuditEvent.subject == f"report:{report.id}", AuditEvent.action.like("report.%"))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def _expect(report: Report, status: ReportStatus, message: str) -> None:
    if report.status != status.value:
        raise WorkflowError(message)


def published_report(session: Session, survey_id: str, period: str | None = None) -> Report | None:
    """The published report for a survey (for PERIOD, or the latest)."""
    query = select(Report).where(
        Report.survey_id == survey_id, Report.status == ReportStatus.PUBLISHED.value
    )
    if period is not None:
        query = query.where(Report.period == period)
    return session.scalar(query.order_by(Report.period.desc()).limit(1))
