"""The route through a survey: branching, progress, resuming, and estimated time."""

from app.config import Config
from app.respond.journey import (
    estimated_minutes,
    next_page,
    position,
    previous_page,
    shown_pages,
    without_hidden,
)
from app.surveys.files import read_survey_file

PARENTS = read_survey_file(Config.SURVEYS_DIR / "parent-carers.yaml").definition


def ids(pages):
    return [page.id for page in pages]


def test_a_follow_up_is_shown_only_after_the_answers_that_ask_for_it():
    assert "how_to_tell_you" not in ids(shown_pages(PARENTS, {}))
    assert "how_to_tell_you" not in ids(shown_pages(PARENTS, {"told_how_views_used": "yes"}))
    assert "how_to_tell_you" in ids(shown_pages(PARENTS, {"told_how_views_used": "no"}))


def test_next_and_previous_follow_the_branching():
    first = PARENTS.pages[0].id
    assert next_page(PARENTS, first, {"told_how_views_used": "no"}).id == "how_to_tell_you"
    after_yes = next_page(PARENTS, first, {"told_how_views_used": "yes"}).id
    assert after_yes not in ("how_to_tell_you", first)
    assert previous_page(PARENTS, after_yes, {"told_how_views_used": "yes"}).id == first
    assert previous_page(PARENTS, first, {}) is None
    assert next_page(PARENTS, PARENTS.pages[-1].id, {}) is None


def test_progress_counts_only_the_questions_this_respondent_is_asked():
    total_without = len(PARENTS.pages) - 1
    assert position(PARENTS, PARENTS.pages[0].id, {"told_how_views_used": "yes"}) == (
        1,
        total_without,
    )
    assert position(PARENTS, "how_to_tell_you", {"told_how_views_used": "no"}) == (
        2,
        total_without + 1,
    )


def test_changing_an_answer_drops_answers_to_questions_it_now_hides():
    answers = {"told_how_views_used": "yes", "how_to_tell_you": "By text", "area": "kington"}
    assert without_hidden(PARENTS, answers) == {"told_how_views_used": "yes", "area": "kington"}
    answers["told_how_views_used"] = "no"
    assert without_hidden(PARENTS, answers) == answers


def test_estimated_minutes_grow_with_the_questions():
    # 12 questions always asked: 2 free text (90 s each) + 10 choices (15 s each) = 330 s.
    always = [q for q in PARENTS.questions() if q.show_if is None]
    free = sum(q.type == "free_text" for q in always)
    seconds = free * 90 + (len(always) - free) * 15
    assert estimated_minutes(PARENTS) == -(-seconds // 60)
