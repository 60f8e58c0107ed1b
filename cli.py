"""The ``workwell`` command line: one group per job, each defined in its own package.

Each group is imported only when it is called, so ``workwell trials mdes`` never
loads the rota planner (OR-Tools) and ``workwell --help`` loads none of them.
"""

import importlib

import click

GROUPS = {
    "rota": ("rota.cli", "rota", "Flexitime rota planner: place 9DF and 4DW days."),
    "usage": ("usage.commands", "usage", "Dictation-app usage: ingest logs and surveys, report."),
    "trials": ("trials.commands", "trials", "Randomised trials: re-run and estimate."),
    "serve": ("web.serve", "serve", "Web page for team managers and service leads."),
}


class LazyGroup(click.Group):
    """A click group whose sub-groups are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(GROUPS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in GROUPS:
            return None
        module, attribute, _ = GROUPS[name]
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, _, help_text) in GROUPS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="workwell")
def main() -> None:
    """Flexitime rotas, dictation-usage monitoring and trial estimators.

    Example: workwell rota plan fixtures/rota/team.xlsx --out rota.xlsx
    """
