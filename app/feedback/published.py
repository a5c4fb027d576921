"""Reading a published report's frozen content, whichever version of the content it was
published with: a report is never re-published, so the pages must show old shapes too."""

from typing import Any


def comment_groups(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's themes, one group per free-text question ("What is going well",
    "What should change"), each with heading, comments, themes and themes_hidden.

    Reports published before "You said" was split have one mixed list of themes: it is
    one group, under the heading those reports always had.
    """
    if "comment_groups" in content:
        return content["comment_groups"]
    return [
        {
            "question": None,
            "heading": "What people wrote about",
            "comments": content.get("comments", 0),
            "themes": content.get("themes", []),
            "themes_hidden": content.get("themes_hidden", []),
        }
    ]
