"""The safeguarding lead's queue. Nobody else can open it; every view is logged."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.audit import record_seen
from app.db import get_session
from app.feedback.safeguarding import disclosures, mark_handled, queue, reason_summary
from app.models import Role, SafeguardingFlag
from app.staff.access import role_required
from app.staff.forms import HandledForm
from app.staff.views import blueprint


@blueprint.get("/safeguarding")
@role_required(Role.SAFEGUARDING)
def safeguarding_queue():
    return render_template(
        "staff/safeguarding_queue.html",
        title=_("Safeguarding queue"),
        flags=queue(get_session()),
        reason_summary=reason_summary,
    )


@blueprint.route("/safeguarding/<int:flag_id>", methods=["GET", "POST"])
@role_required(Role.SAFEGUARDING)
def safeguarding_flag(flag_id: int):
    db = get_session()
    flag = db.get(SafeguardingFlag, flag_id)
    if flag is None:
        abort(404)
    record_seen(current_user, "safeguarding.view", f"flag:{flag.id}")
    form = HandledForm()
    if form.validate_on_submit() and flag.handled_at is None:
        mark_handled(db, flag, current_user, form.note.data)
        db.commit()
        flash(_("Marked as handled."))
        return redirect(url_for("staff.safeguarding_queue"))
    db.commit()  # on a POST that was not valid, the view is still logged
    return render_template(
        "staff/safeguarding_flag.html",
        title=_("Flagged answer"),
        flag=flag,
        disclosures=disclosures(flag),
        form=form,
        back_url=url_for("staff.safeguarding_queue"),
    )
