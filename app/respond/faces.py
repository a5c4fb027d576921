"""The children's face scale: each option drawn as a face, always with its words beside it
(never a face, or a colour, alone).

A child who finds reading hard tells the faces apart at a glance, so no two faces share a
shape: eyes, mouth and extras differ ("always" grins with smiling eyes, "mostly" only
smiles), each has its own size (the strongest feelings are the biggest faces), and each its
own colour, on top of the shape, never instead of it. The faces are self-contained discs
with dark lines on a light fill, so they read the same in every colour theme.
"""

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from app.surveys.catalogue import answer_text, translate
from app.surveys.schema import Question

INK = "#0b0c0c"
# On the check-answers page the faces are smaller, keeping their sizes relative to each other.
CHECK_SCALE = 0.75
DOT_EYES = '<circle cx="17" cy="19" r="2.8"/><circle cx="31" cy="19" r="2.8"/>'


@dataclass(frozen=True)
class Face:
    """How one face is drawn: its size in CSS pixels, its fill, and its features as SVG
    (on a 48 x 48 grid; filled shapes take the ink colour, lines are stroked with it)."""

    size: int
    fill: str
    filled: str
    lines: str
    head: str = '<circle cx="24" cy="24" r="21"/>'


FACES: dict[str, Face] = {
    # Smiling eyes and an open grin: clearly more than "happy".
    "very_happy": Face(
        size=64,
        fill="#8fd694",
        filled='<path d="M12 26 H36 Q36 40 24 40 Q12 40 12 26 Z"/>',
        lines='<path d="M11 21 Q16 14 21 21"/><path d="M27 21 Q32 14 37 21"/>',
    ),
    "happy": Face(
        size=54,
        fill="#d4eeb0",
        filled=DOT_EYES,
        lines='<path d="M16 29 Q24 35 32 29"/>',
    ),
    "neutral": Face(
        size=48,
        fill="#ffe59a",
        filled=DOT_EYES,
        lines='<path d="M16 31 H32"/>',
    ),
    # A frown under slanted eyebrows.
    "sad": Face(
        size=58,
        fill="#a9cdf0",
        filled=DOT_EYES,
        lines='<path d="M15 35 Q24 27 33 35"/><path d="M12 13 L20 11"/><path d="M36 13 L28 11"/>',
    ),
    # A deep frown and a tear.
    "very_sad": Face(
        size=64,
        fill="#f4a3a0",
        filled=DOT_EYES + '<path d="M14 25 Q11 30 14 32 Q17 30 14 25 Z"/>',
        lines='<path d="M13 38 Q24 26 35 38"/><path d="M11 13 L20 10"/><path d="M37 13 L28 10"/>',
    ),
    # A smaller head with a wavy mouth and one eyebrow up, and a bubble with a question
    # mark (in a bubble so that the mark shows on a dark page too).
    "unsure": Face(
        size=50,
        fill="#ddd6f0",
        head='<circle cx="19" cy="29" r="17"/><circle cx="38" cy="10" r="9"/>',
        filled=(
            '<circle cx="13" cy="26" r="2.4"/><circle cx="25" cy="26" r="2.4"/>'
            '<circle cx="38" cy="15.5" r="1.5"/>'
        ),
        lines=(
            '<path d="M10 36 Q13.5 33 17 36 Q20.5 39 24 36 Q26 34.5 28 35"/>'
            '<path d="M21 19 Q25 16 29 19"/>'
            '<path d="M35 7.5 Q35 4.5 38 4.5 Q41 4.5 41 7.5 Q41 9.5 38 10.5 V12"/>'
        ),
    ),
}


def face_svg(face: str, scale: float = 1) -> Markup:
    """FACE drawn as an inline SVG at SCALE times its own size, hidden from screen readers
    (the words beside it say it)."""
    drawn = FACES[face]
    pixels = round(drawn.size * scale)
    return Markup(
        # The namespace makes it a picture of its own too, as the paper PDF draws it.
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-face app-face--{face}"'
        f' viewBox="0 0 48 48" width="{pixels}"'
        f' height="{pixels}" aria-hidden="true" focusable="false" data-face="{face}">'
        f'<g fill="{drawn.fill}" stroke="{INK}" stroke-width="2.5">{drawn.head}</g>'
        f'<g fill="{INK}">{drawn.filled}</g>'
        f'<g fill="none" stroke="{INK}" stroke-width="3" stroke-linecap="round"'
        f' stroke-linejoin="round">{drawn.lines}</g></svg>'
    )


def choice_items(question: Question, chosen, language: str) -> list[dict]:
    """GOV.UK radio or checkbox items for QUESTION's options, with CHOSEN ticked."""
    chosen_ids = set(chosen) if isinstance(chosen, list) else {chosen}
    items = []
    for option in question.options or ():
        words = escape(translate(option.label, language))
        label = Markup('<span class="app-face__words" data-read-aloud-part>{}</span>').format(words)
        items.append(
            {
                "value": option.id,
                "html": _beside(face_svg(option.face)) + label if option.face else label,
                "checked": option.id in chosen_ids,
            }
        )
    return items


def answer_html(question: Question, value: Any, language: str) -> Markup:
    """An answer for the check-answers page: its words, after the chosen face on a face
    scale, so a child sees again the face they tapped."""
    words = escape(answer_text(question, value, language))
    option = next((o for o in question.options or () if o.id == value and o.face), None)
    if option is None:
        return Markup(words)
    return Markup('<span class="app-face-answer">{}<span>{}</span></span>').format(
        face_svg(option.face, scale=CHECK_SCALE), words
    )


def _beside(svg: Markup) -> Markup:
    # A box as wide as the largest face, so that the words line up whatever the face's size.
    return Markup('<span class="app-face__box">{}</span>').format(svg)
