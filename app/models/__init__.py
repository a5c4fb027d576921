"""Typed SQLAlchemy models, by area: accounts, surveys and answers, feedback and reports."""

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
from app.models.surveys import (
    AdminFigure,
    Channel,
    ContactRequest,
    Draft,
    ErasedImport,
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
    "ErasedImport",
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
