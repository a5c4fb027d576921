"""Reading ages for the builder's pages, measured by app/surveys/readability.py exactly as
the check of every survey file measures them."""

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from app.surveys.readability import READING_AGE_LIMIT, reading_ages
from app.surveys.schema import SurveyDefinition


@dataclass(frozen=True)
class Age:
    part: str  # "text", "hint" or "option 2"
    words: str
    age: float
    limit: int

    @property
    def too_hard(self) -> bool:
        return self.age > self.limit


def survey_ages(definition: SurveyDefinition) -> dict[str, list[Age]]:
    """Each question's texts with their reading ages, by question id."""
    limit = READING_AGE_LIMIT[definition.audience]
    found: dict[str, list[Age]] = {}
    for path, words, age in reading_ages(definition):
        question = definition.pages[path[1]].questions[path[3]]
        part = f"option {path[5] + 1}" if path[4] == "options" else path[4]
        found.setdefault(question.id, []).append(Age(part, words, age, limit))
    return found


def question_ages(audience: str, question: dict[str, Any]) -> list[Age]:
    """The reading ages of one question's texts (as typed, even before it is valid), for
    AUDIENCE; [] when there is nothing to measure yet."""
    measured = {
        "id": "q",
        "type": question.get("type", "single_choice"),
        "text": question.get("text") or "",
        **({"hint": question["hint"]} if question.get("hint") else {}),
        "options": [
            {"id": f"o{i}", "label": option["label"]}
            for i, option in enumerate(question.get("options", ()))
            if option.get("label")
        ],
    }
    if not measured["text"].strip():
        return []
    try:
        definition = SurveyDefinition.model_validate(
            {
                "audience": audience,
                "title": "-",
                "intro": "-",
                "easy_read": "-",
                "pages": [{"id": "p", "questions": [measured]}],
            }
        )
    except ValidationError:
        return []
    return survey_ages(definition).get("q", [])
