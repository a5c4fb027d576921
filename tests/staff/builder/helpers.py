"""Reading and sending the builder's forms as a browser would, for the builder's tests."""

from sqlalchemy import func, select

from app.models import SurveyVersion
from app.surveys.versions import definition_of, latest_version
from tests.pages import csrf_token, parse
from tests.staff.workspace import send


def form_data(client, url: str) -> dict[str, object]:
    """The form on URL as the browser would send it untouched (ticked boxes, chosen radios)."""
    page = parse(client.get(url))
    form = page.select_one("main form[method=post]:has(button[value=save]), main form[method=post]")
    data: dict[str, object] = {}
    for field in form.select("input[name], textarea[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.text.removeprefix("\n")
        elif field.get("type") in ("radio", "checkbox"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field["value"])
        else:
            data[name] = field.get("value", "")
    return data


def post(client, url: str, changes: dict, **kwargs):
    """Send URL's form with CHANGES made to it."""
    data = {**form_data(client, url), **changes}
    return send(client, url, data, **kwargs)


def newest(db, survey_id: str):
    db.expire_all()
    definition = definition_of(latest_version(db, survey_id))
    db.commit()
    return definition


def version_count(db, survey_id: str) -> int:
    found = db.scalar(
        select(func.count()).select_from(SurveyVersion).where(SurveyVersion.survey_id == survey_id)
    )
    db.commit()
    return found


def press(client, page_url: str, action_url: str, data: dict):
    """Press a button on PAGE_URL whose form posts to ACTION_URL (move, publish)."""
    return client.post(action_url, data={"csrf_token": csrf_token(client, page_url), **data})
