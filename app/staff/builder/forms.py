"""The builder's forms: what the officer may type, with GOV.UK-style messages. Whether
the survey that results is valid is the survey loader's to say (saving.py)."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from app.forms import choices
from app.staff.builder.answers import KINDS
from app.staff.builder.outline import slug, unused
from app.surveys.files import SURVEY_ID
from app.surveys.schema import FREE_TEXT_LIMIT
from app.text import printable_field

AUDIENCES = {
    "child": _l("Children up to age 10 (faces and easy read)"),
    "young_person": _l("Young people aged 11 to 25"),
    "parent_carer": _l("Parent carers"),
}
# The survey each template starts from: its introductions and its standard questions.
TEMPLATES = {"child": "children", "young_person": "young-people", "parent_carer": "parent-carers"}
COPY = "copy"
# Generous for any real survey (the shipped ones are under 12 KB) and far short of a
# file that would tie up a worker while it is read.
UPLOAD_LIMIT = 100 * 1024
MAX_OPTIONS = 30
MAX_LABEL = 200
QUESTION_ID = r"^[a-z][a-z0-9_]*$"


class NewSurveyForm(FlaskForm):
    start_from = RadioField(
        _l("What do you want to start from?"),
        choices=[*choices(AUDIENCES), SelectChoice(COPY, _l("A copy of a survey we already have"))],
        validators=[InputRequired(_l("Select what to start from"))],
    )
    copy_of = SelectField(_l("Survey to copy (if you start from a copy)"), validate_choice=False)
    survey_id = StringField(
        _l("Web address of the survey"),
        filters=[printable_field, lambda value: (value or "").strip().lower()],
        validators=[
            DataRequired(_l("Enter the web address of the survey")),
            Length(max=64, message=_l("Web address must be 64 characters or fewer")),
            Regexp(
                SURVEY_ID.pattern,
                message=_l(
                    "Web address must start with a letter and use only lowercase letters, "
                    "numbers and hyphens, like short-breaks-2026"
                ),
            ),
        ],
    )
    title = StringField(
        _l("Title"),
        filters=[printable_field],
        validators=[
            DataRequired(_l("Enter the survey's title")),
            Length(max=120, message=_l("Title must be 120 characters or fewer")),
        ],
    )

    def validate_copy_of(self, field: SelectField) -> None:
        if self.start_from.data == COPY and field.data not in {
            c.value for c in field.choices if c.value
        }:
            raise ValidationError(_l("Select the survey to copy"))


class BasedOn:
    """Every builder form carries the version its page showed, so a save made from an
    older version than the newest (someone else saved meanwhile) is refused."""

    based_on = IntegerField(widget=HiddenInput(), validators=[Optional()])


class DetailsForm(BasedOn, FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[printable_field],
        validators=[
            DataRequired(_l("Enter the survey's title")),
            Length(max=120, message=_l("Title must be 120 characters or fewer")),
        ],
    )
    audience = RadioField(
        _l("Who answers it"),
        choices=choices(AUDIENCES),
        validators=[InputRequired(_l("Select who answers the survey"))],
    )
    intro = TextAreaField(
        _l("Introduction"),
        filters=[printable_field],
        validators=[
            DataRequired(_l("Enter an introduction")),
            Length(max=2000, message=_l("Introduction must be 2000 characters or fewer")),
        ],
    )
    easy_read = TextAreaField(
        _l("Introduction in easy read"),
        filters=[printable_field],
        validators=[
            DataRequired(_l("Enter the introduction in easy read")),
            Length(max=1000, message=_l("Easy-read introduction must be 1000 characters or fewer")),
        ],
    )
    privacy = TextAreaField(
        _l("Privacy words for this survey (optional)"),
        filters=[printable_field],
        validators=[Length(max=1000, message=_l("Privacy words must be 1000 characters or fewer"))],
    )


class OptionRow(Form):
    # An existing option keeps its id (answers are stored by it); a new one gets one made
    # from its words. Checked by QuestionForm, so an error is one message, not a row's.
    id = HiddenField()
    label = StringField(_l("Option"), filters=[printable_field])


class QuestionForm(BasedOn, FlaskForm):
    kind_was = HiddenField()
    text = TextAreaField(
        _l("Question"),
        filters=[printable_field],
        validators=[
            DataRequired(_l("Enter the question")),
            Length(max=300, message=_l("Question must be 300 characters or fewer")),
        ],
    )
    hint = TextAreaField(
        _l("Hint (optional)"),
        filters=[printable_field],
        validators=[Length(max=300, message=_l("Hint must be 300 characters or fewer"))],
    )
    heading = StringField(
        _l("Heading above the question (optional)"),
        filters=[printable_field],
        validators=[Length(max=80, message=_l("Heading must be 80 characters or fewer"))],
    )
    kind = RadioField(
        _l("How do people answer?"),
        choices=[SelectChoice(name, kind.label) for name, kind in KINDS.items()],
        validate_choice=False,
        validators=[InputRequired(_l("Select how people answer"))],
    )
    options = FieldList(FormField(OptionRow), max_entries=MAX_OPTIONS)
    max_length = IntegerField(
        _l("Most characters people may write"),
        default=1000,
        validators=[
            Optional(),
            NumberRange(
                1,
                FREE_TEXT_LIMIT,
                message=_l("Most characters must be between 1 and %(most)s", most=FREE_TEXT_LIMIT),
            ),
        ],
    )
    show_if = SelectMultipleField(_l("Ask it only after these answers"), validate_choice=False)
    question_id = StringField(
        _l("Name in downloads (optional)"),
        filters=[printable_field, lambda value: (value or "").strip()],
        validators=[
            Length(max=64, message=_l("Name in downloads must be 64 characters or fewer")),
            Regexp(
                r"^$|" + QUESTION_ID,
                message=_l(
                    "Name in downloads must start with a letter and use only lowercase "
                    "letters, numbers and underscores, like enjoy_short_breaks"
                ),
            ),
        ],
    )
    confirm_measure = BooleanField(_l("I understand that the measure's trend will break"))

    def validate_kind(self, field: RadioField) -> None:
        if field.data not in KINDS:
            raise ValidationError(_l("Select how people answer"))
        labels = [row.form.label.data for row in self.options if row.form.label.data]
        if any(len(label) > MAX_LABEL for label in labels):
            raise ValidationError(
                _l("Each option must be %(most)s characters or fewer", most=MAX_LABEL)
            )
        if KINDS[field.data].own_options and len(labels) < 2:
            raise ValidationError(_l("Enter at least 2 options"))

    def validate_show_if(self, field: SelectMultipleField) -> None:
        asked = {value.partition(":")[0] for value in field.data or ()}
        if len(asked) > 1:
            raise ValidationError(_l("Choose answers to one earlier question only"))

    def question(self, original: dict[str, Any] | None, taken: set[str]) -> dict[str, Any]:
        """The question as the form describes it, keeping what the form does not show
        (easy-read words, translations, faces) from ORIGINAL. TAKEN: the survey's other
        question ids, which a made-up id must avoid."""
        kind = KINDS[self.kind.data]
        question = dict(original or {})
        for removed in ("options", "max_length", "show_if", "hint"):
            question.pop(removed, None)
        question_id = self.question_id.data or (
            original["id"] if original else unused(slug(self.text.data), taken)
        )
        question.update(id=question_id, type=kind.type, text=self.text.data)
        if original and original["type"] == "face_scale" and kind.own_options:
            question["type"] = "face_scale"  # a hand-written face scale keeps its faces
        if self.hint.data:
            question["hint"] = self.hint.data
        if kind.type == "free_text":
            question["max_length"] = self.max_length.data or 1000
        elif self.kind.data != self.kind_was.data:
            question["options"] = kind.default_options() or self._rows({})
        else:
            faces = {o["id"]: o["face"] for o in (original or {}).get("options", ()) if "face" in o}
            question["options"] = self._rows(faces)
        if self.show_if.data:
            asked = self.show_if.data[0].partition(":")[0]
            question["show_if"] = {
                "question": asked,
                "any_of": [value.partition(":")[2] for value in self.show_if.data],
            }
        return question

    def _rows(self, faces: dict[str, str]) -> list[dict[str, str]]:
        rows = [row.form for row in self.options if row.form.label.data]
        taken = {row.id.data for row in rows if row.id.data}
        options = []
        for row in rows:
            option_id = row.id.data
            if not option_id:
                option_id = unused(slug(row.label.data), taken)
                taken.add(option_id)
            option = {"id": option_id, "label": row.label.data}
            if option_id in faces:
                option["face"] = faces[option_id]
            options.append(option)
        return options


class ConfirmForm(BasedOn, FlaskForm):
    """A button that changes the survey, such as Remove, with its version."""

    confirm_measure = BooleanField(_l("I understand that the measure's trend will break"))


class MoveForm(BasedOn, FlaskForm):
    direction = HiddenField()


class ImportForm(FlaskForm):
    file = FileField(
        _l("Survey file"),
        validators=[
            FileRequired(_l("Select a survey file")),
            FileAllowed(["yaml", "yml"], _l("The file must be a YAML file (.yaml)")),
            FileSize(
                max_size=UPLOAD_LIMIT,
                message=_l("The file must be smaller than %(size)s KB", size=UPLOAD_LIMIT // 1024),
            ),
        ],
    )
    survey_id = StringField(
        _l("Web address of the survey (optional)"),
        filters=[printable_field, lambda value: (value or "").strip().lower()],
        validators=[
            Length(max=64, message=_l("Web address must be 64 characters or fewer")),
            Regexp(
                r"^$|" + SURVEY_ID.pattern,
                message=_l(
                    "Web address must start with a letter and use only lowercase letters, "
                    "numbers and hyphens, like short-breaks-2026"
                ),
            ),
        ],
    )


class ReadingAgeForm(FlaskForm):
    """The question form's words, posted by the page's script as the officer types."""

    text = StringField(validators=[Length(max=300)])
    hint = StringField(validators=[Length(max=300)])
    labels = FieldList(StringField(validators=[Length(max=200)]), max_entries=MAX_OPTIONS)
