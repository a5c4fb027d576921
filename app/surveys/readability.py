"""How hard a survey's words are to read, as a reading age, for each text a person reads.

The formula is Flesch-Kincaid grade (from `textstat`): it counts only sentence length and
syllables per word, both of which an officer can see and change, and it is the grade
formula most plain-English guidance and word processors report, so an officer can check
our figure in their own tools. Reading age is the US school grade plus 5 (grade 4 is
ages 9 to 10).

A grade formula is unreliable on a few words: one long word ("Sometimes" is 3 syllables)
makes a one-word answer look like university reading. So each text is measured as it is
read: a question, and a hint, on their own (they are sentences); an option after its
question and hint ("Do you feel safe where you live? Sometimes."), which is also how the
page and the read-aloud voice present it. And the whole survey is measured as one passage, long
enough for the formula to be steady, so that many texts each just under the limit cannot
add up to a hard survey.

Syllables come from British English hyphenation (pyphen's en_GB dictionary, bundled):
textstat's other English counter downloads a dictionary at first use, which a council
server cannot and a test must not do.

    problems = hard_texts(definition)   # [] when every text is easy enough
"""

from collections.abc import Iterator
from dataclasses import dataclass

from textstat.textstat import textstatistics

from app.surveys.catalogue import translate
from app.surveys.schema import Path, SurveyDefinition

GRADE_TO_AGE = 5
# The oldest reading age each audience's texts may need.
READING_AGE_LIMIT = {"child": 9, "young_person": 12, "parent_carer": 14}
# en-GB (not en_GB): textstat then counts syllables with pyphen's British dictionary
# instead of fetching the CMU dictionary over the network.
LANGUAGE = "en-GB"

_measure = textstatistics()
_measure.set_lang(LANGUAGE)
_measure.set_rounding_points(None)


@dataclass(frozen=True)
class HardText:
    """A text that needs an older reader than its audience: where it is in the survey
    file, its words, the reading age it needs and the most its audience should need."""

    path: Path
    text: str
    reading_age: float
    limit: int

    def __str__(self) -> str:
        return (
            f"needs a reading age of {self.reading_age:.1f}, more than {self.limit}: "
            f"{self.text!r}. Use shorter sentences and shorter words."
        )


def reading_age(text: str) -> float:
    """The reading age TEXT needs (Flesch-Kincaid grade + 5), never below 5."""
    if not text.strip():
        return float(GRADE_TO_AGE)
    return max(0.0, _measure.flesch_kincaid_grade(text)) + GRADE_TO_AGE


def hard_texts(definition: SurveyDefinition) -> list[HardText]:
    """Every question, hint and option of DEFINITION (in English) that needs an older
    reading age than READING_AGE_LIMIT allows its audience, then the whole survey as one
    passage (path ("pages",)) if that does. An empty list means it reads easily enough."""
    limit = READING_AGE_LIMIT[definition.audience]
    passages = list(_passages(definition))
    problems = [
        HardText(path, shown, age, limit)
        for path, shown, age in reading_ages(definition)
        if age > limit
    ]
    whole_age = reading_age(" ".join(_sentence(shown) for _, shown, _ in passages))
    if whole_age > limit:
        problems.append(HardText(("pages",), "the whole survey", whole_age, limit))
    return problems


def reading_ages(definition: SurveyDefinition) -> list[tuple[Path, str, float]]:
    """Every question, hint and option of DEFINITION (in English) with the reading age it
    needs, each measured as `hard_texts` measures it: (its path in the file, its words,
    the age)."""
    return [(path, shown, reading_age(measured)) for path, shown, measured in _passages(definition)]


def _passages(definition: SurveyDefinition) -> Iterator[tuple[Path, str, str]]:
    """Each text: (its path in the file, its words, the words measured: an option is
    measured after its question)."""
    for p, page in enumerate(definition.pages):
        for q, question in enumerate(page.questions):
            path: Path = ("pages", p, "questions", q)
            asked = translate(question.text)
            yield (*path, "text"), asked, asked
            read_before = _sentence(asked)
            if question.hint:
                hint = translate(question.hint)
                yield (*path, "hint"), hint, hint
                read_before += " " + _sentence(hint)
            for o, option in enumerate(question.options or ()):
                label = translate(option.label)
                in_context = f"{read_before} {_sentence(label)}"
                yield (*path, "options", o, "label"), label, in_context


def _sentence(text: str) -> str:
    """TEXT ending as a sentence, so that the formula counts it as one."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."
