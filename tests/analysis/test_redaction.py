import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pandas.testing import assert_series_equal

from analysis.redaction import redact, redact_series


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ring me on 07700 900123 plz", "ring me on [phone number] plz"),
        ("ring me on 07700900123", "ring me on [phone number]"),
        ("or +44 7700 900123.", "or [phone number]."),
        ("or +44 (0)7700 900123", "or [phone number]"),
        ("the office is 01432 260000", "the office is [phone number]"),
        ("call (01432) 260 000 anytime", "call [phone number] anytime"),
        ("mob 07700-900-123", "mob [phone number]"),
    ],
)
def test_uk_phone_numbers_are_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "waited 2 years and 18 months",
        "he is 12 and in year 7",
        "it cost £0.50",
        "from 2019 to 2023",
    ],
)
def test_numbers_that_are_not_phone_numbers_are_kept(text):
    assert redact(text) == text


def test_email_addresses_are_redacted():
    assert redact("email me jack.smith+sen@example.co.uk or J_Smith@mail.com") == (
        "email me [email address] or [email address]"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we are in HR1 2AB", "we are in [postcode]"),
        ("postcode hr12ab", "postcode [postcode]"),
        ("HR4 9XY.", "[postcode]."),
        ("near hr4 9xy, Hereford", "near [postcode], Hereford"),
    ],
)
def test_uk_postcodes_are_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We live at 12 Widemarsh Street, Hereford", "We live at [address], Hereford"),
        ("Flat 3, 4 Green Lane is too far from school", "[address] is too far from school"),
        ("send it to 24 Bath St. thanks", "send it to [address] thanks"),
        ("we moved to 7 the close last year", "we moved to [address] last year"),
        ("12 widemarsh street", "[address]"),
    ],
)
def test_street_addresses_are_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "waited 2 years on this road",
        "school is a 10 minute walk",
        "there are 2 schools up the hill",
        "1 to 1 support would help",
    ],
)
def test_numbers_before_street_words_are_not_always_addresses(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my son Jack has waited 2 years", "my son [name] has waited 2 years"),
        ("my son jack has waited 2 years", "my son [name] has waited 2 years"),
        ("my daughter is called Amelia", "my daughter is called [name]"),
        ("my daughter is called amelia and she is 7", "my daughter is called [name] and she is 7"),
        ("Mrs Smith is lovely, Mr Jones is not", "Mrs [name] is lovely, Mr [name] is not"),
        ("Dr Patel listened to us", "Dr [name] listened to us"),
        ("dr patel and mrs j smith", "dr [name] and mrs [name]"),
        ("our SENCO Miss Harper is great", "our SENCO Miss [name] is great"),
        ("our senco miss harper is great", "our senco miss [name] is great"),
        ("Jack's teacher is really kind", "[name]'s teacher is really kind"),
        ("i told sophie's mum", "i told [name]'s mum"),
        ("I'm Ellie and I'm 9", "I'm [name] and I'm 9"),
        ("hi im ellie", "hi im [name]"),
        ("a boy called jake keeps pushing me", "a boy called [name] keeps pushing me"),
        ("my name is poppy", "my name is [name]"),
        ("our ta sophie is the best", "our ta [name] is the best"),
        ("My son Oliver Smith-Jones needs help", "My son [name] needs help"),
        ("I love JACK", "I love [name]"),
    ],
)
def test_names_after_cues_are_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "i miss school and i miss my friends",
        "Miss is kind and Miss helps me",
        "my son has autism and my son struggles with reading",
        "my son will try anything",
        "I'm happy. im autistic and im ok. this is great",
        "we called social services and they called back",
    ],
)
def test_cue_words_before_ordinary_words_leave_them(text):
    assert redact(text) == text


def test_capitalised_words_inside_a_sentence_are_taken_as_names():
    assert (
        redact("we saw Kirsty and Ahmed Khan at the club") == "we saw [name] and [name] at the club"
    )


def test_a_name_starting_a_sentence_is_redacted_but_an_ordinary_word_is_not():
    assert redact("Amelia loves it. Jack hates it. Great support. Waiting is hard.") == (
        "[name] loves it. [name] hates it. Great support. Waiting is hard."
    )


@pytest.mark.parametrize(
    "text",
    [
        "We moved from Leominster to Ross-on-Wye and then Golden Valley, near Kington.",
        "CAMHS, the SENCO, the NHS and the Local Offer all said the EHCP was fine.",
        "My son loves English and Maths on Monday in January.",
        "The OT and SALT are great, TAs and the LSA too, and the GP and A&E.",
        "Thankyou for listening. Becuase it helped.",
        "THE BUS IS ALWAYS LATE AND NOBODY CARES",
        "an Education, Health and Care Plan from Herefordshire Council",
    ],
)
def test_allowed_proper_nouns_and_shouting_are_kept(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert('hi')</script>", "<script>alert('hi')</script>"),
        ("<b>Mr Jones</b> &amp; &lt;i&gt;", "<b>Mr [name]</b> &amp; &lt;i&gt;"),
        (
            '<img src=x onerror="alert(1)"> call 07700 900123',
            '<img src=x onerror="alert(1)"> call [phone number]',
        ),
    ],
)
def test_markup_passes_through_as_text_neither_unescaped_nor_added(text, expected):
    assert redact(text) == expected


def test_redact_series_keeps_index_name_and_missing_values():
    texts = pd.Series(["Mrs Smith", None, "fine"], index=[7, 8, 9], name="text")
    expected = pd.Series(["Mrs [name]", math.nan, "fine"], index=[7, 8, 9], name="text")
    assert_series_equal(redact_series(texts), expected, check_dtype=False)


WORDS = st.sampled_from(
    [
        "my",
        "son",
        "daughter",
        "is",
        "called",
        "Mrs",
        "miss",
        "Jack",
        "jack",
        "amelia",
        "Harper",
        "I'm",
        "im",
        "the",
        "bus",
        "CAMHS",
        "EHCP",
        "12",
        "Widemarsh",
        "Street",
        "HR1",
        "2AB",
        "07700",
        "900123",
        "+44",
        "(01432)",
        "260",
        "000",
        "a@b.com",
        ".",
        ",",
        "!",
        "\n",
        "<b>",
        "&amp;",
        "'s",
        "Flat",
        "3",
        "Lane",
        "St",
        "Dr",
        "our",
        "senco",
        "SENCO",
        "Leominster",
        "teacher",
        "ta",
        "[name]",
    ]
)
TEXTS = st.lists(WORDS, max_size=25).map(" ".join) | st.text(max_size=60)


@given(TEXTS)
def test_redacting_twice_changes_nothing_more(text):
    once = redact(text)
    assert redact(once) == once


@given(st.lists(WORDS, max_size=8).map(" ".join), st.lists(WORDS, max_size=8).map(" ".join))
def test_a_phone_number_or_email_is_always_removed_wherever_it_stands(before, after):
    for detail in ["07700 900123", "+44 7700 900123", "(01432) 260 000", "jo.bloggs@example.org"]:
        redacted = redact(f"{before} {detail} {after}")
        assert detail not in redacted
