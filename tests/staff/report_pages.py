"""Driving a report's pages as staff do: the text form (save, or save and send) and the
steps, each posted with the version of the report its page shows."""

from tests.pages import parse


def form_on(client, url: str, action: str | None = None) -> dict[str, str]:
    """The hidden fields and text of the form on URL's page posting to ACTION (the page
    itself if None), as the browser would send them."""
    page = parse(client.get(url))
    for form in page.select("form[method=post]"):
        if form.get("action", url) == (action or url):
            fields = {field["name"]: field.get("value", "") for field in form.select("input")}
            fields.update({area["name"]: area.get_text() for area in form.select("textarea")})
            return fields
    raise AssertionError(f"no form posting to {action or url} on {url}")


def save_text(client, url: str, send: bool = False, **text: str):
    """Press Save (or "Save and send to the parent carer forum") on the report at URL,
    with TEXT typed into its boxes."""
    fields = {**form_on(client, url), **text}
    if send:
        fields["send"] = "yes"
    return client.post(url, data=fields)


def step(client, url: str, name: str):
    """Take step NAME (sign-off, publish, return) from its confirmation page, or, for a
    role that may not see it, with the version and token of the report's page."""
    confirm = client.get(f"{url}/{name}")
    page = f"{url}/{name}" if confirm.status_code == 200 else url
    fields = {
        field["name"]: field.get("value", "")
        for field in parse(client.get(page)).select("input[type=hidden]")
    }
    return client.post(f"{url}/{name}", data=fields)
