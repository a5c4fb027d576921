"""Who each survey is for, in words a child can find their own survey by, and the order the
home page lists them in: children's first, since they find long adult titles hardest."""

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.surveys.catalogue import SurveySummary


@dataclass(frozen=True)
class ForWhom:
    words: str
    # The picture's name in public/_pictures.html.
    picture: str


FOR_WHOM = {
    "child": ForWhom(_l("For children aged 10 and under"), "child"),
    "young_person": ForWhom(_l("For young people aged 11 to 25"), "young_person"),
    "parent_carer": ForWhom(_l("For parents and carers of 0 to 25 year olds"), "parent_carer"),
}
ORDER = list(FOR_WHOM)


def for_whom(survey: SurveySummary) -> ForWhom:
    return FOR_WHOM[survey.definition.audience]


def children_first(surveys: Iterable[SurveySummary]) -> list[SurveySummary]:
    """SURVEYS in the order of FOR_WHOM (children, young people, parent carers), then by id."""
    return sorted(surveys, key=lambda survey: (ORDER.index(survey.definition.audience), survey.id))
