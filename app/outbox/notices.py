"""Who is told what: the forum when a report is sent to them, officers when the forum
signs it off, parent carers who asked when it is published; staff their one-time links."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Report, Role, User
from app.outbox.messages import (
    REPORT_SIGNED_OFF,
    REPORT_WITH_FORUM,
    RESULTS_PUBLISHED,
    STAFF_INVITE,
)
from app.outbox.queue import queue_message
from app.outbox.removal import removal_url
from app.respond.contacts import take_addresses
from app.surveys.catalogue import translate
from app.surveys.versions import definition_of, latest_version
from app.urls import absolute_url


def report_sent_to_forum(session: Session, report: Report) -> None:
    """Email every active forum member a link to the report. Does not commit."""
    _tell_staff(session, report, Role.FORUM, REPORT_WITH_FORUM)


def report_signed_off(session: Session, report: Report) -> None:
    """Email every active officer that the report can be published. Does not commit."""
    _tell_staff(session, report, Role.OFFICER, REPORT_SIGNED_OFF)


def results_published(session: Session, report: Report) -> int:
    """Email each parent carer who left an address for the report's survey a link to it,
    and delete their address from the list. How many were queued. Does not commit."""
    report_url = absolute_url(
        "public.report", survey_id=report.survey_id, period=report.period.replace("/", "-")
    )
    survey_title = _survey_title(session, report)
    addresses = take_addresses(session, report.survey_id)
    for address in addresses:
        queue_message(
            session,
            RESULTS_PUBLISHED,
            address,
            survey_title=survey_title,
            report_url=report_url,
            remove_url=removal_url(address),
        )
    return len(addresses)


def _tell_staff(session: Session, report: Report, role: Role, kind: str) -> None:
    title = f"{_survey_title(session, report)}, {report.period}"
    url = absolute_url("staff.report", report_id=report.id)
    for user in session.scalars(select(User).where(User.role == role.value, User.active)):
        queue_message(session, kind, user.email, report_title=title, report_url=url)


def _survey_title(session: Session, report: Report) -> str:
    return translate(definition_of(latest_version(session, report.survey_id)).title)


def queue_set_password_link(
    session: Session, user: User, token: str, kind: str = STAFF_INVITE
) -> str:
    """Queue the email of KIND (STAFF_INVITE or PASSWORD_RESET) carrying the one-time link
    for TOKEN (from app.staff.accounts' create_user or issue_token) to USER, and return the
    link. Does not commit."""
    url = absolute_url("staff.set_password", token=token)
    queue_message(session, kind, user.email, set_password_url=url)
    return url
