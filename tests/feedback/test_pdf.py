"""The printable PDF of a report: made with or without a Unicode font on the machine."""

from pathlib import Path

import pytest

from app.feedback import pdf

CONTENT = {
    "title": "You said, we did: Tell us what you think, 2025/26",
    "period": "2025/26",
    "responses": 40,
    "introduction": "Thank you \u2013 all of you.",
    "headlines": [{"heading": "Their opinion matters", "sentence": "78 in every 100 said so."}],
    "choices": [{"question": "Do you enjoy life?", "suppressed": True, "options": []}],
    "themes": [
        {"label": "Waiting times", "count": 12, "quotes": ["\u201cSo long\u201d \U0001f622 wait"]}
    ],
    "themes_hidden": ["Transport and travel"],
    "actions": [
        {
            "you_said": "Waits",
            "we_will": "Two clinics",
            "owner": "CAMHS team",
            "due_on": "2026-03-31",
            "status": "Planned",
            "overdue": False,
        }
    ],
    "published_at": "2026-01-10T10:00:00+00:00",
}


@pytest.mark.parametrize("unicode_font", [True, False], ids=["dejavu", "helvetica"])
def test_a_report_becomes_a_pdf(app, monkeypatch, unicode_font):
    if not unicode_font:
        monkeypatch.setattr(pdf, "UNICODE_FONTS", {"": Path("/nowhere/font.ttf")})
    elif not all(path.exists() for path in pdf.UNICODE_FONTS.values()):
        pytest.fail("Debian's fonts-dejavu-core is missing: `make test` installs it")
    with app.test_request_context():
        document = pdf.report_as_pdf(CONTENT)
    assert document.startswith(b"%PDF-")
    assert len(document) > 1000
