import pandas as pd
import pytest
from pandas.testing import assert_series_equal

from analysis.safeguarding import flag_risk, flag_risk_series


@pytest.mark.parametrize(
    ("category", "text"),
    [
        ("harm_at_home", "my dad hits me wen hes angry"),
        ("harm_at_home", "mum hurts me when she drinks"),
        ("harm_at_home", "they hit me at home"),
        ("harm_at_home", "im scared to go home"),
        ("harm_at_home", "I'm scared of my step dad"),
        ("harm_at_home", "i got hit by my mums boyfriend"),
        ("harm_at_home", "my step dad kicked me and my sister"),
        ("harm_at_home", "mum locks me in my room for days"),
        ("harm_at_home", "i dont feel safe at home"),
        ("self_harm", "I want to kill myself"),
        ("self_harm", "i cut myself"),
        ("self_harm", "i want to die"),
        ("self_harm", "i wanna die tbh"),
        ("self_harm", "want 2 die"),
        ("self_harm", "nobody would miss me"),
        ("self_harm", "no one would miss me if i was gone"),
        ("self_harm", "everyone would be better off without me"),
        ("self_harm", "i dont want to be here anymore"),
        ("self_harm", "my daughter has started self-harming and camhs wont see her"),
        ("self_harm", "my son has tried to kill himself twice"),
        ("self_harm", "he talks about suicide"),
        ("abuse", "someone touched me"),
        ("abuse", "he makes me keep secrets"),
        ("abuse", "an older boy makes me do things"),
        ("abuse", "a man online asked me for pics"),
        ("abuse", "he said not to tell anyone"),
        ("abuse", "staff restrained my son 3 times this term"),
        ("abuse", "the teacher hit my son"),
        ("unsafe", "I'm not safe"),
        ("unsafe", "im not safe"),
        ("unsafe", "I don't feel safe"),
        ("unsafe", "i dont feel safe at school"),
        ("unsafe", "i do not always feel safe on the bus"),
        ("unsafe", "there is nowhere safe for me"),
        ("unsafe", "i feel unsafe"),
        ("unsafe", "i get bullied every day"),
        ("unsafe", "they punch me at break"),
        ("unsafe", "they said they would stab me"),
        ("unsafe", "im scared of the older boys"),
    ],
)
def test_disclosures_are_flagged(category, text):
    assert category in flag_risk(text)


@pytest.mark.parametrize(
    "text",
    [
        "I feel safe at school",
        "i feel safe and happy",
        "I'm safe at home and at school",
        "It is safe to say things have got better",
        "support was not safe-guarded",
        "Safeguarding training for staff has improved",
        "the wait is killing me",
        "the wait for camhs is 2 years!!!",
        "my son hit his targets this year",
        "i hit my targets in maths",
        "my sons EHCP review was late again",
        "my daughter loves her club",
        "i never feel unsafe at school",
        "nobody bullies me at my new school",
        "bullying is dealt with quickly",
        "it really touched me that they listened",
        "we're dying for some news about the review",
        "dont change anything, i love it",
        "the bus driver is kind and keeps me safe",
        "my mum makes me do my homework",
        "I can't wait to go home and play xbox",
        "cutting the waiting list would help",
        "i want to die my hair blue",
        "he needs help using a knife and fork",
        "our SENCO Miss Harper is amazing",
    ],
)
def test_ordinary_comments_are_not_flagged(text):
    assert flag_risk(text) == []


def test_a_disclosure_named_and_negated_is_still_flagged():
    # Deliberately: a denial of harm at home is worth a person's look.
    assert flag_risk("my dad never hits me") == ["harm_at_home"]


def test_several_reasons_come_in_category_order():
    assert flag_risk("I want to die, he makes me keep secrets and i dont feel safe at home") == [
        "harm_at_home",
        "self_harm",
        "abuse",
        "unsafe",
    ]


def test_flag_risk_series_gives_a_list_per_text_and_none_for_missing():
    texts = pd.Series(
        ["i cut myself", None, "all good", "i want to die and i am not safe"], index=[4, 5, 6, 7]
    )
    expected = pd.Series(
        [["self_harm"], [], [], ["self_harm", "unsafe"]], index=[4, 5, 6, 7], name="risks"
    )
    assert_series_equal(flag_risk_series(texts), expected)
