"""Themes in the free-text answers: the codebook, tagging, officers' corrections, shares.

A *comment* is one answer to a free-text question: a row of a comments frame with
columns response_id, audience, question (`going_well` or `should_change`) and text,
identified by (response_id, question). A comment whose text is missing or blank is not
a comment: every function here leaves it out.

A *tag* says a comment is about a theme: a row of a tags frame with columns
response_id, question, theme, matched (the words of the comment that matched; missing
for a tag an officer added) and source (`codebook` or `officer`).

    codebook = load_codebook("surveys/themes.yaml")
    tags = tag_comments(comments, codebook).pipe(apply_corrections, corrections)
    theme_shares(comments, tags, by="audience")
    untagged(comments, tags)

The codebook's format, and how keywords match, is explained at the top of
surveys/themes.yaml.
"""

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from analysis.text import each_distinct, normalise

COMMENT_KEY = ["response_id", "question"]
TAG_COLUMNS = [*COMMENT_KEY, "theme", "matched", "source"]
CODEBOOK = "codebook"
OFFICER = "officer"
ADD = "add"
REMOVE = "remove"

_THEME_FIELDS = {"id", "label", "description", "keywords", "capitals_only"}
_THEME_ID = re.compile(r"[a-z][a-z0-9_]*")
# A stem shorter than this ("a*", "to*") would match a large part of the language.
_SHORTEST_STEM = 3
_NOT_ALNUM_BEFORE = r"(?<![A-Za-z0-9])"
_NOT_ALNUM_AFTER = r"(?![A-Za-z0-9])"
_BETWEEN_WORDS = r"[\s,/-]+"
_EVERYONE = "_everyone"


@dataclass(frozen=True)
class Theme:
    """One theme of the codebook (see surveys/themes.yaml for what each field means)."""

    id: str
    label: str
    description: str
    keywords: tuple[str, ...]
    capitals_only: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """The themes, in the order the codebook lists them."""

    themes: tuple[Theme, ...]


def load_codebook(path: str | Path) -> Codebook:
    """The codebook in the YAML file `path`, checked.

    Raises ValueError naming the file and, for each problem, the theme (by id where it
    has one) and what is wrong: a missing or blank field, an unknown field, a duplicate
    or badly formed id, no keywords, a keyword that is not text or misuses `*`.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML: {error}") from None
    try:
        return parse_codebook(data)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


def parse_codebook(data: Any) -> Codebook:
    """The codebook in `data` (a mapping with a `themes` list, as read from YAML), checked.

    Raises ValueError listing every problem, one a line, as `load_codebook` describes.
    """
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise ValueError("the codebook must have a 'themes' list")
    if not data["themes"]:
        raise ValueError("the 'themes' list is empty")
    problems = [f"unknown field '{field}' at the top level" for field in data if field != "themes"]
    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(data["themes"], start=1):
        theme, theme_problems = _parse_theme(entry, number)
        problems += theme_problems
        if theme is None:
            continue
        if theme.id in seen:
            problems.append(
                f"theme '{theme.id}': the id is used twice (themes {seen[theme.id]} and {number})"
            )
        seen.setdefault(theme.id, number)
        themes.append(theme)
    if problems:
        raise ValueError("\n".join(problems))
    return Codebook(tuple(themes))


def tag_comments(comments: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One tag per comment and theme whose keywords the comment's text contains.

    Matching is by whole word or phrase, as surveys/themes.yaml explains. `matched` is
    the earliest words of the comment that match one of the theme's keywords, as the
    comment spells them (after `analysis.text.normalise`); `source` is `codebook`.
    Sorted by response_id, question, theme.
    """
    # A fresh index, so that a caller's repeated index labels cannot multiply the join.
    written = answered(comments).reset_index(drop=True)
    text = each_distinct(written["text"], normalise)
    # Each distinct text searched once, then the matches spread to every copy of it.
    distinct = pd.Series(text.unique(), dtype="object")
    found = (
        pd.DataFrame(
            {
                theme.id: distinct.str.extract(_pattern(theme), expand=False)
                for theme in codebook.themes
            }
        )
        .set_axis(distinct.to_numpy())
        .reindex(text.to_numpy())
        .set_axis(written.index)
    )
    tags = (
        written[COMMENT_KEY]
        .join(found)
        .melt(id_vars=COMMENT_KEY, var_name="theme", value_name="matched")
        .dropna(subset=["matched"])
        .assign(source=CODEBOOK)
    )
    return _in_order(tags)


def text_themes(text: str, codebook: Codebook) -> list[str]:
    """The themes `tag_comments` tags one comment's TEXT with, in its order. Plain
    Python: for the comments of one send, pandas' cost per operation was most of the
    send's time (tests/feedback/test_comments.py proves the two equal)."""
    if not text.strip():
        return []
    written = normalise(text)
    return sorted(theme.id for theme in codebook.themes if _pattern(theme).search(written))


def apply_corrections(tags: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    """`tags` with officers' corrections applied.

    `corrections` has columns response_id, question, theme and action (`add` or
    `remove`), oldest first; for the same comment and theme the last correction wins.
    `remove` drops the tag; `add` adds one with matched missing and source `officer`,
    unless the comment already has that theme. Raises ValueError for any other action.
    """
    unknown = ~corrections["action"].isin([ADD, REMOVE])
    if unknown.any():
        actions = ", ".join(sorted(map(repr, corrections.loc[unknown, "action"].unique())))
        raise ValueError(f"corrections: action must be '{ADD}' or '{REMOVE}', not {actions}")
    key = [*COMMENT_KEY, "theme"]
    latest = corrections.drop_duplicates(key, keep="last")
    tagged = pd.MultiIndex.from_frame(tags[key])
    removed = pd.MultiIndex.from_frame(latest.loc[latest["action"] == REMOVE, key])
    added = latest.loc[latest["action"] == ADD, key]
    # In the tags' dtypes, so that an empty or differently typed corrections frame
    # cannot change the dtypes of the result.
    new = (
        added.loc[~pd.MultiIndex.from_frame(added).isin(tagged)]
        .assign(matched=None, source=OFFICER)
        .astype(tags.dtypes.to_dict())
    )
    return _in_order(pd.concat([tags.loc[~tagged.isin(removed)], new]))


def untagged(comments: pd.DataFrame, tags: pd.DataFrame) -> pd.DataFrame:
    """The comments of `comments` that have no tag in `tags`, in their order, all columns.

    These are what the codebook missed: an officer reads them, tags them by hand or adds
    keywords, so that no comment is lost from the analysis.
    """
    written = answered(comments)
    has_tag = pd.MultiIndex.from_frame(written[COMMENT_KEY]).isin(
        pd.MultiIndex.from_frame(tags[COMMENT_KEY])
    )
    return written.loc[~has_tag]


def tagged_comments(comments: pd.DataFrame, tags: pd.DataFrame) -> pd.DataFrame:
    """One row per comment of `comments` and theme it is tagged with: the tag's columns,
    then the comment's.

    A tag repeated in `tags` gives one row, so a comment counts once per theme; tags of
    comments not in `comments` (another period, say) are left out.
    """
    once = tags.drop_duplicates([*COMMENT_KEY, "theme"])
    return once.merge(answered(comments), on=COMMENT_KEY, how="inner")


def theme_shares(
    comments: pd.DataFrame, tags: pd.DataFrame, by: str | Sequence[str] | None = "audience"
) -> pd.DataFrame:
    """How many comments mention each theme, out of all comments, per group of `by`.

    One row per group of the `by` columns (None: one group, everyone) and per theme
    that has a tag, with columns `*by`, theme, count (comments in the group with that
    theme), comments (all comments in the group, tagged or not) and share (count /
    comments, a fraction, unrounded). A theme no one in a group mentioned has count 0
    there. Groups with a missing value are kept. Sorted by the `by` columns, then count
    from most to fewest, then theme.
    """
    keys = by_columns(by)
    groups = [_EVERYONE, *keys]
    # groupby needs at least one key: a constant column stands for "all comments", so
    # by=None needs no separate path.
    written = answered(comments).assign(**{_EVERYONE: True})
    sizes = written.groupby(groups, dropna=False, observed=True).size().rename("comments")
    mentions = tagged_comments(written, tags)
    counts = mentions.groupby([*groups, "theme"], dropna=False, observed=True).size()
    themes = mentions[["theme"]].drop_duplicates()
    shares = (
        sizes.reset_index()
        .merge(themes, how="cross")
        .merge(counts.rename("count").reset_index(), on=[*groups, "theme"], how="left")
    )
    count = shares["count"].fillna(0).astype("int64")
    shares = shares.assign(count=count, share=count / shares["comments"])
    return shares.sort_values(
        [*keys, "count", "theme"], ascending=[True] * len(keys) + [False, True], kind="stable"
    ).reset_index(drop=True)[[*keys, "theme", "count", "comments", "share"]]


def answered(comments: pd.DataFrame) -> pd.DataFrame:
    """The rows of `comments` whose text is not missing or blank."""
    return comments.loc[comments["text"].fillna("").str.strip() != ""]


def by_columns(by: str | Sequence[str] | None) -> list[str]:
    """`by` as a list of column names: None is no columns, a string is one."""
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _in_order(tags: pd.DataFrame) -> pd.DataFrame:
    return tags.sort_values([*COMMENT_KEY, "theme"], kind="stable").reset_index(drop=True)[
        TAG_COLUMNS
    ]


def _parse_theme(entry: Any, number: int) -> tuple[Theme | None, list[str]]:
    if not isinstance(entry, dict):
        return None, [f"theme {number}: must be a mapping with id, label, description, keywords"]
    theme_id = entry.get("id")
    valid_id = isinstance(theme_id, str) and _THEME_ID.fullmatch(theme_id) is not None
    name = f"theme '{theme_id}'" if valid_id else f"theme {number}"
    problems = [f"{name}: unknown field '{field}'" for field in entry if field not in _THEME_FIELDS]
    if not valid_id:
        problems.append(
            f"{name}: id must be lower-case letters, digits and underscores, "
            f"starting with a letter (got {theme_id!r})"
        )
    for field in ("label", "description"):
        if not isinstance(entry.get(field), str) or not entry[field].strip():
            problems.append(f"{name}: {field} is missing or blank")
    keywords = entry.get("keywords")
    if not isinstance(keywords, list) or not keywords:
        problems.append(f"{name}: keywords must be a list of at least one word or phrase")
        keywords = []
    capitals = entry.get("capitals_only", [])
    if not isinstance(capitals, list):
        problems.append(f"{name}: capitals_only must be a list")
        capitals = []
    problems += _keyword_problems(name, "keyword", keywords)
    problems += _keyword_problems(name, "capitals_only keyword", capitals)
    problems += [
        f"{name}: capitals_only keyword {keyword!r} has no capital letters"
        for keyword in capitals
        if isinstance(keyword, str) and keyword == keyword.lower()
    ]
    if problems:
        return None, problems
    theme = Theme(
        id=theme_id,
        label=entry["label"].strip(),
        description=entry["description"].strip(),
        keywords=tuple(keywords),
        capitals_only=tuple(capitals),
    )
    return theme, []


def _keyword_problems(name: str, kind: str, keywords: list[Any]) -> list[str]:
    problems = []
    for number, keyword in enumerate(keywords, start=1):
        if not isinstance(keyword, str):
            problems.append(f"{name}: {kind} {number} ({keyword!r}) is not text; put it in quotes")
        elif not re.search(r"[A-Za-z0-9]", keyword):
            problems.append(f"{name}: {kind} {number} ({keyword!r}) has no letters or digits")
        elif any(
            "*" in word[:-1] or (word.endswith("*") and len(word) - 1 < _SHORTEST_STEM)
            for word in keyword.split()
        ):
            problems.append(
                f"{name}: {kind} {keyword!r}: put * only at the end of a word, "
                f"after at least {_SHORTEST_STEM} letters"
            )
    return problems


@functools.cache
def _pattern(theme: Theme) -> re.Pattern[str]:
    # One capturing group, so that str.extract returns the matched words. Longer keywords
    # first, so that "waiting list" is reported rather than "wait*" when both match. The
    # start-of-word check stands once before the group, not in every keyword: six times
    # faster, as most positions in a text fail it.
    alternatives = sorted(
        [f"(?i:{_keyword_regex(k)})" for k in theme.keywords]
        + [_keyword_regex(k) for k in theme.capitals_only],
        key=len,
        reverse=True,
    )
    return re.compile(f"{_NOT_ALNUM_BEFORE}({'|'.join(alternatives)})")


def _keyword_regex(keyword: str) -> str:
    *head, last = normalise(keyword).split(" ")
    words = [_word_regex(word) for word in head] + [_word_regex(last, inflected=True)]
    return _BETWEEN_WORDS.join(words) + _NOT_ALNUM_AFTER


def _word_regex(word: str, inflected: bool = False) -> str:
    if word.endswith("*"):
        return _hyphen_optional(word[:-1]) + "[A-Za-z0-9']*"
    spelled = _hyphen_optional(word)
    if not inflected:
        return spelled
    # The last word of a keyword also finds its plural and possessive: "therapy" finds
    # "therapies", "plan" finds "plans", "plan's" and "plans'".
    if re.search(r"[^aeiouAEIOU][yY]$", word):
        return spelled[:-1] + "(?:y|ies)(?:'s|')?"
    return spelled + "(?:'s|s'|es|s)?"


def _hyphen_optional(word: str) -> str:
    return r"[\s-]?".join(re.escape(part) for part in word.split("-"))
