"""The ``workwell`` command line: one group per job, each defined in its own package."""

import click

from rota.commands import rota
from trials.commands import trials
from usage.commands import usage


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="workwell")
def main() -> None:
    """Flexitime rotas, dictation-usage monitoring and trial estimators.

    Example: workwell rota plan fixtures/rota/team.xlsx --out rota.xlsx
    """


main.add_command(rota)
main.add_command(usage)
main.add_command(trials)
