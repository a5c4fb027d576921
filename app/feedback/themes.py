"""Themes in what people wrote, for the officer: shares, feeling, every comment with its
tags (to correct), and the comments no theme caught (so none is lost); and the themes,
feeling and quotes of a report.

Each comment's codebook themes, feeling and quote key are worked out once, when it is
stored (app/feedback/comments.py says how they stay exact), so a page counts, averages
and pages them in SQL instead of reading every comment on each request. The officer's
corrections are not stored into the tags but applied as they are read (`current_tags`),
so a correction counts at once; quarantined and flagged responses are tagged like the
rest but left out as the tags are read, so releasing or flagging one counts at once too.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    and_,
    case,
    exists,
    func,
    select,
    union,
)
from sqlalchemy.orm import Session

from analysis.load import FREE_TEXT_QUESTIONS
from analysis.periods import possible_dates
from analysis.report import quotable
from analysis.themes import apply_corrections, tag_comments
from app.audit import record
from app.feedback.codebook import codebook
from app.models import (
    Comment,
    CommentTheme,
    CorrectionAction,
    Response,
    SafeguardingFlag,
    ThemeCorrection,
    User,
)
from app.staff.progress import london_midnight

# The theme filter's value for "comments no theme caught".
NO_THEME = "none"


@dataclass(frozen=True)
class Scope:
    """Which comments: a survey (None: all) and the London dates of a period (None: all)."""

    survey_id: str | None = None
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class ThemeCount:
    """How many of a group's comments (an audience's, a question's) mention a theme, and
    how they feel."""

    group: str
    theme: str
    count: int
    comments: int
    feeling: float | None

    @property
    def share(self) -> float:
        return self.count / self.comments


@dataclass(frozen=True)
class ShownComment:
    id: int
    response_id: int
    audience: str
    question: str
    text: str
    themes: list[str]

    @property
    def key(self) -> str:
        """How a form names this comment."""
        return f"{self.response_id}:{self.question}"


def current_tags(
    theme: str | None = None,
    comment_ids: list[int] | None = None,
    scope: Scope | None = None,
    question: str | None = None,
):
    """The tags of every stored comment as the officer corrected them (comment_id, theme),
    only THEME's, COMMENT_IDS', SCOPE's and QUESTION's when given: the codebook's, less
    those removed, plus those added. The limits go into both halves, so a database never
    builds every tag to pick out a page's."""
    correction = ThemeCorrection
    tags = CommentTheme
    removed = exists().where(
        correction.response_id == tags.response_id,
        correction.question == tags.question,
        correction.theme == tags.theme,
        correction.action == CorrectionAction.REMOVE.value,
    )
    found = select(tags.comment_id, tags.theme).where(~removed)
    added = (
        select(Comment.id.label("comment_id"), correction.theme)
        .join(
            correction,
            and_(
                correction.response_id == Comment.response_id,
                correction.question == Comment.question,
            ),
        )
        .where(correction.action == CorrectionAction.ADD.value)
    )
    if theme is not None:
        found = found.where(tags.theme == theme)
        added = added.where(correction.theme == theme)
    if comment_ids is not None:
        found = found.where(tags.comment_id.in_(comment_ids))
        added = added.where(Comment.id.in_(comment_ids))
    if scope is not None:
        found = in_scope(found, scope, tags)
        added = in_scope(added, scope)
    if question is not None:
        found = found.where(tags.question == question)
        added = added.where(Comment.question == question)
    return union(found, added).subquery("tags")


def in_scope(query: Select, scope: Scope, table: type[Comment | CommentTheme] = Comment) -> Select:
    """QUERY (over TABLE: comments, or their tags) limited to SCOPE, and never a quarantined
    response's comment nor a flagged one's (their words go to the safeguarding lead).
    Read from TABLE's own copy of where its response stands, so no response is read."""
    first, last = possible_dates()
    first = first if scope.first is None else max(scope.first, first)
    last = last if scope.last is None else min(scope.last, last)
    query = query.where(
        table.response_id.not_in(_held()),
        table.submitted_at >= london_midnight(first),
        table.submitted_at < london_midnight(last + timedelta(days=1)),
    )
    if scope.survey_id is not None:
        query = query.where(table.survey_id == scope.survey_id)
    return query


def _held() -> Select:
    """The responses whose comments are never counted nor shown: held back or flagged
    (few, each found from a small index, once a query)."""
    return union(
        select(Response.id).where(Response.quarantined_at.is_not(None)),
        select(SafeguardingFlag.response_id),
    )


def with_theme(theme: str, scope: Scope) -> ColumnElement[bool]:
    """The condition that a comment of SCOPE has THEME (or, for NO_THEME, none at all);
    only SCOPE's tags are read."""
    if theme == NO_THEME:
        tags = current_tags(scope=scope)
        return Comment.id.not_in(select(tags.c.comment_id))
    tags = current_tags(theme, scope=scope)
    return Comment.id.in_(select(tags.c.comment_id))


def theme_counts(session: Session, scope: Scope, by: str = "audience") -> list[ThemeCount]:
    """Per group of BY ("audience" or "question") and theme mentioned: comments with the
    theme, all comments, and their mean feeling; by group, then most mentioned first,
    then theme.

    Counted from the codebook's stored tags, then the officer's corrections (few) added
    and taken off, each counted apart: a union of every tag would be built in full
    before counting.
    """
    sizes = comment_totals(session, scope, by)
    tags = CommentTheme
    found = in_scope(
        select(getattr(tags, by), tags.theme, *_feeling(tags.polarity)), scope, tags
    ).group_by(getattr(tags, by), tags.theme)
    correction = ThemeCorrection
    corrected = and_(
        correction.response_id == Comment.response_id, correction.question == Comment.question
    )
    has_it = and_(tags.comment_id == Comment.id, tags.theme == correction.theme)
    removed = in_scope(
        select(getattr(Comment, by), correction.theme, *_feeling(Comment.polarity))
        .select_from(correction)
        .join(Comment, corrected)
        .join(tags, has_it)
        .where(correction.action == CorrectionAction.REMOVE.value),
        scope,
    ).group_by(getattr(Comment, by), correction.theme)
    added = in_scope(
        select(getattr(Comment, by), correction.theme, *_feeling(Comment.polarity))
        .select_from(correction)
        .join(Comment, corrected)
        .where(correction.action == CorrectionAction.ADD.value, ~exists().where(has_it)),
        scope,
    ).group_by(getattr(Comment, by), correction.theme)
    totals: dict[tuple[str, str], list] = {}
    for sign, query in ((1, found), (1, added), (-1, removed)):
        for group, theme, count, polarity_sum, scored in session.execute(query):
            total = totals.setdefault((group, theme), [0, 0.0, 0])
            total[0] += sign * count
            total[1] += sign * (polarity_sum or 0.0)
            total[2] += sign * scored
    counts = [
        ThemeCount(group, theme, count, sizes[group], polarity_sum / scored if scored else None)
        for (group, theme), (count, polarity_sum, scored) in totals.items()
        if count
    ]
    return sorted(counts, key=lambda c: (c.group, -c.count, c.theme))


def _feeling(polarity) -> list:
    """How many, their feelings' sum, and how many have a feeling."""
    return [func.count(), func.sum(polarity), func.count(polarity)]


def comment_totals(session: Session, scope: Scope, by: str = "audience") -> dict[str, int]:
    """How many comments SCOPE holds per group of BY (those with none left out)."""
    group = getattr(Comment, by)
    query = in_scope(select(group, func.count()).select_from(Comment), scope).group_by(group)
    return {name: total for name, total in session.execute(query)}


def count_comments(session: Session, scope: Scope, theme: str = "") -> int:
    """How many comments SCOPE holds, only those with THEME when given."""
    query = in_scope(select(func.count(Comment.id)).select_from(Comment), scope)
    if theme == NO_THEME:
        return _count_untagged(session, scope)
    return session.scalar(query.where(with_theme(theme, scope)) if theme else query) or 0


def _count_untagged(session: Session, scope: Scope) -> int:
    """How many comments of SCOPE have no theme: those the codebook tagged nothing in
    (one look-up each), then the few the officer corrected counted again as they stand."""
    tagged = exists().where(CommentTheme.comment_id == Comment.id)
    untagged = session.scalar(
        in_scope(select(func.count(Comment.id)).select_from(Comment).where(~tagged), scope)
    )
    corrected = dict(
        session.execute(
            in_scope(
                select(Comment.id, tagged)
                .join(
                    ThemeCorrection,
                    and_(
                        ThemeCorrection.response_id == Comment.response_id,
                        ThemeCorrection.question == Comment.question,
                    ),
                )
                .distinct(),
                scope,
            )
        ).all()
    )
    tags = current_tags(comment_ids=list(corrected))
    now_tagged = set(session.scalars(select(tags.c.comment_id)))
    for comment_id, had_tags in corrected.items():
        untagged += int(bool(had_tags)) - int(comment_id in now_tagged)
    return untagged or 0


def comment_page(
    session: Session, scope: Scope, theme: str, offset: int, limit: int
) -> list[ShownComment]:
    """LIMIT comments of SCOPE (only THEME's when given) from OFFSET, newest first, each
    with its words and current themes; only these comments' words are read."""
    query = in_scope(
        select(Comment.id, Comment.response_id, Comment.audience, Comment.question).order_by(
            Comment.response_id.desc(), Comment.question
        ),
        scope,
    )
    if theme:
        query = query.where(with_theme(theme, scope))
    found = session.execute(query.offset(offset).limit(limit)).all()
    ids = [row.id for row in found]
    answers = dict(
        session.execute(
            select(Response.id, Response.answers).where(
                Response.id.in_([row.response_id for row in found])
            )
        ).all()
    )
    tags = current_tags(comment_ids=ids)
    themes: dict[int, list[str]] = {id_: [] for id_ in ids}
    for comment_id, tag in session.execute(
        select(tags.c.comment_id, tags.c.theme).order_by(tags.c.theme)
    ):
        themes[comment_id].append(tag)
    return [
        ShownComment(
            id=row.id,
            response_id=row.response_id,
            audience=row.audience,
            question=row.question,
            text=str(answers[row.response_id][row.question]),
            themes=themes[row.id],
        )
        for row in found
    ]


def quote_candidates(
    session: Session, scope: Scope, question: str, counts: list[ThemeCount], *, per_theme: int
) -> pd.DataFrame:
    """The quotes `analysis.report.pick_quotes` chooses from, for the comments of SCOPE
    answering QUESTION whose themes and feeling COUNTS gives (most mentioned first): per
    theme, one comment per quote key, the nearest the theme's mean feeling first, then
    the earliest response; columns theme, key, text (redacted).

    Only as many per theme as picking can need: PER_THEME, and one more for each quote
    the themes before it may take. One query for every theme; only the chosen comments'
    words are read.
    """
    if not counts:
        return pd.DataFrame({"theme": [], "key": [], "text": []}, dtype="object")
    tags = current_tags(scope=scope, question=question)
    feeling = {count.theme: count.feeling for count in counts}
    wanted = {count.theme: per_theme * (place + 1) for place, count in enumerate(counts)}
    mean = case(feeling, value=tags.c.theme, else_=None).cast(Float)
    distance = func.abs(Comment.polarity - mean)
    nearest = (distance.asc().nulls_last(), Comment.response_id)
    mentions = (
        select(
            tags.c.theme,
            Comment.response_id,
            Comment.quote_key,
            distance.label("distance"),
            func.row_number()
            .over(partition_by=(tags.c.theme, Comment.quote_key), order_by=nearest)
            .label("nth"),
        )
        .join(tags, tags.c.comment_id == Comment.id)
        .where(Comment.quote_key.is_not(None), tags.c.theme.in_(list(feeling)))
        .subquery()
    )
    ranked = (
        select(
            mentions.c.theme,
            mentions.c.response_id,
            mentions.c.quote_key,
            func.row_number()
            .over(
                partition_by=mentions.c.theme,
                order_by=(mentions.c.distance.asc().nulls_last(), mentions.c.response_id),
            )
            .label("place"),
        )
        .where(mentions.c.nth == 1)
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.theme, ranked.c.quote_key, ranked.c.response_id)
        .where(ranked.c.place <= case(wanted, value=ranked.c.theme, else_=0))
        .order_by(ranked.c.theme, ranked.c.place)
    ).all()
    texts = dict(
        session.execute(
            select(Response.id, Response.answers[question].as_string()).where(
                Response.id.in_({response_id for _, _, response_id in rows})
            )
        ).all()
    )
    candidates = pd.DataFrame(rows, columns=["theme", "key", "response_id"], dtype="object")
    return candidates.assign(text=quotable(candidates["response_id"].map(texts).astype("object")))[
        ["theme", "key", "text"]
    ]


def comments_in_scope(session: Session, scope: Scope, keys: Iterable[str]) -> set[str]:
    """Those of KEYS (response_id:question) that name a comment SCOPE shows."""
    wanted = set()
    for key in keys:
        response_id, _, question = key.partition(":")
        if response_id.isdigit() and question in FREE_TEXT_QUESTIONS:
            wanted.add((int(response_id), question))
    if not wanted:
        return set()
    query = in_scope(
        select(Comment.response_id, Comment.question).where(
            Comment.response_id.in_({response_id for response_id, _ in wanted})
        ),
        scope,
    )
    return {
        f"{response_id}:{question}"
        for response_id, question in session.execute(query)
        if (response_id, question) in wanted
    }


def corrections(session: Session) -> pd.DataFrame:
    """The officer's theme corrections, in the shape `apply_corrections` takes."""
    rows = session.execute(
        select(
            ThemeCorrection.response_id,
            ThemeCorrection.question,
            ThemeCorrection.theme,
            ThemeCorrection.action,
        )
    ).all()
    return pd.DataFrame(rows, columns=["response_id", "question", "theme", "action"])


def tagged(session: Session, comments: pd.DataFrame) -> pd.DataFrame:
    """The codebook's tags on COMMENTS, with the officer's corrections applied."""
    return tag_comments(comments, codebook()).pipe(apply_corrections, corrections(session))


def correct(
    session: Session, user: User, response_id: int, question: str, theme: str, action: str
) -> bool:
    """Add or remove THEME on one comment; a later correction replaces an earlier one.
    False, and nothing written, when the comment already had that correction (a second
    click on the same button)."""
    existing = session.scalar(
        select(ThemeCorrection).where(
            ThemeCorrection.response_id == response_id,
            ThemeCorrection.question == question,
            ThemeCorrection.theme == theme,
        )
    )
    if existing is not None and existing.action == action:
        return False
    if existing is None:
        existing = ThemeCorrection(response_id=response_id, question=question, theme=theme)
        session.add(existing)
    existing.action = CorrectionAction(action).value
    existing.user_id = user.id
    record(session, user, "theme.corrected", f"response:{response_id}", theme=theme, change=action)
    return True
