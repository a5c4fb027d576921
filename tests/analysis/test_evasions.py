"""Text written to get past the safeguarding patterns and the quote redaction: invisible
characters, soft hyphens, lookalike letters, spaced-out letters and digits, spelled-out
email addresses and @usernames. Each evasion is caught; ordinary text is left alone."""

import pytest

from analysis.redaction import redact
from analysis.safeguarding import flag_risk
from analysis.text import visible

ZWSP, ZWNJ, ZWJ, WJ, SHY, RLO = "\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\u202e"
CYRILLIC_A, CYRILLIC_I, CYRILLIC_O, GREEK_O = "\u0430", "\u0456", "\u043e", "\u03bf"
STRIKE = "\u0336"
# "mum says fine", wholly in Cyrillic: not a disguised English word.
RUSSIAN = (
    "\u043c\u0430\u043c\u0430 \u0433\u043e\u0432\u043e\u0440\u0438\u0442 "
    "\u0445\u043e\u0440\u043e\u0448\u043e"
)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (f"i want to d{ZWSP}ie", "self_harm"),
        (f"i want to d{ZWNJ}i{ZWJ}e", "self_harm"),
        (f"i want to d{WJ}ie", "self_harm"),
        (f"i want to d{SHY}ie", "self_harm"),
        (f"i want to {RLO}die", "self_harm"),
        (f"i want to kill my{SHY}self", "self_harm"),
        ("i want to d i e", "self_harm"),
        ("i want to d  i  e", "self_harm"),
        ("i want to d-i-e", "self_harm"),
        ("i want to d_i_e", "self_harm"),
        ("i want to d*i*e", "self_harm"),
        (f"i want to d{STRIKE}i{STRIKE}e{STRIKE}", "self_harm"),
        ("i want to \uff24\uff29\uff25", "self_harm"),
        (f"{CYRILLIC_I} want to d{CYRILLIC_I}e", "self_harm"),
        ("s u i c i d e", "self_harm"),
        ("su1c1dal thoughts", "self_harm"),
        ("k1ll mys3lf", "self_harm"),
        ("nobody would m i s s me", "self_harm"),
        (f"my d{CYRILLIC_A}d hits me", "harm_at_home"),
        (f"my d{ZWSP}ad h{ZWSP}its me", "harm_at_home"),
        (f"my m{GREEK_O}m hurts me", "harm_at_home"),
        ("my dad h-i-t-s me", "harm_at_home"),
        ("he t o u c h e d me", "abuse"),
        (f"he t{CYRILLIC_O}uched me", "abuse"),
        ("i am being b u l l i e d", "unsafe"),
        (f"i do not feel s{ZWSP}afe", "unsafe"),
    ],
)
def test_an_evasion_is_still_flagged(text, category):
    assert category in flag_risk(text)


@pytest.mark.parametrize(
    "text",
    [
        "I feel safe at school and my teacher listens",
        "The T A and S E N C O were great",
        "A B C club is fun",
        "covid19 meant ks3 was online",
        "My daughter's EHCP review was late",
        f"family day {chr(0x1F469)}{ZWJ}{chr(0x1F467)} was fun",
        "Caf\u00e9 club and na\u00efve questions",
        RUSSIAN,
        "self-advocacy group was brilliant",
        "I give the service 5/5",
        "x-ray at the hospital was quick",
        "we did a s-l-o-w walk",
    ],
)
def test_ordinary_text_is_not_flagged_by_the_new_reading(text):
    assert flag_risk(text) == []


def test_what_was_flagged_as_written_is_still_flagged():
    # Unmasking joins "d i e", but the text as written is read too.
    assert flag_risk("so i cut myself") == ["self_harm"]
    assert flag_risk("i want to die") == ["self_harm"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 0 7 7 0 0 9 0 0 1 2 3", "call [phone number]"),
        ("call 0 7 7 0 0  9 0 0  1 2 3 now", "call [phone number] now"),
        ("call 0-7-7-0-0-9-0-0-1-2-3", "call [phone number]"),
        ("call 0.7.7.0.0.9.0.0.1.2.3", "call [phone number]"),
        ("ring +44 7 7 0 0 9 0 0 1 2 3", "ring [phone number]"),
        (f"call 07700{ZWSP}900{ZWSP}123", "call [phone number]"),
        (f"call 077{SHY}00 900123", "call [phone number]"),
        (
            "call \uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13",
            "call [phone number]",
        ),
        ("jo dot bloggs at example dot com", "[email address]"),
        ("mail jo [at] example [dot] co [dot] uk", "mail [email address]"),
        ("mail jo (at) example.com", "mail [email address]"),
        ("mail jo {at} example {dot} org", "mail [email address]"),
        ("mail jo @ example . com please", "mail [email address] please"),
        (f"mail jo{ZWSP}.bloggs@exa{ZWSP}mple.com", "mail [email address]"),
        ("follow @jo_bloggs99 on insta", "follow [username] on insta"),
        ("my snap is @jo.bloggs", "my snap is [username]"),
        (f"my friend J{CYRILLIC_A}ck helps", "my friend [name] helps"),
        (f"thanks to Mrs Sm{ZWSP}ith", "thanks to Mrs [name]"),
        (f"thanks to Mrs Sm{SHY}ith", "thanks to Mrs [name]"),
    ],
)
def test_an_evasion_is_still_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "we met at hereford.gov.uk and it was good",
        "I was at home. then it rained",
        "meet @ 5pm by the gate",
        "he is 12 and in year 7, we count 1 2 3 4 5",
        "the score was 3 - 1 - 0 - 2 - 4",
        "look at the website dot com thing",
        RUSSIAN,
        f"family day {chr(0x1F469)}{ZWJ}{chr(0x1F467)} was fun",
    ],
)
def test_ordinary_text_keeps_its_sense(text):
    assert redact(text) == visible(text)


def test_visible_takes_out_only_what_shows_nothing():
    assert visible(f"a{ZWSP}b{SHY}c{WJ}d{RLO}e") == "abcde"
    assert visible("tab\tand\nline \u00e9 \u2028") == "tab\tand\nline \u00e9 \u2028"
    assert visible("\uff24\uff29\uff25 \ufb01sh") == "DIE fish"
