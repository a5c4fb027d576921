"""The themes codebook (surveys/themes.yaml), read again whenever the officer changes it."""

from pathlib import Path

from flask import current_app

from analysis.themes import Codebook, load_codebook

CODEBOOK_FILE = "themes.yaml"
_loaded: dict[tuple[Path, float], Codebook] = {}


def codebook() -> Codebook:
    path = Path(current_app.config["SURVEYS_DIR"]) / CODEBOOK_FILE
    key = (path, path.stat().st_mtime)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = load_codebook(path)
    return _loaded[key]
