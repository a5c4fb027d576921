"""The children's face scale: each option drawn as a face in the text colour, always with
its words beside it (never a face, or a colour, alone)."""

from markupsafe import Markup, escape

from app.surveys.catalogue import translate
from app.surveys.schema import Question

MOUTHS = {
    "very_happy": "M14 27 Q24 38 34 27",
    "happy": "M16 28 Q24 34 32 28",
    "neutral": "M16 30 L32 30",
    "sad": "M16 32 Q24 26 32 32",
    "very_sad": "M14 34 Q24 23 34 34",
    "unsure": "M15 30 Q19.5 27 24 30 Q28.5 33 33 30",
}


def face_svg(face: str) -> Markup:
    return Markup(
        '<svg class="app-face" viewBox="0 0 48 48" width="48" height="48" aria-hidden="true"'
        ' focusable="false"><circle cx="24" cy="24" r="21" fill="none" stroke="currentColor"'
        ' stroke-width="3"/><circle cx="17" cy="19" r="2.6" fill="currentColor"/>'
        '<circle cx="31" cy="19" r="2.6" fill="currentColor"/>'
        f'<path d="{MOUTHS[face]}" fill="none" stroke="currentColor" stroke-width="3"'
        ' stroke-linecap="round"/></svg>'
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
                "html": face_svg(option.face) + label if option.face else label,
                "checked": option.id in chosen_ids,
            }
        )
    return items
