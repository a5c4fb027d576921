"""The action log: what is being done about what people said, by whom and by when."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import record
from app.models import Action, ActionStatus, ActionUpdate, User

FINISHED = {ActionStatus.DONE.value, ActionStatus.DROPPED.value}
STATUS_WORDS = {
    ActionStatus.PLANNED.value: "Planned",
    ActionStatus.IN_PROGRESS.value: "In progress",
    ActionStatus.DONE.value: "Done",
    ActionStatus.DROPPED.value: "Stopped",
}


def is_overdue(action: Action, today: date) -> bool:
    """Past its date and not finished: shown as overdue, as the scrutiny committee asked."""
    return action.status not in FINISHED and action.due_on < today


def all_actions(session: Session, survey_id: str | None = None) -> list[Action]:
    """Actions, soonest due first; only those for SURVEY_ID when given."""
    query = select(Action).order_by(Action.due_on, Action.id)
    if survey_id is not None:
        query = query.where(Action.survey_id == survey_id)
    return list(session.scalars(query))


def add_progress(session: Session, action: Action, note: str, status: str, user: User) -> None:
    """A progress note, moving the action to STATUS. Does not commit."""
    action.status = status
    session.add(ActionUpdate(action=action, note=note, status=status, user=user))
    record(session, user, "action.progress", f"action:{action.id}", status=status)
