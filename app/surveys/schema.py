"""The shape of a survey definition (documented for authors in surveys/README.md).

Pydantic checks the shape of each field; `check_survey` then checks what one field says
about another (unique ids, branching that points backwards at a real option, and so on).
Both report problems as (path, message) so the file reader can name the line.
"""

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from analysis.definitions import MEASURES

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
# Option ids may start with a digit: the fixed age bands are 5_to_7, 11_to_13 and so on.
OptionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=64)]
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
Audience = Literal["child", "young_person", "parent_carer"]
QuestionType = Literal["single_choice", "multiple_choice", "face_scale", "free_text"]
Face = Literal["very_happy", "happy", "neutral", "sad", "very_sad", "unsure"]

DEFAULT_LANGUAGE = "en"
# Questions the outcome measures count must offer exactly their scale's options, or a
# published percentage would quietly change meaning.
MEASURE_SCALES = {
    question: measure.scale
    for measure in MEASURES
    if measure.scale
    for question in measure.questions
}
FREE_TEXT_LIMIT = 5000
Path = tuple[str | int, ...]


def _text(value: Any) -> str | dict[str, str]:
    """Plain text, or the same text in several languages ({en: ..., cy: ...}) with English."""
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("text must not be empty")
        return value.strip()
    if isinstance(value, dict) and all(isinstance(t, str) for t in value.values()):
        bad = [str(code) for code in value if not LANGUAGE_CODE.match(str(code))]
        if bad:
            raise ValueError(f"{', '.join(bad)} is not a language code such as en or cy")
        if DEFAULT_LANGUAGE not in value:
            raise ValueError(
                f"translated text needs an '{DEFAULT_LANGUAGE}' version; found only "
                + ", ".join(sorted(value))
            )
        if any(not text.strip() for text in value.values()):
            raise ValueError("text must not be empty")
        return {code: text.strip() for code, text in value.items()}
    raise ValueError("must be text, or text in several languages such as {en: ..., cy: ...}")


Text = Annotated[str | dict[str, str], BeforeValidator(_text)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Option(Strict):
    id: OptionId
    label: Text
    # Children's face scale: a face drawn beside the words, never instead of them.
    face: Face | None = None


class ShowIf(Strict):
    """Show a question only when an earlier question was answered with one of these options."""

    question: Slug
    any_of: list[OptionId] = Field(min_length=1)


class Question(Strict):
    id: Slug
    type: QuestionType
    text: Text
    easy_read: Text | None = None
    hint: Text | None = None
    required: bool = False
    options: list[Option] | None = None
    max_length: int | None = Field(default=None, ge=1, le=FREE_TEXT_LIMIT)
    show_if: ShowIf | None = None

    @property
    def is_choice(self) -> bool:
        return self.type != "free_text"

    def option_ids(self) -> list[str]:
        return [option.id for option in self.options or ()]


class Page(Strict):
    id: Slug
    title: Text | None = None
    questions: list[Question] = Field(min_length=1)


class SurveyDefinition(Strict):
    audience: Audience
    title: Text
    intro: Text
    easy_read: Text
    # Words of this survey's own about privacy (who sees the answers, for what), shown with
    # the service's standard privacy promises on the start page.
    privacy: Text | None = None
    pages: list[Page] = Field(min_length=1)

    def questions(self) -> list[Question]:
        return [question for page in self.pages for question in page.questions]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions() if q.id == question_id), None)

    def canonical(self) -> dict[str, Any]:
        """The definition as plain JSON data, the form stored with each version."""
        return self.model_dump(mode="json", exclude_none=True)


def check_survey(survey: SurveyDefinition) -> list[tuple[Path, str]]:
    """Problems that no single field shows: each as (path in the file, message)."""
    problems: list[tuple[Path, str]] = []
    seen_pages: set[str] = set()
    asked: dict[str, Question] = {}
    for p, page in enumerate(survey.pages):
        if page.id in seen_pages:
            problems.append((("pages", p, "id"), f"page id '{page.id}' is used twice"))
        seen_pages.add(page.id)
        for q, question in enumerate(page.questions):
            path: Path = ("pages", p, "questions", q)
            if question.id in asked:
                problems.append(((*path, "id"), f"question id '{question.id}' is used twice"))
            problems.extend(_check_question(question, path))
            if question.show_if is not None:
                problems.extend(_check_show_if(question.show_if, asked, (*path, "show_if")))
            asked[question.id] = question
    return problems


def _check_question(question: Question, path: Path) -> list[tuple[Path, str]]:
    if question.type == "free_text":
        problems = []
        if question.options:
            problems.append(((*path, "options"), "a free_text question cannot have options"))
        if question.max_length is None:
            problems.append(
                (
                    path,
                    f"free_text question '{question.id}' needs a max_length"
                    f" (1 to {FREE_TEXT_LIMIT})",
                )
            )
        return problems

    if question.max_length is not None:
        return [((*path, "max_length"), "max_length is only for free_text questions")]
    options = question.options or []
    if len(options) < 2:
        return [(path, f"{question.type} question '{question.id}' needs at least 2 options")]
    problems = []
    scale = MEASURE_SCALES.get(question.id)
    if scale is not None and tuple(question.option_ids()) != scale.options:
        problems.append(
            (
                (*path, "options"),
                f"'{question.id}' is counted in the outcome measures, so its options must be "
                f"the {scale.name} scale's, in order: {', '.join(scale.options)}",
            )
        )
    seen: set[str] = set()
    for o, option in enumerate(options):
        if option.id in seen:
            problems.append(
                (
                    (*path, "options", o, "id"),
                    f"option id '{option.id}' is used twice in '{question.id}'",
                )
            )
        seen.add(option.id)
        if question.type == "face_scale" and option.face is None:
            problems.append(
                ((*path, "options", o), f"face_scale option '{option.id}' needs a face")
            )
    return problems


def _check_show_if(
    show_if: ShowIf, asked: dict[str, Question], path: Path
) -> list[tuple[Path, str]]:
    earlier = asked.get(show_if.question)
    if earlier is None:
        return [
            (
                (*path, "question"),
                f"show_if refers to '{show_if.question}', which is not a question asked earlier",
            )
        ]
    if not earlier.is_choice:
        return [((*path, "question"), f"show_if cannot depend on free text ('{earlier.id}')")]
    unknown = [option for option in show_if.any_of if option not in earlier.option_ids()]
    if unknown:
        return [
            (
                (*path, "any_of"),
                f"show_if option(s) {', '.join(unknown)} are not options of '{earlier.id}'",
            )
        ]
    return []
