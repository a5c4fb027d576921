"""Public pages that anyone may see."""

from flask import Blueprint, render_template
from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.db import get_session
from app.public.audiences import children_first, for_whom
from app.surveys.catalogue import current_surveys
from app.time import today_in_london

blueprint = Blueprint("public", __name__, template_folder="templates")


@blueprint.get("/")
def home():
    return render_template(
        "public/home.html",
        title=_("Home"),
        surveys=children_first(current_surveys(get_session(), open_on=today_in_london())),
        for_whom=for_whom,
    )


@blueprint.get("/healthz")
def healthz():
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return "database unavailable", 503, {"Content-Type": "text/plain"}
    return "ok", 200, {"Content-Type": "text/plain"}
