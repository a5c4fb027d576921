"""Addresses of this site to show, print or send: built from BASE_URL, the site's published
address, never from the request's Host header, which whoever sends the request chooses."""

from urllib.parse import urlsplit

from flask import current_app


def absolute_url(endpoint: str, **values: object) -> str:
    """The full address of ENDPOINT (with VALUES) at BASE_URL; works in commands too."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
