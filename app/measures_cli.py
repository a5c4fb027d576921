"""`flask --app wsgi measures`: the outcome measures of docs/measures.md, to standard output.

Suppressed as for publication unless `--unsuppressed` is given, which is for signed-in
staff's own work only and must never be published. Served from the measure counts
(app/counts.py); `flask counts rebuild` and `flask counts check` look after them.
"""

import json
from collections.abc import Callable
from typing import Any

import click
from flask.cli import AppGroup, with_appcontext

from analysis.definitions import DEFAULT_BY
from analysis.load import NothingToMeasure
from analysis.results import to_csv, to_markdown
from app import choice_counts
from app.counts import differences, measures_from_counts, rebuild
from app.db import get_engine, reading
from app.tallies import rebuild as rebuild_tallies


def to_json(result: dict[str, Any]) -> str:
    """`result` as the JSON text of `measures --format json` and `/api/measures`."""
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[dict[str, Any]], str]] = {
    "json": to_json,
    "csv": to_csv,
    "md": to_markdown,
}


def parse_by(value: str | None) -> list[str]:
    """Breakdown dimensions from "audience,area" (spaces and empty items ignored).

    None means the default breakdowns; an empty string means none.
    """
    if value is None:
        return list(DEFAULT_BY)
    return [item.strip() for item in value.split(",") if item.strip()]


@click.command("measures")
@click.option("--period", help="Academic year, like 2025/26. Default: the latest with data.")
@click.option("--from", "date_from", metavar="DATE", help="First local date, like 2025-09-01.")
@click.option("--to", "date_to", metavar="DATE", help="Last local date (inclusive).")
@click.option(
    "--by",
    metavar="DIMENSIONS",
    help=f"Breakdowns, comma-separated. Default: {','.join(DEFAULT_BY)}.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
    default="json",
    show_default=True,
)
@click.option(
    "--unsuppressed",
    is_flag=True,
    help="Staff only, NOT FOR PUBLICATION: show every figure, small groups included.",
)
@with_appcontext
def measures_command(
    period: str | None,
    date_from: str | None,
    date_to: str | None,
    by: str | None,
    output_format: str,
    unsuppressed: bool,
) -> None:
    """Print the outcome measures, suppressed for publication."""
    try:
        # Deferred on SQLite: reading never takes the write lock that respondents need.
        with reading(get_engine()).connect() as connection:
            result = measures_from_counts(
                connection,
                period=period,
                date_from=date_from,
                date_to=date_to,
                by=parse_by(by),
                suppress=not unsuppressed,
            )
    except (ValueError, NothingToMeasure) as error:
        raise click.ClickException(str(error)) from None
    if unsuppressed:
        click.echo(
            "NOT FOR PUBLICATION: unsuppressed figures for staff; small groups are shown.",
            err=True,
        )
    click.echo(FORMATS[output_format](result), nl=False)


counts_cli = AppGroup("counts", help="The counts the outcome measures are served from.")


@counts_cli.command("rebuild")
def counts_rebuild() -> None:
    """Count every response afresh: after a bulk load that went around the app. The
    staff pages' tallies (app/tallies.py) and the reports' choice counts
    (app/choice_counts.py) too."""
    with get_engine().begin() as connection:
        written = rebuild(connection)
        tallied = rebuild_tallies(connection)
        chosen = choice_counts.rebuild(connection)
    click.echo(
        f"Counted every response afresh: {written} count rows, {tallied} tally rows, "
        f"{chosen} choice count rows."
    )


@counts_cli.command("check")
def counts_check() -> None:
    """Compare the measure and choice counts with a fresh count of every response; fail
    if they differ."""
    with reading(get_engine()).connect() as connection:
        wrong = differences(connection)
        wrong_choices = choice_counts.differences(connection)
    if not wrong.empty:
        click.echo(wrong.head(20).to_string(index=False), err=True)
    for key, (kept, fresh) in sorted(wrong_choices.items())[:20]:
        click.echo(f"choice count {key}: kept {kept}, fresh {fresh}", err=True)
    if not wrong.empty or wrong_choices:
        raise click.ClickException(
            f"{len(wrong)} count rows and {len(wrong_choices)} choice count rows differ from "
            "the responses; run `flask --app wsgi counts rebuild`"
        )
    click.echo("The counts match the responses.")
