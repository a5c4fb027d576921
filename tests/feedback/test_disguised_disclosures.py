"""A disclosure disguised with invisible characters is flagged as it is stored, so its
words reach the safeguarding lead and never the officer's pages or downloads."""

import pytest
from sqlalchemy import select

from app.models import SafeguardingFlag
from tests.factories import load_shipped_surveys, sign_in_as
from tests.pages import parse
from tests.respond.walk import complete

pytestmark = pytest.mark.postgres

DISGUISED = "i want to d\u200bie"


def test_a_disguised_disclosure_is_withheld_from_the_officer(app, client, db, backend):
    load_shipped_surveys(db)
    complete(app.test_client(), "children", {"going_well": DISGUISED})
    [flag] = db.scalars(select(SafeguardingFlag)).all()
    db.commit()
    assert flag.reasons == {"going_well": ["self_harm"]}

    sign_in_as(client, db, "officer")
    export = client.get("/staff/responses/export?format=csv").get_data(as_text=True)
    page = parse(client.get("/staff/responses")).text
    for seen in (export, page):
        assert "want to d" not in seen
