"""`/staff/themes`: the themes in what people wrote, a page of comments at a time, chosen
by survey, year and theme, with the officer's corrections: a theme added to the comments
ticked, or taken off one comment. The counts and the pages come from the comments' stored
tags (app/feedback/themes.py), so the page stays fast however many answers there are."""

from dataclasses import asdict, dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from analysis.periods import period_containing, period_dates
from app.db import get_session
from app.feedback.codebook import codebook
from app.feedback.comments import backlog
from app.feedback.themes import (
    NO_THEME,
    Scope,
    comment_page,
    comments_in_scope,
    correct,
    count_comments,
    theme_counts,
)
from app.models import CorrectionAction, Role
from app.staff.access import role_required
from app.staff.forms import RemoveThemeForm, TagCommentsForm, ThemeFilterForm
from app.staff.paging import page_of, pagination
from app.staff.responses import periods_with_responses
from app.staff.surveys import all_surveys
from app.staff.views import blueprint
from app.surveys.catalogue import translate
from app.surveys.versions import definition_of
from app.time import today_in_london

PAGE_SIZE = 25


@dataclass(frozen=True)
class ThemeFilters:
    """Which comments: each empty string means "all"; theme may be NO_THEME."""

    survey: str = ""
    period: str = ""
    theme: str = ""

    def args(self) -> dict[str, str]:
        """The filters as query arguments. An empty year is kept, as "all years" differs
        from no year given (this year)."""
        return {name: value for name, value in asdict(self).items() if value or name == "period"}

    def scope(self) -> Scope:
        first, last = period_dates(self.period) if self.period else (None, None)
        return Scope(self.survey or None, first, last)


@blueprint.get("/themes")
@role_required(Role.OFFICER)
def themes():
    return themes_page(TagCommentsForm(formdata=None))


@blueprint.post("/themes/tag")
@role_required(Role.OFFICER)
def tag_comments():
    db = get_session()
    filters = chosen_filters(filter_form())
    form = tag_form(filters)
    if not form.validate_on_submit():
        return themes_page(form), 400
    added = sum(
        correct(db, current_user, *comment_key(key), form.theme.data, CorrectionAction.ADD)
        for key in form.comments.data
    )
    commit_correction()
    flash(
        ngettext("Theme added to %(num)s comment.", "Theme added to %(num)s comments.", added or 1)
        if added
        else _("Those comments already had that theme.")
    )
    return redirect(back_to_page(filters))


@blueprint.post("/themes/remove")
@role_required(Role.OFFICER)
def remove_theme():
    filters = chosen_filters(filter_form())
    form = remove_form(filters)
    if form.validate_on_submit():
        response_id, question, theme = form.remove.data.split(":")
        correct(
            get_session(), current_user, int(response_id), question, theme, CorrectionAction.REMOVE
        )
        commit_correction()
        flash(_("Theme removed."))
    else:
        flash(form.remove.errors[0] if form.remove.errors else _("Try again"))
    return redirect(back_to_page(filters))


def themes_page(tag: TagCommentsForm):
    """The themes page for the filters in the address, with TAG (its errors shown)."""
    db = get_session()
    form = filter_form()
    filters = chosen_filters(form)
    scope = filters.scope()
    total = count_comments(db, scope, filters.theme)
    page = page_of(request.args.get("page", type=int), total, PAGE_SIZE)
    labels = {theme.id: theme.label for theme in codebook().themes}
    return render_template(
        "staff/themes.html",
        title=_("Themes in what people wrote"),
        backlog=backlog(db),
        form=form,
        filters=filters,
        tag=tag,
        labels=labels,
        counts=theme_counts(db, scope),
        untagged=count_comments(db, scope, NO_THEME),
        comments=comment_page(db, scope, filters.theme, page.offset, page.size),
        page=page,
        pagination=pagination("staff.themes", page, filters.args()),
        page_args={**filters.args(), "page": page.number},
    )


def filter_form() -> ThemeFilterForm:
    """The filters read from the address, their choices from the database; this year's
    comments when no year is given."""
    db = get_session()
    this_year = period_containing(today_in_london())
    form = ThemeFilterForm(formdata=request.args, period=this_year)
    periods = periods_with_responses(db)
    if this_year not in periods:
        periods.insert(0, this_year)
    choices = {
        "survey": [("", _("All surveys"))]
        + [(s.id, translate(definition_of(version).title)) for s, version in all_surveys(db)],
        "period": [("", _("All years"))] + [(name, name) for name in periods],
        "theme": [("", _("Any theme")), (NO_THEME, _("No theme yet"))]
        + [(theme.id, theme.label) for theme in codebook().themes],
    }
    for name, options in choices.items():
        form[name].choices = [SelectChoice(value, label) for value, label in options]
    return form


def chosen_filters(form: ThemeFilterForm) -> ThemeFilters:
    """The filters the form chose, or all comments when it has a mistake (shown above it)."""
    if not form.validate():
        return ThemeFilters()
    return ThemeFilters(form.survey.data or "", form.period.data or "", form.theme.data or "")


def tag_form(filters: ThemeFilters) -> TagCommentsForm:
    """The bulk tagging form, its comments those of the ticked the filters show."""
    form = TagCommentsForm()
    known = comments_in_scope(get_session(), filters.scope(), request.form.getlist("comments"))
    form.comments.choices = [SelectChoice(key, key) for key in sorted(known)]
    form.theme.choices = [SelectChoice(t.id, t.label) for t in codebook().themes]
    return form


def remove_form(filters: ThemeFilters) -> RemoveThemeForm:
    """The remove button's form: its one choice is what it names, when that is a comment
    the filters show and a theme of the codebook."""
    form = RemoveThemeForm()
    named = request.form.get("remove", "")
    key, _, theme = named.rpartition(":")
    known = comments_in_scope(get_session(), filters.scope(), [key])
    themes = {t.id for t in codebook().themes}
    form.remove.choices = [SelectChoice(named, named)] if known and theme in themes else []
    return form


def comment_key(key: str) -> tuple[int, str]:
    response_id, _, question = key.partition(":")
    return int(response_id), question


def commit_correction() -> None:
    """Commit a correction. A double click racing its twin loses to it on the unique
    (comment, theme) and changes nothing: the twin wrote the same correction."""
    db = get_session()
    try:
        db.commit()
    except IntegrityError:
        db.rollback()


def back_to_page(filters: ThemeFilters) -> str:
    """The page the officer tagged from, with the same filters (the page number is brought
    within the pages left when that page then loads)."""
    page = request.args.get("page", type=int)
    args = {**filters.args(), **({"page": page} if page else {})}
    return url_for("staff.themes", **args) + "#comments"
