"""The respondent journey. One generic question page serves every question of every survey."""

from dataclasses import asdict

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError

from app.db import get_session
from app.forms import ButtonForm
from app.i18n import current_language
from app.models import Draft, Response, Survey
from app.outbox.removal import forget_address
from app.preferences import COOKIE, COOKIE_AGE, Preferences, read_preferences
from app.quarantine import PAST_ALLOWANCE
from app.ratelimit import rate_limited, within_limit
from app.respond.codes import CodeKind, kind_of_code
from app.respond.contacts import add_contact, remove_contact
from app.respond.drafts import (
    find_draft,
    is_seen,
    normalise_code,
    save_answers,
    start_draft,
    submit,
)
from app.respond.forms import (
    ContactForm,
    DisplayForm,
    ResumeForm,
    page_answers,
    page_form,
)
from app.respond.journey import (
    estimated_minutes,
    next_page,
    page_by_id,
    position,
    previous_page,
    shown_pages,
)
from app.respond.receipts import receipt_details, response_with_receipt
from app.security import local_url
from app.surveys.catalogue import Availability, availability, may_finish
from app.surveys.schema import Page
from app.surveys.versions import definition_of, latest_version
from app.time import LONDON, today_in_london
from app.urls import absolute_url

blueprint = Blueprint("respond", __name__, template_folder="templates")

CODE_PROBLEMS = {
    CodeKind.SENT: _l(
        "The answers saved with that code have been sent. To see what happened because of "
        "them, use the code you were given when you sent them"
    ),
    CodeKind.UNKNOWN: _l("We could not find that code. Check it and try again"),
}

EXPIRED_NOTICE = _l(
    "This page was open for a long time, so we could not save it yet. Your answers are "
    "still here. Press the button again to save them."
)


@blueprint.get("/s/<survey_id>")
def start(survey_id: str):
    version = _latest_or_404(survey_id)
    definition = definition_of(version)
    draft = _current_draft(survey_id)
    if not _may_answer(draft, survey_id):
        return _unavailable(survey_id, definition)
    return render_template(
        "respond/start.html",
        title=definition.title,
        definition=definition,
        survey=get_session().get(Survey, survey_id),
        survey_id=survey_id,
        minutes=estimated_minutes(definition),
        draft=draft if draft and not draft.submitted_at else None,
        form=ButtonForm(),
    )


@blueprint.post("/s/<survey_id>/start")
@rate_limited("respond")
def begin(survey_id: str):
    draft = _current_draft(survey_id)
    if not _may_answer(draft, survey_id):
        return _unavailable(survey_id, definition_of(_latest_or_404(survey_id)))
    if draft is None or draft.submitted_at:
        draft = start_draft(get_session(), _latest_or_404(survey_id))
        get_session().commit()
    _forget_sent()
    _remember(draft)
    return redirect(_continue_url(draft))


@blueprint.route("/s/<survey_id>/q/<page_id>", methods=["GET", "POST"])
def question(survey_id: str, page_id: str):
    draft = _current_draft(survey_id)
    if draft is None:
        flash(
            _("We could not find your answers. Start again, or use your code to carry on."), "info"
        )
        return redirect(url_for("respond.start", survey_id=survey_id))
    if draft.submitted_at:
        return redirect(url_for("respond.done", survey_id=survey_id))
    definition = definition_of(draft.survey_version)
    if not _may_answer(draft, survey_id):
        return _unavailable(survey_id, definition)
    page = page_by_id(definition, page_id)
    if page is None or page not in shown_pages(definition, draft.answers):
        return redirect(_continue_url(draft))

    posted = request.form if request.method == "POST" else None
    form = page_form(page, current_language(), draft.answers, formdata=posted)
    action = request.form.get("action", "continue")
    if request.method == "POST" and (action == "skip" or form.validate_on_submit()):
        answers = page_answers(page, form) if action != "skip" else {}
        save_answers(draft, {q.id: answers.get(q.id) for q in page.questions})
        get_session().commit()
        _remember(draft)
        if action == "save":
            return redirect(url_for("respond.saved", survey_id=survey_id))
        following = next_page(definition, page.id, draft.answers)
        if following is None or request.args.get("from") == "check":
            return redirect(url_for("respond.check", survey_id=survey_id))
        return redirect(url_for("respond.question", survey_id=survey_id, page_id=following.id))
    return _render_question(draft, page, form)


@blueprint.errorhandler(CSRFError)
def form_expired(error: CSRFError):
    """A form token that no longer matches (a page left open past the session): show the
    page again with what was typed still in it, rather than an error that loses it."""
    survey_id = (request.view_args or {}).get("survey_id")
    draft = _current_draft(survey_id) if survey_id else None
    page_id = (request.view_args or {}).get("page_id")
    if request.endpoint != "respond.question" or draft is None or draft.submitted_at:
        return render_template("respond/expired.html", title=_("Please try again")), 400
    _remember(draft)
    page = page_by_id(definition_of(draft.survey_version), page_id)
    if page is None:
        abort(404)
    form = page_form(page, current_language(), draft.answers, formdata=request.form)
    return _render_question(draft, page, form, status=400, notice=EXPIRED_NOTICE)


@blueprint.route("/s/<survey_id>/check", methods=["GET", "POST"])
@rate_limited("respond")
def check(survey_id: str):
    # Past one address's allowance of sends the answers are still taken (a class on one
    # school address is never turned away) but held out of the measures for the officer.
    # Counted first, as its count is a transaction of its own (app/ratelimit.py).
    held_because = (
        PAST_ALLOWANCE if request.method == "POST" and not within_limit("sends") else None
    )
    draft = _current_draft(survey_id)
    if draft is None:
        return redirect(url_for("respond.start", survey_id=survey_id))
    if draft.submitted_at:
        return redirect(url_for("respond.done", survey_id=survey_id))
    if not _may_answer(draft, survey_id):
        return _unavailable(survey_id, definition_of(draft.survey_version))
    form = ButtonForm()
    if form.validate_on_submit():
        response = submit(get_session(), draft, held_because)
        get_session().commit()
        # Only the browser that sent the answers is shown their receipt, never whoever
        # later presents the draft's code (a sent draft was turned away above).
        session["sent"] = {"survey": survey_id, "receipt": response.receipt_code}
        return redirect(url_for("respond.done", survey_id=survey_id))
    definition = definition_of(draft.survey_version)
    pages = shown_pages(definition, draft.answers)
    return render_template(
        "respond/check.html",
        title=_("Check your answers"),
        definition=definition,
        pages=pages,
        answers=draft.answers,
        survey_id=survey_id,
        draft=draft,
        form=form,
        back_url=url_for("respond.question", survey_id=survey_id, page_id=pages[-1].id),
    )


@blueprint.route("/s/<survey_id>/done", methods=["GET", "POST"])
def done(survey_id: str):
    response = _sent_response(survey_id)
    if response is None:
        return redirect(url_for("respond.start", survey_id=survey_id))
    definition = definition_of(response.survey_version)
    form = ContactForm()
    wants_email = definition.audience == "parent_carer"
    if wants_email and form.validate_on_submit():
        token = add_contact(get_session(), survey_id, form.email.data)
        get_session().commit()
        flash(_("Thank you. We will email you when the results are published."))
        session["contact_removal"] = token
        return redirect(url_for("respond.done", survey_id=survey_id))
    page = render_template(
        "respond/done.html",
        title=_("Your answers have been sent"),
        definition=definition,
        receipt=response.receipt_code,
        survey=get_session().get(Survey, survey_id),
        form=form if wants_email else None,
        removal_token=session.get("contact_removal"),
        survey_id=survey_id,
    )
    # Not kept by the browser: the back button after "Finish" must not show the code.
    return page, 200, {"Cache-Control": "no-store"}


@blueprint.post("/s/<survey_id>/finish")
def finish(survey_id: str):
    """Hand a shared tablet to the next person: forget this respondent's receipt and
    answers in this browser, and go back to the start page."""
    form = ButtonForm()
    if form.validate_on_submit():
        _forget_sent()
        drafts = session.get("drafts", {})
        session["drafts"] = {survey: code for survey, code in drafts.items() if survey != survey_id}
    return redirect(url_for("respond.start", survey_id=survey_id))


@blueprint.get("/s/<survey_id>/saved")
def saved(survey_id: str):
    draft = _current_draft(survey_id)
    if draft is None:
        return redirect(url_for("respond.start", survey_id=survey_id))
    return render_template(
        "respond/saved.html",
        title=_("Your answers are saved"),
        draft=draft,
        survey_id=survey_id,
        resume_url=absolute_url("respond.resume_link", code=draft.resume_code),
        continue_url=_continue_url(draft),
    )


@blueprint.route("/resume", methods=["GET", "POST"])
@rate_limited("codes")
def resume():
    form = ResumeForm()
    if form.validate_on_submit():
        # A receipt code typed here goes to its receipt: people cannot tell the codes apart.
        destination = _code_destination(form)
        if destination is not None:
            return redirect(destination)
    return render_template("respond/resume.html", title=_("Carry on with your answers"), form=form)


@blueprint.get("/resume/<code>")
@rate_limited("codes", methods=("GET",))
def resume_link(code: str):
    """The link from "Save and come back later": the code filled in, to confirm.

    The code is not looked up here, so the page is the same for a code that exists and
    one that does not: a guess learns nothing until it is sent, and sending is counted.
    Link previews in messaging apps, which open links by themselves, change nothing.
    """
    form = ResumeForm(data={"code": code[:20]})
    return render_template(
        "respond/resume.html", title=_("Carry on with your answers"), form=form, from_link=True
    )


@blueprint.route("/code", methods=["GET", "POST"])
@rate_limited("codes")
def enter_code():
    """Every code box posts here: a receipt code goes to what happened because of those
    answers, a save-and-resume code to the saved answers (by their own addresses, so their
    own checks apply)."""
    form = ResumeForm()
    if form.validate_on_submit():
        destination = _code_destination(form)
        if destination is not None:
            return redirect(destination)
    return render_template("respond/enter_code.html", title=_("Enter your code"), form=form)


@blueprint.get("/r/<code>")
@rate_limited("codes", methods=("GET",))
def receipt(code: str):
    details = receipt_details(get_session(), code)
    if details is None:
        return render_template("respond/receipt_unknown.html", title=_("Code not found")), 404
    return render_template(
        "respond/receipt.html", title=_("What happened to your answers"), **details
    )


@blueprint.route("/email/remove/<token>", methods=["GET", "POST"])
def remove_email(token: str):
    form = ButtonForm()
    if form.validate_on_submit():
        removed = remove_contact(get_session(), token) or forget_address(get_session(), token)
        get_session().commit()
        return render_template(
            "respond/email_removed.html", title=_("Email address removed"), removed=removed
        )
    return render_template(
        "respond/email_remove.html", title=_("Remove your email address"), form=form
    )


@blueprint.route("/display-settings", methods=["GET", "POST"])
def display_settings():
    current = read_preferences(request)
    form = DisplayForm(data={**asdict(current), "next": request.args.get("next", "")})
    if form.validate_on_submit():
        chosen = Preferences(form.text_size.data, form.theme.data, form.spacing.data)
        response = redirect(local_url(form.next.data) or url_for("public.home"))
        response.set_cookie(
            COOKIE,
            chosen.cookie_value(),
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response
    return render_template(
        "respond/display_settings.html", title=_("Change text size and colours"), form=form
    )


@blueprint.get("/privacy")
def privacy():
    # The notice says how long tries are counted; it must match what is counted.
    minutes = max(1, current_app.config["RATE_LIMITS"]["respond"][1] // 60)
    counted_for = ngettext("%(num)d minute", "%(num)d minutes", minutes)
    return render_template("respond/privacy.html", title=_("Privacy"), counted_for=counted_for)


def _latest_or_404(survey_id: str):
    version = latest_version(get_session(), survey_id)
    if version is None:
        abort(404)
    return version


def _may_answer(draft: Draft | None, survey_id: str) -> bool:
    """Whether this respondent may answer now: the survey is open, or they are finishing
    answers saved before it closed (app/surveys/catalogue.py says for how long). A draft
    survey is not found at all."""
    survey = get_session().get(Survey, survey_id)
    today = today_in_london()
    if survey is None or availability(survey, today) == Availability.HIDDEN:
        abort(404)
    if draft is None or draft.submitted_at:
        return availability(survey, today) == Availability.OPEN
    return may_finish(survey, draft.created_at.astimezone(LONDON).date(), today)


def _unavailable(survey_id: str, definition):
    """The page for a survey not open to answers: closed (and when people will hear what
    was done), or not open yet."""
    survey = get_session().get(Survey, survey_id)
    closed = availability(survey, today_in_london()) == Availability.CLOSED
    return render_template(
        "respond/unavailable.html",
        title=_("This survey has closed") if closed else _("This survey is not open yet"),
        definition=definition,
        survey=survey,
        closed=closed,
    )


def _remember(draft: Draft) -> None:
    drafts = session.get("drafts", {})
    survey_id = draft.survey_version.survey_id
    # Set only when it changes: a session set is signed and sent again as a cookie.
    if drafts.get(survey_id) != draft.resume_code:
        session["drafts"] = {**drafts, survey_id: draft.resume_code}


def _forget_sent() -> None:
    """A new respondent (on a shared tablet, the next child) never sees the last one's
    receipt or their link to remove an email address."""
    session.pop("sent", None)
    session.pop("contact_removal", None)


def _sent_response(survey_id: str) -> Response | None:
    """The response this browser sent to the survey, until a new respondent starts here."""
    sent = session.get("sent") or {}
    if sent.get("survey") != survey_id:
        return None
    return response_with_receipt(get_session(), sent.get("receipt"))


def _current_draft(survey_id: str) -> Draft | None:
    """This browser's draft of the survey: from its session, or the code the page carried
    (so a lost session cookie does not lose the answers)."""
    code = session.get("drafts", {}).get(survey_id) or request.form.get("draft")
    draft = find_draft(get_session(), code)
    if draft is None or draft.survey_version.survey_id != survey_id:
        return None
    return draft


def _code_destination(form: ResumeForm) -> str | None:
    """Where the code typed in FORM leads: its receipt, or its saved answers (the typing
    was counted against the code limit already, so they open at once); None, with the
    error on the form, if nowhere."""
    db = get_session()
    code = normalise_code(form.code.data)
    kind = kind_of_code(db, code)
    if kind is CodeKind.RECEIPT:
        return url_for("respond.receipt", code=code)
    if kind is CodeKind.SAVED:
        draft = find_draft(db, code)
        _remember(draft)
        _welcome_back(draft)
        return _continue_url(draft)
    form.code.errors.append(CODE_PROBLEMS[kind])
    return None


def _first_unseen(draft: Draft) -> Page | None:
    definition = definition_of(draft.survey_version)
    for page in shown_pages(definition, draft.answers):
        if not is_seen(draft, [q.id for q in page.questions]):
            return page
    return None


def _continue_url(draft: Draft) -> str:
    """The first shown page not yet seen, or the check-answers page when all are."""
    survey_id = draft.survey_version.survey_id
    page = _first_unseen(draft)
    if page is None:
        return url_for("respond.check", survey_id=survey_id)
    return url_for("respond.question", survey_id=survey_id, page_id=page.id)


def _welcome_back(draft: Draft) -> None:
    """Tell a person coming back with their code that it worked, and where they are."""
    page = _first_unseen(draft)
    if page is None:
        message = _(
            "Your answers are saved. You have been to every question: check them, then send them."
        )
    else:
        number, total = position(definition_of(draft.survey_version), page.id, draft.answers)
        message = _(
            "Your answers are saved. You are on question %(number)s of %(total)s.",
            number=number,
            total=total,
        )
    flash(message, "welcome")


def _render_question(draft: Draft, page, form, status: int = 200, notice: str | None = None):
    definition = definition_of(draft.survey_version)
    survey_id = draft.survey_version.survey_id
    earlier = previous_page(definition, page.id, draft.answers)
    number, total = position(definition, page.id, draft.answers)
    back = (
        url_for("respond.question", survey_id=survey_id, page_id=earlier.id)
        if earlier
        else url_for("respond.start", survey_id=survey_id)
    )
    page_html = render_template(
        "respond/question.html",
        title=_("Question %(number)s of %(total)s", number=number, total=total),
        definition=definition,
        page=page,
        form=form,
        draft=draft,
        survey_id=survey_id,
        number=number,
        total=total,
        back_url=back,
        notice=notice,
        from_check=request.args.get("from") == "check",
    )
    return page_html, status
