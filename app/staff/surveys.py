"""`/staff`: the workspace's front page, a card for each survey; and each survey's own page,
for running it: its status and dates, and the targets that show whose voices are missing."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import record
from app.db import get_session
from app.models import Role, Survey, SurveyStatus, SurveyVersion
from app.staff.access import role_required
from app.staff.cards import survey_card
from app.staff.forms import SurveySettingsForm, targets_form
from app.staff.navigation import pages_for
from app.staff.progress import current_targets, groups_of, save_targets, survey_progress
from app.staff.views import blueprint
from app.surveys.catalogue import FINISHING_DAYS, translate
from app.surveys.versions import definition_of, latest_version
from app.time import today_in_london


@blueprint.get("")
@login_required
def dashboard():
    if current_user.role != Role.OFFICER:
        pages = [page for page in pages_for(current_user.role) if page.endpoint != request.endpoint]
        return render_template("staff/home.html", title=_("Staff workspace"), pages=pages)
    db = get_session()
    today = today_in_london()
    cards = [
        survey_card(db, survey, translate(definition_of(version).title), today)
        for survey, version in all_surveys(db)
    ]
    return render_template("staff/dashboard.html", title=_("Surveys"), cards=cards)


@blueprint.get("/surveys/<survey_id>")
@role_required(Role.OFFICER)
def survey(survey_id: str):
    db = get_session()
    found, version = survey_or_404(db, survey_id)
    progress = survey_progress(db, found, definition_of(version), today_in_london())
    return render_template(
        "staff/survey.html",
        title=progress.title,
        survey=progress,
        back_url=url_for("staff.dashboard"),
    )


@blueprint.route("/surveys/<survey_id>/settings", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def survey_settings(survey_id: str):
    db = get_session()
    survey, version = survey_or_404(db, survey_id)
    form = SurveySettingsForm(obj=survey)
    if form.validate_on_submit():
        form.populate_obj(survey)
        if survey.status == SurveyStatus.CLOSED:
            # Closing by hand records the day it closed, which is when late senders'
            # grace (app/surveys/catalogue.py) is counted from.
            today = today_in_london()
            survey.closes_on = min(survey.closes_on or today, today)
        record(db, current_user, "survey.settings", f"survey:{survey.id}", status=survey.status)
        db.commit()
        flash(
            _("The settings of %(title)s are saved.", title=translate(definition_of(version).title))
        )
        return redirect(url_for("staff.survey", survey_id=survey.id))
    return render_template(
        "staff/survey_settings.html",
        title=_("Status and dates"),
        survey=survey,
        survey_title=translate(definition_of(version).title),
        form=form,
        finishing_days=FINISHING_DAYS,
        back_url=url_for("staff.survey", survey_id=survey.id),
    )


@blueprint.route("/surveys/<survey_id>/targets", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def survey_targets(survey_id: str):
    db = get_session()
    survey, version = survey_or_404(db, survey_id)
    groups = groups_of(db, survey, definition_of(version))
    form = targets_form([(group.field, group.label) for group in groups], current_targets(survey))
    if form.validate_on_submit():
        save_targets(survey, groups, form.targets())
        record(db, current_user, "survey.targets", f"survey:{survey.id}")
        db.commit()
        flash(_("The targets are saved."))
        return redirect(url_for("staff.survey", survey_id=survey.id))
    return render_template(
        "staff/survey_targets.html",
        title=_("Targets"),
        survey_title=translate(definition_of(version).title),
        groups=groups,
        form=form,
        back_url=url_for("staff.survey", survey_id=survey.id),
    )


def survey_or_404(session: Session, survey_id: str) -> tuple[Survey, SurveyVersion]:
    """The survey and its newest version, or a 404 page."""
    survey = session.get(Survey, survey_id)
    version = latest_version(session, survey_id) if survey else None
    if survey is None or version is None:
        abort(404)
    return survey, version


def all_surveys(session: Session) -> list[tuple[Survey, SurveyVersion]]:
    """Every survey with its newest version, in order of id."""
    surveys = session.scalars(select(Survey).order_by(Survey.id))
    found = [(survey, latest_version(session, survey.id)) for survey in surveys]
    return [(survey, version) for survey, version in found if version is not None]
