"""What a new survey starts from: a template for its audience, or a copy of a survey.

A template is the shipped survey for that audience (surveys/children.yaml and so on, as
loaded) cut down to its introductions and the questions every survey shares: the two
free-text questions and the "about you" questions, whose ids the reports and imports rely
on (surveys/README.md, "Ids"). The officer adds their own questions to it. Taken from
the loaded survey rather than written out again here, so a template never drifts from
the surveys it stands for.
"""

import copy
from typing import Any

from sqlalchemy.orm import Session

from app.staff.builder.forms import COPY, TEMPLATES
from app.surveys.versions import latest_version

SHARED_QUESTIONS = ("going_well", "should_change", "area", "age_band", "setting", "support")


def starter(
    session: Session, start_from: str, copy_of: str | None, title: str
) -> dict[str, Any] | None:
    """The first definition of a new survey called TITLE, started from START_FROM (an
    audience, or COPY of the survey COPY_OF); None if that survey is not loaded."""
    source = latest_version(session, copy_of if start_from == COPY else TEMPLATES[start_from])
    if source is None:
        return None
    definition = copy.deepcopy(source.definition)
    definition["title"] = title
    if start_from != COPY:
        definition["pages"] = [
            page
            for page in definition["pages"]
            if all(question["id"] in SHARED_QUESTIONS for question in page["questions"])
        ]
    return definition
