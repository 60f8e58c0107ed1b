"""``workwell rota``: plan and check flexitime rotas."""

import click


@click.group()
def rota() -> None:
    """Flexitime rota planner for a team."""
