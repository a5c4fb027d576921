"""The themes codebook (surveys/themes.yaml), read again whenever the officer changes it."""

from pathlib import Path

from flask import current_app, has_app_context

from analysis.themes import Codebook, load_codebook
from app.config import Config

CODEBOOK_FILE = "themes.yaml"
_loaded: dict[tuple[Path, float], Codebook] = {}


def codebook() -> Codebook:
    """The app's codebook; outside an app (a script storing answers) the default one."""
    folder = current_app.config["SURVEYS_DIR"] if has_app_context() else Config.SURVEYS_DIR
    path = Path(folder) / CODEBOOK_FILE
    key = (path, path.stat().st_mtime)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = load_codebook(path)
    return _loaded[key]
