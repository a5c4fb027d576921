"""`/staff/responses`: reading what people said, a page at a time, chosen by survey, year,
who answered, where they live and the themes of their comments.

Free text is shown as text, never as HTML. A response with a safeguarding flag is withheld
from everyone but the safeguarding lead, and each time the lead is shown one it is logged.
The forum never sees this page: it shows people's own words, unsuppressed.
"""

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from analysis.definitions import DIMENSION_ORDERS
from analysis.periods import (
    period_containing,
    period_dates,
    period_name,
    period_start_year,
    possible_dates,
)
from app.audit import record_seen
from app.db import get_session
from app.feedback.codebook import codebook
from app.feedback.themes import current_tags
from app.models import Comment, Response, ResponseTally, Role, SafeguardingFlag
from app.public.measures import category_label
from app.staff.access import role_required
from app.staff.forms import ResponseFilterForm
from app.staff.paging import Page, page_of, pagination
from app.staff.progress import AREA, NOT_STATED, NOT_STATED_ANSWERS, london_midnight
from app.staff.surveys import all_surveys
from app.staff.views import blueprint
from app.surveys.catalogue import answer_text, translate
from app.surveys.versions import definition_of
from app.time import LONDON

PAGE_SIZE = 20


@dataclass(frozen=True)
class Filters:
    """Which responses: each empty string means "all"."""

    survey: str = ""
    period: str = ""
    audience: str = ""
    area: str = ""
    theme: str = ""

    def args(self) -> dict[str, str]:
        """The filters as query arguments, leaving out those that choose everything."""
        return {name: value for name, value in asdict(self).items() if value}


@dataclass(frozen=True)
class ResponseCard:
    """One response as the browser shows it."""

    id: int
    survey_title: str
    submitted_on: date
    channel: str
    # None when withheld: passed to the safeguarding lead.
    answers: list[tuple[str, str]] | None
    # The written answers, shown above the rest: what an officer reads a response for.
    comments: list[tuple[str, str]]
    flagged: bool
    # Typed from paper or imported: no receipt code, so the officer erases it on request.
    erasable: bool
    held: bool


@blueprint.get("/responses")
@role_required(Role.OFFICER, Role.SAFEGUARDING)
def responses():
    db = get_session()
    form = filter_form(db)
    filters = chosen_filters(form)
    query = matching(filters)
    page = page_of(request.args.get("page", type=int), total_matching(db, filters), PAGE_SIZE)
    cards = response_cards(db, page_ids(db, query, page))
    may_read_flagged = current_user.role == Role.SAFEGUARDING
    if may_read_flagged:
        shown = [f"response:{card.id}" for card in cards if card.flagged]
        if shown:
            record_seen(current_user, "safeguarding.view", *shown)
    return render_template(
        "staff/responses.html",
        title=_("Responses"),
        form=form,
        filters=filters,
        cards=cards,
        may_read_flagged=may_read_flagged,
        page=page,
        pagination=pagination("staff.responses", page, filters.args()),
        back_url=url_for("staff.dashboard"),
    )


def filter_form(session: Session) -> ResponseFilterForm:
    """The filters form read from the query arguments, its choices from the database."""
    form = ResponseFilterForm(formdata=request.args)
    choices = {
        "survey": [
            (survey.id, translate(definition_of(version).title))
            for survey, version in all_surveys(session)
        ],
        "period": [(name, name) for name in periods_with_responses(session)],
        "audience": [(a, category_label(a)) for a in DIMENSION_ORDERS["audience"]],
        "area": [(a, category_label(a)) for a in (*DIMENSION_ORDERS[AREA], NOT_STATED)],
        "theme": [(theme.id, theme.label) for theme in codebook().themes],
    }
    everything = {
        "survey": _("All surveys"),
        "period": _("All years"),
        "audience": _("Everyone"),
        "area": _("All areas"),
        "theme": _("Any theme"),
    }
    for name, options in choices.items():
        form[name].choices = [
            SelectChoice(value, label) for value, label in [("", everything[name]), *options]
        ]
    return form


def chosen_filters(form: ResponseFilterForm) -> Filters:
    """The filters the form chose, or none at all when it has a mistake (shown above it)."""
    if not form.validate():
        return Filters()
    return Filters(
        **{
            name: form[name].data or ""
            for name in ("survey", "period", "audience", "area", "theme")
        }
    )


def matching(filters: Filters, query: Select | None = None) -> Select:
    """QUERY (by default the ids of the responses) limited to the responses FILTERS
    chooses, unordered. The theme is the comments' current tags (app/feedback/themes.py),
    which never include a flagged response."""
    query = filtered(select(Response.id) if query is None else query, filters, newest_first=False)
    if filters.theme:
        tags = current_tags(filters.theme)
        with_theme = (
            select(Comment.response_id)
            .join(tags, tags.c.comment_id == Comment.id)
            .where(~exists().where(SafeguardingFlag.response_id == Comment.response_id))
        )
        query = query.where(Response.id.in_(with_theme))
    return query


def total_matching(session: Session, filters: Filters) -> int:
    """How many responses FILTERS chooses: added up from the tallies (app/tallies.py),
    which count exactly what `filtered` chooses, or counted when a theme is chosen."""
    if filters.theme:
        return session.scalar(select(func.count()).select_from(matching(filters).subquery())) or 0
    tallied = select(func.sum(ResponseTally.responses))
    return session.scalar(filtered_tallies(tallied, filters)) or 0


def page_ids(session: Session, query: Select, page: Page) -> list[int]:
    """The ids on PAGE of what QUERY chooses, newest first. A page in the older half is
    read from the oldest end, so the database steps over at most half the rows to
    reach any page, and over none to reach the last."""
    rows = page.last - page.first + 1
    if rows <= 0:
        return []
    if page.offset <= page.total // 2:
        newest_first = (Response.submitted_at.desc(), Response.id.desc())
        return list(session.scalars(query.order_by(*newest_first).offset(page.offset).limit(rows)))
    oldest_first = (Response.submitted_at, Response.id)
    skipped = page.total - page.last
    found = session.scalars(query.order_by(*oldest_first).offset(skipped).limit(rows))
    return list(reversed(list(found)))


def filtered(query: Select, filters: Filters, newest_first: bool = True) -> Select:
    """QUERY (over responses) limited to what FILTERS chooses, but for the theme (see
    `matching`); newest first unless it counts groups."""
    if filters.survey:
        query = query.where(Response.survey_id == filters.survey)
    if filters.audience:
        query = query.where(Response.audience == filters.audience)
    if filters.period:
        first, last = period_dates(filters.period)
        query = query.where(
            Response.submitted_at >= london_midnight(first),
            Response.submitted_at < london_midnight(last + timedelta(days=1)),
        )
    if filters.area:
        area = Response.answers[AREA].as_string()
        if filters.area == NOT_STATED:
            stated = [value for value in NOT_STATED_ANSWERS if value is not None]
            query = query.where(or_(area.is_(None), area.in_(stated)))
        else:
            query = query.where(area == filters.area)
    if newest_first:
        query = query.order_by(Response.submitted_at.desc(), Response.id.desc())
    return query


def filtered_tallies(query: Select, filters: Filters) -> Select:
    """QUERY (over the response tallies, app/tallies.py) limited to what FILTERS chooses,
    but for the theme: what `filtered` chooses of the responses, counted without reading
    them (a year starts and ends at a London midnight, so it is a run of whole days)."""
    if filters.survey:
        query = query.where(ResponseTally.survey_id == filters.survey)
    if filters.audience:
        query = query.where(ResponseTally.audience == filters.audience)
    if filters.period:
        first, last = period_dates(filters.period)
        query = query.where(ResponseTally.day.between(first, last))
    if filters.area:
        query = query.where(ResponseTally.area == filters.area)
    return query


def response_cards(session: Session, ids: list[int]) -> list[ResponseCard]:
    """The responses IDS as cards, in the order given; flagged ones withheld unless the
    viewer is the safeguarding lead."""
    found = {r.id: r for r in session.scalars(select(Response).where(Response.id.in_(ids)))}
    flagged = flagged_ids(session, ids)
    readable = current_user.role == Role.SAFEGUARDING
    cards = []
    for response_id in ids:
        response = found[response_id]
        definition = definition_of(response.survey_version)
        asked = [q for q in definition.questions() if q.id in response.answers]
        answers = [(translate(q.text), answer_text(q, response.answers[q.id])) for q in asked]
        written = [
            shown
            for q, shown in zip(asked, answers, strict=True)
            if q.type == "free_text" and shown[1].strip()
        ]
        withheld = not readable and response.id in flagged
        cards.append(
            ResponseCard(
                id=response.id,
                survey_title=translate(definition.title),
                submitted_on=response.submitted_at.astimezone(LONDON).date(),
                channel=response.channel,
                answers=None if withheld else answers,
                comments=[] if withheld else written,
                flagged=response.id in flagged,
                erasable=response.receipt_code is None,
                held=response.quarantined_at is not None,
            )
        )
    return cards


def flagged_ids(session: Session, response_ids: list[int]) -> set[int]:
    """Those of RESPONSE_IDS that have a safeguarding flag."""
    return set(
        session.scalars(
            select(SafeguardingFlag.response_id).where(
                SafeguardingFlag.response_id.in_(response_ids)
            )
        )
    )


def periods_with_responses(session: Session) -> list[str]:
    """The years (2025/26) from the first response to the last, newest first, counting
    only responses with a possible date (one stored as 0001-01-01 or 2099-06-01 before
    imports refused such dates would offer two thousand years). Read from the tallies'
    London days: the smallest and largest date of a million responses in one query made
    SQLite read every one of them."""
    first_possible, last_possible = possible_dates()
    first, last = session.execute(
        select(func.min(ResponseTally.day), func.max(ResponseTally.day)).where(
            ResponseTally.responses > 0,
            ResponseTally.day.between(first_possible, last_possible),
        )
    ).one()
    if first is None:
        return []
    start, end = (period_start_year(period_containing(day)) for day in (first, last))
    return [period_name(year) for year in range(end, start - 1, -1)]


def possibly_dated():
    """The condition that a response's date is within `analysis.periods.possible_dates`."""
    first, last = possible_dates()
    return and_(
        Response.submitted_at >= london_midnight(first),
        Response.submitted_at < london_midnight(last + timedelta(days=1)),
    )
