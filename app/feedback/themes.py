"""Themes in what people wrote, for the officer: shares, feeling, every comment with its
tags (to correct), and the comments no theme caught (so none is lost).

Each comment's codebook themes and feeling are worked out once and stored (`Comment`,
`CommentTheme`, with `ThemedResponse` marking the responses done under which codebook),
so a page counts and pages them in SQL instead of reading every comment on each request.
It stays exact because:

- answers never change once stored, so a response is tagged once;
- `bring_up_to_date` tags every response newer than the last one tagged, before a page
  reads the tags; responses only get higher ids, and an erased one takes its marker,
  comments and tags with it (ON DELETE CASCADE);
- a changed codebook has another fingerprint, and everything is tagged again;
- the officer's corrections are not stored into the tags but applied as they are read
  (`current_tags`), so a correction counts at once;
- quarantined and flagged responses are tagged like the rest but left out as the tags
  are read, so releasing or flagging one counts at once too.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    exists,
    func,
    insert,
    select,
    union,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analysis.load import FREE_TEXT_QUESTIONS
from analysis.periods import possible_dates
from analysis.sentiment import polarity
from analysis.themes import (
    Codebook,
    answered,
    apply_corrections,
    tag_comments,
)
from app.audit import record
from app.feedback.codebook import codebook
from app.models import (
    Comment,
    CommentTheme,
    CorrectionAction,
    Response,
    SafeguardingFlag,
    ThemeCorrection,
    ThemedResponse,
    User,
)
from app.staff.progress import london_midnight

# Responses tagged per round trip: small enough to keep memory flat at a million.
BATCH = 2000
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
    """How many of a group's comments mention a theme, and how they feel."""

    audience: str
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


def fingerprint(book: Codebook) -> str:
    """A short name for BOOK's themes and keywords: another codebook, another name."""
    return hashlib.sha256(repr(book).encode()).hexdigest()[:16]


def bring_up_to_date(session: Session, after_batch: Callable[[], None] | None = None) -> None:
    """Tag the comments of every response not yet tagged with the current codebook.

    Cheap when nothing is new (two index look-ups). Another request tagging the same
    responses at the same moment makes this one stop early, its work left to the other.
    A view passes its commit as AFTER_BATCH: a long backlog (after an upgrade, a big
    import or a new codebook) can outlast a request's time limit, and each batch kept
    means the next request carries on instead of starting again.
    """
    mark = fingerprint(codebook())
    marks = {
        session.scalar(select(func.min(ThemedResponse.codebook))),
        session.scalar(select(func.max(ThemedResponse.codebook))),
    } - {None}
    if marks - {mark}:
        # Child rows first: a bulk delete on SQLite would otherwise cascade row by row.
        session.execute(delete(CommentTheme))
        session.execute(delete(Comment))
        session.execute(delete(ThemedResponse))
    while True:
        done = select(func.coalesce(func.max(ThemedResponse.response_id), 0)).scalar_subquery()
        texts = [Response.answers[q].as_string().label(q) for q in FREE_TEXT_QUESTIONS]
        rows = session.execute(
            select(Response.id, *texts).where(Response.id > done).order_by(Response.id).limit(BATCH)
        ).all()
        if not rows:
            return
        try:
            with session.begin_nested():
                _tag(session, rows, mark)
        except IntegrityError:
            return
        if after_batch is not None:
            after_batch()


def _tag(session: Session, rows, mark: str) -> None:
    frame = pd.DataFrame(rows, columns=["response_id", *FREE_TEXT_QUESTIONS])
    comments = answered(
        frame.melt(id_vars="response_id", var_name="question", value_name="text").dropna(
            subset=["text"]
        )
    ).reset_index(drop=True)
    session.execute(
        insert(ThemedResponse), [{"response_id": row[0], "codebook": mark} for row in rows]
    )
    if comments.empty:
        return
    scores = polarity(comments["text"])
    ids = session.execute(
        insert(Comment).returning(
            Comment.id, Comment.response_id, Comment.question, sort_by_parameter_order=True
        ),
        [
            {
                "response_id": int(comment.response_id),
                "question": comment.question,
                "polarity": None if pd.isna(score) else float(score),
            }
            for comment, score in zip(comments.itertuples(), scores, strict=True)
        ],
    ).all()
    id_of = {(response_id, question): id_ for id_, response_id, question in ids}
    tags = tag_comments(comments, codebook())
    if not tags.empty:
        session.execute(
            insert(CommentTheme),
            [
                {"comment_id": id_of[(int(tag.response_id), tag.question)], "theme": tag.theme}
                for tag in tags.itertuples()
            ],
        )


def current_tags(theme: str | None = None, comment_ids: list[int] | None = None):
    """The tags of every stored comment as the officer corrected them (comment_id, theme),
    only THEME's and only COMMENT_IDS' when given: the codebook's, less those removed,
    plus those added. The limits go into both halves, so a database never builds every
    tag to pick out a page's."""
    correction = ThemeCorrection
    same_comment = and_(
        correction.response_id == Comment.response_id, correction.question == Comment.question
    )
    removed = exists().where(
        same_comment,
        correction.theme == CommentTheme.theme,
        correction.action == CorrectionAction.REMOVE.value,
    )
    found = (
        select(CommentTheme.comment_id, CommentTheme.theme)
        .join(Comment, Comment.id == CommentTheme.comment_id)
        .where(~removed)
    )
    added = (
        select(Comment.id.label("comment_id"), correction.theme)
        .join(correction, same_comment)
        .where(correction.action == CorrectionAction.ADD.value)
    )
    if theme is not None:
        found = found.where(CommentTheme.theme == theme)
        added = added.where(correction.theme == theme)
    if comment_ids is not None:
        found = found.where(CommentTheme.comment_id.in_(comment_ids))
        added = added.where(Comment.id.in_(comment_ids))
    return union(found, added).subquery("tags")


def in_scope(query: Select, scope: Scope) -> Select:
    """QUERY (joining comments to their responses) limited to SCOPE, and never a quarantined
    response's comment nor a flagged one's (their words go to the safeguarding lead)."""
    first, last = possible_dates()
    first = first if scope.first is None else max(scope.first, first)
    last = last if scope.last is None else min(scope.last, last)
    query = query.where(
        Response.quarantined_at.is_(None),
        ~exists().where(SafeguardingFlag.response_id == Response.id),
        Response.submitted_at >= london_midnight(first),
        Response.submitted_at < london_midnight(last + timedelta(days=1)),
    )
    if scope.survey_id is not None:
        query = query.where(Response.survey_id == scope.survey_id)
    return query


def with_theme(theme: str) -> ColumnElement[bool]:
    """The condition that a comment has THEME (or, for NO_THEME, none at all)."""
    if theme == NO_THEME:
        tags = current_tags()
        return Comment.id.not_in(select(tags.c.comment_id))
    tags = current_tags(theme)
    return Comment.id.in_(select(tags.c.comment_id))


def theme_counts(session: Session, scope: Scope) -> list[ThemeCount]:
    """Per audience and theme mentioned: comments with the theme, all comments, and their
    mean feeling; by audience, then most mentioned first, then theme.

    The codebook's tags (less those removed) and the officer's added ones are counted
    apart and summed here: a union of every tag would be built in full before counting.
    """
    sizes = dict(
        session.execute(
            in_scope(_joined(select(Response.audience, func.count(Comment.id))), scope).group_by(
                Response.audience
            )
        ).all()
    )
    removed = exists().where(
        ThemeCorrection.response_id == Comment.response_id,
        ThemeCorrection.question == Comment.question,
        ThemeCorrection.theme == CommentTheme.theme,
        ThemeCorrection.action == CorrectionAction.REMOVE.value,
    )
    found = in_scope(
        _joined(
            select(
                Response.audience,
                CommentTheme.theme,
                func.count(),
                func.sum(Comment.polarity),
                func.count(Comment.polarity),
            ).join(CommentTheme, CommentTheme.comment_id == Comment.id)
        ).where(~removed),
        scope,
    ).group_by(Response.audience, CommentTheme.theme)
    already = exists().where(
        CommentTheme.comment_id == Comment.id, CommentTheme.theme == ThemeCorrection.theme
    )
    added = in_scope(
        _joined(
            select(
                Response.audience,
                ThemeCorrection.theme,
                func.count(),
                func.sum(Comment.polarity),
                func.count(Comment.polarity),
            ).join(
                ThemeCorrection,
                and_(
                    ThemeCorrection.response_id == Comment.response_id,
                    ThemeCorrection.question == Comment.question,
                ),
            )
        ).where(ThemeCorrection.action == CorrectionAction.ADD.value, ~already),
        scope,
    ).group_by(Response.audience, ThemeCorrection.theme)
    totals: dict[tuple[str, str], list] = {}
    for audience, theme, count, polarity_sum, scored in [
        *session.execute(found),
        *session.execute(added),
    ]:
        total = totals.setdefault((audience, theme), [0, 0.0, 0])
        total[0] += count
        total[1] += polarity_sum or 0.0
        total[2] += scored
    counts = [
        ThemeCount(
            audience, theme, count, sizes[audience], polarity_sum / scored if scored else None
        )
        for (audience, theme), (count, polarity_sum, scored) in totals.items()
    ]
    return sorted(counts, key=lambda c: (c.audience, -c.count, c.theme))


def _joined(query: Select) -> Select:
    """QUERY over comments, joined to their responses (for `in_scope`)."""
    return query.select_from(Comment).join(Response, Response.id == Comment.response_id)


def count_comments(session: Session, scope: Scope, theme: str = "") -> int:
    """How many comments SCOPE holds, only those with THEME when given."""
    query = in_scope(
        select(func.count(Comment.id))
        .select_from(Comment)
        .join(Response, Response.id == Comment.response_id),
        scope,
    )
    return session.scalar(query.where(with_theme(theme)) if theme else query) or 0


def comment_page(
    session: Session, scope: Scope, theme: str, offset: int, limit: int
) -> list[ShownComment]:
    """LIMIT comments of SCOPE (only THEME's when given) from OFFSET, newest first, each
    with its words and current themes; only these comments' words are read."""
    query = in_scope(
        select(Comment.id, Comment.response_id, Response.audience, Comment.question)
        .join(Response, Response.id == Comment.response_id)
        .order_by(Comment.response_id.desc(), Comment.question),
        scope,
    )
    if theme:
        query = query.where(with_theme(theme))
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
        select(Comment.response_id, Comment.question)
        .join(Response, Response.id == Comment.response_id)
        .where(Comment.response_id.in_({response_id for response_id, _ in wanted})),
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
