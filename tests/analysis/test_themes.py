import re
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis.themes import (
    apply_corrections,
    load_codebook,
    parse_codebook,
    tag_comments,
    tagged_comments,
    theme_shares,
    untagged,
)

SHIPPED = Path(__file__).parents[2] / "surveys" / "themes.yaml"

# A small codebook of its own, so that the arithmetic below does not move when the
# engagement officer edits the shipped one.
SMALL = parse_codebook(
    {
        "themes": [
            {
                "id": "waiting",
                "label": "Waiting",
                "description": "d",
                "keywords": ["wait*", "late"],
            },
            {
                "id": "school",
                "label": "School",
                "description": "d",
                "keywords": ["teacher"],
                "capitals_only": ["TA"],
            },
            {"id": "friends", "label": "Friends", "description": "d", "keywords": ["friend*"]},
            {
                "id": "transport",
                "label": "Transport",
                "description": "d",
                "keywords": ["bus", "taxi*"],
            },
        ]
    }
)


def make_comments(*rows):
    """A comments frame from (response_id, audience, question, text) rows."""
    return pd.DataFrame(rows, columns=["response_id", "audience", "question", "text"])


def make_tags(*rows):
    """A tags frame from (response_id, question, theme, matched, source) rows."""
    return pd.DataFrame(rows, columns=["response_id", "question", "theme", "matched", "source"])


def make_corrections(*rows):
    """A corrections frame from (response_id, question, theme, action) rows, oldest first."""
    return pd.DataFrame(rows, columns=["response_id", "question", "theme", "action"])


COMMENTS = make_comments(
    (1, "child", "going_well", "my teacher helps me and i have friends"),
    (2, "child", "should_change", "the bus is always late"),
    (3, "child", "going_well", "i like lego"),
    (4, "child", "should_change", "my taxi is late!!"),
    (5, "young_person", "going_well", "my friends are nice"),
    (6, "young_person", "should_change", "too much waiting. the wait is long"),
    (7, "young_person", "should_change", "   "),
    (8, "parent_carer", "going_well", None),
)
TAGS = make_tags(
    (1, "going_well", "friends", "friends", "codebook"),
    (1, "going_well", "school", "teacher", "codebook"),
    (2, "should_change", "transport", "bus", "codebook"),
    (2, "should_change", "waiting", "late", "codebook"),
    (4, "should_change", "transport", "taxi", "codebook"),
    (4, "should_change", "waiting", "late", "codebook"),
    (5, "going_well", "friends", "friends", "codebook"),
    (6, "should_change", "waiting", "waiting", "codebook"),
)


def themes_of(text, codebook=None):
    """The theme ids found in one comment."""
    tags = tag_comments(
        make_comments((1, "parent_carer", "should_change", text)), codebook or SHIPPED_CODEBOOK
    )
    return set(tags["theme"])


SHIPPED_CODEBOOK = load_codebook(SHIPPED)


# --- the shipped codebook ----------------------------------------------------------


def test_the_shipped_codebook_has_the_strategys_themes():
    assert [theme.id for theme in SHIPPED_CODEBOOK.themes] == [
        "waiting_times",
        "being_listened_to",
        "ehc_plans",
        "tell_it_once",
        "support_in_school",
        "health_and_therapies",
        "short_breaks_and_activities",
        "transport",
        "preparing_for_adulthood",
        "safe_and_belonging",
        "information_and_local_offer",
    ]
    for theme in SHIPPED_CODEBOOK.themes:
        assert theme.label and theme.description and theme.keywords, theme.id


@pytest.mark.parametrize(
    ("theme", "comment"),
    [
        ("waiting_times", "the wait for camhs is 2 years!!!"),
        ("waiting_times", "Still on the waiting list after 18 months"),
        ("being_listened_to", "nobody listens to us parents, we are the experts on our kids"),
        ("being_listened_to", "my views were ignored at the meeting"),
        ("being_listened_to", "the grown ups dont hear me"),
        ("ehc_plans", "my sons EHCP review was late again"),
        ("ehc_plans", "annual reviews never happen"),
        ("tell_it_once", "sick of telling our story over and over to every new person"),
        ("tell_it_once", "we keep repeating ourselves to different services"),
        ("support_in_school", "my TA helps me in maths"),
        ("support_in_school", "our SENCO is brilliant"),
        ("support_in_school", "he is on a reduced timetable and was excluded twice"),
        ("health_and_therapies", "we have been waiting 18 months for OT"),
        ("health_and_therapies", "speech and language therapy stopped when he turned 5"),
        ("health_and_therapies", "camhs said he wasnt ill enough"),
        ("health_and_therapies", "physio is great"),
        ("short_breaks_and_activities", "there are no clubs for my son in the summer hols"),
        ("short_breaks_and_activities", "we have had no respite in 3 years"),
        ("transport", "the taxi to school is always late and the driver keeps changing"),
        ("transport", "i like going on the bus by myself"),
        ("preparing_for_adulthood", "worried what happens wen he turns 18 and leaves college"),
        ("preparing_for_adulthood", "i want a job when i leave school"),
        ("safe_and_belonging", "i got no frends at school and get bullied"),
        ("safe_and_belonging", "I feel safe and included"),
        (
            "information_and_local_offer",
            "didnt know where to go for help, the local offer is confusing",
        ),
        ("information_and_local_offer", "nobody knows who to contact"),
    ],
)
def test_each_theme_is_found_in_comments_as_people_write_them(theme, comment):
    assert theme in themes_of(comment)


@pytest.mark.parametrize(
    ("theme", "comment"),
    [
        ("health_and_therapies", "i do not like it"),  # "OT" inside "not"
        ("health_and_therapies", "he did not get it"),
        ("transport", "it is none of our business"),  # "bus" inside "business"
        ("support_in_school", "ta very much for asking"),  # "ta" is thanks, "TA" is a helper
        ("health_and_therapies", "the nursery is lovely"),  # "nurse" inside "nursery"
        ("waiting_times", "i like swimming"),
    ],
)
def test_keywords_match_only_whole_words(theme, comment):
    assert theme not in themes_of(comment)


@pytest.mark.parametrize(
    "comment",
    [
        "my EHCP is good",
        "our ehcp's provision isnt followed",
        "EHCPs take forever",
        "we asked for an EHC plan",
        "the ehc-plan is wrong",
        "the E.H.C.P was late",
        "the e.h.c.p. was late",
        "an Education, Health and Care Plan",
    ],
)
def test_ehcp_is_found_however_it_is_written(comment):
    assert "ehc_plans" in themes_of(comment)


def test_the_last_word_matches_plurals_and_a_star_matches_any_ending():
    codebook = parse_codebook(
        {
            "themes": [
                {"id": "lists", "label": "L", "description": "d", "keywords": ["waiting list"]},
                {"id": "therapy", "label": "T", "description": "d", "keywords": ["therapy"]},
                {"id": "turning", "label": "A", "description": "d", "keywords": ["turn* 18"]},
            ]
        }
    )
    assert themes_of("two waiting lists", codebook) == {"lists"}
    assert themes_of("the waiting list's length", codebook) == {"lists"}
    assert themes_of("no therapies at all", codebook) == {"therapy"}
    assert themes_of("when he turned 18", codebook) == {"turning"}
    assert themes_of("he is turning 18", codebook) == {"turning"}
    assert themes_of("waiting for a list", codebook) == set()
    assert themes_of("he turned 180 degrees", codebook) == set()


# --- tagging -------------------------------------------------------------------------


def test_tag_comments_gives_one_row_per_comment_and_theme():
    assert_frame_equal(tag_comments(COMMENTS, SMALL), TAGS)


def test_tag_comments_leaves_its_input_alone():
    before = COMMENTS.copy()
    tag_comments(COMMENTS, SMALL)
    assert_frame_equal(COMMENTS, before)


def test_tag_comments_of_no_comments_is_an_empty_tags_frame():
    tags = tag_comments(COMMENTS.iloc[:0], SMALL)
    assert list(tags.columns) == ["response_id", "question", "theme", "matched", "source"]
    assert tags.empty


def test_capitals_only_keywords_need_capitals():
    assert themes_of("my TA is kind", SMALL) == {"school"}
    assert themes_of("my ta is kind", SMALL) == set()


def test_untagged_lists_every_comment_no_theme_caught_and_ignores_blank_answers():
    assert untagged(COMMENTS, TAGS)["response_id"].tolist() == [3]


def test_untagged_keeps_every_comment_when_nothing_is_tagged():
    nothing = tag_comments(COMMENTS, SMALL).iloc[:0]
    assert untagged(COMMENTS, nothing)["response_id"].tolist() == [1, 2, 3, 4, 5, 6]


def test_tagged_comments_gives_each_tag_its_comment_and_drops_tags_of_other_comments():
    joined = tagged_comments(COMMENTS.loc[COMMENTS["audience"] == "young_person"], TAGS)
    assert joined[["response_id", "theme", "audience", "text"]].values.tolist() == [
        [5, "friends", "young_person", "my friends are nice"],
        [6, "waiting", "young_person", "too much waiting. the wait is long"],
    ]


# --- officers' corrections -------------------------------------------------------------


def test_corrections_add_and_remove_tags_and_the_last_one_wins():
    corrections = make_corrections(
        (3, "going_well", "friends", "add"),
        (2, "should_change", "waiting", "remove"),
        (1, "going_well", "school", "remove"),
        (1, "going_well", "school", "add"),
        (5, "going_well", "friends", "add"),
        (4, "should_change", "waiting", "add"),
        (4, "should_change", "waiting", "remove"),
    )
    expected = make_tags(
        (1, "going_well", "friends", "friends", "codebook"),
        (1, "going_well", "school", "teacher", "codebook"),
        (2, "should_change", "transport", "bus", "codebook"),
        (3, "going_well", "friends", None, "officer"),
        (4, "should_change", "transport", "taxi", "codebook"),
        (5, "going_well", "friends", "friends", "codebook"),
        (6, "should_change", "waiting", "waiting", "codebook"),
    )
    assert_frame_equal(apply_corrections(TAGS, corrections), expected)


def test_no_corrections_change_nothing():
    assert_frame_equal(apply_corrections(TAGS, make_corrections()), TAGS)


def test_a_correction_with_an_unknown_action_is_refused():
    with pytest.raises(ValueError, match="action must be 'add' or 'remove', not 'delete'"):
        apply_corrections(TAGS, make_corrections((1, "going_well", "school", "delete")))


def test_a_comment_tagged_by_an_officer_is_no_longer_untagged():
    corrected = apply_corrections(TAGS, make_corrections((3, "going_well", "friends", "add")))
    assert untagged(COMMENTS, corrected).empty


# --- shares ----------------------------------------------------------------------------


def test_theme_shares_by_audience():
    # child: 4 comments (1-4); young_person: 2 (5, 6; 7 is blank); parent_carer: none.
    expected = pd.DataFrame(
        [
            ("child", "transport", 2, 4, 2 / 4),
            ("child", "waiting", 2, 4, 2 / 4),
            ("child", "friends", 1, 4, 1 / 4),
            ("child", "school", 1, 4, 1 / 4),
            ("young_person", "friends", 1, 2, 1 / 2),
            ("young_person", "waiting", 1, 2, 1 / 2),
            ("young_person", "school", 0, 2, 0.0),
            ("young_person", "transport", 0, 2, 0.0),
        ],
        columns=["audience", "theme", "count", "comments", "share"],
    )
    assert_frame_equal(theme_shares(COMMENTS, TAGS), expected)


def test_theme_shares_for_everyone():
    # 6 comments; waiting in 2, 4 and 6 (6 says "wait" twice but counts once).
    expected = pd.DataFrame(
        [
            ("waiting", 3, 6, 3 / 6),
            ("friends", 2, 6, 2 / 6),
            ("transport", 2, 6, 2 / 6),
            ("school", 1, 6, 1 / 6),
        ],
        columns=["theme", "count", "comments", "share"],
    )
    assert_frame_equal(theme_shares(COMMENTS, TAGS, by=None), expected)


def test_theme_shares_by_two_columns_count_officer_tags():
    corrected = apply_corrections(TAGS, make_corrections((3, "going_well", "friends", "add")))
    shares = theme_shares(COMMENTS, corrected, by=["audience", "question"])
    child_going_well = shares.loc[
        (shares["audience"] == "child") & (shares["question"] == "going_well")
    ]
    assert child_going_well[["theme", "count", "comments"]].values.tolist() == [
        ["friends", 2, 2],
        ["school", 1, 2],
        ["transport", 0, 2],
        ["waiting", 0, 2],
    ]


# --- the codebook's checks ---------------------------------------------------------------


def theme(**fields):
    """A valid theme entry, with `fields` changed."""
    return {
        "id": "waiting_times",
        "label": "Waiting",
        "description": "d",
        "keywords": ["wait*"],
    } | fields


@pytest.mark.parametrize(
    ("themes", "message"),
    [
        ([theme(), theme()], "theme 'waiting_times': the id is used twice (themes 1 and 2)"),
        ([theme(keywords=[])], "theme 'waiting_times': keywords must be a list of at least one"),
        ([theme(keywords=None)], "theme 'waiting_times': keywords must be a list"),
        ([theme(keywords=["wa*"])], "theme 'waiting_times': keyword 'wa*': put * only at the end"),
        ([theme(keywords=["*ing"])], "put * only at the end of a word"),
        (
            [theme(keywords=[61])],
            "theme 'waiting_times': keyword 1 (61) is not text; put it in quotes",
        ),
        ([theme(keywords=["  "])], "keyword 1 ('  ') has no letters or digits"),
        ([theme(label="")], "theme 'waiting_times': label is missing or blank"),
        ([theme(keyword=["wait"])], "theme 'waiting_times': unknown field 'keyword'"),
        ([theme(capitals_only=["ta"])], "capitals_only keyword 'ta' has no capital letters"),
        ([theme(id="Waiting Times")], "theme 1: id must be lower-case letters"),
        ([theme(), "waiting"], "theme 2: must be a mapping"),
        ([], "the 'themes' list is empty"),
    ],
)
def test_a_bad_codebook_is_refused_saying_which_theme_and_what_is_wrong(themes, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_codebook({"themes": themes})


def test_every_problem_is_listed_at_once():
    with pytest.raises(ValueError) as error:
        parse_codebook({"themes": [theme(keywords=[]), theme(id="transport", label=" ")]})
    assert str(error.value).splitlines() == [
        "theme 'waiting_times': keywords must be a list of at least one word or phrase",
        "theme 'transport': label is missing or blank",
    ]


def test_load_codebook_names_the_file(tmp_path):
    path = tmp_path / "themes.yaml"
    # Unquoted, YAML reads 1:1 as the number 61 (base 60).
    path.write_text(
        "themes:\n"
        "  - id: support_in_school\n"
        "    label: Support in school\n"
        "    description: Help at school\n"
        "    keywords: [teacher, 1:1]\n"
    )
    with pytest.raises(
        ValueError, match=r"themes.yaml: theme 'support_in_school': keyword 2 \(61\)"
    ):
        load_codebook(path)


def test_load_codebook_refuses_broken_yaml(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text("themes: [\n")
    with pytest.raises(ValueError, match=re.escape("themes.yaml: not valid YAML")):
        load_codebook(path)


def test_load_codebook_reads_a_valid_file(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(
        "# a comment\n"
        "themes:\n"
        "  - id: support_in_school\n"
        "    label: Support in school\n"
        "    description: Help at school\n"
        "    keywords: [teacher, '1:1']\n"
        "    capitals_only: [TA]\n"
    )
    (only,) = load_codebook(path).themes
    assert (only.id, only.keywords, only.capitals_only) == (
        "support_in_school",
        ("teacher", "1:1"),
        ("TA",),
    )


def test_theme_shares_count_a_comment_once_however_often_it_is_tagged():
    twice = pd.concat([TAGS, TAGS], ignore_index=True)
    assert_frame_equal(theme_shares(COMMENTS, twice), theme_shares(COMMENTS, TAGS))


def test_tagged_comments_give_a_repeated_tag_once():
    twice = pd.concat([TAGS, TAGS], ignore_index=True)
    assert len(tagged_comments(COMMENTS, twice)) == len(TAGS)


def test_theme_shares_with_no_tags_or_no_comments_are_empty_with_their_columns():
    no_tags = tag_comments(COMMENTS, SMALL).iloc[:0]
    for shares in [theme_shares(COMMENTS, no_tags), theme_shares(COMMENTS.iloc[:0], TAGS)]:
        assert shares.empty
        assert list(shares.columns) == ["audience", "theme", "count", "comments", "share"]
