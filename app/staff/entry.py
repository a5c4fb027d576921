"""Answers gathered away from the website: typed in one at a time from paper, an event or a
phone call, or imported in bulk from a CSV file. Both store through `store_response`, so
safeguarding flags apply to them as to answers given online."""

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import record
from app.db import get_session
from app.imports.csvfile import ImportRejected
from app.imports.responses import import_responses, parse_submitted_at
from app.models import ErasedImport, Response, Role, SurveyVersion
from app.responses import store_response
from app.staff.access import role_required
from app.staff.forms import ImportForm, PaperEntry
from app.staff.responses import flagged_ids
from app.staff.surveys import survey_or_404
from app.staff.views import blueprint
from app.surveys.catalogue import translate
from app.surveys.versions import definition_of

# An import with hundreds of bad rows is fixed a screenful at a time.
PROBLEMS_SHOWN = 50


@blueprint.route("/surveys/<survey_id>/enter", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def enter_response(survey_id: str):
    db = get_session()
    _survey, version = survey_or_404(db, survey_id)
    definition = definition_of(version)
    posted = request.form if request.method == "POST" else None
    entry = PaperEntry(definition, posted, carried=request.args)
    if entry.validate_on_submit():
        details = entry.details
        try:
            response = store_entry(
                db,
                version,
                entry.answers(),
                channel=details.channel.data,
                filled_in_on=details.filled_in_on.data,
                key=details.entry_key.data,
            )
            db.commit()
        except IntegrityError:  # the same form sent twice at once: the first one counts
            db.rollback()
            response = None
        flash(_saved_message(db, response))
        carried = {"channel": details.channel.data, "on": details.filled_in_on.data.isoformat()}
        return redirect(url_for("staff.enter_response", survey_id=survey_id, **carried))
    return render_template(
        "staff/enter_response.html",
        title=_("Type in a response"),
        survey_title=translate(definition.title),
        survey_id=survey_id,
        entry=entry,
        errors=entry.error_list(),
        carried={key: request.args[key] for key in ("channel", "on") if key in request.args},
        back_url=url_for("staff.survey", survey_id=survey_id),
    )


@blueprint.route("/responses/import", methods=["GET", "POST"], endpoint="import_responses")
@role_required(Role.OFFICER)
def import_page():
    db = get_session()
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "responses.csv"
            form.file.data.save(path)
            try:
                summary = import_responses(db, path)
            except ImportRejected as error:
                db.rollback()
                problems = [str(problem) for problem in error.problems]
                form.file.errors.append(
                    _(
                        "The file was not imported: %(count)s problem(s) are listed below. "
                        "Nothing was stored.",
                        count=len(problems),
                    )
                )
            else:
                record(db, current_user, "responses.import", "responses", summary=str(summary))
                db.commit()
                flash(str(summary))
                return redirect(url_for("staff.import_responses"))
    return render_template(
        "staff/import_responses.html",
        title=_("Import responses from a CSV file"),
        form=form,
        problems=problems[:PROBLEMS_SHOWN],
        more_problems=max(len(problems) - PROBLEMS_SHOWN, 0),
        back_url=url_for("staff.dashboard"),
    )


def store_entry(
    session: Session,
    version: SurveyVersion,
    answers: dict[str, Any],
    *,
    channel: str,
    filled_in_on: date,
    key: str,
) -> Response | None:
    """Store a response typed in from paper, or None if the same form (KEY) was stored
    before. It is dated as the import dates a bare date: midday, Europe/London."""
    import_key = f"entry:{key}"
    stored_before = session.scalar(select(Response.id).where(Response.import_key == import_key))
    # A form sent again after its response was erased on request must not bring it back.
    if stored_before or session.get(ErasedImport, import_key):
        return None
    response = store_response(
        session,
        version,
        answers,
        submitted_at=parse_submitted_at(filled_in_on.isoformat()),
        channel=channel,
        import_key=import_key,
    )
    session.flush()
    return response


def _saved_message(session: Session, response: Response | None) -> str:
    if response is None:
        return _("That response was already saved.")
    if flagged_ids(session, [response.id]):
        return _(
            "The response is saved. Something in it may show a child at risk, so it has "
            "been passed to the safeguarding lead."
        )
    return _("The response is saved. You can type in the next one.")
