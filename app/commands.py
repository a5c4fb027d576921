"""The `flask --app wsgi ...` commands (the README lists them).

Each command does all its work in one transaction and exits non-zero with a one-line
reason (then the details) when its input is bad, having changed nothing.
"""

import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from flask import Flask, current_app, render_template
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.orm import Session

from app import migrations
from app.config import ConfigError
from app.data_protection import ErasureRefused, backup, erase, purge
from app.db import get_engine, session_scope, utcnow
from app.feedback.comments import catch_up
from app.feedback.reports import published_report
from app.imports.admin_data import import_admin_data
from app.imports.csvfile import ImportRejected
from app.imports.responses import import_responses
from app.measures_cli import counts_cli, measures_command
from app.models import Role, User
from app.outbox.backends import backend_from_config
from app.outbox.worker import deliver_all, watch
from app.ratelimit import forget_old_windows
from app.staff.accounts import AccountError
from app.staff.team.lifecycle import (
    change_role,
    disable,
    enable,
    find_user,
    invite,
    reset_password,
    team,
)
from app.staff.throttle import forget_old_failures
from app.staff.two_factor import reset_two_factor
from app.surveys.files import SurveyFileError, read_survey_files
from app.surveys.versions import store_surveys
from app.urls import absolute_url

T = TypeVar("T")

# Small files check in a blink; a bar would only clutter the output.
PROGRESS_FROM_ROWS = 2000

db_cli = AppGroup("db", help="Database migrations.")
surveys_cli = AppGroup("surveys", help="Survey definitions.")
responses_cli = AppGroup("responses", help="Responses gathered elsewhere.")
admin_data_cli = AppGroup("admin-data", help="Counts for the admin-data measures.")
users_cli = AppGroup("users", help="Staff accounts.")
report_cli = AppGroup("report", help="Published reports.")
outbox_cli = AppGroup("outbox", help="Emails waiting to be sent.")
themes_cli = AppGroup("themes", help="The themes, feeling and quotes of the comments.")


def init_commands(app: Flask) -> None:
    for group in (
        db_cli,
        surveys_cli,
        responses_cli,
        admin_data_cli,
        users_cli,
        report_cli,
        outbox_cli,
        themes_cli,
        counts_cli,
    ):
        app.cli.add_command(group)
    app.cli.add_command(backup_command)
    app.cli.add_command(measures_command)


def fail(reason: str, details: list[str] | None = None) -> None:
    """Stop with a one-line REASON (and the DETAILS below it) and a non-zero exit."""
    click.echo(f"Error: {reason}", err=True)
    for line in details or []:
        click.echo(f"  {line}", err=True)
    raise SystemExit(1)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the database to the newest migration (or REVISION)."""
    migrations.upgrade(get_engine(), revision)
    click.echo(f"Database is at {revision}.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Take the database back to REVISION."""
    migrations.downgrade(get_engine(), revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a migration for what the models have that the database lacks."""
    migrations.revision(get_engine(), message)


@surveys_cli.command("load")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def surveys_load(path: Path | None) -> None:
    """Load or update every survey in surveys/ (or PATH, a folder or one file)."""
    try:
        files = read_survey_files(path or current_app.config["SURVEYS_DIR"])
    except SurveyFileError as error:
        fail(
            f"{len(error.problems)} problem(s) in the survey files; nothing was changed.",
            [str(p) for p in error.problems],
        )
    with session_scope(get_engine()) as session:
        results = store_surveys(session, files)
    for result in results:
        click.echo(str(result))


@responses_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def responses_import(file: Path) -> None:
    """Import responses from FILE.csv (all rows or none)."""

    def progress(rows):
        if len(rows) < PROGRESS_FROM_ROWS:
            yield from rows
            return
        with click.progressbar(rows, label="Checking rows", file=sys.stderr) as bar:
            yield from bar

    _import(file, lambda session: import_responses(session, file, progress))


@admin_data_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def admin_data_import(file: Path) -> None:
    """Import admin-data counts from FILE.csv (all rows or none)."""
    _import(file, lambda session: import_admin_data(session, file))


def _import(file: Path, run: Callable[[Session], object]) -> None:
    """Run an import in one transaction and say what it did, or fail listing every problem."""
    try:
        with session_scope(get_engine()) as session:
            summary = run(session)
    except ImportRejected as error:
        fail(
            f"{file.name} was not imported: {len(error.problems)} problem(s); nothing was changed.",
            [str(p) for p in error.problems],
        )
    click.echo(str(summary))


ROLES = click.Choice([role.value for role in Role])


@users_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, type=ROLES)
def users_create(email: str, role: str) -> None:
    """Create a staff account and print a one-time link to set its password."""
    try:
        with session_scope(get_engine()) as session:
            user, token = invite(session, None, email, Role(role))
    except AccountError as error:
        fail(str(error))
    click.echo(f"Created {user.email} ({user.role}).")
    _print_link(token)


@users_cli.command("list")
def users_list() -> None:
    """List every account: email, role, active or disabled, last sign-in."""
    with session_scope(get_engine()) as session:
        users = team(session)
    for user in users:
        seen = (
            user.last_signed_in_at.strftime("%Y-%m-%d %H:%M UTC")
            if user.last_signed_in_at
            else "never"
        )
        state = "active" if user.active else "disabled"
        click.echo(f"{user.email}\t{user.role}\t{state}\tlast signed in {seen}")


@users_cli.command("role")
@click.argument("email")
@click.argument("role", type=ROLES)
def users_role(email: str, role: str) -> None:
    """Give the account EMAIL the role ROLE (its sessions end)."""
    _change(email, lambda session, user: change_role(session, None, user, Role(role)))
    click.echo(f"{email} now has the role {role}; any sessions they had are ended.")


@users_cli.command("disable")
@click.argument("email")
def users_disable(email: str) -> None:
    """Stop the account EMAIL signing in, and sign it out everywhere."""
    _change(email, lambda session, user: disable(session, None, user))
    click.echo(f"Disabled {email} and ended its sessions.")


@users_cli.command("enable")
@click.argument("email")
def users_enable(email: str) -> None:
    """Let the disabled account EMAIL sign in again."""
    _change(email, lambda session, user: enable(session, None, user))
    click.echo(f"Enabled {email}.")


@users_cli.command("reset")
@click.argument("email")
def users_reset(email: str) -> None:
    """Clear the password of EMAIL, end its sessions, and print a new one-time link."""
    token = _change(email, lambda session, user: reset_password(session, None, user))
    click.echo(f"The password of {email} is cleared and its sessions are ended.")
    _print_link(token)


def _change(email: str, change: Callable[[Session, User], T]) -> T:
    """Run CHANGE on the account EMAIL in one transaction, or fail saying why."""
    try:
        with session_scope(get_engine()) as session:
            return change(session, find_user(session, email))
    except AccountError as error:
        fail(str(error))


def _print_link(token: str) -> None:
    click.echo("Their link to set a password (it works once, for 7 days) is queued to be emailed")
    click.echo("by `./manage outbox send`; with no MAIL_BACKEND, send them it yourself:")
    click.echo(f"  {absolute_url('staff.set_password', token=token)}")


@users_cli.command("reset-2fa")
@click.argument("email")
def users_reset_2fa(email: str) -> None:
    """Remove EMAIL's authenticator app and recovery codes (a lost phone): they set up a
    new one when they next sign in. Written to the audit log."""
    _change(email, reset_two_factor)
    click.echo(
        f"Two-step sign-in is reset for {email}. They set it up again when they next sign in."
    )


@report_cli.command("you-said-we-did")
@click.argument("survey_id")
@click.option("--period", help="Academic year such as 2025/26 (default: the latest published).")
@click.option("--format", "output", type=click.Choice(["html", "md"]), default="md")
def report_you_said_we_did(survey_id: str, period: str | None, output: str) -> None:
    """Print the published "You said, we did" report for SURVEY_ID."""
    with session_scope(get_engine()) as session:
        report = published_report(session, survey_id, period)
        if report is None:
            which = f" for {period}" if period else ""
            fail(f"no published report for survey '{survey_id}'{which}")
        content = report.published_content
    template = "report_document.html" if output == "html" else "report.md"
    click.echo(render_template(template, content=content))


@responses_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted, and delete nothing.")
def responses_purge(dry_run: bool) -> None:
    """Delete answers older than RETENTION_DAYS (and old unsent drafts and emails)."""
    with session_scope(get_engine()) as session:
        counts = purge(session, current_app.config["RETENTION_DAYS"], utcnow(), dry_run=dry_run)
    forget_old_windows(get_engine())
    forget_old_failures(get_engine())
    click.echo(f"{'Would delete' if dry_run else 'Deleted'} {counts}.")


@responses_cli.command("erase")
@click.argument("receipt_code")
def responses_erase(receipt_code: str) -> None:
    """Delete the one response with RECEIPT_CODE, as its respondent asked."""
    try:
        with session_scope(get_engine()) as session:
            erased = erase(session, receipt_code)
    except ErasureRefused as error:
        fail(f"not erased: {error}")
    if not erased:
        fail(f"no response has the receipt code {receipt_code}")
    click.echo(f"Erased the response with receipt code {receipt_code}.")


@themes_cli.command("tag")
def themes_tag() -> None:
    """Analyse and tag the comments not yet tagged with the current codebook: after an
    upgrade, and after changing surveys/themes.yaml. Each batch is kept as it is done, so
    a run stopped part way carries on where it stopped."""
    with Session(get_engine()) as session:
        done = catch_up(session, after_batch=session.commit)
    click.echo(f"Tagged the comments of {done} responses.")


@click.command("backup")
@with_appcontext
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(destination: Path) -> None:
    """Write a consistent copy of the database to DESTINATION (see README: restoring)."""
    try:
        backup(get_engine(), destination)
    except (FileExistsError, RuntimeError, subprocess.CalledProcessError) as error:
        fail(str(error))
    click.echo(f"Backed up to {destination}.")


@outbox_cli.command("send")
@click.option("--watch", "keep_running", is_flag=True, help="Keep running (under systemd).")
@click.option(
    "--interval",
    type=click.IntRange(1, 3600),
    default=10,
    show_default=True,
    help="With --watch, seconds between looks for messages that are due.",
)
def outbox_send(keep_running: bool, interval: int) -> None:
    """Send the emails that are due through MAIL_BACKEND; failures are tried again later."""
    try:
        backend = backend_from_config(current_app.config)
    except ConfigError as error:
        fail(str(error))
    if not keep_running:
        tally = deliver_all(get_engine(), backend)
        click.echo(f"{tally}.")
        for error in tally.errors:
            click.echo(f"  {error}", err=True)
        return
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    click.echo(f"Sending through {current_app.config['MAIL_BACKEND']} every {interval} s.")
    watch(get_engine(), backend, stop=stop, interval=interval, report=lambda t: click.echo(f"{t}."))
    click.echo("Stopped.")
