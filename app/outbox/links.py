"""Addresses in emails: built from the BASE_URL setting, never from a request's Host header,
which anyone can set (a forged Host would otherwise put an attacker's site in the email)."""

from urllib.parse import urlsplit

from flask import current_app


def absolute_url(endpoint: str, **values: str | int) -> str:
    """The full address of ENDPOINT with VALUES, on the site BASE_URL names."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
