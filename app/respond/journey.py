"""The route through a survey, worked out from its definition and the answers so far.

Pure functions: no database, no request. Branching (show_if) means the pages a respondent
sees depend on what they answered, so every step asks again which pages are shown.
"""

import math
from typing import Any

from app.surveys.answers import is_shown
from app.surveys.schema import Page, SurveyDefinition

# Rough reading-and-answering times, for "it takes about N minutes" on the start page.
SECONDS_PER_CHOICE = 15
SECONDS_PER_FREE_TEXT = 90


def shown_pages(definition: SurveyDefinition, answers: dict[str, Any]) -> list[Page]:
    """The pages this respondent is asked, given their answers so far."""
    return [
        page
        for page in definition.pages
        if any(is_shown(question, answers) for question in page.questions)
    ]


def page_by_id(definition: SurveyDefinition, page_id: str) -> Page | None:
    return next((page for page in definition.pages if page.id == page_id), None)


def next_page(definition: SurveyDefinition, page_id: str, answers: dict[str, Any]) -> Page | None:
    """The page after PAGE_ID that is shown, or None when the questions are done."""
    ids = [page.id for page in definition.pages]
    later = definition.pages[ids.index(page_id) + 1 :]
    shown = {page.id for page in shown_pages(definition, answers)}
    return next((page for page in later if page.id in shown), None)


def previous_page(
    definition: SurveyDefinition, page_id: str, answers: dict[str, Any]
) -> Page | None:
    pages = shown_pages(definition, answers)
    ids = [page.id for page in pages]
    if page_id not in ids or ids.index(page_id) == 0:
        return None
    return pages[ids.index(page_id) - 1]


def position(
    definition: SurveyDefinition, page_id: str, answers: dict[str, Any]
) -> tuple[int, int]:
    """(this question's number, how many questions are shown): "Question 3 of 12"."""
    ids = [page.id for page in shown_pages(definition, answers)]
    return (ids.index(page_id) + 1 if page_id in ids else len(ids), len(ids))


def without_hidden(definition: SurveyDefinition, answers: dict[str, Any]) -> dict[str, Any]:
    """ANSWERS less those to questions no longer shown (after an earlier answer changed)."""
    kept: dict[str, Any] = {}
    for question in definition.questions():
        if question.id in answers and is_shown(question, kept):
            kept[question.id] = answers[question.id]
    return kept


def estimated_minutes(definition: SurveyDefinition) -> int:
    seconds = sum(
        SECONDS_PER_FREE_TEXT if question.type == "free_text" else SECONDS_PER_CHOICE
        for question in definition.questions()
        if question.show_if is None
    )
    return max(1, math.ceil(seconds / 60))
