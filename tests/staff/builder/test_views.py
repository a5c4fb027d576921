"""The survey builder's pages: start a survey from a template or a copy, change its
details and questions, reorder and remove them, preview, publish, export and import;
every change checked by the survey loader and saved as a new version."""

import pytest
import yaml

from app.models import Survey, SurveyStatus
from app.surveys.files import read_survey_file
from tests.factories import make_response
from tests.pages import error_summary, parse
from tests.staff.builder.helpers import newest, post, press, version_count
from tests.staff.workspace import send, sign_in_as

NEW = "/staff/surveys/new"


def build(survey_id="short-breaks") -> str:
    return f"/staff/surveys/{survey_id}/build"


def make_survey(client, start_from="young_person", survey_id="short-breaks", **more):
    return send(
        client,
        NEW,
        {"start_from": start_from, "survey_id": survey_id, "title": "Short breaks", **more},
    )


def test_anyone_not_signed_in_is_sent_to_sign_in(client, surveys_dir):
    assert client.get(NEW).headers["Location"].startswith("/staff/sign-in")
    assert client.get(build("children")).headers["Location"].startswith("/staff/sign-in")


@pytest.mark.parametrize("role", ["forum", "safeguarding"])
def test_only_the_officer_builds_surveys(client, runner, surveys_dir, role):
    sign_in_as(client, runner, role)
    assert client.get(NEW).status_code == 403
    assert client.get(build("children")).status_code == 403


@pytest.mark.postgres
def test_a_survey_from_a_template_is_a_draft_with_the_shared_questions(
    client, runner, db, surveys_dir, backend
):
    sign_in_as(client, runner)
    made = make_survey(client)
    assert made.headers["Location"] == build()
    survey = db.get(Survey, "short-breaks")
    assert survey.status == SurveyStatus.DRAFT
    definition = newest(db, "short-breaks")
    assert definition.title == "Short breaks"
    assert definition.audience == "young_person"
    assert [q.id for q in definition.questions()] == [
        "going_well",
        "should_change",
        "area",
        "age_band",
        "setting",
        "support",
    ]
    # Written to the surveys folder, and the file loads as the database has it.
    assert read_survey_file(surveys_dir / "short-breaks.yaml").definition == definition
    # A draft is not there for respondents.
    assert client.get("/s/short-breaks").status_code == 404


def test_a_copy_has_every_question_of_the_survey_copied(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    make_survey(client, start_from="copy", copy_of="children", survey_id="children-spring")
    copied = newest(db, "children-spring")
    assert [q.id for q in copied.questions()] == [q.id for q in newest(db, "children").questions()]
    assert copied.title == "Short breaks"


@pytest.mark.parametrize(
    ("survey_id", "message"),
    [
        ("children", "There is already a survey with this web address"),
        ("themes", "The surveys folder already has a file themes.yaml"),
        ("Bad Name!", "Web address must start with a letter"),
        ("", "Enter the web address of the survey"),
    ],
)
def test_a_new_survey_needs_a_free_web_address(client, runner, db, surveys_dir, survey_id, message):
    sign_in_as(client, runner)
    before = version_count(db, "children")
    page = make_survey(client, survey_id=survey_id)
    assert page.status_code == 200
    assert any(item.startswith(message) for item in error_summary(page))
    assert version_count(db, "children") == before


def add_question(client, survey_id="short-breaks", **fields):
    url = f"/staff/surveys/{survey_id}/build/questions/new"
    return post(client, url, {"action": "save", **fields})


def test_an_added_question_with_its_own_options_is_a_new_version(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    make_survey(client)
    page = add_question(
        client,
        text="Do you enjoy your short breaks?",
        kind="own_one",
        **{"options-0-label": "Yes, a lot", "options-1-label": "Not much", "options-2-label": ""},
    )
    assert page.headers["Location"] == build()
    assert version_count(db, "short-breaks") == 2
    question = newest(db, "short-breaks").questions()[-1]
    assert question.id == "do_you_enjoy_your_short_breaks"
    assert question.type == "single_choice"
    assert [(o.id, o.label) for o in question.options] == [
        ("yes_a_lot", "Yes, a lot"),
        ("not_much", "Not much"),
    ]


def test_a_scale_gives_the_measures_option_ids_and_faces(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    make_survey(client, start_from="child")
    add_question(client, text="Do you feel happy at short breaks?", kind="faces_frequency")
    question = newest(db, "short-breaks").questions()[-1]
    assert question.type == "face_scale"
    assert [(o.id, o.face) for o in question.options] == [
        ("always", "very_happy"),
        ("mostly", "happy"),
        ("sometimes", "neutral"),
        ("never", "sad"),
        ("not_sure", "unsure"),
    ]


def test_free_text_gets_its_limit(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    make_survey(client)
    add_question(client, text="What would you change?", kind="free_text", max_length="500")
    question = newest(db, "short-breaks").questions()[-1]
    assert (question.type, question.max_length, question.options) == ("free_text", 500, None)


def test_show_if_asks_a_question_only_after_an_earlier_answer(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    make_survey(client)
    add_question(
        client,
        text="What help would you like?",
        kind="free_text",
        show_if=["support:ehc_plan", "support:sen_support"],
    )
    question = newest(db, "short-breaks").questions()[-1]
    assert question.show_if.question == "support"
    assert question.show_if.any_of == ["ehc_plan", "sen_support"]


def test_changing_a_question_keeps_its_option_ids(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    url = "/staff/surveys/children/build/questions/club_or_hobby"
    page = post(client, url, {"action": "save", "options-2-label": "No, but I want to"})
    assert page.status_code == 302
    question = newest(db, "children").question("club_or_hobby")
    assert [(o.id, o.label) for o in question.options] == [
        ("yes", "Yes"),
        ("no", "No"),
        ("would_like_to", "No, but I want to"),
    ]


def test_move_up_and_down_reorders_the_questions(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    make_survey(client)
    before = [q.id for q in newest(db, "short-breaks").questions()]
    url = f"{build()}/questions/area/move"
    assert press(client, build(), url, {"direction": "up", "based_on": "1"}).status_code == 302
    after = [q.id for q in newest(db, "short-breaks").questions()]
    assert after == ["going_well", "area", "should_change", *before[3:]]
    press(
        client,
        build(),
        f"{build()}/questions/going_well/move",
        {"direction": "down", "based_on": "2"},
    )
    assert [q.id for q in newest(db, "short-breaks").questions()][:3] == [
        "area",
        "going_well",
        "should_change",
    ]


def test_removing_a_question_keeps_the_answers_given_to_it(client, runner, db, surveys_dir):
    earlier = make_response(db, "children", {"club_or_hobby": "yes"})
    sign_in_as(client, runner)
    url = "/staff/surveys/children/build/questions/club_or_hobby/remove"
    assert send(client, url, {"based_on": "1"}).status_code == 302
    assert newest(db, "children").question("club_or_hobby") is None
    db.refresh(earlier)
    assert earlier.answers["club_or_hobby"] == "yes"
    assert earlier.survey_version.version == 1


def test_the_build_page_shows_every_question_with_its_reading_age(client, runner, surveys_dir):
    sign_in_as(client, runner)
    page = parse(client.get(build("children")))
    cards = page.select(".govuk-summary-card")
    assert len(cards) == 16
    assert all(card.select_one("[data-reading-age]") for card in cards)
    measure = page.select_one("#cares_about_opinion")
    assert measure.select_one(".govuk-tag--purple").get_text(strip=True) == "Outcome measure"


def test_a_question_too_hard_for_its_audience_is_warned_about_on_save(client, runner, surveys_dir):
    sign_in_as(client, runner)
    url = "/staff/surveys/children/build/questions/new"
    page = post(
        client,
        url,
        {
            "action": "check",
            "text": "Considering the comprehensive organisational arrangements, "
            "is communication satisfactory?",
            "kind": "free_text",
        },
    )
    warning = parse(page).select_one("[data-reading-age] .govuk-warning-text")
    assert warning is not None
    assert "older than 9" in warning.get_text(" ", strip=True)


def test_publishing_opens_the_survey_to_respondents(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    make_survey(client)
    assert client.get("/s/short-breaks").status_code == 404
    press(client, build(), f"{build()}/publish", {})
    db.expire_all()
    assert db.get(Survey, "short-breaks").status == SurveyStatus.OPEN
    assert client.get("/s/short-breaks").status_code == 200


def test_the_preview_frame_is_the_respondents_page_in_the_chosen_colours(
    client, runner, surveys_dir
):
    sign_in_as(client, runner)
    frame = client.get(f"{build('children')}/preview/frame?page=enjoy_life&theme=dark")
    page = parse(frame)
    assert "app-theme-dark" in page.html["class"]
    assert page.select_one("h1").get_text(" ", strip=True).endswith("Do you enjoy your life?")
    assert len(page.select(".app-faces input[type=radio]")) == 5
    policy = frame.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    # Nothing pressed in the preview is sent anywhere.
    assert "form-action 'none'" in policy
    # Every other page still refuses to be framed.
    assert (
        "frame-ancestors 'none'" in client.get(build("children")).headers["Content-Security-Policy"]
    )


def test_export_gives_the_yaml_the_loader_reads(client, runner, db, surveys_dir, tmp_path):
    sign_in_as(client, runner)
    exported = client.get("/staff/surveys/children/export.yaml")
    assert exported.headers["Content-Disposition"] == 'attachment; filename="children.yaml"'
    (tmp_path / "children.yaml").write_bytes(exported.data)
    assert read_survey_file(tmp_path / "children.yaml").definition == newest(db, "children")


def upload(client, content: bytes, name="short-breaks.yaml", survey_id=""):
    from io import BytesIO

    url = "/staff/surveys/import"
    return send(
        client,
        url,
        {"file": (BytesIO(content), name), "survey_id": survey_id},
        content_type="multipart/form-data",
    )


def test_an_uploaded_file_becomes_a_draft_survey_with_its_comments(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    text = (surveys_dir / "children.yaml").read_text().replace("Tell us what you think", "Breaks")
    page = upload(client, text.encode())
    assert page.headers["Location"] == build()
    assert newest(db, "short-breaks").title == "Breaks"
    assert db.get(Survey, "short-breaks").status == SurveyStatus.DRAFT
    assert (surveys_dir / "short-breaks.yaml").read_text() == text


def test_a_malformed_upload_says_which_line_and_saves_nothing(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    data = yaml.safe_load((surveys_dir / "children.yaml").read_text())
    data["pages"][0]["questions"][0]["type"] = "slider"
    page = upload(client, yaml.safe_dump(data).encode())
    assert page.status_code == 200
    assert any("line" in item and "type" in item for item in error_summary(page))
    assert db.get(Survey, "short-breaks") is None
    assert not (surveys_dir / "short-breaks.yaml").exists()


def test_the_details_and_privacy_words_show_on_the_start_page(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    make_survey(client)
    page = post(
        client,
        f"{build()}/details",
        {
            "title": "Short breaks 2026",
            "audience": "parent_carer",
            "privacy": "The short breaks team will read your answers too.",
        },
    )
    assert page.headers["Location"] == build()
    definition = newest(db, "short-breaks")
    assert (definition.title, definition.audience) == ("Short breaks 2026", "parent_carer")
    press(client, build(), f"{build()}/publish", {})
    start = parse(client.get("/s/short-breaks"))
    assert start.select_one("h1").get_text(strip=True) == "Short breaks 2026"
    privacy = start.select(".govuk-details__text")[-1].get_text(" ", strip=True)
    assert privacy.startswith("The short breaks team will read your answers too.")


def test_the_reading_age_is_measured_as_the_officer_types(client, runner, surveys_dir):
    sign_in_as(client, runner)
    url = "/staff/surveys/children/build/questions/new"
    answer = press(
        client,
        url,
        "/staff/surveys/children/build/reading-age",
        {
            "text": "Notwithstanding considerable organisational complexity, is it satisfactory?",
            "hint": "",
            "labels-0": "Yes",
        },
    )
    shown = parse(answer).select_one("[data-reading-age]").get_text(" ", strip=True)
    assert "older than 9" in shown
    easy = press(
        client, url, "/staff/surveys/children/build/reading-age", {"text": "Do you like it?"}
    )
    assert "Easy to read" in parse(easy).get_text()


def test_a_free_text_question_becomes_a_choice_in_the_same_form(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    url = "/staff/surveys/children/build/questions/going_well"
    page = post(
        client,
        url,
        {
            "action": "save",
            "kind": "own_many",
            "options-0-label": "Home",
            "options-1-label": "School",
        },
    )
    assert page.status_code == 302
    question = newest(db, "children").question("going_well")
    assert question.type == "multiple_choice"
    assert [o.id for o in question.options] == ["home", "school"]
