"""The outbox as the officer sees it: every email waiting, failed or recently sent, with
the links they can copy and send themselves when no email backend is configured."""

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from app.db import get_session
from app.models import MessageStatus, OutboxMessage, Role
from app.outbox.messages import KINDS
from app.staff.access import role_required
from app.staff.views import blueprint
from app.time import LONDON

# Sent messages keep no links; the latest few show that sending works.
SENT_SHOWN = 20
BACKEND_WORDS = {
    "smtp": "the council's mail relay",
    "notify": "GOV.UK Notify",
}


@blueprint.get("/outbox")
@role_required(Role.OFFICER)
def outbox():
    db = get_session()
    unsent = db.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status != MessageStatus.SENT.value)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    sent = db.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.SENT.value)
        .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc())
        .limit(SENT_SHOWN)
    ).all()
    return render_template(
        "staff/outbox.html",
        title=_("Emails"),
        unsent=unsent,
        sent=sent,
        kinds=KINDS,
        backend=BACKEND_WORDS.get(current_app.config["MAIL_BACKEND"]),
        london=LONDON,
    )
