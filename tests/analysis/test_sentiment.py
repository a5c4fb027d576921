import math

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_series_equal

from analysis.sentiment import polarity, theme_sentiment

# Scores from TextBlob's lexicon: good 0.7, bad -0.7, terrible -1.0; a word it does not
# know scores nothing, and "not" turns a score round and halves it.


def test_polarity_per_comment():
    texts = pd.Series(
        ["the staff are good", "staff arent good", "the wait for camhs is 2 years!!!", "", None],
        index=[10, 11, 12, 13, 14],
    )
    expected = pd.Series(
        [0.7, -0.35, 0.0, math.nan, math.nan], index=[10, 11, 12, 13, 14], name="polarity"
    )
    assert_series_equal(polarity(texts), expected)


def test_polarity_of_no_texts():
    assert polarity(pd.Series([], dtype="str")).empty


def make_comments(*rows):
    return pd.DataFrame(rows, columns=["response_id", "audience", "question", "text"])


COMMENTS = make_comments(
    (1, "child", "going_well", "my teacher is good"),
    (2, "child", "should_change", "my teacher is bad"),
    (3, "child", "going_well", "my teacher is here"),
    (4, "young_person", "should_change", "the bus is terrible"),
    (5, "young_person", "going_well", "my teacher is good"),
)
TAGS = pd.DataFrame(
    [
        (1, "going_well", "school", "teacher", "codebook"),
        (2, "should_change", "school", "teacher", "codebook"),
        (3, "going_well", "school", "teacher", "codebook"),
        (4, "should_change", "transport", "bus", "codebook"),
        (5, "going_well", "school", "teacher", "codebook"),
    ],
    columns=["response_id", "question", "theme", "matched", "source"],
)


def test_theme_sentiment_by_audience_gives_the_mean_with_its_counts():
    expected = pd.DataFrame(
        [
            ("child", "school", 3, (0.7 - 0.7 + 0.0) / 3, 1, 1, 1),
            ("young_person", "school", 1, 0.7, 0, 0, 1),
            ("young_person", "transport", 1, -1.0, 1, 0, 0),
        ],
        columns=[
            "audience",
            "theme",
            "comments",
            "mean_polarity",
            "negative",
            "neutral",
            "positive",
        ],
    )
    assert_frame_equal(theme_sentiment(COMMENTS, TAGS), expected)


def test_theme_sentiment_for_everyone():
    result = theme_sentiment(COMMENTS, TAGS, by=None)
    assert result["theme"].tolist() == ["school", "transport"]
    assert result["comments"].tolist() == [4, 1]
    assert result["mean_polarity"].tolist() == pytest.approx([0.7 / 4, -1.0])


def test_theme_sentiment_with_no_tags_is_empty_with_its_columns():
    result = theme_sentiment(COMMENTS, TAGS.iloc[:0], by=None)
    assert result.empty
    assert list(result.columns) == [
        "theme",
        "comments",
        "mean_polarity",
        "negative",
        "neutral",
        "positive",
    ]
