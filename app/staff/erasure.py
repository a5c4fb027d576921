"""`/staff/responses/ID/erase`: the officer erases a response that has no receipt code (typed
from paper or imported), on a person's request, after a confirmation page. The same
checks as erasure by receipt code (app/data_protection.py), and audited the same way.

A response sent online is erased by its receipt code instead: the code is what shows the
request comes from the person who answered.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.data_protection import ErasureRefused, awaits_safeguarding, erase_response
from app.db import get_session
from app.forms import ButtonForm
from app.models import Response, Role
from app.staff.access import role_required
from app.staff.responses import response_cards
from app.staff.views import blueprint


@blueprint.route("/responses/<int:response_id>/erase", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def erase_response_page(response_id: int):
    db = get_session()
    response = db.get(Response, response_id)
    if response is None or response.receipt_code is not None:
        abort(404)
    form = ButtonForm()
    waiting = awaits_safeguarding(db, response)
    if form.validate_on_submit() and not waiting:
        try:
            erase_response(db, response, current_user)
        except ErasureRefused:  # flagged between the check and now: keep it
            db.rollback()
        else:
            db.commit()
            flash(_("Response %(id)s has been erased.", id=response_id))
            return redirect(url_for("staff.responses"))
    [card] = response_cards(db, [response_id])
    return render_template(
        "staff/erase_response.html",
        title=_("Erase response %(id)s", id=response_id),
        card=card,
        waiting=waiting,
        form=form,
        back_url=url_for("staff.responses"),
    ), 409 if waiting and form.is_submitted() else 200
