"""Walking through a survey with the test client, as a respondent without JavaScript would."""

from app.config import Config
from app.surveys.files import read_survey_file
from tests.pages import parse


def form_fields(page_html) -> dict[str, str]:
    return {i["name"]: i.get("value", "") for i in page_html.select("form input[type=hidden]")}


def start(client, survey_id: str):
    """Press "Start now"; returns the first question page's response."""
    start_page = parse(client.get(f"/s/{survey_id}"))
    token = start_page.select_one("form input[name=csrf_token]")["value"]
    response = client.post(f"/s/{survey_id}/start", data={"csrf_token": token})
    return client.get(response.headers["Location"])


def answer(client, page_response, answers: dict, action: str = "continue"):
    """Post ANSWERS on the question page just fetched; returns the redirect response."""
    html = parse(page_response)
    data = {**form_fields(html), **answers, "action": action}
    return client.post(page_response.request.path, data=data)


def complete(client, survey_id: str, answers: dict):
    """Answer every page (ANSWERS by question id; the rest skipped) and send; returns the
    confirmation page."""
    definition = read_survey_file(Config.SURVEYS_DIR / f"{survey_id}.yaml").definition
    page = start(client, survey_id)
    while "/q/" in page.request.path:
        page_id = page.request.path.rsplit("/", 1)[1]
        questions = next(p for p in definition.pages if p.id == page_id).questions
        given = {q.id: answers[q.id] for q in questions if q.id in answers}
        moved = answer(client, page, given, "continue" if given else "skip")
        assert moved.status_code == 302, parse(moved).select(".govuk-error-summary")
        page = client.get(moved.headers["Location"])
    assert page.request.path == f"/s/{survey_id}/check"
    sent = client.post(f"/s/{survey_id}/check", data=form_fields(parse(page)))
    return client.get(sent.headers["Location"])
