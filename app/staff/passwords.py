"""How guessable a password is, by zxcvbn's estimate (dictionaries of common passwords,
names and words, keyboard patterns, repeats, dates), with the person's own details and
the service's name counted as the first things an attacker would try."""

import re
from collections.abc import Iterable

from zxcvbn import zxcvbn

# zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline attacks"
# (about 10^10 guesses), which the rate limits and Argon2 put far beyond reach online.
MIN_SCORE = 3
# zxcvbn's running time grows with length; past this the estimate adds nothing.
LONGEST_CHECKED = 100


def personal_words(*texts: str) -> list[str]:
    """Each text (an email address, the service's name) whole, run together, and word by
    word, as zxcvbn's user inputs: "Your voice in Herefordshire SEND" also gives
    "yourvoiceinherefordshiresend" and "herefordshire"; "a@b.gov.uk" also "a@b"."""
    words: list[str] = []
    for text in texts:
        parts = [part for part in re.split(r"[^a-z0-9]+", text.lower()) if part]
        words += [text.lower(), "".join(parts), *(part for part in parts if len(part) > 2)]
        if "@" in text:  # name@example.org also as name@example
            words.append(text.lower().rsplit(".", 1)[0].split(".")[0])
    return list(dict.fromkeys(words))


def weakness(password: str, personal: Iterable[str] = ()) -> list[str] | None:
    """Why PASSWORD is too easy to guess, as sentences of advice to the person choosing
    it; None if it is strong enough."""
    personal = list(personal)
    result = zxcvbn(password[:LONGEST_CHECKED], user_inputs=personal)
    if result["score"] >= MIN_SCORE:
        return None
    if any(match.get("dictionary_name") == "user_inputs" for match in result["sequence"]):
        advice = ["Do not use your email address or the name of this service."]
    else:
        advice = []
    feedback = result["feedback"]
    advice += [feedback["warning"], *feedback["suggestions"]]
    return [sentence for sentence in advice if sentence] or [
        "Add another word or two. Uncommon words are better."
    ]
