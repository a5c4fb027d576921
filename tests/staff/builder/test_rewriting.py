"""A builder's change written over a hand-written survey file: the file then says exactly
the changed survey, and keeps its comments, each before the page it heads."""

import copy
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.config import Config
from app.staff.builder.rewriting import rewritten
from tests.staff.builder.helpers import newest
from tests.staff.workspace import send, sign_in_as

SHIPPED = {
    name: (Config.SURVEYS_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    for name in (
        "children",
        "young-people",
        "parent-carers",
    )
}
# Anything an officer types in one line: quotes, colons and "#" included.
WORDS = st.characters(categories=("L", "N", "P", "S", "Zs"))
COMMENT = re.compile(r"^\s*#.*$", re.MULTILINE)


def headings(text: str) -> dict[str, list[str]]:
    """The comment lines just before each page ("  - id: ..." under pages)."""
    found: dict[str, list[str]] = {}
    waiting: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            waiting.append(line.strip())
        elif match := re.match(r"^  - id: (\S+)$", line):
            found[match[1]] = waiting
            waiting = []
        elif line.strip():
            waiting = []
    return found


@st.composite
def changes(draw):
    """A shipped survey's text, and its definition with pages moved, removed, reworded
    and added, as the builder might change it."""
    text = SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))]
    definition = copy.deepcopy(yaml.safe_load(text))
    pages = definition["pages"]
    pages[:] = draw(st.permutations(pages))
    for _ in range(draw(st.integers(0, 2))):
        pages.pop(draw(st.integers(0, len(pages) - 1)))
    for page in draw(st.lists(st.sampled_from(pages), max_size=3)):
        page["questions"][0]["text"] = draw(st.text(WORDS, min_size=1, max_size=60))
    if draw(st.booleans()):
        new = {"id": "added", "questions": [{"id": "added", "type": "free_text", "text": "New?"}]}
        pages.insert(draw(st.integers(0, len(pages))), new)
    return text, definition


def test_an_unchanged_survey_is_written_exactly_as_it_was():
    for text in SHIPPED.values():
        assert rewritten(text, yaml.safe_load(text)) == text


@settings(max_examples=60, deadline=None)
@given(changes())
def test_the_file_says_the_changed_survey_and_keeps_the_comments_of_what_is_kept(change):
    text, definition = change
    written = rewritten(text, definition)
    assert yaml.safe_load(written) == definition
    before, after = headings(text), headings(written)
    # The comment before the first page belongs to the list, and stays first.
    first = yaml.safe_load(text)["pages"][0]["id"]
    for page in definition["pages"][1:]:
        if page["id"] in before and page["id"] != first:
            assert after[page["id"]] == before[page["id"]], page["id"]
    # No comment is made up, and the file's opening comments are kept.
    assert set(COMMENT.findall(written)) <= set(COMMENT.findall(text))
    assert written.splitlines()[:3] == text.splitlines()[:3]


@pytest.fixture
def officer(client, runner, surveys_dir):
    sign_in_as(client, runner)
    return client


def test_removing_a_question_in_the_builder_keeps_the_files_comments(officer, db, surveys_dir):
    path = surveys_dir / "children.yaml"
    shipped = path.read_text(encoding="utf-8")
    url = "/staff/surveys/children/build/questions/club_or_hobby/remove"
    assert send(officer, url, {"based_on": "1"}).status_code == 302
    written = path.read_text(encoding="utf-8")
    assert newest(db, "children").question("club_or_hobby") is None
    assert "club_or_hobby" not in written
    assert COMMENT.findall(written) == COMMENT.findall(shipped)
    assert headings(written)["going_well"] == [
        "# --- Your ideas ---------------------------------------------------------"
    ]
