"""The staff blueprint with every page module's routes on it (importing a module adds them)."""

from app.staff import (  # noqa: F401
    actions,
    editing,
    entry,
    exports,
    measures,
    outbox,
    reports,
    responses,
    safeguarding,
    sharing,
    surveys,
    themes,
)
from app.staff.views import blueprint

__all__ = ["blueprint"]
