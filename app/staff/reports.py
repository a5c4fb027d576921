"""Drafting, reviewing, signing off and publishing "You said, we did" reports.

The officer drafts and publishes; the parent carer forum comments and signs off. The
officer's text and the send button are one form, so sending saves what was typed first.
Signing off and publishing each ask on a page of their own, which says what happens next.
Every form carries the report's version (app/feedback/reports.py): nothing typed is lost
and nothing is done twice or on top of someone else's change.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import exists, func, select

from analysis.periods import period_containing, period_dates, period_name, period_start_year
from app.db import get_session
from app.feedback import reports as workflow
from app.feedback.pdf import report_as_pdf
from app.forms import choices
from app.models import ContactRequest, Report, ReportStatus, Role
from app.models import Response as SurveyResponse
from app.security import csrf
from app.staff.access import role_required
from app.staff.forms import CommentForm, NewReportForm, ReportStepForm, ReportTextForm
from app.staff.progress import london_midnight
from app.staff.responses import possibly_dated
from app.staff.views import blueprint
from app.surveys.catalogue import current_surveys
from app.time import london_time
from app.urls import absolute_url

STATUS_WORDS = {
    ReportStatus.DRAFT.value: "Draft",
    ReportStatus.WITH_FORUM.value: "With the parent carer forum",
    ReportStatus.SIGNED_OFF.value: "Signed off by the forum",
    ReportStatus.PUBLISHED.value: "Published",
}
# What the last change was, for "since you opened this page, ..." (app.audit actions).
CHANGE_WORDS = {
    "report.saved": _l("saved a new version of the text"),
    "report.sent_to_forum": _l("sent it to the parent carer forum"),
    "report.signed_off": _l("signed it off"),
    "report.returned_to_draft": _l("returned it to draft"),
    "report.published": _l("published it"),
}


@dataclass(frozen=True)
class Step:
    action: Any
    role: Role | None
    starts_from: tuple[ReportStatus, ...]
    # The status the step leads to: a second press that finds the report there already
    # did nothing wrong, and is told so.
    leads_to: ReportStatus
    done: str
    already: str
    # The confirmation page asked before the step, or None for a plain button.
    confirm: str | None = None


STEPS = {
    "sign-off": Step(
        workflow.sign_off,
        Role.FORUM,
        (ReportStatus.WITH_FORUM,),
        ReportStatus.SIGNED_OFF,
        _l("Signed off. The officer can now publish it."),
        _l("This report is already signed off."),
        "staff/report_sign_off.html",
    ),
    "return": Step(
        workflow.return_to_draft,
        None,
        (ReportStatus.WITH_FORUM, ReportStatus.SIGNED_OFF),
        ReportStatus.DRAFT,
        _l("Returned to draft."),
        _l("This report is already back in draft."),
    ),
    "publish": Step(
        workflow.publish,
        Role.OFFICER,
        (ReportStatus.SIGNED_OFF,),
        ReportStatus.PUBLISHED,
        _l("Published."),
        _l("This report is already published."),
        "staff/report_publish.html",
    ),
}


@blueprint.route("/reports", methods=["GET", "POST"])
@role_required(Role.OFFICER, Role.FORUM)
def reports():
    db = get_session()
    surveys = current_surveys(db)
    titles = {survey.id: survey.title for survey in surveys}
    answered = _years_with_answers(db, list(titles))
    form = NewReportForm()
    form.answered = frozenset(answered)
    form.survey_id.choices = choices(titles)
    years = sorted({year for _survey, year in answered}, reverse=True)
    form.period.choices = choices({year: year for year in years})
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
        titles=titles,
        form=form,
        status_words=STATUS_WORDS,
    )


# The text form checks its own CSRF token (FlaskForm does) instead of the app-wide check,
# which would answer a stale token with an error page and lose what was typed.
@blueprint.route("/reports/<int:report_id>", methods=["GET", "POST"])
@csrf.exempt
@role_required(Role.OFFICER, Role.FORUM)
def report(report_id: int):
    db = get_session()
    found = _report_or_404(report_id)
    form = ReportTextForm(obj=found)
    problem = None
    if request.method == "POST":
        if current_user.role != Role.OFFICER:
            abort(403)
        if form.validate_on_submit():
            try:
                return _save_and_maybe_send(found, form)
            except workflow.WorkflowError as error:
                db.rollback()
                repeated = _repeated_press(found, form)
                if repeated:
                    flash(repeated, "info")
                    return redirect(url_for("staff.report", report_id=found.id))
                changed = isinstance(error, workflow.ReportChanged)
                problem = _what_changed(found) if changed else str(error)
        elif form.csrf_token.errors:
            problem = _(
                "This page was open too long to save from, so nothing was saved yet. "
                "Your text is still in the boxes: press the button again."
            )
        if problem:
            # Saving again from here means replacing what is stored: the page now shows
            # the stored text below the boxes, so the officer decides knowing it.
            form.version.data = found.version
    return _report_page(found, form, problem)


def _save_and_maybe_send(found: Report, form: ReportTextForm):
    db = get_session()
    changed = workflow.save_text(
        found,
        current_user,
        db,
        form.version.data,
        form.introduction.data,
        form.child_summary.data,
    )
    if form.send.data:
        # Text already stored as typed was saved by an earlier press: send what is stored.
        workflow.send_to_forum(found, current_user, db, found.version)
        message = _("Saved and sent to the parent carer forum.")
    else:
        message = _("Saved.") if changed else _("No changes to save.")
    db.commit()
    flash(message)
    return redirect(url_for("staff.report", report_id=found.id))


def _repeated_press(found: Report, form: ReportTextForm) -> str | None:
    """What to say when a refused save was a second press of a button whose first press
    already did everything (the text stored is what was typed): None if it was not."""
    get_session().refresh(found)
    if (form.introduction.data, form.child_summary.data) != (
        found.introduction,
        found.child_summary,
    ):
        return None
    if not form.send.data:
        return _("Saved. Nothing has changed since.")
    if found.status == ReportStatus.WITH_FORUM.value:
        return _("This report is already with the parent carer forum.")
    return None


def _what_changed(found: Report) -> str:
    return (
        _since_you_opened(found)
        + " "
        + _(
            "Nothing was saved: your text is still in the boxes, and what is stored now is "
            "shown below them."
        )
    )


def _since_you_opened(found: Report) -> str:
    change = workflow.last_change(get_session(), found)
    if change is None:
        return _("This report changed since you opened this page.")
    return _(
        "Since you opened this page, %(who)s %(what)s (%(when)s).",
        who=change.user.email if change.user else _("someone"),
        what=CHANGE_WORDS.get(change.action, _("changed it")),
        when=london_time(change.at),
    )


def _report_page(
    found: Report,
    form: ReportTextForm,
    problem: str | None,
    comment_form: CommentForm | None = None,
):
    db = get_session()
    content = found.published_content or workflow.build_content(db, found)
    comment_form = comment_form or CommentForm(formdata=None)
    typed = (form.introduction, form.child_summary, comment_form.body)
    errors = [{"text": problem, "href": f"#{form.introduction.id}"}] if problem else []
    errors += [{"text": field.errors[0], "href": f"#{field.id}"} for field in typed if field.errors]
    return render_template(
        "staff/report.html",
        errors=errors,
        title=content["title"],
        report=found,
        content=content,
        text_form=form,
        problem=problem,
        comment_form=comment_form,
        step_form=ReportStepForm(version=found.version),
        status_words=STATUS_WORDS,
        back_url=url_for("staff.reports"),
    ), (409 if problem else 400 if errors else 200)


@blueprint.get("/reports/<int:report_id>/report.pdf")
@role_required(Role.OFFICER, Role.FORUM)
def report_pdf(report_id: int):
    """The PDF the public will download, from the same frozen content (before publishing
    it lacks only the "Published" date)."""
    found = _report_or_404(report_id)
    content = found.published_content or workflow.build_content(get_session(), found)
    filename = f"you-said-we-did-{found.survey_id}-{found.period.replace('/', '-')}.pdf"
    return Response(
        report_as_pdf(content),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@blueprint.post("/reports/<int:report_id>/comments")
@csrf.exempt  # checked by the form, as on the report's page: a stale token keeps the comment
@role_required(Role.OFFICER, Role.FORUM)
def comment_on_report(report_id: int):
    db = get_session()
    found = _report_or_404(report_id)
    form = CommentForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            form.body.errors.append(
                _("This page was open too long to add from. Press “Add comment” again.")
            )
        # The page again with the comment still in its box, and the error beside it.
        return _report_page(found, ReportTextForm(obj=found, formdata=None), None, form)
    try:
        workflow.add_comment(found, current_user, form.body.data, db)
    except workflow.WorkflowError as error:
        flash(str(error), "info")
    else:
        db.commit()
        flash(_("Comment added."))
    return redirect(url_for("staff.report", report_id=found.id) + "#comments")


@blueprint.route("/reports/<int:report_id>/<step>", methods=["GET", "POST"])
@role_required(Role.OFFICER, Role.FORUM)
def report_step(report_id: int, step: str):
    if step not in STEPS:
        abort(404)
    chosen = STEPS[step]
    if chosen.role is not None and current_user.role != chosen.role:
        abort(403)
    db = get_session()
    found = _report_or_404(report_id)
    page = url_for("staff.report", report_id=found.id)
    form = ReportStepForm()
    if request.method == "GET":
        if chosen.confirm is None:
            return redirect(page)
        if found.status not in {status.value for status in chosen.starts_from}:
            # An old link or a bookmark: the page says where the report is now.
            if found.status == chosen.leads_to.value:
                flash(str(chosen.already), "info")
            return redirect(page)
        form.version.data = found.version
        return _confirmation(found, chosen, form)
    if not form.validate_on_submit():
        abort(400)
    try:
        chosen.action(found, current_user, db, form.version.data)
    except workflow.ReportChanged:
        db.rollback()
        db.refresh(found)
        if found.status == chosen.leads_to.value:
            flash(str(chosen.already), "info")
        else:
            flash(_since_you_opened(found) + " " + _("Check it again before you go on."), "info")
        return redirect(page)
    except workflow.WorkflowError as error:
        db.rollback()
        flash(str(error), "info")
        return redirect(page)
    db.commit()
    flash(str(chosen.done))
    return redirect(page)


def _confirmation(found: Report, chosen: Step, form: ReportStepForm):
    db = get_session()
    content = found.published_content or workflow.build_content(db, found)
    waiting = db.scalar(
        select(func.count())
        .select_from(ContactRequest)
        .where(ContactRequest.survey_id == found.survey_id)
    )
    return render_template(
        chosen.confirm,
        title=content["title"],
        report=found,
        content=content,
        form=form,
        public_url=absolute_url(
            "public.report", survey_id=found.survey_id, period=found.period.replace("/", "-")
        ),
        addresses=waiting,
        back_url=url_for("staff.report", report_id=found.id),
    )


def _years_with_answers(db, survey_ids: list[str]) -> list[tuple[str, str]]:
    """(survey id, academic year) for each year each survey has answers in, newest first.
    Each survey's first and last answer, then one EXISTS per year between: a few index
    lookups on (survey_id, submitted_at), however many answers are stored."""
    found = []
    for survey_id in survey_ids:
        in_survey = (SurveyResponse.survey_id == survey_id, possibly_dated())
        first, last = db.execute(
            select(
                func.min(SurveyResponse.submitted_at), func.max(SurveyResponse.submitted_at)
            ).where(*in_survey)
        ).one()
        if first is None:
            continue
        for year in range(_start_year(last), _start_year(first) - 1, -1):
            start, end = period_dates(period_name(year))
            answered = db.scalar(
                select(
                    exists().where(
                        *in_survey,
                        SurveyResponse.submitted_at >= london_midnight(start),
                        SurveyResponse.submitted_at < london_midnight(end + timedelta(days=1)),
                    )
                )
            )
            if answered:
                found.append((survey_id, period_name(year)))
    return found


def _start_year(moment) -> int:
    return period_start_year(period_containing(moment))


def _report_or_404(report_id: int) -> Report:
    found = get_session().get(Report, report_id)
    if found is None:
        abort(404)
    return found
