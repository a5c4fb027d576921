"""Each comment analysed once, when its response is stored: its feeling (TextBlob
polarity), the key a report's quotes are told apart by, and its codebook themes, kept
in `Comment` and `CommentTheme`, with `ThemedResponse` marking the response done under
the codebook whose fingerprint it holds. The themes page and the reports then count,
average and quote in SQL instead of reading and analysing every comment on each view.

They stay exact because:

- every answer is stored through `app.responses.store_response` (a send, a paper entry,
  an import), which calls `analyse` in the same transaction;
- answers never change once stored, and an erased or purged response takes its marker,
  comments and tags with it (ON DELETE CASCADE);
- the officer's corrections, quarantine and safeguarding flags are applied as the tags
  are read (app/feedback/themes.py), so they count at once;
- a changed codebook has another fingerprint: `backlog` says so and `catch_up`
  (`./manage themes tag`) tags everything again, as it does the responses stored before
  comments were analysed when stored (after an upgrade). No page waits for that work.

`catch_up` works newest response first, a batch at a time, and every new response is
marked as it is stored, so the responses marked with the current codebook are always the
newest ones: whether anything is left to do is two index look-ups (`backlog`).
"""

import hashlib
from collections.abc import Callable, Sequence

import pandas as pd
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analysis.load import FREE_TEXT_QUESTIONS
from analysis.report import quotable, quote_key, quote_keys
from analysis.sentiment import polarity, text_polarity
from analysis.themes import Codebook, answered, tag_comments, text_themes
from app.feedback.codebook import codebook
from app.models import Comment, CommentTheme, Response, ThemedResponse

# Responses analysed per round trip by `catch_up`: small enough to keep memory flat at a
# million, each batch committed by the command.
BATCH = 2000


def fingerprint(book: Codebook) -> str:
    """A short name for BOOK's themes and keywords: another codebook, another name."""
    return hashlib.sha256(repr(book).encode()).hexdigest()[:16]


def analyse(session: Session, response: Response) -> None:
    """Add RESPONSE's comments, with their feeling, quote keys and codebook themes, and
    mark it done, to SESSION (RESPONSE is new: it has no id until the flush)."""
    book = codebook()
    session.add(ThemedResponse(response=response, codebook=fingerprint(book)))
    # One response's few comments in plain Python: the frames of `_analysed` cost a send
    # about 15 ms (tests/feedback/test_comments.py proves the results equal).
    for question in FREE_TEXT_QUESTIONS:
        text = response.answers.get(question)
        if not isinstance(text, str) or not text.strip():
            continue
        place = {
            "response": response,
            "question": question,
            "survey_id": response.survey_id,
            "audience": response.audience,
            "submitted_at": response.submitted_at,
            "polarity": text_polarity(text),
        }
        session.add(
            Comment(
                **place,
                quote_key=quote_key(text),
                themes=[CommentTheme(**place, theme=theme) for theme in text_themes(text, book)],
            )
        )


def backlog(session: Session) -> bool:
    """Whether some stored response is not yet analysed with the current codebook."""
    mark = fingerprint(codebook())
    marks = {
        session.scalar(select(func.min(ThemedResponse.codebook))),
        session.scalar(select(func.max(ThemedResponse.codebook))),
    } - {None}
    if marks - {mark}:
        return True
    first = session.scalar(select(func.min(Response.id)))
    return first is not None and first < _lowest_done(session, mark)


def catch_up(session: Session, after_batch: Callable[[], None] | None = None) -> int:
    """Analyse every stored response not yet analysed with the current codebook, newest
    first, a batch at a time (AFTER_BATCH, such as a commit, after each); how many.

    Another run working on the same responses at the same moment makes this one stop
    early, its work left to the other.
    """
    mark = fingerprint(codebook())
    done = 0
    while ids := _next_batch(session, mark):
        comment_ids = select(Comment.id).where(Comment.response_id.in_(ids))
        try:
            with session.begin_nested():
                # Child rows first: a bulk delete on SQLite would otherwise cascade row by row.
                session.execute(
                    delete(CommentTheme).where(CommentTheme.comment_id.in_(comment_ids))
                )
                session.execute(delete(Comment).where(Comment.response_id.in_(ids)))
                session.execute(delete(ThemedResponse).where(ThemedResponse.response_id.in_(ids)))
                _store(session, ids, mark)
        except IntegrityError:
            return done
        done += len(ids)
        if after_batch is not None:
            after_batch()
    return done


def _next_batch(session: Session, mark: str) -> list[int]:
    """Responses marked with another codebook first, then those not yet marked below the
    lowest marked with MARK (every one above it is)."""
    stale = list(
        session.scalars(
            select(ThemedResponse.response_id)
            .where(ThemedResponse.codebook != mark)
            .order_by(ThemedResponse.response_id.desc())
            .limit(BATCH)
        )
    )
    if stale:
        return stale
    return list(
        session.scalars(
            select(Response.id)
            .where(Response.id < _lowest_done(session, mark))
            .order_by(Response.id.desc())
            .limit(BATCH)
        )
    )


def _lowest_done(session: Session, mark: str) -> float:
    lowest = session.scalar(
        select(func.min(ThemedResponse.response_id)).where(ThemedResponse.codebook == mark)
    )
    return float("inf") if lowest is None else lowest


def _store(session: Session, ids: Sequence[int], mark: str) -> None:
    """Analyse the responses IDS in bulk: what `analyse` does for one."""
    texts = [Response.answers[q].as_string().label(q) for q in FREE_TEXT_QUESTIONS]
    place = [Response.survey_id, Response.audience, Response.submitted_at]
    rows = session.execute(select(Response.id, *place, *texts).where(Response.id.in_(ids))).all()
    session.execute(
        insert(ThemedResponse), [{"response_id": row[0], "codebook": mark} for row in rows]
    )
    frame = pd.DataFrame(
        rows, columns=["response_id", "survey_id", "audience", "submitted_at", *FREE_TEXT_QUESTIONS]
    ).melt(
        id_vars=["response_id", "survey_id", "audience", "submitted_at"],
        var_name="question",
        value_name="text",
    )
    facts, tags = _analysed(frame.dropna(subset=["text"]), codebook())
    if facts.empty:
        return
    places = [
        {
            "response_id": int(fact.response_id),
            "question": fact.question,
            "survey_id": fact.survey_id,
            "audience": fact.audience,
            "submitted_at": fact.submitted_at.to_pydatetime(),
            "polarity": fact.polarity,
        }
        for fact in facts.itertuples()
    ]
    stored = (
        session.execute(
            insert(Comment).returning(Comment.id, sort_by_parameter_order=True),
            [
                {**place, "quote_key": fact.quote_key}
                for place, fact in zip(places, facts.itertuples(), strict=True)
            ],
        )
        .scalars()
        .all()
    )
    of = {
        (place["response_id"], place["question"]): (id_, place)
        for id_, place in zip(stored, places, strict=True)
    }
    if not tags.empty:
        session.execute(
            insert(CommentTheme),
            [
                {"comment_id": id_, "theme": tag.theme, **place}
                for tag in tags.itertuples()
                for id_, place in [of[(int(tag.response_id), tag.question)]]
            ],
        )


def _analysed(frame: pd.DataFrame, book: Codebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The comments of FRAME (response_id, question, text) with their polarity (None when
    there is none) and quote_key, and their codebook tags."""
    comments = answered(frame).reset_index(drop=True)
    scores = polarity(comments["text"])
    facts = comments.assign(
        polarity=scores.astype(object).where(scores.notna(), None),
        quote_key=quote_keys(quotable(comments["text"])).astype(object),
    )
    facts["quote_key"] = facts["quote_key"].where(facts["quote_key"].notna(), None)
    return facts, tag_comments(comments, book)
