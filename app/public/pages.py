"""The public blueprint with every page module's routes on it (importing a module adds them)."""

from app.public import measures, you_said  # noqa: F401
from app.public.views import blueprint

__all__ = ["blueprint"]
