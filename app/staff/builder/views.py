"""`/staff/surveys/new`, `/staff/surveys/import` and `/staff/surveys/<id>/build...`: the
survey builder's pages. Changes are made by outline.py and saved by saving.py."""

from types import SimpleNamespace

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.audit import record
from app.db import get_session
from app.forms import ButtonForm
from app.models import Role, SurveyStatus
from app.preferences import THEMES, Preferences
from app.respond.forms import page_form
from app.respond.journey import estimated_minutes, page_by_id
from app.security import allow_framing_for_preview
from app.staff.access import role_required
from app.staff.builder import outline
from app.staff.builder.answers import KINDS, kind_of
from app.staff.builder.forms import (
    COPY,
    ConfirmForm,
    DetailsForm,
    ImportForm,
    MoveForm,
    NewSurveyForm,
    QuestionForm,
    ReadingAgeForm,
)
from app.staff.builder.reading import question_ages, survey_ages
from app.staff.builder.saving import BuildError, StaleSave, as_yaml, save
from app.staff.builder.starters import starter
from app.staff.surveys import all_surveys, survey_or_404
from app.staff.views import blueprint
from app.surveys.catalogue import availability, translate
from app.surveys.readability import READING_AGE_LIMIT, hard_texts
from app.surveys.versions import definition_of, latest_version
from app.time import today_in_london

BLANK_OPTION_ROWS = 3


@blueprint.route("/surveys/new", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def new_survey():
    db = get_session()
    form = NewSurveyForm()
    form.copy_of.choices = [SelectChoice("", _("Choose a survey"))] + [
        SelectChoice(survey.id, translate(definition_of(version).title))
        for survey, version in all_surveys(db)
    ]
    if form.validate_on_submit():
        source = form.copy_of.data if form.start_from.data == COPY else None
        definition = starter(db, form.start_from.data, source, form.title.data)
        if definition is None:
            form.start_from.errors.append(_("That survey is not loaded yet: choose another start"))
        elif _saved(form.survey_id, form.survey_id.data, None, definition, "new"):
            return redirect(url_for("staff.build_survey", survey_id=form.survey_id.data))
    return render_template(
        "staff/builder/new.html",
        title=_("Make a new survey"),
        form=form,
        back_url=url_for("staff.dashboard"),
    )


@blueprint.get("/surveys/<survey_id>/build")
@role_required(Role.OFFICER)
def build_survey(survey_id: str):
    db = get_session()
    survey, version = survey_or_404(db, survey_id)
    definition = definition_of(version)
    return render_template(
        "staff/builder/build.html",
        title=translate(definition.title),
        survey=survey,
        version=version,
        definition=definition,
        state=availability(survey, today_in_london()),
        ages=survey_ages(definition),
        whole_too_hard=any(problem.path == ("pages",) for problem in hard_texts(definition)),
        limit=READING_AGE_LIMIT[definition.audience],
        measures=outline.MEASURES_OF_QUESTION,
        kinds=KINDS,
        kind_of=kind_of,
        move_form=MoveForm(),
        publish_form=ButtonForm(),
        back_url=url_for("staff.dashboard"),
    )


@blueprint.route("/surveys/<survey_id>/build/details", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def build_details(survey_id: str):
    db = get_session()
    _survey, version = survey_or_404(db, survey_id)
    current = version.definition
    form = DetailsForm(
        data={
            "based_on": version.version,
            "audience": current["audience"],
            **{f: translate(current[f]) for f in ("title", "intro", "easy_read") if f in current},
            "privacy": translate(current["privacy"]) if "privacy" in current else "",
        }
    )
    if form.validate_on_submit():
        fields = ("title", "audience", "intro", "easy_read", "privacy")
        changed = outline.with_details(current, {f: form[f].data for f in fields})
        if _saved(form.title, survey_id, form.based_on.data, changed, "details"):
            return redirect(url_for("staff.build_survey", survey_id=survey_id))
    return render_template(
        "staff/builder/details.html",
        title=_("Title, audience and introduction"),
        form=form,
        survey_title=translate(current["title"]),
        back_url=url_for("staff.build_survey", survey_id=survey_id),
    )


@blueprint.route(
    "/surveys/<survey_id>/build/questions/new",
    methods=["GET", "POST"],
    defaults={"question_id": None},
)
@blueprint.route("/surveys/<survey_id>/build/questions/<question_id>", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def build_question(survey_id: str, question_id: str | None):
    db = get_session()
    _survey, version = survey_or_404(db, survey_id)
    current = version.definition
    place = outline.find(current, question_id) if question_id else None
    if question_id and place is None:
        abort(404)
    original = current["pages"][place[0]]["questions"][place[1]] if place else None
    page = current["pages"][place[0]] if place else {}
    form = QuestionForm(data=_question_data(version.version, original, page))
    earlier = outline.earlier_choice_questions(current, question_id)
    form.show_if.choices = [
        SelectChoice(f"{q['id']}:{o['id']}", translate(o["label"]))
        for q in earlier
        for o in q["options"]
    ]
    question = None
    if request.method == "POST" and form.validate():
        taken = {q["id"] for q in outline.questions(current)} - {question_id}
        question = form.question(original, taken)
        breaks = _breaks_measure(original, question)
        if request.form.get("action") == "check":
            pass
        elif breaks and not form.confirm_measure.data:
            form.confirm_measure.errors.append(
                _(
                    "Tick the box to confirm: changing this question's name in downloads or "
                    "its answers breaks the trend of %(measures)s",
                    measures="; ".join(breaks),
                )
            )
        else:
            changed = outline.with_question(current, question_id, question, form.heading.data)
            if _saved(form.text, survey_id, form.based_on.data, changed, "question"):
                return redirect(url_for("staff.build_survey", survey_id=survey_id))
    measured = question or _question_as_posted(form)
    return render_template(
        "staff/builder/question.html",
        title=_("Change question") if original else _("Add a question"),
        form=form,
        survey_id=survey_id,
        question_id=question_id,
        survey_title=translate(current["title"]),
        earlier=earlier,
        kinds=KINDS,
        measures=outline.MEASURES_OF_QUESTION.get(question_id or "", []),
        ages=question_ages(current["audience"], measured),
        limit=READING_AGE_LIMIT[current["audience"]],
        back_url=url_for("staff.build_survey", survey_id=survey_id),
    )


@blueprint.post("/surveys/<survey_id>/build/questions/<question_id>/move")
@role_required(Role.OFFICER)
def move_question(survey_id: str, question_id: str):
    db = get_session()
    _survey, version = survey_or_404(db, survey_id)
    form = MoveForm()
    if form.validate_on_submit() and form.direction.data in ("up", "down"):
        step = -1 if form.direction.data == "up" else 1
        changed = outline.moved(version.definition, question_id, step)
        if _saved(None, survey_id, form.based_on.data, changed, "move"):
            flash(_("The question has moved %(way)s.", way=_("up") if step < 0 else _("down")))
    return redirect(url_for("staff.build_survey", survey_id=survey_id, _anchor=question_id))


@blueprint.route(
    "/surveys/<survey_id>/build/questions/<question_id>/remove", methods=["GET", "POST"]
)
@role_required(Role.OFFICER)
def remove_question(survey_id: str, question_id: str):
    db = get_session()
    _survey, version = survey_or_404(db, survey_id)
    place = outline.find(version.definition, question_id)
    if place is None:
        abort(404)
    question = version.definition["pages"][place[0]]["questions"][place[1]]
    measures = outline.MEASURES_OF_QUESTION.get(question_id, [])
    form = ConfirmForm(data={"based_on": version.version})
    if form.validate_on_submit():
        if measures and not form.confirm_measure.data:
            form.confirm_measure.errors.append(
                _("Tick the box to confirm that the measure's trend will break")
            )
        else:
            changed = outline.without_question(version.definition, question_id)
            if _saved(form.confirm_measure, survey_id, form.based_on.data, changed, "remove"):
                flash(_("The question is removed. Answers already given to it are kept."))
                return redirect(url_for("staff.build_survey", survey_id=survey_id))
    return render_template(
        "staff/builder/remove.html",
        title=_("Remove this question?"),
        form=form,
        question=question,
        measures=measures,
        survey_title=translate(version.definition["title"]),
        back_url=url_for("staff.build_survey", survey_id=survey_id),
    )


@blueprint.get("/surveys/<survey_id>/build/preview")
@role_required(Role.OFFICER)
def preview_survey(survey_id: str):
    db = get_session()
    _survey, version = survey_or_404(db, survey_id)
    definition = definition_of(version)
    page_id = request.args.get("page", "")
    theme = request.args.get("theme") if request.args.get("theme") in THEMES else "default"
    if page_id and page_by_id(definition, page_id) is None:
        page_id = ""
    return render_template(
        "staff/builder/preview.html",
        title=_("Preview"),
        survey_id=survey_id,
        definition=definition,
        page_id=page_id,
        theme=theme,
        themes=THEMES,
        back_url=url_for("staff.build_survey", survey_id=survey_id),
    )


@blueprint.get("/surveys/<survey_id>/build/preview/frame")
@role_required(Role.OFFICER)
def preview_frame(survey_id: str):
    """A page exactly as a respondent sees it, from the respondent's own templates, for
    the preview's phone-sized frame. Its forms send nothing (app/security.py)."""
    db = get_session()
    survey, version = survey_or_404(db, survey_id)
    definition = definition_of(version)
    theme = request.args.get("theme") if request.args.get("theme") in THEMES else "default"
    shown = {"preferences": Preferences(theme=theme), "definition": definition}
    allow_framing_for_preview()
    page = page_by_id(definition, request.args.get("page", ""))
    if page is None:
        return render_template(
            "respond/start.html",
            title=definition.title,
            survey=survey,
            survey_id=survey_id,
            minutes=estimated_minutes(definition),
            draft=None,
            form=ButtonForm(),
            **shown,
        )
    number = definition.pages.index(page) + 1
    return render_template(
        "respond/question.html",
        title=_("Question %(number)s of %(total)s", number=number, total=len(definition.pages)),
        page=page,
        form=page_form(page, "en", {}),
        draft=SimpleNamespace(resume_code=""),
        survey_id=survey_id,
        number=number,
        total=len(definition.pages),
        back_url=url_for("respond.start", survey_id=survey_id),
        **shown,
    )


@blueprint.post("/surveys/<survey_id>/build/publish")
@role_required(Role.OFFICER)
def publish_survey(survey_id: str):
    db = get_session()
    survey, version = survey_or_404(db, survey_id)
    if ButtonForm().validate_on_submit() and survey.status == SurveyStatus.DRAFT:
        survey.status = SurveyStatus.OPEN.value
        record(db, current_user, "survey.published", f"survey:{survey_id}")
        db.commit()
        flash(_("%(title)s is open to answers.", title=translate(definition_of(version).title)))
    return redirect(url_for("staff.build_survey", survey_id=survey_id))


@blueprint.get("/surveys/<survey_id>/export.yaml")
@role_required(Role.OFFICER)
def export_survey(survey_id: str):
    _survey, version = survey_or_404(get_session(), survey_id)
    return Response(
        as_yaml(version.definition),
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{survey_id}.yaml"'},
    )


@blueprint.route("/surveys/import", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def import_survey():
    form = ImportForm(survey_id=request.args.get("survey_id", ""))
    if form.validate_on_submit():
        upload = form.file.data
        survey_id = form.survey_id.data or outline.slug(
            (upload.filename or "").rsplit(".", 1)[0], "-"
        )
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            form.file.errors.append(_("The file must be text (UTF-8), as a survey file is"))
        else:
            db = get_session()
            newest = latest_version(db, survey_id)
            based_on = newest.version if newest else None
            if _saved(form.file, survey_id, based_on, text, "import", lines=True):
                return redirect(url_for("staff.build_survey", survey_id=survey_id))
    return render_template(
        "staff/builder/import.html",
        title=_("Upload a survey file"),
        form=form,
        back_url=url_for("staff.dashboard"),
    )


@blueprint.post("/surveys/<survey_id>/build/reading-age")
@role_required(Role.OFFICER)
def reading_age_now(survey_id: str):
    """The reading ages of a question's words as the officer types them (for the script)."""
    _survey, version = survey_or_404(get_session(), survey_id)
    form = ReadingAgeForm()
    if not form.validate_on_submit():
        abort(400)
    question = {
        "text": form.text.data,
        "hint": form.hint.data,
        "options": [{"label": label} for label in form.labels.data],
    }
    audience = version.definition["audience"]
    return render_template(
        "staff/builder/reading_age_now.html",
        ages=question_ages(audience, question),
        limit=READING_AGE_LIMIT[audience],
    )


def _saved(field, survey_id, based_on, definition, action, lines=False) -> bool:
    """Save DEFINITION (or a file's text) and commit, or put why not on FIELD (or flash it)."""
    db = get_session()
    if based_on is None and action not in ("new", "import"):
        based_on = 0  # a change to a survey that does not say which version: never current
    try:
        saved = save(db, current_user, survey_id, based_on, definition, action, lines)
    except (BuildError, StaleSave) as error:
        db.rollback()
        messages = error.messages if isinstance(error, BuildError) else [_stale_message()]
        if field is None:
            for message in messages:
                flash(message, "info")
        else:
            field.errors.extend(messages)
        return False
    db.commit()
    if saved.changed:
        flash(_("Saved as version %(number)s.", number=saved.version))
    else:
        flash(_("Nothing was changed."))
    return True


def _stale_message() -> str:
    return _(
        "Someone else saved a change to this survey after you opened this page, so your "
        "change is not saved. Open the survey again to see their change, then make yours"
    )


def _breaks_measure(original: dict | None, question: dict) -> list[str]:
    """The measures whose trend changing ORIGINAL into QUESTION would break: a measure
    counts a question by its id and its options' ids."""
    if original is None:
        return []

    def counted(q: dict) -> tuple:
        return q["id"], q["type"] == "free_text", [o["id"] for o in q.get("options", ())]

    if counted(original) == counted(question):
        return []
    return outline.MEASURES_OF_QUESTION.get(original["id"], [])


def _question_data(based_on: int, original: dict | None, page: dict) -> dict:
    if original is None:
        return {
            "based_on": based_on,
            "options": [{"id": "", "label": ""}] * BLANK_OPTION_ROWS,
            "max_length": 1000,
        }
    kind = kind_of(original)
    # Empty rows to add options in, whatever the kind: a free-text question turned into a
    # choice needs somewhere to write its options.
    rows = [{"id": o["id"], "label": translate(o["label"])} for o in original.get("options", ())]
    rows += [{"id": "", "label": ""}] * BLANK_OPTION_ROWS
    show_if = original.get("show_if")
    return {
        "based_on": based_on,
        "kind_was": kind,
        "kind": kind,
        "text": translate(original["text"]),
        "hint": translate(original["hint"]) if "hint" in original else "",
        "heading": translate(page["title"])
        if "title" in page and len(page["questions"]) == 1
        else "",
        "options": rows,
        "max_length": original.get("max_length", 1000),
        "question_id": original["id"],
        "show_if": [f"{show_if['question']}:{o}" for o in show_if["any_of"]] if show_if else [],
    }


def _question_as_posted(form: QuestionForm) -> dict:
    """The words on the form, for their reading ages, even when the form has errors."""
    return {
        "text": form.text.data or "",
        "hint": form.hint.data or "",
        "options": [{"label": row.form.label.data} for row in form.options if row.form.label.data],
    }
