"""`surveys load`: adding surveys, versioning changes, and changing nothing on a bad file."""

import shutil

import pytest
from sqlalchemy import func, select

from app.config import Config
from app.models import Response, SurveyVersion
from app.surveys.versions import definition_of
from tests.factories import load_shipped_surveys, make_response

pytestmark = pytest.mark.postgres


def copy_shipped(tmp_path):
    folder = tmp_path / "surveys"
    shutil.copytree(Config.SURVEYS_DIR, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


def versions(db, survey_id):
    return db.scalars(
        select(SurveyVersion.version)
        .where(SurveyVersion.survey_id == survey_id)
        .order_by(SurveyVersion.version)
    ).all()


def test_load_adds_every_shipped_survey_and_reports_it(runner, db):
    result = runner.invoke(args=["surveys", "load"])
    assert result.exit_code == 0, result.output
    assert "children: added (version 1)" in result.output
    assert "young-people: added (version 1)" in result.output
    assert "parent-carers: added (version 1)" in result.output
    assert versions(db, "children") == [1]


def test_loading_again_changes_nothing(runner, db):
    runner.invoke(args=["surveys", "load"])
    result = runner.invoke(args=["surveys", "load"])
    assert "children: unchanged (version 1)" in result.output
    assert db.scalar(select(func.count()).select_from(SurveyVersion)) == 3


def test_a_changed_survey_with_answers_gets_a_new_version_and_old_answers_keep_theirs(
    runner, db, tmp_path
):
    folder = copy_shipped(tmp_path)
    runner.invoke(args=["surveys", "load", str(folder)])
    old = make_response(db, survey="children", answers={"cares_about_opinion": "mostly"})
    children = folder / "children.yaml"
    children.write_text(children.read_text().replace("Mostly", "Most of the time", 1))

    result = runner.invoke(args=["surveys", "load", str(folder)])

    assert result.exit_code == 0, result.output
    assert (
        "children: changed, now version 2; 1 earlier answers keep the version they answered"
        in result.output
    )
    assert "young-people: unchanged" in result.output
    assert versions(db, "children") == [1, 2]
    db.expire_all()
    kept = db.get(Response, old.id)
    assert kept.survey_version.version == 1
    labels = [
        o.label for o in definition_of(kept.survey_version).question("cares_about_opinion").options
    ]
    assert "Mostly" in labels and "Most of the time" not in labels


def test_a_bad_file_is_rejected_with_file_line_and_reason_and_nothing_changes(runner, db, tmp_path):
    folder = copy_shipped(tmp_path)
    load_shipped_surveys(db)
    (folder / "children.yaml").write_text(
        (folder / "children.yaml").read_text().replace("Mostly", "Most of the time", 1)
    )
    broken = folder / "young-people.yaml"
    broken.write_text(broken.read_text().replace("audience: young_person", "audience: teenagers"))

    result = runner.invoke(args=["surveys", "load", str(folder)])

    assert result.exit_code == 1
    first, *details = result.output.strip().splitlines()
    assert first == "Error: 1 problem(s) in the survey files; nothing was changed."
    assert details[0].strip().startswith(f"{broken}, line ")
    assert "audience" in details[0]
    assert versions(db, "children") == [1]
