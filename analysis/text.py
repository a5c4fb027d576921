"""Free text made comparable: one spelling of apostrophes, acronyms and negations, and words.

TextBlob's own tokenizers need NLTK corpora that cannot be downloaded here, so words
are split by a regular expression instead. Everything here works on one string; callers
apply it to a Series with `Series.map`.
"""

import re
import unicodedata

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

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def normalise(text: str) -> str:
    """`text` with one spelling for things people write several ways.

    Compatibility characters folded (NFKC), curly quotes made straight, dotted acronyms
    closed up ("E.H.C.P" -> "EHCP"), negative contractions spelled out ("don't" and
    "dont" -> "do not", "can't" and "cannot" -> "can not"), runs of white space made one
    space. Letter case and all other punctuation are kept.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _NEGATION.sub(_spell_out_negation, text)
    return _SPACE.sub(" ", text).strip()


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
