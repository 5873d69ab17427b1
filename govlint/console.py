"""What every command does at the edge: one-line errors, exit codes, writing a file or failing.

Light on purpose (click and the standard library only): ``govlint --version`` imports it.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def fail(message: str) -> NoReturn:
    """Print one clear error line and exit with 2 (usage, configuration or input error)."""
    from govlint.report.text import safe

    click.echo(f"govlint: error: {safe(message)}", err=True)
    sys.exit(EXIT_ERROR)


def parse_day(value: str | None) -> dt.date | None:
    """The ``--today`` option: None (the system's date) or a YYYY-MM-DD date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--today {value!r} is not a date; write it as YYYY-MM-DD")


@contextmanager
def failing(colour: bool = False) -> Iterator[None]:
    """Turn a run that cannot start into its error lines and exit code.

    Broken rules print every finding that says why, then one summary line; in pre-commit
    mode, no manifest among the changed files exits with 0.
    """
    from govlint.run import NothingToCheck, RulesBroken, RunError

    try:
        yield
    except NothingToCheck:
        sys.exit(EXIT_OK)
    except RulesBroken as exc:
        from govlint.report.text import format_finding

        for finding in exc.findings:
            click.echo(format_finding(finding, colour), err=True, color=colour)
        fail(str(exc))
    except RunError as exc:
        fail(str(exc))


def write_or_fail(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` to ``path`` atomically, or fail with the reason it cannot be written."""
    from govlint.write import WriteError, write_atomic

    try:
        write_atomic(path, text, overwrite=overwrite)
    except WriteError as exc:
        fail(str(exc))


def use_colour(option: str) -> bool:
    """--color, else NO_COLOR (no colour), else FORCE_COLOR (colour), else: on a terminal."""
    import os

    if option == "always":
        return True
    if option == "never" or os.environ.get("NO_COLOR"):
        return False
    if option == "auto" and os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


# -- options that several commands share -------------------------------------------------

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Configuration file (default: nearest .govlint.yaml or pyproject.toml).",
)
today_option = click.option(
    "--today",
    metavar="YYYY-MM-DD",
    help="The date rules compare with ('today'); set it for reproducible results.",
)
colour_option = click.option(
    "--color",
    "colour",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the output.",
)
