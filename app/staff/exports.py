"""Downloads for the officer: responses as CSV and XLSX, and charts of how many have
answered. The public open data of the measures is `/api/measures`, built elsewhere.

The CSV is the import's format (docs/csv-formats.md), so a download (CSV or XLSX)
can be imported again: one column per question id, choices as option ids, several joined
by ";", and each response's stable `response_id`, so that importing it again adds
nothing. A response withheld for the safeguarding lead is never in a download.
"""

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from flask import abort, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import record_seen
from app.db import get_session
from app.imports.responses import FIXED_COLUMNS, ID_COLUMN, MULTIPLE_SEPARATOR
from app.models import Response, Role, SafeguardingFlag, SurveyVersion
from app.staff.access import role_required
from app.staff.charts import CHART_BY, chart_png, chart_svg, counts_chart
from app.staff.responses import Filters, chosen_filters, filter_form, matching_ids
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
    header, rows = response_table(db, exported_ids(db, filters))
    body = responses_csv(header, rows) if kind == "csv" else responses_xlsx(header, rows, db)
    record_seen(current_user, "responses.export", "responses", format=kind, **filters.args())
    stamp = datetime.now(LONDON).strftime("%Y-%m-%d")
    name = f"responses-{filters.survey or 'all-surveys'}-{stamp}.{kind}"
    return send_file(io.BytesIO(body), EXPORT_FORMATS[kind], as_attachment=True, download_name=name)


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


def exported_ids(session: Session, filters: Filters) -> list[int]:
    """The responses FILTERS chooses, oldest first, less any withheld for safeguarding or
    quarantined as possible ballot stuffing (app/quarantine.py)."""
    withheld = set(session.scalars(select(SafeguardingFlag.response_id)))
    withheld |= set(
        session.scalars(select(Response.id).where(Response.quarantined_at.is_not(None)))
    )
    return [i for i in reversed(matching_ids(session, filters)) if i not in withheld]


def response_table(session: Session, ids: list[int]) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the import's CSV format for the responses IDS."""
    versions = _versions(session, ids)
    questions: list[str] = []
    for version in sorted(versions.values(), key=lambda v: (v.survey_id, -v.version)):
        questions.extend(q.id for q in definition_of(version).questions() if q.id not in questions)
    rows = [
        [
            response.survey_id,
            response.submitted_at.astimezone(LONDON).isoformat(timespec="seconds"),
            response.channel,
            response.public_id,
            *(cell(response.answers.get(question)) for question in questions),
        ]
        for response in _responses(session, ids)
    ]
    return [*FIXED_COLUMNS, ID_COLUMN, *questions], rows


def cell(answer: object) -> str:
    """An answer as the import reads it: empty, an option id, ids joined by ";", or text."""
    if answer is None:
        return ""
    if isinstance(answer, list):
        return MULTIPLE_SEPARATOR.join(answer)
    return str(answer)


def responses_csv(header: list[str], rows: list[list[str]]) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(header)
    writer.writerows([_not_a_formula(value) for value in row] for row in rows)
    # With a byte-order mark, Excel reads the file as UTF-8; the import ignores it.
    return output.getvalue().encode("utf-8-sig")


def responses_xlsx(header: list[str], rows: list[list[str]], session: Session) -> bytes:
    """The same table as a workbook, every cell text (so nothing is run as a formula),
    with a second sheet giving each question's wording."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.append(header)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    wording = workbook.create_sheet("Questions")
    wording.append(["question", "survey", "wording"])
    for question_id, survey_id, text in _wordings(session, set(header)):
        wording.append([_text_cell(wording, value) for value in (question_id, survey_id, text)])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


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


def _responses(session: Session, ids: list[int]) -> Iterator[Response]:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found = {r.id: r for r in session.scalars(select(Response).where(Response.id.in_(chunk)))}
        yield from (found[i] for i in chunk)


def _versions(session: Session, ids: list[int]) -> dict[int, SurveyVersion]:
    version_ids: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        version_ids.update(
            session.scalars(
                select(Response.survey_version_id).where(Response.id.in_(chunk)).distinct()
            )
        )
    return {
        v.id: v
        for v in session.scalars(select(SurveyVersion).where(SurveyVersion.id.in_(version_ids)))
    }
