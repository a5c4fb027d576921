"""The builder's tests: the shipped surveys loaded, in a surveys folder of the test's own
(every save writes the survey's file there)."""

import shutil

import pytest

from app.config import Config
from tests.factories import load_shipped_surveys


@pytest.fixture
def surveys_dir(app, db, tmp_path):
    folder = tmp_path / "surveys"
    shutil.copytree(Config.SURVEYS_DIR, folder)
    app.config["SURVEYS_DIR"] = folder
    load_shipped_surveys(db)
    return folder
