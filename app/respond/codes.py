"""What a code typed in a code box is: a receipt, saved answers, or nothing we know.

Receipt codes and save-and-resume codes look alike (app.respond.drafts.new_code), so a
person cannot be expected to know which box takes which: every code box asks here.
"""

from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Response
from app.respond.drafts import find_draft, normalise_code


class CodeKind(Enum):
    RECEIPT = "receipt"
    SAVED = "saved"
    # A save-and-resume code whose answers have since been sent.
    SENT = "sent"
    UNKNOWN = "unknown"


def kind_of_code(session: Session, code: str) -> CodeKind:
    """Which kind of code CODE is, as typed (any case, spaces and hyphens anywhere)."""
    receipt = session.scalar(
        select(Response.id).where(Response.receipt_code == normalise_code(code))
    )
    if receipt is not None:
        return CodeKind.RECEIPT
    draft = find_draft(session, code)
    if draft is None:
        return CodeKind.UNKNOWN
    return CodeKind.SENT if draft.submitted_at else CodeKind.SAVED
