"""`/staff`: the workspace's front page, and running a survey: its status and dates, and
the targets that show whose voices are missing."""

from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import record
from app.db import get_session
from app.models import Role, Survey, SurveyStatus, SurveyVersion
from app.staff.access import role_required
from app.staff.forms import SurveySettingsForm, targets_form
from app.staff.progress import current_targets, groups_of, save_targets, survey_progress
from app.staff.views import blueprint
from app.surveys.catalogue import FINISHING_DAYS, translate
from app.surveys.versions import definition_of, latest_version
from app.time import today_in_london


@dataclass(frozen=True)
class WorkspacePage:
    endpoint: str
    label: str
    roles: frozenset[Role]


# The pages of the workspace, for the front page's list. A page appears once its module
# has registered it, so each can be added here before it is built.
WORKSPACE_PAGES = (
    WorkspacePage(
        "staff.safeguarding_queue", _l("Safeguarding queue"), frozenset({Role.SAFEGUARDING})
    ),
    WorkspacePage("staff.responses", _l("Responses"), frozenset({Role.OFFICER, Role.SAFEGUARDING})),
    WorkspacePage(
        "staff.reports", _l("“You said, we did” reports"), frozenset({Role.OFFICER, Role.FORUM})
    ),
    WorkspacePage("staff.actions", _l("Action log"), frozenset({Role.OFFICER, Role.FORUM})),
    WorkspacePage("staff.measures", _l("Outcome measures: not for publication"), frozenset(Role)),
    WorkspacePage(
        "staff.import_responses", _l("Import responses from a CSV file"), frozenset({Role.OFFICER})
    ),
    WorkspacePage("staff.exports", _l("Downloads and charts"), frozenset({Role.OFFICER})),
    WorkspacePage("staff.team", _l("Team: who can sign in"), frozenset({Role.OFFICER})),
    # Required of the other roles (app/staff/two_factor.py); the forum may choose it.
    WorkspacePage(
        "staff.two_factor_set_up",
        _l("Two-step sign-in: a code from your phone as well as your password"),
        frozenset({Role.FORUM}),
    ),
    WorkspacePage(
        "staff.bursts_page", _l("Bursts of answers: hold or release"), frozenset({Role.OFFICER})
    ),
    WorkspacePage("staff.outbox", _l("Emails sent and waiting"), frozenset({Role.OFFICER})),
)


@blueprint.get("")
@login_required
def dashboard():
    db = get_session()
    pages = [
        page
        for page in WORKSPACE_PAGES
        if current_user.role in page.roles and page.endpoint in current_app.view_functions
    ]
    progress = []
    if current_user.role == Role.OFFICER:
        today = today_in_london()
        progress = [
            survey_progress(db, survey, definition_of(version), today)
            for survey, version in all_surveys(db)
        ]
    return render_template(
        "staff/dashboard.html", title=_("Staff workspace"), pages=pages, progress=progress
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
        return redirect(url_for("staff.dashboard"))
    return render_template(
        "staff/survey_settings.html",
        title=_("Status and dates"),
        survey=survey,
        survey_title=translate(definition_of(version).title),
        form=form,
        finishing_days=FINISHING_DAYS,
        back_url=url_for("staff.dashboard"),
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
        return redirect(url_for("staff.dashboard"))
    return render_template(
        "staff/survey_targets.html",
        title=_("Targets"),
        survey_title=translate(definition_of(version).title),
        groups=groups,
        form=form,
        back_url=url_for("staff.dashboard"),
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
