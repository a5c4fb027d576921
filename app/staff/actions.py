"""The officer's action log: add actions, edit them, and record progress."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.audit import record
from app.db import get_session
from app.feedback.actions import STATUS_WORDS, add_progress, all_actions, is_overdue
from app.feedback.codebook import codebook
from app.forms import choices
from app.models import Action, Role
from app.staff.access import role_required
from app.staff.forms import ActionForm, ProgressForm
from app.staff.views import blueprint
from app.surveys.catalogue import current_surveys
from app.time import today_in_london

FIELDS = ("you_said", "we_will", "owner", "due_on", "success_measure", "status")


@blueprint.get("/actions")
@role_required(Role.OFFICER, Role.FORUM)
def actions():
    return render_template(
        "staff/actions.html",
        title=_("Action log"),
        actions=all_actions(get_session()),
        today=today_in_london(),
        is_overdue=is_overdue,
        status_words=STATUS_WORDS,
    )


@blueprint.route("/actions/new", methods=["GET", "POST"])
@blueprint.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def edit_action(action_id: int | None = None):
    db = get_session()
    action = db.get(Action, action_id) if action_id else Action()
    if action is None:
        abort(404)
    form = ActionForm(obj=action if action_id else None)
    _set_choices(form)
    if action_id and not form.is_submitted():
        form.survey_id.data, form.theme.data = action.survey_id or "", action.theme or ""
    if form.validate_on_submit():
        for name in FIELDS:
            setattr(action, name, form[name].data)
        action.survey_id, action.theme = form.survey_id.data or None, form.theme.data or None
        db.add(action)
        db.flush()
        record(db, current_user, "action.saved", f"action:{action.id}")
        db.commit()
        flash(_("Action saved."))
        return redirect(url_for("staff.actions"))
    return render_template(
        "staff/action_form.html",
        title=_("Change an action") if action_id else _("Add an action"),
        form=form,
        back_url=url_for("staff.actions"),
    )


@blueprint.route("/actions/<int:action_id>/progress", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def action_progress(action_id: int):
    db = get_session()
    action = db.get(Action, action_id)
    if action is None:
        abort(404)
    form = ProgressForm(status=action.status)
    form.status.choices = choices(STATUS_WORDS)
    if form.validate_on_submit():
        add_progress(db, action, form.note.data, form.status.data, current_user)
        db.commit()
        flash(_("Progress recorded."))
        return redirect(url_for("staff.actions"))
    return render_template(
        "staff/action_progress.html",
        title=_("Record progress"),
        form=form,
        action=action,
        back_url=url_for("staff.actions"),
    )


def _set_choices(form: ActionForm) -> None:
    surveys = current_surveys(get_session())
    form.survey_id.choices = [SelectChoice("", _("Not one survey"))] + [
        SelectChoice(survey.id, survey.title) for survey in surveys
    ]
    form.theme.choices = [SelectChoice("", _("No theme"))] + [
        SelectChoice(theme.id, theme.label) for theme in codebook().themes
    ]
    form.status.choices = choices(STATUS_WORDS)
