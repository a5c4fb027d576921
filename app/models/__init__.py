"""Typed SQLAlchemy models, by area: accounts, surveys and answers, feedback and reports,
the outbox."""

from app.models.accounts import AuditEvent, RateLimitWindow, Role, SignInToken, User
from app.models.feedback import (
    Action,
    ActionStatus,
    ActionUpdate,
    CorrectionAction,
    Report,
    ReportComment,
    ReportStatus,
    SafeguardingFlag,
    ThemeCorrection,
)
from app.models.outbox import MessageStatus, OutboxMessage
from app.models.surveys import (
    AdminFigure,
    Channel,
    ContactRequest,
    Draft,
    Response,
    Survey,
    SurveyStatus,
    SurveyTarget,
    SurveyVersion,
)

__all__ = [
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "AdminFigure",
    "AuditEvent",
    "Channel",
    "ContactRequest",
    "CorrectionAction",
    "Draft",
    "MessageStatus",
    "OutboxMessage",
    "RateLimitWindow",
    "Report",
    "ReportComment",
    "ReportStatus",
    "Response",
    "Role",
    "SafeguardingFlag",
    "SignInToken",
    "Survey",
    "SurveyStatus",
    "SurveyTarget",
    "SurveyVersion",
    "ThemeCorrection",
    "User",
]
