"""``workwell usage``: ingest dictation logs and surveys, report uptake."""

import click


@click.group()
def usage() -> None:
    """Dictation-app usage: ingest logs and surveys, report uptake."""
