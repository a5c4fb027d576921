"""Respondent forms: one built for each question page from its definition, and the small
fixed forms (resume code, email for results). Validation lives here."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from app.forms import choices
from app.preferences import SPACINGS, TEXT_SIZES, THEMES
from app.respond.drafts import CODE_ALPHABET, CODE_LENGTH
from app.surveys.answers import check_answer
from app.surveys.catalogue import translate
from app.surveys.schema import Page, Question


class ValidAnswer:
    """The answer is one the question allows (the rules of app/surveys/answers.py), told
    in words a respondent understands."""

    def __init__(self, question: Question):
        self.question = question

    def __call__(self, form: FlaskForm, field: Field) -> None:
        value = answer_value(self.question, field.data)
        if value is None:
            return
        if check_answer(self.question, value) is None:
            return
        if self.question.type == "free_text":
            raise ValidationError(
                _l(
                    "Your answer must be %(limit)s characters or fewer",
                    limit=self.question.max_length,
                )
            )
        raise ValidationError(_l("Select one of the options"))


class Required:
    """A required question was left unanswered."""

    def __init__(self, question: Question):
        self.question = question

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if answer_value(self.question, field.data) is None:
            field.errors[:] = []
            raise ValidationError(
                {
                    "free_text": _l("Enter your answer"),
                    "multiple_choice": _l("Select at least one answer"),
                }.get(self.question.type, _l("Select an answer"))
            )


def answer_value(question: Question, data: Any) -> Any:
    """The form's data as a stored answer, or None for "not answered"."""
    if question.type == "multiple_choice":
        return list(data) if data else None
    if question.type == "free_text":
        # Browsers send line breaks as CRLF; count them as one character, as people do.
        text = (data or "").replace("\r\n", "\n").strip()
        return text or None
    return data or None


def page_form(page: Page, language: str, answers: dict[str, Any], formdata=None) -> FlaskForm:
    """A form for PAGE's questions, filled with the saved ANSWERS (or the posted data)."""

    class PageForm(FlaskForm):
        pass

    for question in page.questions:
        setattr(PageForm, question.id, _field(question, language))
    data = {q.id: answers.get(q.id) for q in page.questions}
    return PageForm(formdata=formdata, data=data)


def _field(question: Question, language: str) -> Field:
    validators = [Required(question)] if question.required else []
    validators.append(ValidAnswer(question))
    label = translate(question.text, language)
    if question.type == "free_text":
        return TextAreaField(label, validators=validators)
    choices = [
        SelectChoice(option.id, translate(option.label, language)) for option in question.options
    ]
    if question.type == "multiple_choice":
        return SelectMultipleField(
            label, choices=choices, validators=validators, validate_choice=False
        )
    return RadioField(label, choices=choices, validators=validators, validate_choice=False)


def page_answers(page: Page, form: FlaskForm) -> dict[str, Any]:
    return {q.id: answer_value(q, form[q.id].data) for q in page.questions}


class CodeFormat:
    """A code as people type it: 8 of the codes' letters and numbers, in any case, with
    spaces, hyphens or other marks anywhere (app.respond.drafts.normalise_code ignores
    them). A letter or number codes never use is named: people mistype O for 0, I for 1."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        raw = "".join(ch for ch in (field.data or "").upper() if ch.isalnum())
        wrong = list(dict.fromkeys(ch for ch in raw if ch not in CODE_ALPHABET))[:3]
        if wrong:
            raise ValidationError(
                _l("Check your code. Codes never have %(what)s in them", what=_or(wrong))
            )
        if raw and len(raw) != CODE_LENGTH:
            raise ValidationError(_l("Your code has 8 letters and numbers, like KX4T-9MPA"))


def _or(characters: list[str]) -> str:
    """ "the letter O or the number 0" """
    words = [
        _l("the letter %(ch)s", ch=ch) if ch.isalpha() else _l("the number %(ch)s", ch=ch)
        for ch in characters
    ]
    return str(_l(" or ")).join(str(word) for word in words)


class ResumeForm(FlaskForm):
    """A code typed in a code box: a save-and-resume code or a receipt code."""

    code = StringField(
        _l("Your code"),
        validators=[
            DataRequired(_l("Enter your code")),
            Length(max=20, message=_l("Your code has 8 letters and numbers, like KX4T-9MPA")),
            CodeFormat(),
        ],
    )


class ContactForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter your email address")),
            Email(_l("Enter an email address in the correct format, like name@example.com")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        ],
    )
    consent = BooleanField(
        _l("I agree that you keep my email address to tell me when the results are published"),
        validators=[InputRequired(_l("Tick the box to say you agree, or leave this page"))],
    )


class DisplayForm(FlaskForm):
    text_size = RadioField(_l("Text size"), choices=choices(TEXT_SIZES), default="standard")
    theme = RadioField(_l("Colours"), choices=choices(THEMES), default="default")
    spacing = RadioField(_l("Line spacing"), choices=choices(SPACINGS), default="standard")
    next = HiddenField()
