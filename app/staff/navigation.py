"""The way around the workspace, at the top of every staff page once signed in: GOV.UK's
service navigation with the pages the person's role may open, and their account (who is
signed in, two-step sign-in, sign out)."""

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.db import get_session
from app.models import Role
from app.staff.team.forms import ROLE_NAMES
from app.staff.two_factor import confirmed_for
from app.staff.views import blueprint

OFFICER, FORUM, SAFEGUARDING = Role.OFFICER, Role.FORUM, Role.SAFEGUARDING


@dataclass(frozen=True)
class WorkspacePage:
    endpoint: str
    label: str
    roles: frozenset[Role]
    # What the page is for, on the front page of those with no survey cards.
    description: str = ""
    # Where the pages of its part of the workspace start, when not below its own address
    # (the front page's address, /staff, is above every other).
    below: tuple[str, ...] | None = None

    def holds(self, path: str, href: str) -> bool:
        """Whether PATH is this page or a page of its part of the workspace."""
        below = self.below if self.below is not None else (f"{href}/",)
        return path == href or path.startswith(below)


# The navigation, in this order, each page shown only to the roles its views allow
# (their `role_required`). A page appears once its module has registered it, so each can
# be listed here before it is built.
WORKSPACE_PAGES = (
    WorkspacePage(
        "staff.dashboard",
        _l("Surveys"),
        frozenset({OFFICER}),
        below=("/staff/surveys/",),
    ),
    # The same address: for those who run no surveys, a list of their pages.
    WorkspacePage("staff.dashboard", _l("Home"), frozenset({FORUM, SAFEGUARDING}), below=()),
    WorkspacePage(
        "staff.responses",
        _l("Responses"),
        frozenset({OFFICER, SAFEGUARDING}),
        _l("Read what people answered, with their answers that are hidden from reports."),
    ),
    WorkspacePage("staff.themes", _l("Themes"), frozenset({OFFICER})),
    WorkspacePage(
        "staff.actions",
        _l("Actions"),
        frozenset({OFFICER, FORUM}),
        _l("What the partnership said it would do, and how far it has got."),
    ),
    WorkspacePage(
        "staff.reports",
        _l("Reports"),
        frozenset({OFFICER, FORUM}),
        _l("“You said, we did” reports: read them, comment and sign them off."),
    ),
    WorkspacePage(
        "staff.measures",
        _l("Measures"),
        frozenset(Role),
        _l("The outcome measures with every figure shown: not for publication."),
    ),
    WorkspacePage("staff.exports", _l("Downloads"), frozenset({OFFICER})),
    WorkspacePage("staff.team", _l("Team"), frozenset({OFFICER})),
    WorkspacePage(
        "staff.safeguarding_queue",
        _l("Safeguarding"),
        frozenset({SAFEGUARDING}),
        _l("Answers that may show a child at risk: those not dealt with first, newest first."),
    ),
)

# The officer's pages about the service itself rather than its surveys: beside their account.
ACCOUNT_PAGES = (
    WorkspacePage("staff.outbox", _l("Emails"), frozenset({OFFICER})),
    WorkspacePage("staff.bursts_page", _l("Bursts of answers"), frozenset({OFFICER})),
)


def pages_for(role: str, pages: tuple[WorkspacePage, ...] = WORKSPACE_PAGES) -> list[WorkspacePage]:
    """The PAGES someone with ROLE may open, of those that exist."""
    return [
        page for page in pages if role in page.roles and page.endpoint in current_app.view_functions
    ]


def navigation_items(role: str, path: str) -> list[dict[str, object]]:
    """GOV.UK service navigation items for ROLE: the page at PATH is `current`
    (aria-current="page"), its part of the workspace `active` (aria-current="true")."""
    items = []
    for page in pages_for(role):
        href = url_for(page.endpoint)
        items.append(
            {
                "href": href,
                "text": page.label,
                "current": path == href,
                "active": page.holds(path, href),
            }
        )
    return items


@blueprint.context_processor
def workspace_navigation() -> dict[str, object]:
    # Only once signed in: the sign-in steps and set-password pages have no way around.
    if not current_user.is_authenticated:
        return {}
    return {
        "staff_navigation": navigation_items(current_user.role, request.path),
        "staff_account": {
            "email": current_user.email,
            "role": ROLE_NAMES[current_user.role],
            "two_factor": confirmed_for(get_session(), current_user) is not None,
            "pages": [
                {"href": url_for(page.endpoint), "text": page.label}
                for page in pages_for(current_user.role, ACCOUNT_PAGES)
            ],
        },
    }
