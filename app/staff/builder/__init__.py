"""The survey builder: an officer makes or changes a whole survey in the browser (its
details, its questions and their order, answer scales, hints and `show_if`), previews it
as respondents see it, and opens it. Each save is checked by the survey file loader and
stored as a new version, and the survey's YAML file in SURVEYS_DIR is written as the
database has it (saving.py), as app/staff/editing.py does for wording."""
