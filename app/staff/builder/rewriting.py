"""A survey file rewritten to a changed definition, keeping its comments and layout.

The builder changes a survey as data (add, change, move or remove a question), but the
file it came from may have been written by hand, with comments that matter ("keep these
option ids exactly as they are: the measures count them"). So the file is read with
ruamel.yaml, which keeps each comment with the part of the file it follows, and the new
definition is laid over it in place: what is unchanged keeps its quoting, flow style and
folded lines; what is new is written in block style. Pages, questions and options are
matched by their id. The comment lines just before a page, question or option belong to
it (a section heading such as "# --- Outcome 5"), so they move with it and go if it is
removed; those after the last one stay last.

ruamel.yaml keeps the lines between two items with the end of the first (its last value,
or the end of its last list), so `_tail` finds them there and `_set_tail` puts them back.

The result is read by the same loader as any file (app/surveys/files.py), so whatever
this writes, what is stored is exactly the definition, or the save is refused.
"""

import io
import itertools
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

# Wide enough that no line of a file is folded again: an unchanged line stays as it was.
UNFOLDED = 4096


def _yaml() -> YAML:
    # Round-trip mode, indented as the shipped files are ("  - id:" under "questions:").
    text = YAML()
    text.width = UNFOLDED
    text.indent(mapping=2, sequence=4, offset=2)
    text.preserve_quotes = True
    return text


def rewritten(previous: str, definition: dict[str, Any]) -> str:
    """The text of PREVIOUS (a survey file) changed to say DEFINITION, and no more."""
    document = _yaml().load(previous)
    if not isinstance(document, CommentedMap):
        document = CommentedMap()
    output = io.StringIO()
    _yaml().dump(_laid_over(document, definition), output)
    return output.getvalue()


def _laid_over(old: Any, new: Any) -> Any:
    """NEW, reusing the parts of OLD it leaves as they were (with their comments)."""
    if isinstance(new, dict) and isinstance(old, CommentedMap):
        for key in [key for key in old if key not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _laid_over(old.get(key), value)
            old.move_to_end(key)
        return old
    if isinstance(new, list) and isinstance(old, CommentedSeq):
        return _list_laid_over(old, new)
    if isinstance(new, dict | list):
        return _commented(new)
    # Words: the old ones, with their quoting and folded lines, if they say the same.
    return old if isinstance(old, str) and isinstance(new, str) and old == new else new


def _commented(value: dict | list) -> Any:
    """VALUE as ruamel.yaml reads it in block style: with places for the lines after it."""
    output = io.StringIO()
    _yaml().dump(value, output)
    return _yaml().load(output.getvalue())


def _list_laid_over(old: CommentedSeq, new: list) -> CommentedSeq:
    kept = _by_id(old)
    # The lines before each item with an id, then those after the last item.
    before = {_id(item): _tail(old[i - 1]) for i, item in enumerate(old) if i and _id(item)}
    after = _tail(old[-1]) if old else ""
    gap = next((tail for tail in map(_tail, old) if "#" not in tail), "")
    for item in old:
        _set_tail(item, "")
    items = [
        _laid_over(kept.get(_id(value), _at(old, position, value)), value)
        for position, value in enumerate(new)
    ]
    for previous, item in itertools.pairwise(items):
        _set_tail(previous, before.get(_id(item), gap) if _id(item) in kept else gap)
    if items:
        _set_tail(items[-1], after)
    old.clear()
    old.extend(items)
    return old


def _tail(node: Any) -> str:
    """The whole lines (blank or comments) after NODE and before whatever follows it."""
    holder, key = _tail_place(node)
    if holder is None:
        return ""
    if key is None:
        return "".join(" " * token.column + token.value for token in holder.ca.end or ())
    token = holder.ca.items.get(key, [None] * 4)[2]
    # The token starts at the end of the value's own line: a comment on that line stays.
    return token.value[1:] if token is not None and token.value.startswith("\n") else ""


def _set_tail(node: Any, lines: str) -> None:
    holder, key = _tail_place(node)
    if holder is None:
        return
    if key is None:
        # The end of a list is written only if the list has a comment slot of its own.
        if holder.ca.comment is None:
            holder.ca.comment = [None, None]
        holder.ca.end = [
            CommentToken(line.lstrip(" "), CommentMark(len(line) - len(line.lstrip(" "))))
            for line in lines.splitlines(keepends=True)
        ]
        return
    slots = holder.ca.items.setdefault(key, [None] * 4)
    token = slots[2]
    if token is not None and not token.value.startswith("\n"):
        return
    slots[2] = CommentToken("\n" + lines, CommentMark(0)) if lines else None


def _tail_place(node: Any) -> tuple[Any, Any]:
    """Where ruamel.yaml keeps the lines after NODE: (a list, None) for the end of that
    list, (a mapping, key) for after that key's value; (None, None) for a plain value."""
    while True:
        if isinstance(node, CommentedSeq):
            if not node or node.ca.end or _flow(node[-1]):
                return node, None
            node = node[-1]
        elif isinstance(node, CommentedMap) and node:
            key = next(reversed(node))
            if isinstance(node[key], CommentedMap | CommentedSeq) and not _flow(node[key]):
                node = node[key]
                continue
            return node, key
        else:
            return None, None


def _flow(node: Any) -> bool:
    return isinstance(node, CommentedMap | CommentedSeq) and bool(node.fa.flow_style())


def _id(item: Any) -> Any:
    return item.get("id") if isinstance(item, dict) else None


def _by_id(items: CommentedSeq) -> dict[Any, Any]:
    return {_id(item): item for item in items if _id(item) is not None}


def _at(old: CommentedSeq, position: int, value: Any) -> Any:
    """The old item at POSITION, for an item without an id (a scalar or a show_if
    condition); None for one with an id the old list does not have (a new question)."""
    if _id(value) is not None or position >= len(old):
        return None
    return old[position]
