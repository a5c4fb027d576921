"""Pages of a long list: which page is shown and GOV.UK pagination links that keep the
filters."""

import math
from dataclasses import dataclass

from flask import url_for


@dataclass(frozen=True)
class Page:
    """Page NUMBER of PAGES, each SIZE rows long, over TOTAL rows."""

    number: int
    pages: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def first(self) -> int:
        """The number of the page's first row, counting from 1."""
        return self.offset + 1

    @property
    def last(self) -> int:
        return min(self.offset + self.size, self.total)


def page_of(asked: int | None, total: int, size: int) -> Page:
    """The page ASKED for, brought within the pages there are: a filter that leaves fewer
    rows, or a number typed into the address, gives the nearest page that exists."""
    pages = max(1, math.ceil(total / size))
    return Page(min(max(asked or 1, 1), pages), pages, size, total)


def pagination(endpoint: str, page: Page, args: dict[str, str]) -> dict:
    """GOV.UK pagination for PAGE of ENDPOINT, keeping the query ARGS: the first, last and
    neighbouring pages, with a gap marker where pages are left out. The marker is a word
    in the template, not GOV.UK's lone "⋯" glyph, whose contrast axe cannot measure."""

    def href(number: int) -> str:
        return url_for(endpoint, **args, page=number)

    items: list[dict] = []
    for number in range(1, page.pages + 1):
        if number in (1, page.pages) or abs(number - page.number) <= 1:
            items.append({"number": number, "href": href(number), "current": number == page.number})
        elif items and "ellipsis" not in items[-1]:
            items.append({"ellipsis": True})
    return {
        "items": items if page.pages > 1 else [],
        "previous": {"href": href(page.number - 1)} if page.number > 1 else None,
        "next": {"href": href(page.number + 1)} if page.number < page.pages else None,
    }
