"""A send analyses its comments one by one in plain Python (`text_polarity`, `quote_key`,
`text_themes`); for any text this is exactly what the frames of `_analysed` give, which
`catch_up` still uses for thousands: the same feeling, quote key and themes."""

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.report import quote_key
from analysis.sentiment import text_polarity
from analysis.themes import text_themes
from app.feedback.codebook import codebook
from app.feedback.comments import _analysed

BOOK = codebook()
KEYWORDS = sorted(
    {keyword.rstrip("*") for theme in BOOK.themes for keyword in theme.keywords}
    | {keyword for theme in BOOK.themes for keyword in theme.capitals_only}
)
# Words that move the feeling, names and contact details that redaction takes out of a
# quote, and marks that the keys and keywords must see past.
WORDS = [
    "good", "not", "very", "bad", "don't", "cant", "happy", "awful", "Mrs", "Jack", "Smith",
    "jack@example.org", "07700 900123", "HR4 9AA", "E.H.C.P", "co-production", "one-to-one",
    "!", ",", "...", "\u2019", "\u200b", "\t", "\n", "  ",
]  # fmt: skip
texts = st.lists(
    st.one_of(st.sampled_from(KEYWORDS), st.sampled_from(WORDS), st.text(max_size=6)),
    max_size=30,
).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=3))
def test_one_comment_at_a_time_is_the_frames_result(comments):
    frame = pd.DataFrame(
        [(number, "going_well", text) for number, text in enumerate(comments)],
        columns=["response_id", "question", "text"],
    )
    facts, tags = _analysed(frame, BOOK)
    for number, text in enumerate(comments):
        fact = facts.loc[facts["response_id"] == number]
        if fact.empty:  # a blank answer is no comment
            assert not text.strip()
            assert text_themes(text, BOOK) == []
            continue
        assert text_polarity(text) == fact["polarity"].iloc[0]
        assert quote_key(text) == fact["quote_key"].iloc[0]
        assert text_themes(text, BOOK) == list(tags.loc[tags["response_id"] == number, "theme"])


def test_a_comment_about_waiting_is_tagged_felt_and_keyed():
    """Worked out by hand from surveys/themes.yaml and TextBlob's lexicon."""
    text = "The waiting list for my EHCP was awful"
    assert "waiting_times" in text_themes(text, BOOK)
    assert text_polarity(text) == -1.0
    assert quote_key(text) is not None
    assert quote_key("Too short") is None
    assert quote_key("The waiting list, for my EHCP... was awful!") == quote_key(text)
