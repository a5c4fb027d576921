"""Drafting, reviewing, signing off and publishing "You said, we did" reports.

The officer drafts and publishes; the parent carer forum comments and signs off. Each
step is a POST of its own, allowed only from the status before it.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from analysis.periods import period_containing, period_name, period_start_year
from app.db import get_session
from app.feedback import reports as workflow
from app.forms import ButtonForm
from app.models import Report, ReportStatus, Response, Role
from app.staff.access import role_required
from app.staff.forms import CommentForm, NewReportForm, ReportTextForm
from app.staff.responses import possibly_dated
from app.staff.views import blueprint
from app.surveys.catalogue import current_surveys
from app.time import today_in_london

STATUS_WORDS = {
    ReportStatus.DRAFT.value: "Draft",
    ReportStatus.WITH_FORUM.value: "With the parent carer forum",
    ReportStatus.SIGNED_OFF.value: "Signed off by the forum",
    ReportStatus.PUBLISHED.value: "Published",
}
STEPS = {
    "send": (workflow.send_to_forum, Role.OFFICER, "Sent to the parent carer forum."),
    "sign-off": (workflow.sign_off, Role.FORUM, "Signed off. The officer can now publish it."),
    "return": (workflow.return_to_draft, None, "Returned to draft."),
    "publish": (workflow.publish, Role.OFFICER, "Published."),
}


@blueprint.route("/reports", methods=["GET", "POST"])
@role_required(Role.OFFICER, Role.FORUM)
def reports():
    db = get_session()
    form = NewReportForm()
    form.survey_id.choices = [SelectChoice(s.id, s.title) for s in current_surveys(db)]
    form.period.choices = [SelectChoice(name, name) for name in _years_with_answers(db)]
    if current_user.role == Role.OFFICER and form.validate_on_submit():
        report = db.scalar(
            select(Report).where(
                Report.survey_id == form.survey_id.data, Report.period == form.period.data
            )
        )
        if report is None:
            report = Report(survey_id=form.survey_id.data, period=form.period.data)
            db.add(report)
            db.commit()
        return redirect(url_for("staff.report", report_id=report.id))
    listed = db.scalars(select(Report).order_by(Report.created_at.desc())).all()
    return render_template(
        "staff/reports.html",
        title=_("Reports"),
        reports=listed,
        form=form,
        status_words=STATUS_WORDS,
    )


@blueprint.route("/reports/<int:report_id>", methods=["GET", "POST"])
@role_required(Role.OFFICER, Role.FORUM)
def report(report_id: int):
    db = get_session()
    found = _report_or_404(report_id)
    text_form = ReportTextForm(obj=found)
    if (
        current_user.role == Role.OFFICER
        and found.status == ReportStatus.DRAFT.value
        and text_form.validate_on_submit()
    ):
        found.introduction, found.child_summary = (
            text_form.introduction.data,
            text_form.child_summary.data,
        )
        db.commit()
        flash(_("Saved."))
        return redirect(url_for("staff.report", report_id=found.id))
    content = found.published_content or workflow.build_content(db, found)
    return render_template(
        "staff/report.html",
        title=content["title"],
        report=found,
        content=content,
        text_form=text_form,
        comment_form=CommentForm(formdata=None),
        step_form=ButtonForm(),
        status_words=STATUS_WORDS,
        back_url=url_for("staff.reports"),
    )


@blueprint.post("/reports/<int:report_id>/comments")
@role_required(Role.OFFICER, Role.FORUM)
def comment_on_report(report_id: int):
    db = get_session()
    found = _report_or_404(report_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            workflow.add_comment(found, current_user, form.body.data, db)
        except workflow.WorkflowError as error:
            flash(str(error))
        else:
            db.commit()
            flash(_("Comment added."))
    else:
        for message in form.body.errors:
            flash(message)
    return redirect(url_for("staff.report", report_id=found.id) + "#comments")


@blueprint.post("/reports/<int:report_id>/<step>")
@role_required(Role.OFFICER, Role.FORUM)
def report_step(report_id: int, step: str):
    if step not in STEPS:
        abort(404)
    action, role, done = STEPS[step]
    if role is not None and current_user.role != role:
        abort(403)
    db = get_session()
    found = _report_or_404(report_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        action(found, current_user, db)
    except workflow.WorkflowError as error:
        flash(str(error))
        return redirect(url_for("staff.report", report_id=found.id))
    db.commit()
    flash(_(done))
    return redirect(url_for("staff.report", report_id=found.id))


def _years_with_answers(db) -> list[str]:
    """This academic year and the three before it, and back to the first answer's year,
    newest first."""
    this_year = period_start_year(period_containing(today_in_london()))
    first = db.scalar(select(func.min(Response.submitted_at)).where(possibly_dated()))
    first_year = this_year - 3
    if first is not None:
        first_year = min(first_year, period_start_year(period_containing(first)))
    return [period_name(year) for year in range(this_year, first_year - 1, -1)]


def _report_or_404(report_id: int) -> Report:
    found = get_session().get(Report, report_id)
    if found is None:
        abort(404)
    return found
