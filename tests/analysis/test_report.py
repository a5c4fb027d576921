"""The publishable "You said": option shares and themes, hidden under 10, quotes redacted."""

import pandas as pd
import pytest

from analysis.report import option_shares, theme_summary
from analysis.themes import load_codebook, tag_comments
from app.config import Config

CODEBOOK = load_codebook(Config.SURVEYS_DIR / "themes.yaml")


def comments(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "response_id": range(1, len(texts) + 1),
            "audience": "parent_carer",
            "question": "should_change",
            "text": texts,
        }
    )


def test_option_shares_are_worked_out_of_those_who_answered():
    answers = pd.DataFrame({"enjoy_life": ["always"] * 6 + ["never"] * 4 + [None] * 3})
    shares = option_shares(answers, [("enjoy_life", ["always", "mostly", "never"])])
    # 6 and 4 of the 10 who answered; 0 chose "mostly".
    assert shares["count"].tolist() == [6, 0, 4]
    assert shares["base"].tolist() == [10, 10, 10]
    assert shares["percent"].tolist() == [60.0, 0.0, 40.0]
    assert not shares["suppressed"].any()


def test_a_question_answered_by_fewer_than_10_shows_no_counts():
    answers = pd.DataFrame({"enjoy_life": ["always"] * 9})
    shares = option_shares(answers, [("enjoy_life", ["always", "never"])])
    assert shares["suppressed"].all()
    assert shares["count"].isna().all() and shares["percent"].isna().all()


def test_percent_rounds_half_away_from_zero():
    # 1 of 16 is 6.25%: 6.3, not the 6.2 that rounding half to even would give.
    answers = pd.DataFrame({"q": ["a"] + ["b"] * 15})
    assert option_shares(answers, [("q", ["a", "b"])])["percent"].tolist() == [6.3, 93.8]


WAITING = [
    "The wait for CAMHS is far too long",
    "we waited 2 years for an assessment",
    "Waiting lists are awful, my son Jack has been waiting forever",
    "too long a wait for speech therapy, call me on 07700 900123",
    "the waiting time for the EHCP was 30 weeks",
    "Waited months to hear back, email me at mum@example.com",
    "The waiting list at HR4 9XY clinic is shocking",
    "waiting for ages for an OT",
    "Long waits for everything",
    "Still waiting for the annual review meeting",
]


def test_a_theme_from_10_comments_is_shown_with_redacted_quotes():
    frame = comments([*WAITING, "Transport to school is a nightmare"])
    summary = theme_summary(frame, tag_comments(frame, CODEBOOK)).set_index("theme")
    waiting = summary.loc["waiting_times"]
    assert waiting["count"] == 10 and waiting["comments"] == 11
    assert waiting["percent"] == pytest.approx(90.9)  # 10 of 11
    quotes = " ".join(summary.loc["waiting_times", "quotes"] + [""])
    assert len(waiting["quotes"]) == 3
    assert "Jack" not in quotes and "07700" not in quotes
    assert summary.loc["transport", "suppressed"]
    assert pd.isna(summary.loc["transport", "quotes"])


def test_no_quote_comes_from_a_theme_under_10():
    frame = comments(WAITING[:9])
    summary = theme_summary(frame, tag_comments(frame, CODEBOOK))
    assert summary["suppressed"].all()
    assert summary["quotes"].isna().all()


def test_every_kind_of_personal_detail_is_redacted_in_quotes():
    frame = comments(WAITING)
    quotes = theme_summary(frame, tag_comments(frame, CODEBOOK)).set_index("theme")
    everything = theme_summary(frame, tag_comments(frame, CODEBOOK), quotes=10)
    text = " ".join(q for qs in everything["quotes"].dropna() for q in qs)
    for detail in ("Jack", "07700 900123", "mum@example.com", "HR4 9XY"):
        assert detail not in text
    assert "[name]" in text and "[phone number]" in text
    assert "[email address]" in text and "[postcode]" in text
    assert quotes.loc["waiting_times", "suppressed"] == False  # noqa: E712
