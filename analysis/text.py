"""Free text made comparable: one spelling of apostrophes, acronyms and negations, and words.

TextBlob's own tokenizers need NLTK corpora that cannot be downloaded here, so words
are split by a regular expression instead. Everything here works on one string; callers
apply it to a Series with `Series.map`.
"""

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import pandas as pd

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
    }
)

# "E.H.C.P", "e.h.c.p." and "EHCP" are the same word. Only single letters joined by dots
# count, so "plan B. Then" and "website.It" are left alone.
_DOTTED_ACRONYM = re.compile(r"(?<![A-Za-z])(?:[A-Za-z]\.)+[A-Za-z](?![A-Za-z])\.?")

# Negative contractions, with or without the apostrophe ("don't", "dont"): spelled out so
# that a pattern or a sentiment lexicon has one word, "not", to look for.
_NEGATION = re.compile(
    r"\b(ca|wo|sha|ai|do|does|did|is|are|was|were|has|have|had|could|would|should|must"
    r"|need|might)n'?t\b|\b(can)not\b",
    re.IGNORECASE,
)
_NEGATION_STEMS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}

# Characters that show nothing: Unicode's format characters (category Cf: zero-width
# space and joiners, soft hyphen, word joiner, direction marks) and a few letters and
# marks that draw as blank. Typed inside a word they hide it from a pattern.
_BLANK_LETTERS = "\u034f\u115f\u1160\u3164\uffa0"
ZERO_WIDTH_JOINER = "\u200d"
_JOINER_IN_WORD = re.compile(r"(?<=\w)\u200d+|\u200d+(?=\w)")

# Cyrillic and Greek letters drawn like Latin ones: "d\u0430d" with a Cyrillic "a" reads as
# "dad" to a person and to nothing else.
_LOOKALIKES = str.maketrans(
    "аеіјорсуухѕһԁӏкмнтвАЕІЈОРСУХЅНКМТВαβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧ",
    "aeijopcyyxshdlkmhtbAEIJOPCYXSHKMTBabeikvoptuxABEHIKMNOPTYX",
)
_MIXED_WORD = re.compile(r"\b(?=\w*[A-Za-z])(?=\w*[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f])\w+")
# Digits and symbols standing for letters inside a word ("k1ll", "su1c1de", "$elf").
_LEET = str.maketrans("0134579@$!|", "oieastgasil")
_LEET_WORD = re.compile(r"\b(?=[a-z0-9@$!|]*[a-z])(?=[a-z0-9@$!|]*[0-9@$!|])[a-z0-9@$!|]+")
# Separators between the letters of one word: "d-i-e", "k*ll", "d_i_e".
_INSIDE_WORD = re.compile(r"(?<=[a-z])[-_*.~\u00b7\u2022]+(?=[a-z])")
# Three or more single letters in a row, spaced out: "d i e", "s u i c i d e".
_SPACED_LETTERS = re.compile(r"\b[a-z](?:\s+[a-z]\b){2,}")

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def each_distinct(texts: pd.Series, function: Callable[[str], Any]) -> pd.Series:
    """`function` of each text, worked out once per distinct text; missing stays missing.

    Comments repeat ("Nothing", "No", the same words pasted twice), and the text
    functions here cost milliseconds each, which a report of many thousands of comments
    would otherwise pay again for every copy. Same index and name as `texts`.
    """
    distinct = texts.dropna().unique()
    return texts.map(dict(zip(distinct, map(function, distinct), strict=True)))


def normalise(text: str) -> str:
    """`text` with one spelling for things people write several ways.

    Compatibility characters folded and invisible ones taken out (`visible`), curly
    quotes made straight, dotted acronyms
    closed up ("E.H.C.P" -> "EHCP"), negative contractions spelled out ("don't" and
    "dont" -> "do not", "can't" and "cannot" -> "can not"), runs of white space made one
    space. Letter case and all other punctuation are kept.
    """
    text = visible(text).translate(_QUOTES)
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _NEGATION.sub(_spell_out_negation, text)
    return _SPACE.sub(" ", text).strip()


def visible(text: str) -> str:
    """`text` with compatibility characters folded (NFKC: full-width letters, ligatures)
    and characters that show nothing taken out (zero-width spaces and joiners, soft
    hyphens, direction marks), but for the zero-width joiner between emoji, which makes
    one picture of several ("family" from woman and girl). What a reader sees is
    unchanged."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        ch
        for ch in text
        if ch == ZERO_WIDTH_JOINER
        or (unicodedata.category(ch) != "Cf" and ch not in _BLANK_LETTERS)
    )
    return _JOINER_IN_WORD.sub("", text)


def unmixed(text: str) -> str:
    """`text` with each word that mixes Latin letters with Cyrillic or Greek lookalikes
    ("J\u0430ck") written in Latin letters; words wholly in one script are kept."""
    return _MIXED_WORD.sub(lambda match: match.group(0).translate(_LOOKALIKES), text)


def unmasked(text: str) -> str:
    """`text` as a reader would make it out when it is written to get past a filter:
    lower case, invisible characters and accents or strike-through marks taken out,
    Cyrillic and Greek lookalikes read as Latin letters, digits and symbols inside a word
    read as letters ("k1ll" -> "kill"), and spaced-out letters closed up ("d i e",
    "d-i-e" -> "die").

    It can make words that were not meant ("a b c" -> "abc"), so it is for matching
    alongside the text as written (`analysis.safeguarding`), never instead of it.
    """
    text = unicodedata.normalize("NFKD", visible(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_LOOKALIKES).lower()
    text = _LEET_WORD.sub(lambda match: match.group(0).translate(_LEET), text)
    text = _INSIDE_WORD.sub("", text)
    return _SPACED_LETTERS.sub(lambda match: re.sub(r"\s+", "", match.group(0)), text)


def words(text: str) -> list[str]:
    """The lower-case words of `normalise(text)`, in order; punctuation dropped.

    A word is letters and digits, and may hold apostrophes inside ("it's", "dad's");
    "don't" gives "do", "not".
    """
    return _WORD.findall(normalise(text).lower())


def plain(text: str) -> str:
    """`words(text)` joined by single spaces: a form simple phrase patterns can match."""
    return " ".join(words(text))


def _spell_out_negation(match: re.Match[str]) -> str:
    stem = match.group(1) or match.group(2)
    spelled = _NEGATION_STEMS.get(stem.lower(), stem)
    if stem[0].isupper():
        spelled = spelled[0].upper() + spelled[1:]
    return f"{spelled} not"
