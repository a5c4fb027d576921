"""Sharing a survey: its link, a QR code for posters, and a paper version to print (a
web page and a PDF) whose answers are typed back in through the data-entry form, with
where and by when to hand it back (its own settings page)."""

import io

import segno
from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.audit import record
from app.db import get_session
from app.models import Role
from app.respond.faces import CHECK_SCALE, face_svg
from app.staff.access import role_required
from app.staff.forms import PaperSettingsForm
from app.staff.paper import HOW_TO_ANSWER, hand_back, hand_back_is_set, paper_pdf, paper_questions
from app.staff.surveys import survey_or_404
from app.staff.views import blueprint
from app.surveys.catalogue import availability, translate
from app.surveys.versions import definition_of
from app.time import today_in_london
from app.urls import absolute_url

# Scale for downloads: 10 pixels a module prints sharply at poster sizes.
DOWNLOAD_SCALE = 10
QR_KINDS = {"svg": "image/svg+xml", "png": "image/png"}


@blueprint.get("/surveys/<survey_id>/share")
@role_required(Role.OFFICER)
def share(survey_id: str):
    survey, version = survey_or_404(get_session(), survey_id)
    link = public_link(survey_id)
    return render_template(
        "staff/share.html",
        title=_("Share this survey"),
        survey=survey,
        state=availability(survey, today_in_london()),
        survey_title=translate(definition_of(version).title),
        link=link,
        qr=Markup(qr_code(link).svg_inline(scale=5, dark="#0b0c0c", light="#ffffff")),
        back_url=url_for("staff.survey", survey_id=survey_id),
    )


@blueprint.get("/surveys/<survey_id>/qr.<kind>")
@role_required(Role.OFFICER)
def qr_download(survey_id: str, kind: str):
    survey_or_404(get_session(), survey_id)
    if kind not in QR_KINDS:
        abort(404)
    image = io.BytesIO()
    qr_code(public_link(survey_id)).save(image, kind=kind, scale=DOWNLOAD_SCALE)
    image.seek(0)
    return send_file(
        image, QR_KINDS[kind], as_attachment=True, download_name=f"{survey_id}-qr-code.{kind}"
    )


@blueprint.get("/surveys/<survey_id>/paper")
@role_required(Role.OFFICER)
def paper(survey_id: str):
    survey, version = survey_or_404(get_session(), survey_id)
    definition = definition_of(version)
    link = public_link(survey_id)
    return render_template(
        "staff/paper.html",
        title=translate(definition.title),
        definition=definition,
        version=version,
        link=link,
        how_to_answer=HOW_TO_ANSWER,
        qr=Markup(qr_code(link).svg_inline(scale=3, dark="#0b0c0c", light="#ffffff")),
        questions=paper_questions(definition),
        hand_back=hand_back(survey),
        hand_back_is_set=hand_back_is_set(survey),
        face_svg=face_svg,
        paper_face_scale=CHECK_SCALE,
        back_url=url_for("staff.share", survey_id=survey_id),
    )


@blueprint.get("/surveys/<survey_id>/paper.pdf")
@role_required(Role.OFFICER)
def paper_download(survey_id: str):
    survey, version = survey_or_404(get_session(), survey_id)
    link = public_link(survey_id)
    image = io.BytesIO()
    qr_code(link).save(image, kind="png", scale=DOWNLOAD_SCALE)
    pdf = paper_pdf(
        definition_of(version),
        survey_id,
        version.version,
        link,
        image.getvalue(),
        hand_back(survey),
    )
    return send_file(
        io.BytesIO(pdf),
        "application/pdf",
        as_attachment=True,
        download_name=f"{survey_id}-paper-version-{version.version}.pdf",
    )


@blueprint.route("/surveys/<survey_id>/paper-settings", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def paper_settings(survey_id: str):
    db = get_session()
    survey, version = survey_or_404(db, survey_id)
    form = PaperSettingsForm(obj=survey)
    if form.validate_on_submit():
        form.populate_obj(survey)
        record(db, current_user, "survey.paper_settings", f"survey:{survey.id}")
        db.commit()
        flash(_("Every paper version now says where and by when to hand it back."))
        return redirect(url_for("staff.paper", survey_id=survey_id))
    return render_template(
        "staff/paper_settings.html",
        title=_("Handing back the paper version"),
        survey_title=translate(definition_of(version).title),
        form=form,
        example=hand_back(survey),
        back_url=url_for("staff.paper", survey_id=survey_id),
    )


def public_link(survey_id: str) -> str:
    """The survey's address for the public, from BASE_URL (the site's published address)
    rather than the address the officer happens to be using."""
    return absolute_url("respond.start", survey_id=survey_id)


def qr_code(link: str) -> segno.QRCode:
    # Medium error correction: still reads with a crease or a smudge on a poster.
    return segno.make(link, error="m", micro=False)
