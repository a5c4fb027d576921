"""The safeguarding lead's queue. Nobody else can open it; every view is logged."""

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.audit import record_seen
from app.db import get_session, utcnow
from app.feedback.safeguarding import (
    disclosures,
    is_overdue,
    mark_handled,
    queue,
    queue_counts,
    reason_summary,
)
from app.models import Role, SafeguardingFlag
from app.staff.access import role_required
from app.staff.forms import HandledForm
from app.staff.paging import page_of, pagination
from app.staff.views import blueprint
from app.surveys.catalogue import current_surveys
from app.time import age_in_words

PAGE_SIZE = 25


@blueprint.get("/safeguarding")
@role_required(Role.SAFEGUARDING)
def safeguarding_queue():
    db = get_session()
    total, unhandled = queue_counts(db)
    page = page_of(request.args.get("page", type=int), total, PAGE_SIZE)
    flags = queue(db, page.offset, PAGE_SIZE)
    now = utcnow()
    return render_template(
        "staff/safeguarding_queue.html",
        title=_("Safeguarding queue"),
        rows=[
            QueueRow(
                flag,
                reason_summary(flag),
                age_in_words(flag.flagged_at, now),
                is_overdue(flag, now),
            )
            for flag in flags
        ],
        titles={survey.id: survey.title for survey in current_surveys(db)},
        total=total,
        unhandled=unhandled,
        first=page.first,
        last=page.offset + len(flags),
        pagination=pagination("staff.safeguarding_queue", page, {}),
    )


@dataclass(frozen=True)
class QueueRow:
    """One flag as the queue shows it."""

    flag: SafeguardingFlag
    reasons: str
    age: str
    overdue: bool


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
