"""``workwell rota``: the command group. Each command lives in a module of this package and
is imported only when it runs (or for ``--help``), so ``rota check`` never loads OR-Tools,
pandas or matplotlib."""

from __future__ import annotations

import importlib

import click

COMMANDS = {  # name -> (module, attribute)
    "capacity": ("rota.cli.requests", "capacity"),
    "check": ("rota.cli.plan", "check_command"),
    "gaps": ("rota.cli.gaps", "gaps"),
    "ics": ("rota.cli.ics", "ics"),
    "plan": ("rota.cli.plan", "plan_command"),
    "replan": ("rota.cli.plan", "replan_command"),
    "request": ("rota.cli.requests", "request"),
    "template": ("rota.cli.plan", "template_command"),
}


class LazyCommands(click.Group):
    """A click group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=LazyCommands)
def rota() -> None:
    """Flexitime rota planner: place 9DF and 4DW days around duty, cover and leave."""
