"""`/staff/bursts`: hours when many answers to one survey arrived at once, for the officer
to quarantine (held out of the measures, kept) or release. See app/quarantine.py."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session, utcnow
from app.models import Role
from app.quarantine import BURST_SIZE, HOUR, bursts, quarantine, release
from app.staff.access import role_required
from app.staff.forms import BurstForm, HourStart
from app.staff.surveys import all_surveys
from app.staff.views import blueprint
from app.surveys.catalogue import translate
from app.surveys.versions import definition_of
from app.time import LONDON


@blueprint.get("/bursts")
@role_required(Role.OFFICER)
def bursts_page():
    db = get_session()
    titles = {survey.id: translate(definition_of(v).title) for survey, v in all_surveys(db)}
    return render_template(
        "staff/bursts.html",
        title=_("Bursts of answers"),
        bursts=[
            (burst, burst.starts_at.astimezone(LONDON), (burst.starts_at + HOUR).astimezone(LONDON))
            for burst in bursts(db, utcnow())
        ],
        titles=titles,
        burst_size=BURST_SIZE,
        hour_format=HourStart.FORMAT,
        form=BurstForm(),
        back_url=url_for("staff.dashboard"),
    )


@blueprint.post("/bursts/<any(quarantine, release):move>")
@role_required(Role.OFFICER)
def burst_step(move: str):
    form = BurstForm()
    if not form.validate_on_submit():
        abort(400)
    db = get_session()
    change = quarantine if move == "quarantine" else release
    count = change(db, current_user, form.survey.data, form.hour())
    db.commit()
    if move == "quarantine":
        flash(_("%(count)s responses held out of the measures.", count=count))
    else:
        flash(_("%(count)s responses released back into the measures.", count=count))
    return redirect(url_for("staff.bursts_page"))
