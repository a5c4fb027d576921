"""The publishable "You said": option shares and themes, hidden under 10, quotes redacted."""

import pandas as pd
import pytest

from analysis.report import option_shares, representative_quotes, theme_summary
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
    # 13 responses: 6 "always", 4 "never", 3 who skipped the question.
    chosen = {("enjoy_life", "always"): 6, ("enjoy_life", "never"): 4}
    shares = option_shares(
        chosen, {"enjoy_life": 10}, [("enjoy_life", ["always", "mostly", "never"])]
    )
    # 6 and 4 of the 10 who answered; 0 chose "mostly".
    assert shares["count"].tolist() == [6, 0, 4]
    assert shares["base"].tolist() == [10, 10, 10]
    assert shares["percent"].tolist() == [60.0, 0.0, 40.0]
    assert not shares["suppressed"].any()


def test_a_multiple_choice_is_a_share_of_those_who_answered_not_of_the_choices():
    # 10 answered; 8 ticked "ramps", 5 "lifts": 13 ticks, but shares of the 10 people.
    chosen = {("access", "ramps"): 8, ("access", "lifts"): 5}
    shares = option_shares(chosen, {"access": 10}, [("access", ["ramps", "lifts", "signs"])])
    assert shares["count"].tolist() == [8, 5, 0]
    assert shares["percent"].tolist() == [80.0, 50.0, 0.0]


def test_an_answer_no_longer_offered_counts_in_the_base_but_is_not_shown():
    chosen = {("q", "a"): 6, ("q", "dropped"): 6}
    shares = option_shares(chosen, {"q": 12}, [("q", ["a", "b"])])
    assert shares["option"].tolist() == ["a", "b"]
    assert shares["percent"].tolist() == [50.0, 0.0]


def test_a_question_answered_by_fewer_than_10_shows_no_counts():
    shares = option_shares(
        {("enjoy_life", "always"): 9}, {"enjoy_life": 9}, [("enjoy_life", ["always", "never"])]
    )
    assert shares["suppressed"].all()
    assert shares["count"].isna().all() and shares["percent"].isna().all()


def test_percent_rounds_half_away_from_zero():
    # 1 of 16 is 6.25%: 6.3, not the 6.2 that rounding half to even would give.
    shares = option_shares({("q", "a"): 1, ("q", "b"): 15}, {"q": 16}, [("q", ["a", "b"])])
    assert shares["percent"].tolist() == [6.3, 93.8]


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


def test_no_quote_appears_twice_in_a_theme_even_when_people_wrote_the_same_words():
    # Twelve comments about waiting, three of them the same words and two more differing
    # only in case, spacing and punctuation: each may be quoted once at most.
    same = "The wait for CAMHS was far too long for us"
    texts = [same, same, same, "the wait for CAMHS was far  too long, for us!", *WAITING[1:9]]
    frame = comments(texts)
    quotes = theme_summary(frame, tag_comments(frame, CODEBOOK)).set_index("theme")
    chosen = quotes.loc["waiting_times", "quotes"]
    assert len(chosen) == 3
    words = [
        " ".join("".join(c if c.isalnum() else " " for c in q.lower()).split()) for q in chosen
    ]
    assert len(set(words)) == 3, chosen


def test_one_response_is_quoted_once_in_a_theme():
    frame = pd.DataFrame(
        {
            "response_id": [1, 1, *range(2, 11)],
            "audience": "parent_carer",
            "question": ["going_well", "should_change", *["should_change"] * 9],
            "text": [
                "The waiting list for speech therapy got shorter this year",
                "The wait for the autism assessment is still far too long",
                *WAITING[:9],
            ],
        }
    )
    chosen = representative_quotes(
        frame,
        tag_comments(frame, CODEBOOK),
        pd.Series({"waiting_times": 0.0}),
        per_theme=10,
    )["waiting_times"]
    from_first = [q for q in chosen if "speech therapy got" in q or "autism assessment" in q]
    assert len(from_first) == 1


def test_the_quotes_shown_first_are_nearest_the_themes_feeling():
    # Mean feeling of the theme is strongly negative: the quote nearest it leads, the
    # cheerful outlier comes last though it was written first.
    frame = comments(
        [
            "Waiting was fine and the staff were wonderful and lovely",
            "The wait was terrible, awful and horrible for our family",
            "The wait for the assessment was bad",
        ]
    )
    feeling = pd.Series({"waiting_times": -0.9})
    chosen = representative_quotes(frame, tag_comments(frame, CODEBOOK), feeling, per_theme=3)[
        "waiting_times"
    ]
    assert chosen[0].startswith("The wait was terrible")
    assert chosen[-1].startswith("Waiting was fine")


def test_a_comment_quoted_for_one_theme_is_not_quoted_again_for_another():
    # Every comment is about waiting and some also about being listened to: the second
    # theme quotes comments the first did not, while there are any.
    listened = [f"Nobody listens and the wait was {n} months long" for n in range(3, 9)]
    waiting_only = [f"The waiting list was {n} weeks" for n in range(10, 16)]
    frame = comments(listened + waiting_only)
    tags = tag_comments(frame, CODEBOOK)
    feeling = pd.Series({"waiting_times": 0.0, "being_listened_to": 0.0})
    chosen = representative_quotes(frame, tags, feeling, per_theme=3)
    assert set(chosen["waiting_times"]).isdisjoint(chosen["being_listened_to"])
