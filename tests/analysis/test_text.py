import pandas as pd
import pytest

from analysis.text import each_distinct, normalise, plain, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my sons E.H.C.P review", "my sons EHCP review"),
        ("an e.h.c.p. and a plan", "an ehcp and a plan"),
        ("plan B. Then we waited", "plan B. Then we waited"),
        ("the website.It was down", "the website.It was down"),
        ("I don\u2019t feel listened to", "I do not feel listened to"),
        ("they dont listen", "they do not listen"),
        ("we cant get help and he cannot go", "we can not get help and he can not go"),
        ("Won't help, isnt right, ain't fair", "Will not help, is not right, is not fair"),
        ("I want  to\n\tgo   home ", "I want to go home"),
        ("want pants wanted", "want pants wanted"),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_words_are_lower_case_without_punctuation_and_keep_inner_apostrophes():
    assert words("It's my DAD'S car!!! Why?") == ["it's", "my", "dad's", "car", "why"]


def test_words_spell_out_negations_from_txt_speak():
    assert words("i dont feel safe") == ["i", "do", "not", "feel", "safe"]


def test_words_of_blank_text_are_none():
    assert words("  ...!!! ") == []


def test_plain_joins_words_with_single_spaces():
    assert plain("My dad... hits me, wen hes angry!") == "my dad hits me wen hes angry"


def test_each_distinct_works_out_each_text_once_and_keeps_index_and_missing():
    seen = []

    def shout(text: str) -> str:
        seen.append(text)
        return text.upper()

    texts = pd.Series(["no", None, "nothing", "no", "no"], index=[10, 11, 12, 13, 14], name="text")

    result = each_distinct(texts, shout)

    assert sorted(seen) == ["no", "nothing"]
    expected = pd.Series(["NO", None, "NOTHING", "NO", "NO"], index=texts.index, name="text")
    pd.testing.assert_series_equal(result, expected)


def test_a_report_of_many_copies_of_a_comment_scores_it_once(monkeypatch):
    """The report draft of a big survey: the same words many times are read once."""
    from analysis import sentiment

    calls = []
    score = sentiment._polarity
    monkeypatch.setattr(sentiment, "_polarity", lambda text: calls.append(text) or score(text))
    texts = pd.Series(["The staff are brilliant and kind"] * 5000 + ["It is awful"] * 3000)

    scores = sentiment.polarity(texts)

    assert len(calls) == 2
    assert scores.iloc[0] > 0 > scores.iloc[-1]
    assert scores.nunique() == 2
