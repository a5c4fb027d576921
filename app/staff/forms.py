"""Staff forms. Validation lives here, with messages in GOV.UK style."""

import contextlib
import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import (
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Regexp,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from analysis.periods import FIRST_DATE
from app.forms import choices
from app.models import Channel, SurveyStatus
from app.models.surveys import PAPER_RETURN_TO_LENGTH
from app.respond.forms import page_answers, page_form
from app.staff.passwords import personal_words, weakness
from app.surveys.answers import is_shown
from app.surveys.schema import DEFAULT_LANGUAGE, Page, SurveyDefinition
from app.templating import error_list
from app.text import printable_field
from app.time import today_in_london

MIN_PASSWORD = 12
MAX_PASSWORD = 200


class SignInForm(FlaskForm):
    # Cleaned before it reaches the database: PostgreSQL refuses a NUL in any text.
    email = EmailField(
        _l("Email address"),
        filters=[printable_field],
        validators=[DataRequired(_l("Enter your email address"))],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password"))])


class HardToGuess:
    """A password zxcvbn rates hard to guess, counting the form's `personal` details (the
    account's email address) and the service's name as the first guesses; the message
    passes on zxcvbn's advice."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.errors:  # too short or too long already says what to change
            return
        personal = personal_words(current_app.config["SERVICE_NAME"], *form.personal)
        advice = weakness(field.data or "", personal)
        if advice is not None:
            first, *rest = advice
            raise ValidationError(
                _l(
                    "Choose a password that is harder to guess: %(advice)s",
                    advice=" ".join([first[0].lower() + first[1:], *rest]),
                )
            )


class SetPasswordForm(FlaskForm):
    """Every way of setting a password goes through this form, so through HardToGuess."""

    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter a new password")),
            Length(
                min=MIN_PASSWORD,
                message=_l("Password must be %(count)s characters or more", count=MIN_PASSWORD),
            ),
            Length(
                max=MAX_PASSWORD,
                message=_l("Password must be %(count)s characters or fewer", count=MAX_PASSWORD),
            ),
            HardToGuess(),
        ],
    )
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[
            DataRequired(_l("Type the password again")),
            EqualTo("password", message=_l("The passwords do not match")),
        ],
    )

    def __init__(self, *args, personal: Sequence[str] = (), **kwargs):
        """PERSONAL: the account's own details (its email address), which the password
        must not be made of."""
        super().__init__(*args, **kwargs)
        self.personal = personal


class CodeForm(FlaskForm):
    """A code from an authenticator app, or a recovery code, as a second step of signing in."""

    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(_l("Enter the code from your authenticator app")),
            Length(max=40, message=_l("Code must be 40 characters or fewer")),
        ],
    )


class HandledForm(FlaskForm):
    note = TextAreaField(
        _l("What was done"),
        filters=[printable_field],
        validators=[
            DataRequired(_l("Enter what was done")),
            Length(max=5000, message=_l("What was done must be 5000 characters or fewer")),
        ],
    )


class HourStart:
    """An hour's start in UTC as the burst list writes it: 2026-12-05T10:00Z."""

    FORMAT = "%Y-%m-%dT%H:%MZ"

    def __call__(self, form: FlaskForm, field: Field) -> None:
        try:
            parsed = datetime.strptime(field.data or "", self.FORMAT)
        except ValueError:
            raise ValidationError(_l("Choose a burst from the list")) from None
        if parsed.minute:
            raise ValidationError(_l("Choose a burst from the list"))


class BurstForm(FlaskForm):
    """Which burst to quarantine or release: a survey and the hour it came in."""

    survey = HiddenField(validators=[DataRequired(_l("Choose a burst from the list"))])
    starts_at = HiddenField(validators=[HourStart()])

    def hour(self) -> datetime:
        return datetime.strptime(self.starts_at.data, HourStart.FORMAT).replace(tzinfo=UTC)


class Chosen:
    """The answer is one of the field's choices (set by the view), with a GOV.UK message."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form: FlaskForm, field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(self.message)


class DateInput(Field):
    """A GOV.UK date input: boxes NAME-day, NAME-month and NAME-year read as one date.

    `data` is the date, or None when all three boxes are empty; `parts` keeps what was
    typed so a wrong date comes back as it was typed. Problems read like GOV.UK's ("Closing
    date must include a month"), where WTForms would say "Not a valid integer value".
    """

    PARTS = ("day", "month", "year")

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = self.data = data
        self.parts = {
            "day": str(data.day) if data else "",
            "month": str(data.month) if data else "",
            "year": str(data.year) if data else "",
        }
        if formdata is None or not any(f"{self.name}-{part}" in formdata for part in self.PARTS):
            return
        self.parts = {part: formdata.get(f"{self.name}-{part}", "").strip() for part in self.PARTS}
        self.raw_data = list(self.parts.values())
        self.data = None
        if any(self.parts.values()):
            self.data = self._read()

    def _read(self) -> date | None:
        missing = [part for part, text in self.parts.items() if not text]
        if missing:
            self.process_errors.append(
                _l(
                    "%(what)s must include a %(parts)s",
                    what=self.label.text,
                    parts=" and ".join(missing),
                )
            )
            return None
        day, month, year = (self.parts[part] for part in self.PARTS)
        if not all(text.isascii() and text.isdigit() for text in (day, month, year)):
            self.process_errors.append(_l("%(what)s must be a real date", what=self.label.text))
            return None
        if len(year) != 4:
            self.process_errors.append(_l("Year must include 4 numbers"))
            return None
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            self.process_errors.append(_l("%(what)s must be a real date", what=self.label.text))
            return None


class DateEntered:
    """A date input that must not be left empty."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form: FlaskForm, field: DateInput) -> None:
        if not any(field.parts.values()):
            raise ValidationError(self.message)


class ActionForm(FlaskForm):
    survey_id = SelectField(
        _l("Survey it answers"), validate_choice=False, validators=[Chosen(_l("Select a survey"))]
    )
    theme = SelectField(
        _l("Theme"), validate_choice=False, validators=[Chosen(_l("Select a theme"))]
    )
    you_said = TextAreaField(
        _l("You said"),
        filters=[printable_field],
        validators=[
            DataRequired(_l("Enter what people said")),
            Length(max=2000, message=_l("You said must be 2000 characters or fewer")),
        ],
    )
    we_will = TextAreaField(
        _l("We will (or we did)"),
        filters=[printable_field],
        validators=[
            DataRequired(_l("Enter what is being done")),
            Length(max=2000, message=_l("We will must be 2000 characters or fewer")),
        ],
    )
    owner = StringField(
        _l("Owner (a role or team, not a person's name)"),
        filters=[printable_field],
        validators=[
            DataRequired(_l("Enter who owns this action")),
            Length(max=200, message=_l("Owner must be 200 characters or fewer")),
        ],
    )
    due_on = DateInput(_l("Due by"), validators=[DateEntered(_l("Enter the date it is due by"))])
    success_measure = TextAreaField(
        _l("How we will know it worked"),
        filters=[printable_field],
        validators=[
            DataRequired(_l("Enter how you will know it worked")),
            Length(max=2000, message=_l("How we will know must be 2000 characters or fewer")),
        ],
    )
    status = RadioField(
        _l("Status"),
        validate_choice=False,
        default="planned",
        validators=[Chosen(_l("Select the status"))],
    )


class ProgressForm(FlaskForm):
    note = TextAreaField(
        _l("Progress"),
        filters=[printable_field],
        validators=[
            DataRequired(_l("Enter what has happened")),
            Length(max=2000, message=_l("Progress must be 2000 characters or fewer")),
        ],
    )
    status = RadioField(
        _l("Status now"), validate_choice=False, validators=[Chosen(_l("Select the status"))]
    )


class NewReportForm(FlaskForm):
    survey_id = SelectField(
        _l("Survey"), validate_choice=False, validators=[Chosen(_l("Select a survey"))]
    )
    period = SelectField(
        _l("Year"), validate_choice=False, validators=[Chosen(_l("Select a year"))]
    )
    # The (survey id, year) pairs that have answers, set by the view: a report of a year
    # nobody answered would be empty.
    answered: frozenset[tuple[str, str]] = frozenset()

    def validate_period(self, field: Field) -> None:
        chosen = (self.survey_id.data, field.data)
        if all(chosen) and chosen not in self.answered:
            raise ValidationError(_l("Select a year in which people answered this survey"))


class ReportStepForm(FlaskForm):
    """A step of a report (sign off, publish, return to draft): the version of the report
    the page showed, so that a second press or an old page is refused."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ReportTextForm(ReportStepForm):
    introduction = TextAreaField(
        _l("Introduction"),
        filters=[printable_field],
        validators=[Length(max=5000, message=_l("Introduction must be 5000 characters or fewer"))],
    )
    child_summary = TextAreaField(
        _l("For children and young people: short sentences, one idea each"),
        filters=[printable_field],
        validators=[
            Length(max=2000, message=_l("The short version must be 2000 characters or fewer"))
        ],
    )
    # The second button: save what was typed, then send it, in one transaction.
    send = SubmitField(_l("Save and send to the parent carer forum"))


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        filters=[printable_field],
        validators=[
            DataRequired(_l("Enter your comment")),
            Length(max=5000, message=_l("Your comment must be 5000 characters or fewer")),
        ],
    )


# The officer's workspace: survey settings and targets, paper data entry, the CSV import,
# the responses browser and exports, and survey wording.


SURVEY_STATUSES = {
    SurveyStatus.DRAFT.value: _l("Draft: only staff can see it"),
    SurveyStatus.OPEN.value: _l("Open: people can answer it between its dates"),
    SurveyStatus.CLOSED.value: _l("Closed: it takes no new answers"),
}


class SurveySettingsForm(FlaskForm):
    status = RadioField(
        _l("Status"),
        choices=choices(SURVEY_STATUSES),
        validate_choice=False,
        validators=[Chosen(_l("Select the survey's status"))],
    )
    opens_on = DateInput(_l("Opening date"))
    closes_on = DateInput(_l("Closing date"))
    feedback_by = DateInput(_l("Date people will hear what was done"))

    def validate_closes_on(self, field: DateInput) -> None:
        if field.data is None:
            return
        if self.opens_on.data is not None and field.data < self.opens_on.data:
            raise ValidationError(_l("Closing date must be the same as or after the opening date"))
        if self.status.data == SurveyStatus.OPEN.value and field.data < today_in_london():
            raise ValidationError(
                _l("Closing date must be today or later for an open survey, or choose Closed")
            )

    def validate_feedback_by(self, field: DateInput) -> None:
        if field.data is not None and self.closes_on.data and field.data < self.closes_on.data:
            raise ValidationError(
                _l(
                    "Date people will hear what was done must be the same as or after the "
                    "closing date"
                )
            )


MAX_TARGET = 100_000


class WholeNumber:
    """Empty, or a whole number from 0 to MAX_TARGET."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form: FlaskForm, field: Field) -> None:
        text = (field.data or "").strip()
        if text and not (text.isascii() and text.isdigit() and int(text) <= MAX_TARGET):
            raise ValidationError(self.message)


def targets_form(groups: list[tuple[str, str]], current: dict[str, int]) -> FlaskForm:
    """A form with one box for each group (field name, label): the number of answers
    hoped for from it, empty for no target. CURRENT fills the boxes."""

    class TargetsForm(FlaskForm):
        def targets(self) -> dict[str, int | None]:
            """Each group's target; None where the box is empty."""
            return {name: int(self[name].data) if self[name].data else None for name, _ in groups}

    for name, label in groups:
        message = _l("Target for %(group)s must be a whole number, like 20", group=label)
        setattr(
            TargetsForm,
            name,
            StringField(label, filters=[_stripped], validators=[WholeNumber(message)]),
        )
    return TargetsForm(data={name: str(current[name]) for name, _ in groups if name in current})


def _stripped(text: str | None) -> str | None:
    return text.strip() if text else text


class PaperSettingsForm(FlaskForm):
    """Where and by when the paper version goes back, printed on every copy."""

    paper_return_to = StringField(
        _l("Where to hand it back"),
        filters=[printable_field, _stripped],
        validators=[
            DataRequired(_l("Enter where to hand the paper version back")),
            Length(
                max=PAPER_RETURN_TO_LENGTH,
                message=_l(
                    "Where to hand it back must be %(max)s characters or fewer",
                    max=PAPER_RETURN_TO_LENGTH,
                ),
            ),
        ],
    )
    paper_return_by = DateInput(
        _l("Date to hand it back by"),
        validators=[DateEntered(_l("Enter the date to hand it back by"))],
    )

    def validate_paper_return_by(self, field: DateInput) -> None:
        if field.data is not None and field.data < today_in_london():
            raise ValidationError(_l("Date to hand it back by must be today or in the future"))


ENTRY_CHANNELS = {
    Channel.PAPER.value: _l("On paper"),
    Channel.EVENT.value: _l("At an event"),
    Channel.PHONE.value: _l("Over the phone"),
}


class EntryDetailsForm(FlaskForm):
    """How and when a response gathered away from the website was given."""

    channel = RadioField(
        _l("How was it filled in?"),
        choices=choices(ENTRY_CHANNELS),
        validate_choice=False,
        validators=[Chosen(_l("Select how it was filled in"))],
    )
    filled_in_on = DateInput(
        _l("Date it was filled in"),
        validators=[DateEntered(_l("Enter the date it was filled in"))],
    )
    # Stored with the response, so sending the same form twice stores it once.
    entry_key = HiddenField(validators=[Regexp(r"^[A-Za-z0-9_-]{16,64}$")])

    def validate_filled_in_on(self, field: DateInput) -> None:
        if field.data is not None and field.data > today_in_london():
            raise ValidationError(_l("Date it was filled in must be today or in the past"))
        if field.data is not None and field.data < FIRST_DATE:
            raise ValidationError(_l("Date it was filled in must be 1 January 2000 or later"))


class PaperEntry:
    """The data-entry form for one survey: its details (EntryDetailsForm) and every
    question of the survey on one page, built by the respondent journey's `page_form`.

    On paper every question is printed, so someone may answer a question the website
    would have skipped; that is refused with a message, never dropped quietly.
    """

    def __init__(self, definition: SurveyDefinition, formdata=None, carried=None):
        """CARRIED (channel, on: an ISO date) fills in the details of the response typed
        in before, as a pile of forms from one coffee morning share them."""
        self.definition = definition
        self.page = Page(id="paper", questions=definition.questions())
        self.details = EntryDetailsForm(formdata=formdata, data=_carried_details(carried or {}))
        self.questions = page_form(self.page, DEFAULT_LANGUAGE, {}, formdata=formdata)
        self.numbers = {q.id: n for n, q in enumerate(definition.questions(), start=1)}
        if formdata is None:
            self.details.entry_key.data = secrets.token_urlsafe(16)

    def answers(self) -> dict[str, Any]:
        return {qid: v for qid, v in page_answers(self.page, self.questions).items() if v}

    def validate_on_submit(self) -> bool:
        if not self.details.is_submitted():
            return False
        valid = self.details.validate()
        valid = self.questions.validate() and valid
        if not valid:
            return False
        answers = self.answers()
        if not answers:
            first = self.definition.questions()[0].id
            self.questions[first].errors.append(_l("Enter at least one answer"))
            return False
        for question in self.definition.questions():
            if question.id in answers and not is_shown(question, answers):
                self.questions[question.id].errors.append(
                    _l(
                        "Leave question %(number)s empty: it is only for people who gave "
                        "certain answers to question %(earlier)s",
                        number=self.numbers[question.id],
                        earlier=self.numbers[question.show_if.question],
                    )
                )
        return not any(self.questions[q.id].errors for q in self.definition.questions())

    def error_list(self) -> list[dict[str, str]]:
        return error_list(self.details) + error_list(self.questions)


def _carried_details(carried) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if carried.get("channel") in ENTRY_CHANNELS:
        details["channel"] = carried["channel"]
    with contextlib.suppress(ValueError):  # a date that is not a date: left to be typed
        details["filled_in_on"] = date.fromisoformat(carried.get("on", ""))
    return details


MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportForm(FlaskForm):
    file = FileField(
        _l("Upload a CSV or XLSX file"),
        validators=[
            FileRequired(_l("Select a CSV or XLSX file")),
            FileAllowed(["csv", "xlsx"], _l("The selected file must be a CSV or XLSX file")),
            FileSize(MAX_IMPORT_BYTES, message=_l("The selected file must be smaller than 5MB")),
        ],
    )


class SurveyYearFilterForm(FlaskForm):
    """The survey and year a staff list is filtered by. Sent in the address (GET), so it
    has no token; the choices are set by the view, an empty value meaning "all"."""

    class Meta:
        csrf = False

    survey = SelectField(
        _l("Survey"), validate_choice=False, default="", validators=[Chosen(_l("Select a survey"))]
    )
    period = SelectField(
        _l("Year (1 September to 31 August)"),
        validate_choice=False,
        default="",
        validators=[Chosen(_l("Select a year"))],
    )


class ResponseFilterForm(SurveyYearFilterForm):
    """Which responses to show or export."""

    audience = SelectField(
        _l("Who answered"),
        validate_choice=False,
        default="",
        validators=[Chosen(_l("Select who answered"))],
    )
    area = SelectField(
        _l("Where they live"),
        validate_choice=False,
        default="",
        validators=[Chosen(_l("Select an area"))],
    )
    theme = SelectField(
        _l("Theme of their comments"),
        validate_choice=False,
        default="",
        validators=[Chosen(_l("Select a theme"))],
    )


MAX_WORDING = 2000


def wording_form(texts: list[tuple[str, str, str, bool]]) -> FlaskForm:
    """A form with one box for each text of a survey (field name, label, current words,
    whether it is long): the words may change, never be emptied."""

    class WordingForm(FlaskForm):
        pass

    for name, label, _words, long in texts:
        field = TextAreaField if long else StringField
        validators = [
            DataRequired(_l("Enter the %(what)s", what=label[0].lower() + label[1:])),
            Length(
                max=MAX_WORDING,
                message=_l(
                    "%(what)s must be %(max)s characters or fewer", what=label, max=MAX_WORDING
                ),
            ),
        ]
        setattr(
            WordingForm,
            name,
            field(label, validators=validators, filters=[printable_field]),
        )
    return WordingForm(data={text[0]: text[2] for text in texts})


class RemoveThemeForm(FlaskForm):
    """Take one theme off one comment. The button says which, as
    "response_id:question:theme"; the view sets the one choice it may be, when that names
    a comment the page shows and a theme of the codebook."""

    remove = SelectField(
        validate_choice=False, validators=[Chosen(_l("Choose a theme on a comment to remove"))]
    )


class ThemeFilterForm(SurveyYearFilterForm):
    """Which comments the themes page lists."""

    theme = SelectField(
        _l("Theme"), validate_choice=False, default="", validators=[Chosen(_l("Select a theme"))]
    )


class EveryoneChosen:
    """At least one answer, and every answer one of the field's choices (set by the view)."""

    def __init__(self, none: str, unknown: str):
        self.none = none
        self.unknown = unknown

    def __call__(self, form: FlaskForm, field) -> None:
        if not field.data:
            raise ValidationError(self.none)
        if not set(field.data) <= {choice.value for choice in field.choices}:
            raise ValidationError(self.unknown)


class TagCommentsForm(FlaskForm):
    """Add one theme to every comment ticked. The view sets the comments' choices to those
    the page's filters show and the themes' to the codebook's, so a forged comment or
    theme is refused; the theme list starts at no theme, so none is added by mistake."""

    comments = SelectMultipleField(
        _l("Comments"),
        validate_choice=False,
        validators=[
            EveryoneChosen(
                _l("Select the comments to add a theme to"),
                _l("Select comments from the list: one of those selected is not in it"),
            )
        ],
    )
    theme = SelectField(
        _l("Theme to add to the selected comments"),
        validate_choice=False,
        validators=[Chosen(_l("Select a theme to add"))],
    )
