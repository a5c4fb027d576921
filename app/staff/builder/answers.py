"""The kinds of answer a builder question can have: the fixed scales (their option ids
are the measures' own, from analysis/definitions.py) and the officer's own options."""

from dataclasses import dataclass

from analysis.definitions import EFFECTIVENESS, FREQUENCY, TOLD

# The words each scale's options are shown with unless the officer changes them; the
# children's survey uses the same.
LABELS = {
    "always": "Always",
    "mostly": "Mostly",
    "sometimes": "Sometimes",
    "never": "Never",
    "not_sure": "I'm not sure",
    "yes": "Yes",
    "a_little": "A little",
    "no": "No",
    "very_effective": "Very effective",
    "effective": "Effective",
    "neither": "Neither effective nor ineffective",
    "ineffective": "Ineffective",
    "very_ineffective": "Very ineffective",
}
FACES = {
    "always": "very_happy",
    "mostly": "happy",
    "sometimes": "neutral",
    "never": "sad",
    "not_sure": "unsure",
    "yes": "very_happy",
    "a_little": "neutral",
    "no": "sad",
}


@dataclass(frozen=True)
class AnswerKind:
    name: str
    label: str
    type: str
    options: tuple[str, ...] = ()  # a fixed scale's option ids; () for own options or text

    @property
    def own_options(self) -> bool:
        return self.type in ("single_choice", "multiple_choice") and not self.options

    def default_options(self) -> list[dict[str, str]]:
        faces = self.type == "face_scale"
        return [
            {"id": option, "label": LABELS[option], **({"face": FACES[option]} if faces else {})}
            for option in self.options
        ]


KINDS = {
    kind.name: kind
    for kind in (
        AnswerKind(
            "faces_frequency",
            "Faces: always, mostly, sometimes, never, not sure",
            "face_scale",
            FREQUENCY.options,
        ),
        AnswerKind("faces_told", "Faces: yes, a little, no, not sure", "face_scale", TOLD.options),
        AnswerKind(
            "frequency",
            "Words: always, mostly, sometimes, never, not sure",
            "single_choice",
            FREQUENCY.options,
        ),
        AnswerKind("told", "Words: yes, a little, no, not sure", "single_choice", TOLD.options),
        AnswerKind(
            "effectiveness",
            "How effective: very effective to very ineffective, not sure",
            "single_choice",
            EFFECTIVENESS.options,
        ),
        AnswerKind("own_one", "Your own options: people pick one", "single_choice"),
        AnswerKind("own_many", "Your own options: people pick any number", "multiple_choice"),
        AnswerKind("free_text", "Their own words (a text box)", "free_text"),
    )
}


def kind_of(question: dict) -> str:
    """The kind of answer QUESTION (as stored) has: a fixed scale when its type and option
    ids are one, else its own options or free text."""
    ids = tuple(option["id"] for option in question.get("options", ()))
    for kind in KINDS.values():
        if kind.options and kind.type == question["type"] and kind.options == ids:
            return kind.name
    if question["type"] == "multiple_choice":
        return "own_many"
    if question["type"] == "free_text":
        return "free_text"
    return "own_one"
