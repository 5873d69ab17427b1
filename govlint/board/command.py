"""`govlint report`: the board report of the whole portfolio, as HTML, Markdown or JSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from govlint.board.labels import LANGUAGES
from govlint.console import config_option

if TYPE_CHECKING:
    from govlint.board.aggregate import BoardReport

FORMATS = ("html", "markdown", "json")
_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
}


def _format(chosen: str | None, output: Path | None) -> str:
    """``--format``, else what the output file's suffix says, else html.

    A suffix that names none of the formats (``report.pdf``) is an error: writing HTML
    into a file called .pdf would only fail later, in the reader's viewer.
    """
    if chosen is not None:
        return chosen
    if output is not None:
        fmt = _SUFFIXES.get(output.suffix.lower())
        if fmt is None:
            from govlint.console import fail

            fail(
                f"--output {output}: cannot tell the format from the name; name it .html, "
                ".md or .json, or add --format html|markdown|json (for a PDF, print the HTML "
                "page to PDF from a browser)"
            )
        return fmt
    return "html"


@click.command("report")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file (replaced if it exists; default: standard output).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="html (one self-contained page), markdown (wikis, pull requests) or json (BI tools); "
    "default: from the suffix of --output, else html.",
)
@click.option(
    "--lang",
    type=click.Choice(sorted(LANGUAGES)),
    default="en",
    show_default=True,
    help="Language of the labels.",
)
@config_option
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    help="The date rules and waivers compare with ('today'); set it for reproducible reports.",
)
def report(
    paths: tuple[Path, ...],
    output: Path | None,
    fmt: str | None,
    lang: str,
    config_path: Path | None,
    today: str | None,
) -> None:
    """Write the board report: the AI portfolio at a glance.

    Which initiatives optimise the old process and which redesign the service, risk tiers,
    compliance per principle and unit, the patchwork (islands, capabilities built twice,
    conflicting data definitions), waivers, and every initiative with its findings.
    PATHS are read as by 'govlint check'. Every finding is shown: the baseline, which only
    hides old findings from developers, is not applied; approved waivers are.

    Exit codes: 0 report written, 2 usage or configuration error, or a file that could not
    be read (the report is still written and lists it).
    """
    from govlint import __version__
    from govlint.board.aggregate import build
    from govlint.console import EXIT_ERROR, fail, failing, parse_day, write_or_fail
    from govlint.run import RunSettings, run

    if output is not None and str(output) == "-":
        output = None  # '-' is standard output
    chosen = _format(fmt, output)
    if output is None and chosen == "html" and sys.stdout.isatty():
        fail("the HTML report is a whole page; write it to a file with -o report.html")
    settings = RunSettings(
        cwd=Path.cwd(), paths=paths, config_path=config_path, today=parse_day(today)
    )
    with failing():
        result = run(settings)
    assert result.setup is not None  # a run without the cache always loads the rules
    board = build(result.outcome, result.setup.rules, result.today, __version__)
    text = render(board, chosen, lang)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_or_fail(output, text, overwrite=True)
        totals = board.totals
        click.echo(
            f"wrote {output} ({chosen}): {totals.initiatives} "
            f"initiative{'' if totals.initiatives == 1 else 's'}, "
            f"{totals.findings} finding{'' if totals.findings == 1 else 's'}",
            err=True,
        )
    if result.outcome.input_errors:
        click.echo(
            "govlint: some files could not be read; the report lists them (govlint check "
            "shows them)",
            err=True,
        )
        sys.exit(EXIT_ERROR)


def render(board: BoardReport, fmt: str, lang: str = "en") -> str:
    """The report in ``fmt``: html, markdown or json."""
    if fmt == "json":
        import json

        from govlint.board.aggregate import to_json

        return json.dumps(to_json(board), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        from govlint.board.markdown import render as render_markdown

        return render_markdown(board, lang)
    from govlint.board.html import render as render_html

    return render_html(board, lang)
