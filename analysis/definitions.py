"""The outcome measures of docs/measures.md, held as data.

Everything the analysis needs to know about a measure (its scale, positive set,
audiences, question ids) and about a breakdown dimension (its option order) lives here,
so that a change of definition is a change of this one file, made after measures.md.
"""

from collections.abc import Iterable
from dataclasses import dataclass

NOT_SURE = "not_sure"
NOT_STATED = "not_stated"
PREFER_NOT_TO_SAY = "prefer_not_to_say"

SURVEY = "survey"
ADMIN_DATA = "admin data"

CYP = ("child", "young_person")
ALL_AUDIENCES = ("child", "young_person", "parent_carer")


@dataclass(frozen=True)
class Scale:
    """An answer scale: its options in display order and the options counted positive."""

    name: str
    options: tuple[str, ...]
    positive: tuple[str, ...]

    @property
    def countable(self) -> tuple[str, ...]:
        """The options that put a respondent in the base: every option but `not_sure`."""
        return tuple(option for option in self.options if option != NOT_SURE)


FREQUENCY = Scale(
    "frequency",
    ("always", "mostly", "sometimes", "never", NOT_SURE),
    ("always", "mostly"),
)
TOLD = Scale("told", ("yes", "a_little", "no", NOT_SURE), ("yes", "a_little"))
EFFECTIVENESS = Scale(
    "effectiveness",
    ("very_effective", "effective", "neither", "ineffective", "very_ineffective", NOT_SURE),
    ("very_effective", "effective"),
)
SCALES = {scale.name: scale for scale in (FREQUENCY, TOLD, EFFECTIVENESS)}


@dataclass(frozen=True)
class Measure:
    """One published percentage.

    A survey measure counts a response in its base when the response's audience is in
    `audiences` and every question in `questions` has a countable answer; in its
    numerator when every answer is also in the scale's positive set. An admin-data
    measure has no questions, audiences or scale: its counts are imported.
    """

    id: str
    outcome: int
    title: str
    source: str
    audiences: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    scale: Scale | None = None


def _charter_question(question: str, title: str) -> Measure:
    return Measure(
        id=f"o5_coproduction_effective.{question}",
        outcome=5,
        title=title,
        source=SURVEY,
        audiences=("parent_carer",),
        questions=(question,),
        scale=FREQUENCY,
    )


# In the order of measures.md, each sub-measure straight after the measure it belongs to.
MEASURES: tuple[Measure, ...] = (
    Measure(
        id="o2_opinion_cared_about",
        outcome=2,
        title=(
            "Proportion of CYP with SEND who report that the people who look after them "
            "care about their opinion"
        ),
        source=SURVEY,
        audiences=CYP,
        questions=("cares_about_opinion",),
        scale=FREQUENCY,
    ),
    Measure(
        id="o2_ehcp_reviews_with_family",
        outcome=2,
        title=(
            "Proportion of EHC plan annual reviews that were reviewed by the child and "
            "their parent/carer, or the young person"
        ),
        source=ADMIN_DATA,
    ),
    Measure(
        id="o2_told_how_views_used",
        outcome=2,
        title=(
            "Proportion of CYP with SEND and their families who report that they received "
            "feedback on how their views have been used"
        ),
        source=SURVEY,
        audiences=ALL_AUDIENCES,
        questions=("told_how_views_used",),
        scale=TOLD,
    ),
    Measure(
        id="o5_coproduction_effective",
        outcome=5,
        title="Parent carers report that co-production is effective",
        source=SURVEY,
        audiences=("parent_carer",),
        questions=("coproduction_overall",),
        scale=EFFECTIVENESS,
    ),
    _charter_question("charter_welcome_care", "Do we welcome and show care?"),
    _charter_question("charter_value_include", "Do we value and include everyone?"),
    _charter_question("charter_communicate_respectfully", "Do we communicate respectfully?"),
    _charter_question("charter_partnership", "How well do we work in partnership?"),
    Measure(
        id="o5_ehcp_short_breaks",
        outcome=5,
        title="Proportion of CYP with EHC plans who are accessing short break activities",
        source=ADMIN_DATA,
    ),
    Measure(
        id="o5_safe_belong_community",
        outcome=5,
        title=(
            "Proportion of CYP with SEND who report that they feel safe and they belong in "
            "their local community"
        ),
        source=SURVEY,
        audiences=CYP,
        questions=("safe_in_community", "belong_in_community"),
        scale=FREQUENCY,
    ),
    Measure(
        id="o5_safe_belong_setting",
        outcome=5,
        title=(
            "Proportion of CYP with SEND who report that they feel safe and like they belong "
            "in their education setting"
        ),
        source=SURVEY,
        audiences=CYP,
        questions=("safe_at_setting", "belong_at_setting"),
        scale=FREQUENCY,
    ),
    Measure(
        id="o5_good_attendance",
        outcome=5,
        title=(
            "Proportion of children with SEND who have good attendance at school "
            "(good = at least 90% of possible sessions)"
        ),
        source=ADMIN_DATA,
    ),
)

# Option order of every breakdown dimension, from docs/measures.md. `not_stated`
# is not listed: it is added last wherever a dimension's categories are ordered.
DIMENSION_ORDERS: dict[str, tuple[str, ...]] = {
    "audience": ALL_AUDIENCES,
    "area": (
        "hereford",
        "leominster",
        "ross_on_wye",
        "ledbury",
        "bromyard",
        "kington",
        "golden_valley",
        "other_herefordshire",
        "outside_herefordshire",
    ),
    "age_band": ("under_5", "5_to_7", "8_to_10", "11_to_13", "14_to_15", "16_to_17", "18_to_25"),
    "setting": (
        "mainstream_school",
        "special_school",
        "college",
        "alternative_provision",
        "early_years",
        "not_in_education",
        "other",
    ),
    "support": ("ehc_plan", "sen_support", "none", "not_sure"),
}

DEFAULT_BY: tuple[str, ...] = ("audience", "area", "age_band", "setting", "support")


def category_order(
    dimension: str, present: Iterable[str], orders: dict[str, tuple[str, ...]]
) -> list[str]:
    """The categories of `dimension` to report, in reporting order.

    The dimension's options come first in their listed order, then any other value in
    `present` sorted by name (an unexpected value is shown, not silently merged), then
    `not_stated`. Only categories in `present` are returned.
    """
    present_set = set(present)
    known = orders.get(dimension, ())
    extra = sorted(present_set - set(known) - {NOT_STATED})
    ordered = [option for option in known if option in present_set] + extra
    if NOT_STATED in present_set:
        ordered.append(NOT_STATED)
    return ordered
