"""How positive or negative comments are, per comment and per theme.

Polarity comes from TextBlob's PatternAnalyzer: a lexicon of English adjectives and
adverbs with scores from -1 (most negative) to +1 (most positive), averaged over the
words of a comment it knows; "not" before a word turns its score round and halves it
("good" 0.7, "not good" -0.35) and "very" makes it stronger. It works offline. It is
crude and it is English only:

- a comment in another language, or written only in words the lexicon does not know
  ("the wait for camhs is 2 years!!!"), scores 0, neutral;
- it reads words, not meaning: sarcasm, "I can't fault them" and most complaints
  about services ("my son still has no school place") score 0 or the wrong way;
- it was built from product reviews, not from what families say about SEND services.

So a mean polarity is only worth reading next to how many comments it comes from, and
next to the comments themselves: every figure here comes with its count, and with how
many comments were positive, neutral and negative.
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd
from textblob.en.sentiments import PatternAnalyzer

from analysis.text import each_distinct, normalise
from analysis.themes import answered, by_columns, tagged_comments

_ANALYZER = PatternAnalyzer()


def polarity(texts: pd.Series) -> pd.Series:
    """TextBlob's polarity of each text, from -1 to +1; NaN where a text is missing or blank.

    Texts are normalised first (`analysis.text.normalise`), so "staff arent good" is read
    as "staff are not good" (-0.35, where TextBlob alone gives 0.7). Same index as
    `texts`, name "polarity".
    """
    scores = each_distinct(texts, _polarity)
    return pd.Series(scores, index=texts.index, dtype="float64", name="polarity")


def theme_sentiment(
    comments: pd.DataFrame, tags: pd.DataFrame, by: str | Sequence[str] | None = "audience"
) -> pd.DataFrame:
    """Mean polarity of the comments about each theme, per group of `by`, with counts.

    One row per group of the `by` columns (None: everyone) and theme with a tag, with
    columns `*by`, theme, comments (how many comments have the theme), mean_polarity,
    and negative, neutral, positive: how many of those comments scored below 0, exactly
    0 and above 0. Sorted by the `by` columns, then theme.
    """
    keys = by_columns(by)
    written = answered(comments)
    scored = written.assign(polarity=polarity(written["text"]))
    mentions = tagged_comments(scored, tags)
    sign = np.sign(mentions["polarity"])
    return (
        mentions.assign(negative=sign < 0, neutral=sign == 0, positive=sign > 0)
        .groupby([*keys, "theme"], dropna=False, observed=True)
        .agg(
            comments=("polarity", "size"),
            mean_polarity=("polarity", "mean"),
            negative=("negative", "sum"),
            neutral=("neutral", "sum"),
            positive=("positive", "sum"),
        )
        .reset_index()
        .astype({"negative": "int64", "neutral": "int64", "positive": "int64"})
    )


def text_polarity(text: str) -> float | None:
    """`polarity` of one TEXT (None where it gives NaN), for the comments of a send."""
    score = _polarity(text)
    return None if np.isnan(score) else score


def _polarity(text: str) -> float:
    text = normalise(text)
    return _ANALYZER.analyze(text).polarity if text else np.nan
