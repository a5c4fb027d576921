"""Themes in what people wrote, for the officer: shares, feeling, every comment with its
tags (to correct), and the comments no theme caught (so none is lost)."""

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.load import load_comments
from analysis.periods import period_dates
from analysis.sentiment import theme_sentiment
from analysis.themes import apply_corrections, tag_comments, theme_shares, untagged
from app.audit import record
from app.feedback.codebook import codebook
from app.models import CorrectionAction, ThemeCorrection, User


@dataclass(frozen=True)
class ThemeOverview:
    labels: dict[str, str]
    shares: pd.DataFrame  # audience, theme, count, comments, share
    feeling: pd.DataFrame  # audience, theme, comments, mean_polarity, negative, neutral, positive
    comments: pd.DataFrame  # response_id, audience, question, text, themes (list of ids)
    untagged: pd.DataFrame


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


def overview(session: Session, survey_id: str | None, period: str) -> ThemeOverview:
    first, last = period_dates(period)
    comments = load_comments(
        session.connection(),
        surveys=None if survey_id is None else [survey_id],
        date_from=first,
        date_to=last,
    )
    tags = tagged(session, comments)
    themes_of = tags.groupby(["response_id", "question"])["theme"].agg(list)
    with_tags = comments.join(themes_of, on=["response_id", "question"])
    return ThemeOverview(
        labels={theme.id: theme.label for theme in codebook().themes},
        shares=theme_shares(comments, tags, by="audience"),
        feeling=theme_sentiment(comments, tags, by="audience"),
        comments=with_tags.rename(columns={"theme": "themes"}),
        untagged=untagged(comments, tags),
    )


def correct(
    session: Session, user: User, response_id: int, question: str, theme: str, action: str
) -> None:
    """Add or remove THEME on one comment; a later correction replaces an earlier one."""
    existing = session.scalar(
        select(ThemeCorrection).where(
            ThemeCorrection.response_id == response_id,
            ThemeCorrection.question == question,
            ThemeCorrection.theme == theme,
        )
    )
    if existing is None:
        existing = ThemeCorrection(response_id=response_id, question=question, theme=theme)
        session.add(existing)
    existing.action = CorrectionAction(action).value
    existing.user_id = user.id
    record(session, user, "theme.corrected", f"response:{response_id}", theme=theme, change=action)
