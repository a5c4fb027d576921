"""Changes to a survey's definition as plain data (the form `SurveyDefinition.canonical`
gives): each function returns a new definition and never changes the one it is given.
Whether the result is a valid survey is for the loader to say when it is saved.

The builder puts each question on a page of its own, as surveys/README.md asks, with the
page's id the question's; a page with several questions (written by hand) moves as one.
"""

import copy
import re
from typing import Any

from analysis.definitions import MEASURES

Definition = dict[str, Any]


def _measures_of_questions() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for measure in MEASURES:
        for question in measure.questions:
            found.setdefault(question, []).append(measure.title)
    return found


# Which published measures count each question: changing its id or answers, or removing
# it, breaks the measure's trend from this survey's answers.
MEASURES_OF_QUESTION = _measures_of_questions()


def questions(definition: Definition) -> list[dict[str, Any]]:
    return [question for page in definition["pages"] for question in page["questions"]]


def find(definition: Definition, question_id: str) -> tuple[int, int] | None:
    """(page index, question index) of QUESTION_ID, or None."""
    for p, page in enumerate(definition["pages"]):
        for q, question in enumerate(page["questions"]):
            if question["id"] == question_id:
                return p, q
    return None


def earlier_choice_questions(definition: Definition, question_id: str | None) -> list[dict]:
    """The choice questions asked before QUESTION_ID (all of them for a new question):
    the only ones its `show_if` may depend on."""
    found = []
    for question in questions(definition):
        if question["id"] == question_id:
            break
        if question["type"] != "free_text":
            found.append(question)
    return found


def with_details(definition: Definition, details: dict[str, str | None]) -> Definition:
    """DEFINITION with its title, audience, introductions and privacy words replaced; a
    translated text keeps its other languages."""
    changed = copy.deepcopy(definition)
    for field, words in details.items():
        if not words:
            changed.pop(field, None)
        elif isinstance(changed.get(field), dict):
            changed[field]["en"] = words
        else:
            changed[field] = words
    return changed


def with_question(
    definition: Definition, old_id: str | None, question: dict[str, Any], heading: str | None
) -> Definition:
    """DEFINITION with QUESTION in the place of OLD_ID, or added at the end when OLD_ID is
    None, on its own page headed HEADING."""
    changed = copy.deepcopy(definition)
    if old_id is None or (place := find(changed, old_id)) is None:
        page = {"id": _free_page_id(changed, question["id"]), "questions": [question]}
        if heading:
            page["title"] = heading
        changed["pages"].append(page)
        return changed
    p, q = place
    page = changed["pages"][p]
    page["questions"][q] = question
    if len(page["questions"]) == 1:
        if page["id"] == old_id:
            page["id"] = _free_page_id(changed, question["id"], keep=p)
        if heading:
            page["title"] = heading
        else:
            page.pop("title", None)
    return changed


def without_question(definition: Definition, question_id: str) -> Definition:
    """DEFINITION without QUESTION_ID (and without its page, if nothing else is on it)."""
    changed = copy.deepcopy(definition)
    place = find(changed, question_id)
    if place is not None:
        p, q = place
        del changed["pages"][p]["questions"][q]
        if not changed["pages"][p]["questions"]:
            del changed["pages"][p]
    return changed


def moved(definition: Definition, question_id: str, step: int) -> Definition:
    """DEFINITION with QUESTION_ID's page moved STEP places (-1 up, 1 down), if it can be."""
    changed = copy.deepcopy(definition)
    place = find(changed, question_id)
    if place is None:
        return changed
    p = place[0]
    target = p + step
    if 0 <= target < len(changed["pages"]):
        pages = changed["pages"]
        pages[p], pages[target] = pages[target], pages[p]
    return changed


def slug(words: str, separator: str = "_") -> str:
    """An id made from WORDS: lowercase letters and digits joined by SEPARATOR, starting
    with a letter, at most 40 characters (so a number can still be added)."""
    parts = re.findall(r"[a-z0-9]+", words.lower())
    made = separator.join(parts)[:40].strip(separator)
    if not made or not made[0].isalpha():
        made = f"q{separator}{made}".strip(separator)
    return made


def unused(candidate: str, taken: set[str], separator: str = "_") -> str:
    """CANDIDATE, or CANDIDATE with the smallest number after it that is not in TAKEN."""
    if candidate not in taken:
        return candidate
    number = 2
    while f"{candidate}{separator}{number}" in taken:
        number += 1
    return f"{candidate}{separator}{number}"


def _free_page_id(definition: Definition, wanted: str, keep: int | None = None) -> str:
    taken = {page["id"] for i, page in enumerate(definition["pages"]) if i != keep}
    return unused(wanted, taken)
