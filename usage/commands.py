"""``workwell usage``: ingest dictation logs and surveys, report uptake.

Each command imports the library it calls inside its body, so ``workwell usage --help``
and ``usage pseudonym`` load neither pandas nor matplotlib."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from usage.model import KINDS, IngestRejected, Period, ReportOptions, UsageError
from usage.pseudonym import display_id, load_or_create_key, pseudonym


def db_option(command):
    """The shared ``--db`` option: the SQLite store (its key file sits beside it)."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("usage.db"),
        show_default=True,
        help="SQLite store; the pseudonym key is kept beside it as DB.key (mode 0600).",
    )(command)


def user_errors(command):
    """Turn library errors about the user's input into a message and exit code 2.

    Only :class:`UsageError` is a user mistake; any other exception is a bug and
    keeps its traceback.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except UsageError as error:
            click.echo(f"Error: {error}", err=True)
            raise SystemExit(2) from None

    return wrapper


def from_options(factory, *args, **kwargs):
    """Build a value from command-line options; its own validation error is the user's."""
    try:
        return factory(*args, **kwargs)
    except ValueError as error:
        raise UsageError(str(error)) from None


@click.group()
def usage() -> None:
    """Dictation-app usage: ingest logs and surveys, report uptake.

    \b
    Example: workwell usage ingest roster fixtures/usage/roster.csv --db usage.db
    """


@usage.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@db_option
@click.option(
    "--skip-bad",
    is_flag=True,
    help="Store the good rows; write rejected rows with reasons to FILE.rejects.csv.",
)
@click.option(
    "--rejects-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write rejects CSVs (default: beside each input file).",
)
@click.option("--authority", help="Authority of survey respondents when the file does not say.")
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy", "ymd"]),
    help="Order of slash dates (01/03/2021) when a file cannot show it: dmy (UK), mdy (US), ymd.",
)
@click.option(
    "--timezone",
    default="Europe/London",
    show_default=True,
    help="Time zone of times without an offset (UTC for vendors that log in UTC).",
)
@click.option(
    "--columns",
    "columns_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Column map (TOML) for unfamiliar headers and answer labels; "
    "see fixtures/usage/columns_example.toml.",
)
@click.option(
    "--allow-outside-licence",
    is_flag=True,
    help="Accept use dated outside its holder's licence window (refused by default).",
)
@click.option(
    "--keep-free-text",
    is_flag=True,
    help="Store survey free text, with emails, phones and roster names/ids removed.",
)
@user_errors
def ingest(
    kind: str,
    files: tuple[Path, ...],
    db_path: Path,
    skip_bad: bool,
    rejects_dir: Path | None,
    authority: str | None,
    date_order: str | None,
    timezone: str,
    columns_path: Path | None,
    allow_outside_licence: bool,
    keep_free_text: bool,
) -> None:
    """Ingest roster, session-log, totals, licence-activity or survey FILES (CSV, TSV or XLSX),
    each all or nothing.

    A file with any problem is rejected whole, every problem listed with its
    line and column, and the command exits with code 2. Re-ingesting the same
    file changes nothing.

    \b
    Example: workwell usage ingest sessions fixtures/usage/brent_sessions.csv --db usage.db
    Example: workwell usage ingest activity logins.csv --columns map.toml --timezone UTC
    """
    from usage.ingest import IngestOptions, column_map_from
    from usage.ingest import ingest as ingest_file
    from usage.readers.parse import Clock

    options = IngestOptions(
        skip_bad=skip_bad,
        authority=authority,
        rejects_dir=rejects_dir,
        clock=from_options(Clock, timezone, date_order),
        column_map=column_map_from(columns_path),
        allow_outside_licence=allow_outside_licence,
        keep_free_text=keep_free_text,
    )
    failed = 0
    for path in files:
        try:
            result = ingest_file(db_path, kind, path, options=options)
        except IngestRejected as rejected:
            failed += 1
            click.echo(f"{rejected}:", err=True)
            for problem in rejected.problems:
                click.echo(f"  {problem}", err=True)
            continue
        click.echo(result.summary())
    if failed:
        raise SystemExit(2)


@usage.command()
@db_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("usage-report"),
    show_default=True,
    help="Folder for the outputs.",
)
@click.option(
    "--from",
    "start",
    type=click.DateTime(["%Y-%m-%d"]),
    help="First day of the period (default: earliest licence start).",
)
@click.option(
    "--to",
    "end",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Last day of the period (default: latest licence end).",
)
@click.option(
    "--min-sessions",
    default=5,
    show_default=True,
    help="'Used more than N sessions' stage of the funnel.",
)
@click.option(
    "--regular-share",
    default=0.75,
    show_default=True,
    help="Share of the period's weeks a regular user is active in (3 of 4).",
)
@click.option(
    "--review-minutes",
    default=10.0,
    show_default=True,
    help="Licences used for fewer minutes are listed for review.",
)
@click.option(
    "--min-group", default=5, show_default=True, help="Suppress groups with fewer people than this."
)
@click.option(
    "--show-free-text",
    is_flag=True,
    help="Include survey free text in the workbook (off by default).",
)
@click.option(
    "--licence-cost",
    type=click.FloatRange(min=0),
    help="Cost of one licence for the period (pounds): adds cost per active user and idle cost.",
)
@click.option(
    "--suppress-cells",
    is_flag=True,
    help="For publication: also hide every count of people below --min-group, and any count "
    "that would give one away.",
)
@user_errors
def report(
    db_path: Path,
    out_dir: Path,
    start,
    end,
    min_sessions: int,
    regular_share: float,
    review_minutes: float,
    min_group: int,
    show_free_text: bool,
    licence_cost: float | None,
    suppress_cells: bool,
) -> None:
    """Report uptake and licence decisions: funnel, reclaim list, active users, retention,
    survey and its agreement with the logs; Excel, PNG charts and a Markdown summary.

    \b
    Example:
      workwell usage report --db usage.db --out usage-report \\
        --from 2021-03-01 --to 2021-03-28 --licence-cost 120
    """
    from usage.report.publish import report as write_report

    if (start is None) != (end is None):
        raise UsageError("give both --from and --to, or neither")
    if start and end < start:
        raise UsageError(f"--to {end:%Y-%m-%d} is before --from {start:%Y-%m-%d}")
    period = from_options(Period, start.date(), end.date()) if start else None
    options = from_options(
        ReportOptions,
        period=period,
        min_sessions=min_sessions,
        regular_share=regular_share,
        review_minutes=review_minutes,
        min_group=min_group,
        show_free_text=show_free_text,
        licence_cost=licence_cost,
        suppress_cells=suppress_cells,
    )
    files = write_report(db_path, options, out_dir)
    built = files.report
    click.echo(f"Period {built.period.start} to {built.period.end}")
    if built.people.empty:
        from usage.report.summary import NO_LICENCES

        click.echo(f"Warning: {NO_LICENCES.format(built.period)}", err=True)
    if not built.funnel.empty:
        click.echo(f"Used at least once: {built.stage_text('used at least once')}")
        click.echo(
            f"More than {min_sessions} sessions: "
            f"{built.stage_text(f'more than {min_sessions} sessions')}"
        )
    if not built.survey.intention.empty and built.survey.intention["count"].notna().any():
        click.echo(f"Would continue (survey): {built.survey.intention_share().text()}")
    click.echo(f"Licences to reclaim (no use in 30 or 90 days): {len(built.decisions.reclaim)}")
    for text in [*built.left_out_text(), built.survey_dates_text()[1]]:
        if text:
            click.echo(f"Warning: {text}", err=True)
    click.echo(f"Wrote {len(files.paths)} files to {out_dir}")


@usage.command("pseudonym")
@click.argument("identifiers", nargs=-1, required=True)
@db_option
@user_errors
def show_pseudonym(identifiers: tuple[str, ...], db_path: Path) -> None:
    """Print the report pseudonym of each identifier, so a licence holder can find a person.

    \b
    Example: workwell usage pseudonym ann.lee@brent.gov.uk --db usage.db
    """
    if not db_path.is_file():
        raise UsageError(f"{db_path}: no such database")
    key = load_or_create_key(db_path)
    for identifier in identifiers:
        click.echo(f"{identifier}\t{display_id(pseudonym(key, identifier))}")
