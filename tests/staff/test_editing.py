"""Changing a survey's words in the browser: validated as `surveys load` validates, stored
as a new version, and written back to its file with the file's comments kept."""

import shutil

import pytest
from sqlalchemy import func, select

from app.config import Config
from app.models import AuditEvent, SurveyVersion
from app.surveys.versions import definition_of, latest_version
from tests.factories import load_shipped_surveys, make_response
from tests.pages import error_summary, parse
from tests.staff.workspace import send, sign_in_as

WORDING = "/staff/surveys/children/wording"


@pytest.fixture
def surveys_dir(app, db, tmp_path):
    """The shipped surveys, loaded, in a folder of the test's own (the edit writes to it)."""
    folder = tmp_path / "surveys"
    shutil.copytree(Config.SURVEYS_DIR, folder)
    app.config["SURVEYS_DIR"] = folder
    load_shipped_surveys(db)
    return folder


def form_data(client, url=WORDING) -> dict[str, str]:
    page = parse(client.get(url))
    fields = page.select("form input[name], form textarea[name]")
    return {
        field["name"]: field.get("value", "") if field.name == "input" else field.text
        for field in fields
    }


def versions(db, survey_id="children") -> int:
    found = db.scalar(
        select(func.count()).select_from(SurveyVersion).where(SurveyVersion.survey_id == survey_id)
    )
    db.commit()
    return found


def newest(db, survey_id="children"):
    db.expire_all()
    definition = definition_of(latest_version(db, survey_id))
    db.commit()
    return definition


def test_anyone_not_signed_in_is_sent_to_sign_in(client):
    assert client.get(WORDING).headers["Location"].startswith("/staff/sign-in")


@pytest.mark.parametrize("role", ["forum", "safeguarding"])
def test_only_the_officer_changes_the_wording(client, runner, surveys_dir, role):
    sign_in_as(client, runner, role)
    assert client.get(WORDING).status_code == 403


def test_the_form_shows_the_words_as_they_are(client, runner, surveys_dir):
    sign_in_as(client, runner)
    data = form_data(client)
    assert data["title"] == "Tell us what you think"
    assert data["q1"] == "Do the grown-ups who look after you care what you think?"
    assert data["q1-option-1"] == "Always"
    assert data["intro"].startswith("We are the people who plan help")


def test_new_words_make_a_new_version_and_are_written_to_the_file(client, runner, db, surveys_dir):
    earlier = make_response(db)
    sign_in_as(client, runner)
    data = form_data(client)
    data.update(
        {
            "title": "Tell us what you think: autumn",
            "q1-option-5": 'I\'m "not" sure: really',
            "intro": "A shorter introduction, " * 8,
        }
    )

    response = send(client, WORDING, data)

    assert response.status_code == 302
    assert versions(db) == 2
    definition = newest(db)
    assert definition.title == "Tell us what you think: autumn"
    assert definition.questions()[0].options[4].label == 'I\'m "not" sure: really'
    assert definition.intro == ("A shorter introduction, " * 8).strip()
    db.expire_all()
    assert db.get(type(earlier), earlier.id).survey_version.version == 1
    text = (surveys_dir / "children.yaml").read_text()
    assert text.startswith("# Children's survey (ages up to 10).")
    assert "intro: >-\n  A shorter introduction," in text
    reloaded = runner.invoke(args=["surveys", "load", str(surveys_dir)])
    assert "children: unchanged (version 2)" in reloaded.output
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "survey.wording"))
    assert event.detail == {"version": 2}


def test_unchanged_words_make_no_new_version(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    before = (surveys_dir / "children.yaml").read_text()
    response = send(client, WORDING, form_data(client))
    assert "Nothing was changed." in parse(client.get(response.headers["Location"])).text
    assert versions(db) == 1
    assert (surveys_dir / "children.yaml").read_text() == before


def test_empty_words_are_refused_and_nothing_changes(client, runner, db, surveys_dir):
    sign_in_as(client, runner)
    before = (surveys_dir / "children.yaml").read_text()
    data = {**form_data(client), "title": "  ", "q2": ""}
    response = send(client, WORDING, data)
    assert response.status_code == 200
    assert error_summary(response) == [
        "Enter the survey title",
        "Enter the wording of question 2",
    ]
    assert versions(db) == 1
    assert (surveys_dir / "children.yaml").read_text() == before


def test_a_file_with_changes_not_yet_loaded_is_not_overwritten(client, runner, db, surveys_dir):
    path = surveys_dir / "children.yaml"
    path.write_text(path.read_text().replace("title: Tell us", "title: Do tell us"))
    sign_in_as(client, runner)
    response = send(client, WORDING, {**form_data(client), "title": "Something else"})
    assert error_summary(response) == [
        "The file children.yaml has changes that are not loaded yet. Load it with “flask "
        "surveys load” (or undo them) before changing the wording here."
    ]
    assert versions(db) == 1
    assert "title: Do tell us" in path.read_text()


def test_a_survey_without_a_file_gets_one_written_from_the_database(
    client, runner, db, surveys_dir
):
    (surveys_dir / "children.yaml").unlink()
    sign_in_as(client, runner)
    send(client, WORDING, {**form_data(client), "q1": "Do grown-ups care what you think?"})
    assert newest(db).questions()[0].text == "Do grown-ups care what you think?"
    reloaded = runner.invoke(args=["surveys", "load", str(surveys_dir)])
    assert "children: unchanged (version 2)" in reloaded.output


def test_translated_words_keep_their_other_languages(client, runner, db, surveys_dir):
    path = surveys_dir / "children.yaml"
    path.write_text(
        path.read_text().replace(
            "title: Tell us what you think",
            "title: {en: Tell us what you think, cy: Dywedwch wrthym beth rydych chi'n ei feddwl}",
        )
    )
    runner.invoke(args=["surveys", "load", str(surveys_dir)])
    sign_in_as(client, runner)
    send(client, WORDING, {**form_data(client), "title": "Tell us, please"})
    assert newest(db).title == {
        "en": "Tell us, please",
        "cy": "Dywedwch wrthym beth rydych chi'n ei feddwl",
    }
