"""The officer's view of themes in what people wrote, with corrections to the tags."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from analysis.load import FREE_TEXT_QUESTIONS
from analysis.periods import period_containing, period_start_year
from app.db import get_session
from app.feedback.codebook import codebook
from app.feedback.themes import correct, overview
from app.models import CorrectionAction, Role
from app.staff.access import role_required
from app.staff.forms import CorrectionForm
from app.staff.views import blueprint
from app.surveys.catalogue import current_surveys
from app.time import today_in_london

SHOWN_COMMENTS = 300


@blueprint.get("/themes")
@role_required(Role.OFFICER)
def themes():
    db = get_session()
    survey_id = request.args.get("survey") or None
    period = request.args.get("period") or period_containing(today_in_london())
    try:
        period_start_year(period)
    except ValueError:
        abort(400)
    found = overview(db, survey_id, period)
    return render_template(
        "staff/themes.html",
        title=_("Themes in what people wrote"),
        overview=found,
        comments=found.comments.head(SHOWN_COMMENTS),
        shown=SHOWN_COMMENTS,
        surveys=current_surveys(db),
        survey_id=survey_id,
        period=period,
        form=_correction_form(),
    )


@blueprint.post("/themes/correct")
@role_required(Role.OFFICER)
def correct_theme():
    form = _correction_form()
    if form.validate_on_submit():
        correct(
            get_session(),
            current_user,
            form.response_id.data,
            form.question.data,
            form.theme.data,
            form.action.data,
        )
        get_session().commit()
        flash(_("Theme corrected."))
    else:
        flash(next(iter(form.errors.values()))[0])
    back = url_for(
        "staff.themes", survey=request.args.get("survey"), period=request.args.get("period")
    )
    return redirect(back + f"#comment-{form.response_id.data}-{form.question.data}")


def _correction_form() -> CorrectionForm:
    form = CorrectionForm()
    form.question.choices = [SelectChoice(q, q) for q in FREE_TEXT_QUESTIONS]
    form.theme.choices = [SelectChoice(t.id, t.label) for t in codebook().themes]
    form.action.choices = [SelectChoice(a.value, a.value) for a in CorrectionAction]
    return form
