"""Checking a set of answers against the survey they answer: the one place that says what a
valid answer is, for the respondent journey and for imports alike."""

from dataclasses import dataclass
from typing import Any

from app.surveys.schema import Question, SurveyDefinition


@dataclass(frozen=True)
class AnswerProblem:
    question: str
    message: str


def is_shown(question: Question, answers: dict[str, Any]) -> bool:
    """Whether QUESTION is asked, given the earlier ANSWERS (its show_if, if any)."""
    if question.show_if is None:
        return True
    earlier = answers.get(question.show_if.question)
    chosen = earlier if isinstance(earlier, list) else [earlier]
    return any(option in question.show_if.any_of for option in chosen)


def check_answer(question: Question, value: Any) -> str | None:
    """What is wrong with VALUE as an answer to QUESTION, or None if it is a valid answer."""
    if question.type == "free_text":
        if not isinstance(value, str):
            return "must be text"
        if len(value) > (question.max_length or 0):
            return f"must be {question.max_length} characters or fewer (it has {len(value)})"
        return None
    options = question.option_ids()
    if question.type == "multiple_choice":
        if not isinstance(value, list) or not value:
            return "must be one or more options"
        unknown = [v for v in value if v not in options]
        if unknown:
            return f"{', '.join(map(str, unknown))} not among the options ({', '.join(options)})"
        if len(set(value)) != len(value):
            return "names the same option twice"
        return None
    if value not in options:
        return f"'{value}' is not one of the options ({', '.join(options)})"
    return None


def check_answers(definition: SurveyDefinition, answers: dict[str, Any]) -> list[AnswerProblem]:
    """Every problem with a complete set of ANSWERS: unknown questions, invalid values,
    answers to questions that were not shown, and required questions left out."""
    problems: list[AnswerProblem] = []
    asked = {q.id for q in definition.questions()}
    problems.extend(
        AnswerProblem(qid, "is not a question of this survey")
        for qid in answers
        if qid not in asked
    )
    for question in definition.questions():
        value = answers.get(question.id)
        shown = is_shown(question, answers)
        if value is None:
            if shown and question.required:
                problems.append(AnswerProblem(question.id, "is required"))
            continue
        if not shown:
            problems.append(
                AnswerProblem(
                    question.id,
                    f"is only asked when {question.show_if.question} is "
                    f"{' or '.join(question.show_if.any_of)}",
                )
            )
            continue
        message = check_answer(question, value)
        if message:
            problems.append(AnswerProblem(question.id, message))
    return problems
