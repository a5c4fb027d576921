"""The "You said" half of a report, made safe to publish: option shares and themes with
quotes, each hidden when its group is under the suppression threshold.

Pure functions over DataFrames: the app loads the answers (without any flagged as a
possible safeguarding disclosure) and turns these frames into a report.
"""

import hashlib
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.intervals import round_half_away
from analysis.redaction import redact, redact_series
from analysis.sentiment import polarity, theme_sentiment
from analysis.suppression import THRESHOLD
from analysis.text import each_distinct
from analysis.themes import tagged_comments, theme_shares

QUOTES_PER_THEME = 3
# A quote is a sentence or two someone would read aloud; longer comments are summarised
# by their theme instead.
QUOTE_LENGTH = (15, 280)
_NOT_WORD = re.compile(r"[^\w\s]")


def option_shares(
    chosen: Mapping[tuple[str, str], int],
    answered: Mapping[str, int],
    questions: Sequence[tuple[str, Sequence[str]]],
) -> pd.DataFrame:
    """For each (question id, option ids) in QUESTIONS: how many chose each option.

    CHOSEN holds how many responses chose each (question, option), a multiple choice
    counting once under each option it chose; ANSWERED how many answered each question.
    One row per question and option, in the order given, with columns question, option,
    count, base (everyone who answered the question, whatever they chose) and percent
    (1 decimal place, half away from zero), and suppressed: True for every option of a
    question answered by fewer than the threshold, whose count and percent are then
    missing.
    """
    shares = pd.DataFrame(
        [
            (question, option, chosen.get((question, option), 0), answered.get(question, 0))
            for question, options in questions
            for option in options
        ],
        columns=["question", "option", "count", "base"],
    ).astype({"question": "str", "option": "str", "count": "int64", "base": "int64"})
    hidden = shares["base"] < THRESHOLD
    percent = pd.Series(
        round_half_away(100 * shares["count"] / shares["base"].where(~hidden)), index=shares.index
    )
    return shares.assign(
        count=shares["count"].astype("Int64").mask(hidden),
        percent=percent,
        suppressed=hidden,
    )


def theme_summary(
    comments: pd.DataFrame, tags: pd.DataFrame, *, quotes: int = QUOTES_PER_THEME
) -> pd.DataFrame:
    """The themes people wrote about, most mentioned first, ready to publish.

    One row per theme with a tag: theme, count (comments mentioning it), comments (all
    comments), percent of comments, mean_polarity (TextBlob, -1 to 1), and quotes (up to
    QUOTES, redacted of names, contact details and addresses). A theme mentioned in fewer
    than the threshold's comments is suppressed: no count, percent, polarity or quotes.
    The quotes are chosen as `representative_quotes` says.
    """
    shares = theme_shares(comments, tags, by=None)
    if shares.empty:
        return _empty_summary()
    feeling = theme_sentiment(comments, tags, by=None)[["theme", "mean_polarity"]]
    summary = shares.merge(feeling, on="theme", how="left")
    hidden = summary["count"] < THRESHOLD
    chosen = representative_quotes(
        comments, tags, feeling.set_index("theme")["mean_polarity"], per_theme=quotes
    )
    return summary.assign(
        count=summary["count"].astype("Int64").mask(hidden),
        percent=pd.Series(round_half_away(100 * summary["share"]), index=summary.index).mask(
            hidden
        ),
        mean_polarity=summary["mean_polarity"].round(2).mask(hidden),
        quotes=summary["theme"].map(chosen).where(~hidden),
        suppressed=hidden,
    )[["theme", "count", "comments", "percent", "mean_polarity", "quotes", "suppressed"]]


def representative_quotes(
    comments: pd.DataFrame, tags: pd.DataFrame, feeling: pd.Series, *, per_theme: int
) -> dict[str, list[str]]:
    """Up to PER_THEME quotes for each theme: redacted comments of a quotable length.

    No two quotes of a theme say the same words (case, spacing and punctuation aside)
    and no two come from the same response, so a report never prints one comment twice
    or gives one person two voices in a theme; nor is a comment quoted for a more
    mentioned theme quoted again for another (that theme then has fewer quotes).

    The quotes a reader meets first are the most representative: those whose feeling
    (TextBlob polarity of the words as written) is nearest the theme's mean polarity in
    FEELING (indexed by theme), earliest response first among equals.
    """
    mentions = tagged_comments(comments, tags)
    quotes = quotable(mentions["text"])
    # The feeling of what was written, as the theme's mean is of what was written.
    fits = mentions.assign(
        text=quotes,
        key=quote_keys(quotes),
        distance=(polarity(mentions["text"]) - mentions["theme"].map(feeling)).abs(),
    ).dropna(subset=["key"])
    ranked = fits.sort_values(["theme", "distance", "response_id", "question"], kind="stable")
    candidates = ranked.drop_duplicates(["theme", "key"]).drop_duplicates(["theme", "response_id"])
    return pick_quotes(candidates, mentioned_first(mentions["theme"]), per_theme=per_theme)


def mentioned_first(themes: pd.Series) -> list[str]:
    """The themes of THEMES (one entry per mention), most mentioned first, then by id."""
    return list(
        themes.value_counts().sort_index().sort_values(ascending=False, kind="stable").index
    )


def pick_quotes(
    candidates: pd.DataFrame, themes: Sequence[str], *, per_theme: int
) -> dict[str, list[str]]:
    """For each of THEMES in turn, its first PER_THEME CANDIDATES (columns theme, key,
    text; best first, one per key within a theme) whose key no earlier theme took.

    One comment often has two themes; a reader should not meet it twice on a page. The
    most mentioned theme (the first of THEMES) picks first; a later theme may be left
    with fewer quotes.
    """
    by_theme = dict(list(candidates.groupby("theme")))
    chosen: dict[str, list[str]] = {}
    used: set[str] = set()
    for theme in themes:
        if theme not in by_theme:
            continue
        offered = by_theme[theme]
        picked = offered[~offered["key"].isin(used)].head(per_theme)
        chosen[theme] = list(picked["text"])
        used.update(picked["key"])
    return chosen


def quotable(texts: pd.Series) -> pd.Series:
    """Each text as a report would quote it: trimmed and redacted (`analysis.redaction`);
    missing where that is too short or too long to quote (QUOTE_LENGTH)."""
    # As objects: with no texts at all, redaction's result is of floats, which has no .str.
    redacted = redact_series(texts.astype("object").str.strip()).astype("object")
    length = redacted.str.len()
    return redacted.where((length >= QUOTE_LENGTH[0]) & (length <= QUOTE_LENGTH[1]))


def quote_keys(quotes: pd.Series) -> pd.Series:
    """A short key of each of QUOTES (from `quotable`): equal for two quotes with the same
    words (`same_words`), so a database can keep one quote per key; missing stays missing."""
    return each_distinct(same_words(quotes.astype("object")), _words_key).where(quotes.notna())


def quote_key(text: str) -> str | None:
    """`quote_keys(quotable(...))` of one TEXT, in plain Python for a send: its key, or
    None when it is too short or too long to quote."""
    quote = redact(text.strip())
    if not QUOTE_LENGTH[0] <= len(quote) <= QUOTE_LENGTH[1]:
        return None
    return _words_key(" ".join(_NOT_WORD.sub(" ", quote.casefold()).split()))


def _words_key(words: str) -> str:
    return hashlib.sha256(words.encode()).hexdigest()[:16]


def same_words(texts: pd.Series) -> pd.Series:
    """Each text reduced to its words, lower case, single spaces, no punctuation: two
    texts with the same result say the same thing to a reader."""
    return texts.str.casefold().str.replace(_NOT_WORD, " ", regex=True).str.split().str.join(" ")


def _empty_summary() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["theme", "count", "comments", "percent", "mean_polarity", "quotes", "suppressed"]
    )
