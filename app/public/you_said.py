"""The public "You said, we did" page: published reports and the rolling action list."""

from flask import Response, abort, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.db import get_session
from app.feedback.actions import STATUS_WORDS, all_actions, is_overdue
from app.feedback.pdf import report_as_pdf
from app.feedback.reports import published_report
from app.models import Report, ReportStatus
from app.public.views import blueprint
from app.time import today_in_london


@blueprint.get("/you-said-we-did")
def you_said_we_did():
    db = get_session()
    reports = db.scalars(
        select(Report)
        .where(Report.status == ReportStatus.PUBLISHED.value)
        .order_by(Report.published_at.desc())
    ).all()
    return render_template(
        "public/you_said_we_did.html",
        title=_("You said, we did"),
        reports=reports,
        actions=all_actions(db),
        today=today_in_london(),
        is_overdue=is_overdue,
        status_words=STATUS_WORDS,
    )


@blueprint.get("/you-said-we-did/<survey_id>/<period>")
def report(survey_id: str, period: str):
    found = _published_or_404(survey_id, period)
    return render_template(
        "public/report.html",
        title=found.published_content["title"],
        content=found.published_content,
        report=found,
        back_url=url_for("public.you_said_we_did"),
    )


@blueprint.get("/you-said-we-did/<survey_id>/<period>/easy-read")
def report_easy_read(survey_id: str, period: str):
    found = _published_or_404(survey_id, period)
    return render_template(
        "public/report_easy_read.html",
        title=_("What you told us and what we did"),
        content=found.published_content,
        report=found,
        back_url=url_for("public.report", survey_id=survey_id, period=period),
    )


@blueprint.get("/you-said-we-did/<survey_id>/<period>/report.pdf")
def report_pdf(survey_id: str, period: str):
    found = _published_or_404(survey_id, period)
    filename = f"you-said-we-did-{survey_id}-{period}.pdf"
    return Response(
        report_as_pdf(found.published_content),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def _published_or_404(survey_id: str, period: str) -> Report:
    """The published report; PERIOD is written 2025-26 in addresses."""
    found = published_report(get_session(), survey_id, period.replace("-", "/"))
    if found is None:
        abort(404)
    return found
