"""Text as it is stored: without the control characters that break databases and pages.

PostgreSQL refuses NUL in text and in JSONB ("\\u0000 cannot be converted to text"), so
one NUL in an answer made every attempt to send it fail; other control characters
(escape, bell, C1 codes such as U+0085) are invisible on a page, can rewrite a terminal
that prints them, and split lines where a reader does not expect. Tabs and line breaks
are kept: people write paragraphs. Everything else is kept as typed, including
zero-width joiners inside emoji and U+2028.
"""

import re
from typing import Any

from markupsafe import Markup, escape

# C0 controls but tab, line feed and carriage return; DEL; the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """TEXT without control characters other than tab, line feed and carriage return."""
    return _CONTROL.sub("", text)


def printable_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """ANSWERS with every text (and every option id in a list) made `printable`; an
    answer that was nothing but control characters becomes None, not answered."""
    cleaned: dict[str, Any] = {}
    for question, answer in answers.items():
        if isinstance(answer, str):
            answer = printable(answer) or None
        elif isinstance(answer, list):
            answer = [printable(part) for part in answer if isinstance(part, str)]
        cleaned[question] = answer
    return cleaned


def printable_field(value: Any) -> Any:
    """A WTForms filter: a text field's value made `printable` (None stays None)."""
    return printable(value) if isinstance(value, str) else value


# Longer than any ordinary word: an address, an email or a code.
_LONG_WORD = re.compile(r"\S{20,}")


def breakable(text: str) -> Markup:
    """TEXT, escaped, with each word longer than any ordinary word (a web address, an email
    address) in a span that may break anywhere. In a table the other words then keep
    whole: one cell that may break anywhere lets the browser squeeze its column to a
    letter's width and break every word in it ("Prog ress"), while a cell whose long words
    may not break at all makes the table wider than the page."""
    parts, last = [], 0
    for found in _LONG_WORD.finditer(text):
        parts.append(escape(text[last : found.start()]))
        parts.append(Markup('<span class="app-breakable">{}</span>').format(found.group()))
        last = found.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
