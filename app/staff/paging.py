"""Splitting a long list into pages, counted and cut in SQL, with GOV.UK pagination."""

import math
from collections.abc import Callable

from flask import request


def page_number(total: int, page_size: int) -> tuple[int, int]:
    """The page asked for in `?page=` (a missing, unreadable or out-of-range number gives
    the nearest page that exists) and how many pages there are."""
    pages = max(1, math.ceil(total / page_size))
    return min(max(request.args.get("page", 1, type=int), 1), pages), pages


def pagination(page: int, pages: int, href: Callable[[int], str]) -> dict:
    """GOV.UK pagination: the first, last and neighbouring pages, linked by HREF(number).
    Without GOV.UK's "⋯" between them: axe cannot measure the contrast of a lone glyph,
    and an unmeasured contrast counts as a failure here (tests/browser/axe_check.py)."""
    items = [
        {"number": number, "href": href(number), "current": number == page}
        for number in range(1, pages + 1)
        if number in (1, pages) or abs(number - page) <= 1
    ]
    return {
        "items": items if pages > 1 else [],
        "previous": {"href": href(page - 1)} if page > 1 else None,
        "next": {"href": href(page + 1)} if page < pages else None,
    }
