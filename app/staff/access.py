"""Who may see what: staff pages are for signed-in staff, some for one role only."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.models import Role


def role_required(*roles: Role) -> Callable:
    """Only signed-in staff with one of ROLES see the page; others signed in get 403, and
    anyone not signed in is sent to sign in."""
    allowed = {role.value for role in roles}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
