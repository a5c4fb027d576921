"""What each kind of email says: its subject, plain-text paragraphs and links.

The same fields fill these words for SMTP and the council's GOV.UK Notify templates (the
README lists those templates and their placeholders). Fields are links and titles made
by the platform; nothing a respondent wrote ever goes into an email.
"""

from dataclasses import dataclass
from string import Formatter

from markupsafe import Markup

RESULTS_PUBLISHED = "results_published"
REPORT_WITH_FORUM = "report_with_forum"
REPORT_SIGNED_OFF = "report_signed_off"
STAFF_INVITE = "staff_invite"
PASSWORD_RESET = "password_reset"

_FORMATTER = Formatter()
SIGNATURE = "From the Your voice in Herefordshire SEND team."


@dataclass(frozen=True)
class Link:
    """A link on a line of its own: FIELD holds the address, TEXT says where it goes."""

    field: str
    text: str


@dataclass(frozen=True)
class Kind:
    id: str
    label: str  # what the officer sees on the outbox page
    subject: str
    body: tuple[str | Link, ...]
    # To a parent carer: their address is blanked once sent, and a message that failed
    # goes with the retention purge.
    to_parent_carer: bool = False
    # Whether the officer may copy its links from the outbox page. Never a password reset
    # (that would let an officer take over another person's account) nor a parent carer's
    # removal link.
    officer_may_copy: bool = True

    @property
    def fields(self) -> frozenset[str]:
        """Every field the words need (Notify's placeholders)."""
        names = {part.field for part in self.body if isinstance(part, Link)}
        for text in (self.subject, *(p for p in self.body if isinstance(p, str))):
            names |= {name for _, name, _, _ in _FORMATTER.parse(text) if name}
        return frozenset(names)

    @property
    def links(self) -> tuple[str, ...]:
        return tuple(part.field for part in self.body if isinstance(part, Link))


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str


KINDS: dict[str, Kind] = {
    kind.id: kind
    for kind in (
        Kind(
            RESULTS_PUBLISHED,
            "Results published (to a parent carer)",
            "Results published: {survey_title}",
            (
                "Thank you for answering {survey_title}. You asked us to email you when the "
                "results were published.",
                "You can now read what people said and what we are doing about it.",
                Link("report_url", "Read the results"),
                "We have now deleted your email address from our list for this survey, so "
                "this is the only email you will get from us about it.",
                "If you also left your email address for another of our surveys and want it "
                "removed from there too, use this link.",
                Link("remove_url", "Remove my email address"),
            ),
            to_parent_carer=True,
            officer_may_copy=False,
        ),
        Kind(
            REPORT_WITH_FORUM,
            "Report sent to the forum",
            "A report is ready for the forum: {report_title}",
            (
                "The engagement officer has sent the report {report_title} to the parent "
                "carer forum.",
                "Please read it, comment on it, and sign it off or send it back. You will "
                "need to sign in.",
                Link("report_url", "Open the report"),
            ),
        ),
        Kind(
            REPORT_SIGNED_OFF,
            "Report signed off (to officers)",
            "The forum has signed off {report_title}",
            (
                "The parent carer forum has signed off the report {report_title}.",
                "You can now publish it. You will need to sign in.",
                Link("report_url", "Open the report"),
            ),
        ),
        Kind(
            STAFF_INVITE,
            "Invitation to a staff account",
            "Your account for Your voice in Herefordshire SEND",
            (
                "An account has been made for you on Your voice in Herefordshire SEND.",
                "Set your password with this link. It works once, for 7 days.",
                Link("set_password_url", "Set your password"),
                "If you did not expect this email, you can ignore it.",
            ),
        ),
        Kind(
            PASSWORD_RESET,
            "Link to set a new password",
            "Set a new password for Your voice in Herefordshire SEND",
            (
                "Someone asked for a link to set a new password for your account.",
                "The link works once, for 7 days.",
                Link("set_password_url", "Set a new password"),
                "If it was not you, ignore this email: your password has not changed.",
            ),
            officer_may_copy=False,
        ),
    )
}


# The kinds whose addresses are parent carers': blanked once sent, purged with retention.
TO_PARENT_CARERS = frozenset(kind.id for kind in KINDS.values() if kind.to_parent_carer)


def render(kind: Kind, fields: dict[str, str]) -> Email:
    """The email of KIND filled in with FIELDS, as plain text and simple HTML."""
    # One line: a line break in a header would end it (and could start another).
    subject = " ".join(kind.subject.format(**fields).split())
    text, html = [], []
    for part in kind.body:
        if isinstance(part, Link):
            url = fields[part.field]
            text.append(f"{part.text}:\n{url}")
            html.append(Markup('<p><a href="{}">{}</a></p>').format(url, part.text))
        else:
            paragraph = part.format(**fields)
            text.append(paragraph)
            html.append(Markup("<p>{}</p>").format(paragraph))
    text.append(SIGNATURE)
    html.append(Markup("<p>{}</p>").format(SIGNATURE))
    page = Markup(
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{}</title></head>\n'
        '<body style="font-family: Arial, sans-serif; font-size: 19px; line-height: 1.5; '
        'color: #0b0c0c; max-width: 40em">\n{}\n</body>\n</html>\n'
    ).format(subject, Markup("\n").join(html))
    return Email(subject=subject, text="\n\n".join(text) + "\n", html=str(page))
