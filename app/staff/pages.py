"""The staff blueprint with every page module's routes on it (importing a module adds them)."""

from app.staff import (  # noqa: F401
    actions,
    bursts,
    editing,
    entry,
    erasure,
    exports,
    measures,
    navigation,
    outbox,
    reports,
    responses,
    safeguarding,
    sharing,
    surveys,
    themes,
    two_factor_views,
)
from app.staff.builder import views as builder  # noqa: F401
from app.staff.team import views as team  # noqa: F401
from app.staff.views import blueprint

__all__ = ["blueprint"]
