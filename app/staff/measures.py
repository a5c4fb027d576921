"""`/staff/measures`: the outcome measures unsuppressed, for signed-in staff only.

Every figure is shown, small groups included, with its numerator and base, and each
says whether the public page hides it. Not for publication.
"""

from flask_login import login_required

from app.public.measures import measures_page
from app.staff.views import blueprint


@blueprint.get("/measures")
@login_required
def measures():
    return measures_page("staff/measures.html", suppress=False)
