"""Forged and hostile posts to the survey builder: each is refused with a clear message,
and nothing is saved (no new version, no file written)."""

from io import BytesIO

import pytest

from app.models import Survey
from app.staff.builder.forms import MAX_OPTIONS
from tests.pages import error_summary, parse
from tests.staff.builder.helpers import form_data, newest, post, version_count
from tests.staff.workspace import send, sign_in_as

NEW_QUESTION = "/staff/surveys/children/build/questions/new"


@pytest.fixture
def officer(client, runner, surveys_dir):
    sign_in_as(client, runner)
    return client


def refused(db, page, message: str, survey_id: str = "children", versions: int = 1) -> None:
    assert page.status_code == 200
    assert any(message in item for item in error_summary(page)), error_summary(page)
    assert version_count(db, survey_id) == versions


def test_a_question_id_with_code_in_it_is_refused(officer, db):
    page = post(
        officer,
        NEW_QUESTION,
        {
            "action": "save",
            "text": "Do you like it?",
            "kind": "free_text",
            "question_id": "x'); DROP TABLE responses;--",
        },
    )
    refused(db, page, "Name in downloads must start with a letter")


def test_a_forged_option_id_is_refused_by_the_loaders_rules(officer, db):
    url = "/staff/surveys/children/build/questions/club_or_hobby"
    page = post(officer, url, {"action": "save", "options-0-id": "<script>alert(1)</script>"})
    refused(db, page, "is not a valid id")


def test_a_duplicate_question_id_is_refused(officer, db):
    page = post(
        officer,
        NEW_QUESTION,
        {"action": "save", "text": "Where is home?", "kind": "free_text", "question_id": "area"},
    )
    refused(db, page, "question id 'area' is used twice")


def test_show_if_on_a_missing_question_is_refused(officer, db):
    page = post(
        officer,
        NEW_QUESTION,
        {"action": "save", "text": "Why?", "kind": "free_text", "show_if": ["no_such:yes"]},
    )
    refused(db, page, "show_if refers to 'no_such', which is not a question asked earlier")


def test_show_if_on_a_later_question_is_refused(officer, db):
    url = "/staff/surveys/children/build/questions/cares_about_opinion"
    page = post(officer, url, {"action": "save", "show_if": ["support:ehc_plan"]})
    refused(db, page, "show_if refers to 'support', which is not a question asked earlier")


def test_show_if_on_two_questions_at_once_is_refused(officer, db):
    page = post(
        officer,
        NEW_QUESTION,
        {
            "action": "save",
            "text": "Why?",
            "kind": "free_text",
            "show_if": ["area:hereford", "setting:other"],
        },
    )
    refused(db, page, "Choose answers to one earlier question only")


def test_huge_words_are_refused(officer, db):
    page = post(
        officer, NEW_QUESTION, {"action": "save", "text": "Why? " * 2000, "kind": "free_text"}
    )
    refused(db, page, "Question must be 300 characters or fewer")


def test_a_post_too_large_for_any_form_is_refused_whole(officer, db):
    page = post(officer, NEW_QUESTION, {"action": "save", "text": "x" * (9 * 1024 * 1024)})
    assert page.status_code == 413
    assert version_count(db, "children") == 1


def test_no_more_than_the_most_options_are_taken(officer, db):
    rows = {f"options-{i}-label": f"Choice {i}" for i in range(500)}
    page = post(
        officer,
        NEW_QUESTION,
        {"action": "save", "text": "Which one?", "kind": "own_one", **rows},
    )
    assert page.status_code == 302
    assert len(newest(db, "children").questions()[-1].options) == MAX_OPTIONS


@pytest.mark.postgres
def test_a_stale_save_is_refused_and_the_other_officers_change_kept(officer, db, backend):
    """Two officers open the same question; the first saves; the second's save, made from
    the version they opened, is refused rather than quietly undoing the first."""
    url = "/staff/surveys/children/build/questions/enjoy_life"
    opened = form_data(officer, url)
    assert (
        post(officer, url, {"action": "save", "hint": "First officer's hint."}).status_code == 302
    )
    page = send(officer, url, {**opened, "action": "save", "hint": "Second officer's hint."})
    refused(db, page, "Someone else saved a change to this survey", versions=2)
    assert newest(db, "children").question("enjoy_life").hint == "First officer's hint."


def test_a_stale_move_is_refused(officer, db):
    build = "/staff/surveys/children/build"
    token = parse(officer.get(build)).select_one("input[name=csrf_token]")["value"]
    post(officer, f"{build}/details", {"title": "Changed meanwhile"})
    page = officer.post(
        f"{build}/questions/area/move",
        data={"csrf_token": token, "direction": "up", "based_on": "1"},
        follow_redirects=True,
    )
    [banner] = [
        banner
        for banner in parse(page).select(".govuk-notification-banner")
        if "Someone else saved a change" in banner.get_text()
    ]
    # A problem to act on, not a green "done".
    assert "govuk-notification-banner--success" not in banner["class"]
    assert version_count(db, "children") == 2


def test_a_change_that_does_not_say_its_version_is_refused(officer, db):
    page = post(officer, "/staff/surveys/children/build/details", {"based_on": "", "title": "X"})
    refused(db, page, "Someone else saved a change to this survey")


def test_a_file_changed_by_hand_and_not_loaded_is_not_overwritten(officer, db, surveys_dir):
    path = surveys_dir / "children.yaml"
    path.write_text(path.read_text().replace("Tell us what you think", "Hand edit"))
    page = post(officer, "/staff/surveys/children/build/details", {"title": "Builder edit"})
    refused(db, page, "has changes that are not loaded yet")
    assert "Hand edit" in path.read_text()


def upload(client, content: bytes, name="short-breaks.yaml"):
    return send(
        client,
        "/staff/surveys/import",
        {"file": (BytesIO(content), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
            b"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
            b"d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
            "anchors (&name) are not allowed",
        ),
        (b"title: !!python/object/apply:os.system ['touch /tmp/owned']\n", "tags (!name)"),
        (b"audience: child\ntitle: *missing\n", "not allowed"),
        (b"\xff\xfe not text", "The file must be text (UTF-8)"),
        (b"audience: [unclosed\n", "not valid YAML"),
        (b"", "the file is empty"),
    ],
)
def test_a_hostile_or_malformed_upload_is_refused_and_nothing_stored(
    officer, db, surveys_dir, content, message
):
    page = upload(officer, content)
    assert page.status_code == 200
    assert any(message in item for item in error_summary(page)), error_summary(page)
    assert db.get(Survey, "short-breaks") is None
    assert not (surveys_dir / "short-breaks.yaml").exists()


def test_an_upload_over_the_size_limit_is_refused(officer, db):
    page = upload(officer, b"# padding\n" * 20_000)
    assert any("smaller than 100 KB" in item for item in error_summary(page))
    assert db.get(Survey, "short-breaks") is None


def test_an_uploaded_file_name_cannot_reach_outside_the_surveys_folder(officer, db, surveys_dir):
    text = (surveys_dir / "children.yaml").read_bytes()
    page = upload(officer, text, name="../../escape.yaml")
    assert page.headers["Location"] == "/staff/surveys/escape/build"
    assert (surveys_dir / "escape.yaml").exists()
    assert not (surveys_dir.parent / "escape.yaml").exists()
