"""Reading pages in tests: parse the HTML and select elements, never match whole pages."""

from bs4 import BeautifulSoup


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_token(client, url: str) -> str:
    return parse(client.get(url)).select_one("input[name=csrf_token]")["value"]


def error_summary(response) -> list[str]:
    return [
        item.get_text(strip=True)
        for item in parse(response).select(".govuk-error-summary__list li")
    ]
