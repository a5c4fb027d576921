"""Public pages that anyone may see."""

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _

from app.db import get_engine, get_session
from app.health import write_problem
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
    """`ok` only when the database would store an answer now; otherwise 503 and why."""
    problem = write_problem(get_engine())
    if problem is not None:
        current_app.logger.error("Health check failed, %s", problem)
        return problem.summary, 503, {"Content-Type": "text/plain"}
    return "ok", 200, {"Content-Type": "text/plain"}
