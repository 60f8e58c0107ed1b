"""``workwell serve``: the web page for team managers and service leads."""

from __future__ import annotations

import signal
import sys

import click

from web.jobs import BAD_INPUT, time_limit_option


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 serves other machines too (put it behind sign-in).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@time_limit_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Rotas solved at once; more wait their turn, with progress shown.",
)
def serve(host: str, port: int, time_limit: float, workers: int) -> None:
    """Serve the rota web page: plan, check for gaps, answer requests, re-plan.

    Example: workwell serve   (then open the address it prints)
    """
    from waitress import create_server

    from web.app import create_app

    app = create_app(time_limit=time_limit, workers=workers)
    try:
        server = create_server(app, host=host, port=port, threads=32, ident="workwell")
    except OSError as error:  # the port is taken, or the address is not this machine's
        click.echo(f"Cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        sys.exit(BAD_INPUT)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"workwell web page: http://{shown}:{server.effective_port}/", nl=True)
    click.echo("Press Ctrl+C to stop.")
    signal.signal(signal.SIGTERM, _stop)
    app.extensions["runner"].warm()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        app.extensions["runner"].shutdown()


def _stop(signum, frame) -> None:
    """Stop on SIGTERM as on Ctrl+C, so the worker processes are shut down too."""
    raise KeyboardInterrupt
