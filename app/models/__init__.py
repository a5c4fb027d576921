"""Typed SQLAlchemy models, by area: accounts, surveys and answers, feedback and reports,
the outbox."""

from app.models.accounts import (
    AuditEvent,
    RateLimitSecret,
    RateLimitWindow,
    Role,
    SignInToken,
    StaffSession,
    User,
)
from app.models.choice_counts import ChoiceCount
from app.models.counts import MeasureCount
from app.models.feedback import (
    Action,
    ActionStatus,
    ActionUpdate,
    Comment,
    CommentTheme,
    CorrectionAction,
    Report,
    ReportComment,
    ReportStatus,
    SafeguardingFlag,
    ThemeCorrection,
    ThemedResponse,
)
from app.models.outbox import MessageStatus, OutboxMessage
from app.models.sign_in import RecoveryCode, SignInFailures, TwoFactor
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
from app.models.tallies import ResponseTally

__all__ = [
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "AdminFigure",
    "AuditEvent",
    "Channel",
    "ChoiceCount",
    "Comment",
    "CommentTheme",
    "ContactRequest",
    "CorrectionAction",
    "Draft",
    "ErasedImport",
    "MeasureCount",
    "MessageStatus",
    "OutboxMessage",
    "RateLimitSecret",
    "RateLimitWindow",
    "RecoveryCode",
    "Report",
    "ReportComment",
    "ReportStatus",
    "Response",
    "ResponseTally",
    "Role",
    "SafeguardingFlag",
    "SignInFailures",
    "SignInToken",
    "StaffSession",
    "Survey",
    "SurveyStatus",
    "SurveyTarget",
    "SurveyVersion",
    "ThemeCorrection",
    "ThemedResponse",
    "TwoFactor",
    "User",
]
