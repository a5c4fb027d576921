"""Themes for the officer: each comment's themes, a page at a time with the filters kept,
safe tagging (one or many comments at once), forged posts refused, and stored tags that
stay exact after new answers, corrections, erasure, quarantine and a changed codebook."""

from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import delete, func, select, update

from analysis.load import load_comments
from analysis.sentiment import theme_sentiment
from analysis.themes import apply_corrections, tag_comments, theme_shares
from app.feedback import comments as analysed
from app.feedback.codebook import codebook
from app.feedback.comments import backlog, catch_up
from app.feedback.themes import Scope, corrections, theme_counts
from app.models import AuditEvent, Comment, Response, ThemeCorrection, ThemedResponse
from app.staff import themes as themes_page
from tests.factories import load_shipped_surveys, make_response, sign_in_as
from tests.pages import csrf_token, error_summary, parse

pytestmark = pytest.mark.postgres

WHEN = datetime(2025, 10, 1, 12, tzinfo=UTC)
PAGE = "/staff/themes?survey=young-people&period=2025/26"


@pytest.fixture(autouse=True)
def comments(db):
    load_shipped_surveys(db)
    made = {
        text: make_response(
            db, survey="young-people", answers={"should_change": text}, submitted_at=WHEN
        )
        for text in (
            "We need a better bus to school",
            "I love my art club",
            "purple elephants <b>x</b>",
        )
    }
    make_response(
        db,
        survey="young-people",
        submitted_at=WHEN,
        answers={"should_change": "my stepdad hurts me when mum is out"},
    )
    return made


def page(client, url=PAGE):
    return parse(client.get(url))


def comment_of(html, text):
    return next(
        c for c in html.select(".app-comment") if text in c.select_one("[data-comment]").text
    )


def themes_of(html, text):
    return [li["data-theme"] for li in comment_of(html, text).select("[data-theme]")]


def key_of(response, question="should_change"):
    return f"{response.id}:{question}"


def tag(client, keys, theme, url=PAGE):
    query = urlsplit(url).query
    return client.post(
        f"/staff/themes/tag?{query}",
        data={"csrf_token": csrf_token(client, url), "comments": keys, "theme": theme},
    )


def remove(client, value, url=PAGE):
    return client.post(
        f"/staff/themes/remove?{urlsplit(url).query}",
        data={"csrf_token": csrf_token(client, url), "remove": value},
    )


def count_cell(html, audience, theme):
    cell = html.select_one(f'[data-count="{audience}/{theme}"]')
    return None if cell is None else cell.text.strip()


def test_each_comment_shows_its_themes_and_the_untagged_are_one_filter_away(client, db):
    sign_in_as(client, db, "officer")
    html = page(client)
    assert themes_of(html, "bus to school") == ["transport"]
    assert themes_of(html, "purple elephants") == []
    assert comment_of(html, "purple elephants").select("[data-no-theme]")
    link = html.select_one("[data-untagged-count]")
    assert link.text.strip() == "1 comment has no theme yet"
    untagged = page(client, link["href"])
    assert [c.text for c in untagged.select("[data-comment]")] == ["purple elephants <b>x</b>"]


def test_a_flagged_disclosure_never_appears(client, db):
    sign_in_as(client, db, "officer")
    assert "stepdad" not in client.get(PAGE).get_data(as_text=True)
    assert "stepdad" not in client.get("/staff/themes?period=").get_data(as_text=True)


def test_comments_come_a_page_at_a_time_with_the_filters_kept(client, db, monkeypatch):
    monkeypatch.setattr(themes_page, "PAGE_SIZE", 2)
    for number in range(8):
        make_response(
            db, survey="young-people", answers={"going_well": f"note {number}"}, submitted_at=WHEN
        )
    make_response(db, survey="children", answers={"going_well": "other survey"}, submitted_at=WHEN)
    sign_in_as(client, db, "officer")
    first = page(client, PAGE + "&theme=none")
    assert len(first.select(".app-comment")) == 2
    assert "Showing 1 to 2 of 9 comments" in first.select_one("[data-total]").text
    assert [a.text for a in first.select(".govuk-pagination__list a")] == ["1", "2", "5"]
    assert [g.text for g in first.select("[data-gap]")] == ["… more pages"]
    seen = {c["data-key"] for c in first.select(".app-comment")}
    url = first.select_one(".govuk-pagination__next a")["href"]
    for _ in range(4):
        assert parse_qs(urlsplit(url).query) | {"page": ["x"]} == {
            "survey": ["young-people"],
            "period": ["2025/26"],
            "theme": ["none"],
            "page": ["x"],
        }
        html = page(client, url)
        seen |= {c["data-key"] for c in html.select(".app-comment")}
        nxt = html.select_one(".govuk-pagination__next a")
        url = nxt["href"] if nxt else None
    assert url is None
    assert len(seen) == 9
    assert "other survey" not in "".join(seen)


def test_a_page_past_the_end_after_a_filter_change_shows_the_last_page(client, db, monkeypatch):
    monkeypatch.setattr(themes_page, "PAGE_SIZE", 1)
    sign_in_as(client, db, "officer")
    html = page(client, PAGE + "&theme=transport&page=7")
    assert [c.text for c in html.select("[data-comment]")] == ["We need a better bus to school"]
    assert "Showing 1 to 1 of 1 comments" in html.select_one("[data-total]").text
    first = page(client, PAGE + "&page=-3")
    assert first.select_one(".govuk-pagination [aria-current=page]").text == "1"


def test_no_add_theme_list_starts_at_a_theme(client, db):
    sign_in_as(client, db, "officer")
    selects = page(client).select("form[method=post] select")
    assert [s["name"] for s in selects] == ["theme"]
    options = selects[0].select("option")
    assert (options[0]["value"], options[0].text) == ("", "Choose a theme")
    assert not [o for o in options if o.has_attr("selected") and o["value"]]


def test_adding_without_a_theme_is_refused_with_a_message_and_keeps_the_ticks(client, db, comments):
    sign_in_as(client, db, "officer")
    key = key_of(comments["I love my art club"])
    response = tag(client, [key], "")
    assert response.status_code == 400
    assert error_summary(response) == ["Select a theme to add"]
    html = parse(response)
    assert html.select_one("#add-theme").find_previous("p", class_="govuk-error-message")
    assert html.select_one(f'input[name=comments][value="{key}"]').has_attr("checked")
    assert db.scalars(select(ThemeCorrection)).all() == []


def test_adding_with_no_comment_ticked_is_refused(client, db):
    sign_in_as(client, db, "officer")
    response = tag(client, [], "transport")
    assert response.status_code == 400
    assert error_summary(response) == ["Select the comments to add a theme to"]


def test_the_officer_tags_several_comments_at_once_and_comes_back_to_the_same_list(
    client, db, comments
):
    sign_in_as(client, db, "officer")
    audience = comments["I love my art club"].audience
    url = PAGE + "&theme=none&page=1"
    assert count_cell(page(client), audience, "transport") == "1 / 3"
    keys = [key_of(comments["I love my art club"]), key_of(comments["purple elephants <b>x</b>"])]
    response = tag(client, keys, "transport", url)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert parse_qs(location.query) == {
        "survey": ["young-people"],
        "period": ["2025/26"],
        "theme": ["none"],
        "page": ["1"],
    }
    assert location.fragment == "comments"
    html = page(client, response.headers["Location"])
    assert "Theme added to 2 comments." in html.select_one(".govuk-notification-banner").text
    assert html.select(".app-comment") == []
    assert count_cell(page(client), audience, "transport") == "3 / 3"
    assert "transport" in themes_of(page(client), "art club")
    assert themes_of(page(client), "purple elephants") == ["transport"]


def test_a_double_submit_adds_one_correction(client, db, comments):
    sign_in_as(client, db, "officer")
    key = key_of(comments["I love my art club"])
    assert tag(client, [key], "transport").status_code == 302
    assert tag(client, [key], "transport").status_code == 302
    assert db.scalar(select(func.count()).select_from(ThemeCorrection)) == 1
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "theme.corrected")).all()
    assert len(events) == 1
    assert count_cell(page(client), comments["I love my art club"].audience, "transport") == "2 / 3"


def test_forged_tags_are_refused(client, db, comments):
    other = make_response(db, survey="children", answers={"going_well": "ok"}, submitted_at=WHEN)
    flagged = db.scalar(
        select(Response).where(Response.answers["should_change"].as_string().like("%stepdad%"))
    )
    sign_in_as(client, db, "officer")
    ours = key_of(comments["I love my art club"])
    for keys, theme in [
        ([key_of(other, "going_well")], "transport"),  # another survey's comment
        ([key_of(flagged)], "transport"),  # a flagged disclosure
        ([f"{comments['I love my art club'].id}:going_well"], "transport"),  # no such answer
        (["x:should_change"], "transport"),
        (["999999:should_change"], "transport"),
        ([ours], "weather"),  # not in the codebook
    ]:
        response = tag(client, keys, theme)
        assert response.status_code == 400, (keys, theme)
        assert error_summary(response)
    assert db.scalars(select(ThemeCorrection)).all() == []


def test_the_officer_removes_a_theme_and_forged_removals_change_nothing(client, db, comments):
    other = make_response(
        db, survey="children", answers={"going_well": "the bus is late"}, submitted_at=WHEN
    )
    sign_in_as(client, db, "officer")
    bus = key_of(comments["We need a better bus to school"])
    for value in (f"{key_of(other, 'going_well')}:transport", f"{bus}:weather", "garbage"):
        assert remove(client, value).status_code == 302
    assert db.scalars(select(ThemeCorrection)).all() == []
    response = remove(client, f"{bus}:transport", PAGE + "&page=1")
    assert parse_qs(urlsplit(response.headers["Location"]).query)["page"] == ["1"]
    assert themes_of(page(client), "bus to school") == []
    assert count_cell(page(client), comments["I love my art club"].audience, "transport") is None


@pytest.mark.parametrize("role", ["forum", "safeguarding"])
def test_only_the_officer_reads_raw_comments(client, db, role):
    sign_in_as(client, db, role)
    assert client.get("/staff/themes").status_code == 403


def everyone(db, book=None):
    """The counts and feeling the page shows, worked out again from every comment as
    before comments were analysed when stored: tagged and scored (TextBlob) now."""
    comments = load_comments(db.connection(), surveys=["young-people"])
    tags = tag_comments(comments, book or codebook()).pipe(apply_corrections, corrections(db))
    shares = theme_shares(comments, tags, by="audience")
    feeling = theme_sentiment(comments, tags, by="audience").set_index(["audience", "theme"])
    return {
        (
            row.audience,
            row.theme,
            row.count,
            row.comments,
            round(feeling.loc[(row.audience, row.theme), "mean_polarity"], 9),
        )
        for row in shares.itertuples()
        if row.count
    }


def counted(db):
    """The counts and feeling the page shows, from what was stored (no work to catch up)."""
    return {
        (row.group, row.theme, row.count, row.comments, round(row.feeling, 9))
        for row in theme_counts(db, Scope("young-people"))
    }


def test_stored_tags_stay_exact(db, comments, monkeypatch, app):
    with app.test_request_context():
        assert counted(db) == everyone(db) != set()
        # A new answer after the tags were stored.
        make_response(
            db,
            survey="young-people",
            answers={"going_well": "the waiting list for speech therapy"},
            submitted_at=WHEN,
        )
        assert counted(db) == everyone(db)
        # Corrections, both ways.
        art = comments["I love my art club"]
        db.add(
            ThemeCorrection(
                response_id=art.id, question="should_change", theme="transport", action="add"
            )
        )
        bus = comments["We need a better bus to school"]
        db.add(
            ThemeCorrection(
                response_id=bus.id, question="should_change", theme="transport", action="remove"
            )
        )
        db.flush()
        assert counted(db) == everyone(db)
        # Quarantine and erasure.
        db.execute(update(Response).where(Response.id == art.id).values(quarantined_at=WHEN))
        db.execute(delete(Response).where(Response.id == bus.id))
        assert counted(db) == everyone(db)
        assert db.scalar(select(Comment).where(Comment.response_id == bus.id)) is None
        assert not backlog(db)
        # Another codebook: "elephant*" becomes a keyword of transport. The page says the
        # tags are behind until the command tags them again.
        shipped = codebook()
        changed = replace(
            shipped,
            themes=tuple(
                replace(t, keywords=(*t.keywords, "elephant*")) if t.id == "transport" else t
                for t in shipped.themes
            ),
        )
        monkeypatch.setattr(analysed, "codebook", lambda: changed)
        assert backlog(db)
        assert catch_up(db) == db.scalar(select(func.count()).select_from(Response))
        assert not backlog(db)
        after = counted(db)
        assert any(theme == "transport" for _, theme, *_ in after)
        assert after == everyone(db, changed)
        # A response stored under the new codebook is tagged with it at once.
        make_response(
            db,
            survey="young-people",
            answers={"going_well": "pink elephants on the school bus are kind"},
            submitted_at=WHEN,
        )
        assert counted(db) == everyone(db, changed)
        assert not backlog(db)


def test_a_catch_up_cut_short_keeps_its_batches_and_carries_on(db, monkeypatch, app):
    """Responses stored before comments were analysed when stored (an upgrade) are
    analysed by `./manage themes tag` a batch at a time, newest first, each kept, so a run
    stopped part way carries on where it stopped; the page never does that work."""
    for number in range(5):
        make_response(
            db,
            survey="young-people",
            answers={"going_well": f"I love the art club, visit {number}"},
            submitted_at=WHEN,
        )
    everything = db.scalar(select(func.count()).select_from(Response))
    tagged_before = counted(db)
    # As after the upgrade's migration: nothing analysed yet.
    db.execute(delete(ThemedResponse))
    db.execute(delete(Comment))
    db.commit()
    with app.test_request_context():
        assert backlog(db)
    monkeypatch.setattr(analysed, "BATCH", 3)
    batches = []

    def commit_then_stop_after_the_first():
        db.commit()
        batches.append(1)
        raise TimeoutError("stopped")

    with app.test_request_context(), pytest.raises(TimeoutError):
        catch_up(db, after_batch=commit_then_stop_after_the_first)
    db.rollback()
    newest = db.scalars(select(Response.id).order_by(Response.id.desc()).limit(3)).all()
    assert set(db.scalars(select(ThemedResponse.response_id))) == set(newest)
    with app.test_request_context():
        assert backlog(db)
        assert catch_up(db, after_batch=db.commit) == everything - 3
        assert not backlog(db)
    assert db.scalar(select(func.count()).select_from(ThemedResponse)) == everything
    assert counted(db) == tagged_before


def test_the_page_never_catches_up_but_says_the_tags_are_behind(client, db):
    db.execute(delete(ThemedResponse))
    db.execute(delete(Comment))
    db.commit()
    sign_in_as(client, db, "officer")
    html = page(client)
    banner = html.select_one(".govuk-notification-banner")
    assert "not yet tagged with the current codebook" in banner.text
    assert "./manage themes tag" in banner.text
    assert banner.select_one(".govuk-notification-banner__heading") is not None
    assert "<p" not in banner.text
    assert html.select("[data-count]") == []
    assert db.scalar(select(func.count()).select_from(ThemedResponse)) == 0
    assert client.application.test_cli_runner().invoke(args=["themes", "tag"]).exit_code == 0
    html = page(client)
    assert html.select_one(".govuk-notification-banner") is None
    assert html.select("[data-count]") != []
