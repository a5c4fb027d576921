"""Downloads for the officer: responses as CSV and XLSX, and charts of how many have
answered. The public open data of the measures is `/api/measures`, built elsewhere.

The CSV is the import's format (docs/csv-formats.md), so a download (CSV or XLSX)
can be imported again: one column per question id, choices as option ids, several joined
by ";", and each response's stable `response_id`, so that importing it again adds
nothing. A response withheld for the safeguarding lead is never in a download.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import IO

from flask import abort, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import Select, exists, select, tuple_
from sqlalchemy.orm import Session

from app.audit import record_seen
from app.db import get_session
from app.imports.responses import FIXED_COLUMNS, ID_COLUMN, MULTIPLE_SEPARATOR
from app.models import Response, Role, SafeguardingFlag, SurveyVersion
from app.staff.access import role_required
from app.staff.charts import CHART_BY, chart_png, chart_svg, counts_chart
from app.staff.responses import Filters, chosen_filters, filter_form, matching
from app.staff.surveys import all_surveys
from app.staff.views import blueprint
from app.surveys.catalogue import translate
from app.surveys.versions import definition_of
from app.time import LONDON

EXPORT_FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHART_KINDS = {"svg": "image/svg+xml", "png": "image/png"}
# A spreadsheet opening the CSV would run text starting with these as a formula. A tab
# in front stops it, and the import strips it again, so the round trip is exact.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500


@blueprint.get("/exports")
@role_required(Role.OFFICER)
def exports():
    db = get_session()
    form = filter_form(db)
    filters = chosen_filters(form)
    return render_template(
        "staff/exports.html",
        title=_("Downloads and charts"),
        form=form,
        filters=filters,
        charts={by: counts_chart(db, filters, by, _scope(form, filters)) for by in CHART_BY},
        back_url=url_for("staff.dashboard"),
    )


@blueprint.get("/responses/export")
@role_required(Role.OFFICER)
def export_responses():
    db = get_session()
    form = filter_form(db)
    kind = request.args.get("format")
    if kind not in EXPORT_FORMATS or not form.validate():
        abort(400)
    filters = chosen_filters(form)
    chosen = exported(filters)
    header = [*FIXED_COLUMNS, ID_COLUMN, *question_ids(db, chosen)]
    rows = response_rows(db, chosen, header[len(FIXED_COLUMNS) + 1 :])
    record_seen(current_user, "responses.export", "responses", format=kind, **filters.args())
    stamp = datetime.now(LONDON).strftime("%Y-%m-%d")
    name = f"responses-{filters.survey or 'all-surveys'}-{stamp}.{kind}"
    write = responses_csv if kind == "csv" else responses_xlsx
    # Sent from the temporary file a block at a time, which closes (and so removes) it
    # once sent: a million responses never sit in memory.
    written = write(header, rows, db)
    return send_file(written, EXPORT_FORMATS[kind], as_attachment=True, download_name=name)


@blueprint.get("/charts/<by>.<kind>")
@role_required(Role.OFFICER)
def chart(by: str, kind: str):
    db = get_session()
    form = filter_form(db)
    if by not in CHART_BY or kind not in CHART_KINDS or not form.validate():
        abort(404)
    filters = chosen_filters(form)
    drawn = counts_chart(db, filters, by, _scope(form, filters))
    body = chart_svg(drawn).encode() if kind == "svg" else chart_png(drawn)
    name = f"answers-by-{by}-{filters.survey or 'all-surveys'}.{kind}"
    as_attachment = request.args.get("download") == "1"
    return send_file(
        io.BytesIO(body), CHART_KINDS[kind], as_attachment=as_attachment, download_name=name
    )


def _scope(form, filters: Filters) -> str:
    """Which survey and year a chart counts, in words: "Tell us what you think, 2025/26"."""
    survey = next(c.label for c in form.survey.choices if c.value == filters.survey)
    return f"{survey}, {filters.period or 'all years'}"


def exported(filters: Filters) -> Select:
    """The responses FILTERS chooses, oldest first, less any withheld for safeguarding or
    quarantined as possible ballot stuffing (app/quarantine.py)."""
    return matching(filters, select(Response)).where(
        Response.quarantined_at.is_(None),
        ~exists().where(SafeguardingFlag.response_id == Response.id),
    )


def question_ids(session: Session, chosen: Select) -> list[str]:
    """The question ids of the versions the responses CHOSEN answered: each survey's
    newest version's order first, then any questions only older versions asked."""
    answered = chosen.with_only_columns(Response.survey_version_id).distinct()
    versions = session.scalars(select(SurveyVersion).where(SurveyVersion.id.in_(answered)))
    questions: list[str] = []
    for version in sorted(versions, key=lambda v: (v.survey_id, -v.version)):
        questions.extend(q.id for q in definition_of(version).questions() if q.id not in questions)
    return questions


def response_rows(session: Session, chosen: Select, questions: list[str]) -> Iterator[list[str]]:
    """The rows of the import's CSV format for the responses CHOSEN, oldest first, read
    CHUNK at a time, each chunk from where the last one ended (ix_responses_newest), so
    that a million responses are never all in memory."""
    oldest_first = chosen.order_by(Response.submitted_at, Response.id).limit(CHUNK)
    after = None
    while True:
        query = oldest_first
        if after is not None:
            query = query.where(tuple_(Response.submitted_at, Response.id) > tuple_(*after))
        chunk = session.scalars(query).all()
        for response in chunk:
            yield [
                response.survey_id,
                response.submitted_at.astimezone(LONDON).isoformat(timespec="seconds"),
                response.channel,
                response.public_id,
                *(cell(response.answers.get(question)) for question in questions),
            ]
        if len(chunk) < CHUNK:
            return
        after = (chunk[-1].submitted_at, chunk[-1].id)
        # Let the chunk's responses go: the session would otherwise keep every one read.
        for response in chunk:
            session.expunge(response)


def cell(answer: object) -> str:
    """An answer as the import reads it: empty, an option id, ids joined by ";", or text."""
    if answer is None:
        return ""
    if isinstance(answer, list):
        return MULTIPLE_SEPARATOR.join(answer)
    return str(answer)


def responses_csv(header: list[str], rows: Iterable[list[str]], _session: Session) -> IO[bytes]:
    """The CSV, written CHUNK rows at a time to a temporary file (removed once closed).
    With a byte-order mark first, Excel reads it as UTF-8; the import ignores it."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it)
    text = io.TextIOWrapper(output, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        writer.writerows([_not_a_formula(value) for value in row] for row in chunk)
    text.flush()
    text.detach()
    output.seek(0)
    return output


def responses_xlsx(header: list[str], rows: Iterable[list[str]], session: Session) -> IO[bytes]:
    """The same table as a workbook, every cell text (so nothing is run as a formula),
    with a second sheet giving each question's wording: written row by row to a
    temporary file (openpyxl's write-only mode), removed once closed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.append(header)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    wording = workbook.create_sheet("Questions")
    wording.append(["question", "survey", "wording"])
    for question_id, survey_id, text in _wordings(session, set(header)):
        wording.append([_text_cell(wording, value) for value in (question_id, survey_id, text)])
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it)
    workbook.save(output)
    output.seek(0)
    return output


def _not_a_formula(text: str) -> str:
    return "\t" + text if text.startswith(FORMULA_STARTS) else text


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    written = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    written.data_type = "s"
    return written


def _wordings(session: Session, questions: set[str]) -> Iterator[tuple[str, str, str]]:
    for survey, version in all_surveys(session):
        for question in definition_of(version).questions():
            if question.id in questions:
                yield question.id, survey.id, translate(question.text)
