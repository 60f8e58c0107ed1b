"""``workwell trials``: re-run the trial analyses."""

import click


@click.group()
def trials() -> None:
    """Trial estimators: ITT, robust and clustered errors, power, attrition."""
