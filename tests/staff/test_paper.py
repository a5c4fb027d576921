"""The paper version: the children's faces beside their words, and where and by when to
hand it back, set by the officer for each survey and printed on every copy (the page to
print and the PDF, read here with poppler's pdftotext and drawn with pdftoppm)."""

import subprocess
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from app.models import AuditEvent, Survey
from app.surveys.versions import definition_of, latest_version
from app.time import today_in_london
from tests.factories import load_shipped_surveys
from tests.pages import error_summary, parse
from tests.staff.workspace import send, sign_in_as

SETTINGS = "/staff/surveys/children/paper-settings"


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


@pytest.fixture
def officer(client, runner):
    sign_in_as(client, runner)
    return client


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def pdf_pixels(pdf: bytes, tmp_path) -> list[tuple[int, int, int]]:
    """Every pixel of every page of PDF, drawn at 50 dots an inch."""
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True)
    pixels = []
    for page in sorted(tmp_path.glob("page*.png")):
        pixels.extend(Image.open(page).convert("RGB").get_flattened_data())
    return pixels


def near(pixel, colour: str) -> bool:
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - b) <= 6 for a, b in zip(pixel, target, strict=True))


def test_the_childrens_paper_page_shows_each_face_beside_its_words(officer, db):
    definition = definition_of(latest_version(db, "children"))
    scales = [q for q in definition.questions() if q.type == "face_scale"]
    assert scales
    page = parse(officer.get("/staff/surveys/children/paper"))
    items = {item.h2.text.split(". ", 1)[1]: item for item in page.select(".app-paper__question")}
    for question in scales:
        options = items[question.text if isinstance(question.text, str) else question.text["en"]]
        drawn = [
            (li.select_one("svg[data-face]")["data-face"], li.get_text(strip=True))
            for li in options.select(".app-paper__options li")
        ]
        expected = [
            (o.face, o.label if isinstance(o.label, str) else o.label["en"])
            for o in question.options
        ]
        assert drawn == expected


@pytest.mark.parametrize(("survey", "faces"), [("children", True), ("parent-carers", False)])
def test_the_childrens_paper_pdf_draws_the_faces(officer, tmp_path, survey, faces):
    pdf = officer.get(f"/staff/surveys/{survey}/paper.pdf").data
    pixels = pdf_pixels(pdf, tmp_path)
    # The fills of the "always" and "never" faces (app/respond/faces.py).
    for fill in ("#8fd694", "#a9cdf0"):
        assert (sum(near(pixel, fill) for pixel in pixels) > 100) is faces


def test_until_it_is_set_the_paper_version_leaves_a_line_to_fill_in_and_says_so(officer):
    page = parse(officer.get("/staff/surveys/children/paper"))
    hand_back = [p.text for p in page.select("[data-hand-back]")]
    assert len(hand_back) == 2
    assert hand_back[0].startswith("When you have finished, please hand this back to ....")
    warning = page.select_one(".govuk-warning-text")
    assert "does not yet say where and by when" in warning.text
    assert warning.a["href"] == SETTINGS


def test_the_officer_sets_where_and_by_when_and_every_paper_version_says_it(officer, db, tmp_path):
    by = today_in_london() + timedelta(days=30)
    response = send(
        officer,
        SETTINGS,
        {
            "paper_return_to": "  the box in the school office ",
            "paper_return_by-day": str(by.day),
            "paper_return_by-month": str(by.month),
            "paper_return_by-year": str(by.year),
        },
    )
    assert response.headers["Location"] == "/staff/surveys/children/paper"
    db.expire_all()
    survey = db.get(Survey, "children")
    assert (survey.paper_return_to, survey.paper_return_by) == ("the box in the school office", by)
    words = f"please hand this back to the box in the school office by {by.day} {by:%B %Y}."
    page = parse(officer.get("/staff/surveys/children/paper"))
    assert [p.text.split("finished, ")[1] for p in page.select("[data-hand-back]")] == [words] * 2
    assert not page.select(".govuk-warning-text")
    assert (
        pdf_text(officer.get("/staff/surveys/children/paper.pdf").data, tmp_path).count(words) == 2
    )
    # Each survey has its own: the parent carers' still has lines to fill in.
    other = parse(officer.get("/staff/surveys/parent-carers/paper"))
    assert "school office" not in other.select_one("[data-hand-back]").text
    audit = db.scalars(select(AuditEvent).where(AuditEvent.action == "survey.paper_settings"))
    assert [event.subject for event in audit] == ["survey:children"]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, ["Enter where to hand the paper version back", "Enter the date to hand it back by"]),
        (
            {"paper_return_to": "x" * 201, "day": "1", "month": "1", "year": "2000"},
            [
                "Where to hand it back must be 200 characters or fewer",
                "Date to hand it back by must be today or in the future",
            ],
        ),
        (
            {"paper_return_to": "office", "day": "31", "month": "2", "year": "2030"},
            ["Date to hand it back by must be a real date"],
        ),
        (
            {"paper_return_to": "office", "day": "3", "month": "", "year": "2030"},
            ["Date to hand it back by must include a month"],
        ),
    ],
)
def test_bad_settings_are_refused_with_a_message_and_kept_as_typed(officer, db, data, errors):
    form = {
        "paper_return_to": data.get("paper_return_to", ""),
        **{f"paper_return_by-{part}": data.get(part, "") for part in ("day", "month", "year")},
    }
    response = send(officer, SETTINGS, form)
    assert response.status_code == 200
    assert error_summary(response) == errors
    page = parse(response)
    assert page.select_one("#paper_return_to")["value"] == form["paper_return_to"]
    assert page.select_one("#paper_return_by")["value"] == form["paper_return_by-day"]
    db.expire_all()
    assert db.get(Survey, "children").paper_return_to is None


def test_what_the_officer_types_is_printed_as_text(officer, tmp_path):
    by = today_in_london() + timedelta(days=3)
    send(
        officer,
        SETTINGS,
        {
            "paper_return_to": "<script>alert(1)</script> Room\x00 4",
            "paper_return_by-day": str(by.day),
            "paper_return_by-month": str(by.month),
            "paper_return_by-year": str(by.year),
        },
    )
    response = officer.get("/staff/surveys/children/paper")
    assert "<script>alert" not in response.get_data(as_text=True)
    hand_back = parse(response).select_one("[data-hand-back]").text
    assert "to <script>alert(1)</script> Room 4 by" in hand_back
    assert "Room 4 by" in pdf_text(officer.get("/staff/surveys/children/paper.pdf").data, tmp_path)
