"""Command line: thin click commands that call the library, pick a reporter, set the exit code.

Heavy modules are imported inside the commands: a pre-commit hook pays for every import.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from govlint import __version__
from govlint.console import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    fail,
    failing,
    parse_day,
    write_or_fail,
)
from govlint.report import FORMATS

if TYPE_CHECKING:
    from govlint.checker import Setup
    from govlint.report import Report
    from govlint.run import Run

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_OK", "fail", "main"]


def _colour(option: str) -> bool:
    import os

    if option == "always":
        return True
    if option == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


_config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Configuration file (default: nearest .govlint.yaml or pyproject.toml).",
)
_today_option = click.option(
    "--today",
    metavar="YYYY-MM-DD",
    help="The date rules compare with ('today'); set it for reproducible results.",
)
_colour_option = click.option(
    "--color",
    "colour",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the output.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="govlint")
def main() -> None:
    """govlint: policy-as-code linter for AI governance.

    Checks AI initiative manifests, and the portfolio of all of them, against the
    organisation's principles on data, ethics, explainability and the human role.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_config_option
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Lowest severity that makes the exit code 1 (default from config: error).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--statistics", is_flag=True, help="Count findings per rule.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(list(FORMATS)),
    help="Output format; repeat it for several formats at once (default: text).",
)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write a report to FILE: FORMAT=FILE, or FILE for the next --format (repeatable).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Processes to check files with (default: one per core for 200 files or more).",
)
@click.option(
    "--no-cache", is_flag=True, help="Check every file again; neither read nor write the cache."
)
@click.option(
    "--cache-dir",
    "cache_path",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to keep the cache (default: .govlint_cache next to the configuration).",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Report only findings that are not in this baseline file (see govlint baseline).",
)
@click.option(
    "--pre-commit",
    "pre_commit",
    is_flag=True,
    help="PATHS are changed files: skip those that are not govlint documents.",
)
@_today_option
@_colour_option
def check(
    paths: tuple[Path, ...],
    config_path: Path | None,
    fail_on: str | None,
    quiet: bool,
    statistics: bool,
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    jobs: int | None,
    no_cache: bool,
    cache_path: Path | None,
    baseline_path: Path | None,
    pre_commit: bool,
    today: str | None,
    colour: str,
) -> None:
    """Check manifests (files or folders; default: as configured, else the current folder).

    When the configuration names the portfolio (manifests/registry globs) and PATHS are
    given, the whole portfolio is loaded so that cross-file rules see everything, and only
    findings that involve PATHS are reported (what a pre-commit hook needs).

    Exit codes: 0 no finding at or above the threshold, 1 findings, 2 usage,
    configuration or unreadable input.
    """
    from govlint.findings import Severity
    from govlint.report import text
    from govlint.run import RunSettings, run

    use_colour = _colour(colour)
    destinations = _destinations(formats, outputs)
    settings = RunSettings(
        cwd=Path.cwd(),
        paths=paths,
        config_path=config_path,
        today=parse_day(today),
        fail_on=Severity(fail_on) if fail_on else None,
        pre_commit=pre_commit,
        use_cache=not no_cache,
        cache_dir=cache_path,
        jobs=jobs,
        baseline=True,
        baseline_path=baseline_path,
        describe_rules=any(fmt != "text" for fmt, _ in destinations),
    )
    with failing(use_colour):
        result = run(settings)
    report = _report(result, use_colour, quiet)
    _emit(report, destinations)
    coverage = result.outcome.coverage
    if statistics and (report.active or coverage.manifests):
        click.echo(text.statistics(report.active, coverage))
    sys.exit(result.exit_code)


def _report(result: Run, colour: bool, quiet: bool) -> Report:
    """What the reporters are given: the findings, and the rules when they were loaded."""
    from govlint.report import Report

    setup = result.setup
    return Report(
        tuple(result.outcome.findings),
        tuple(result.outcome.files),
        {r.id: r for r in setup.rules} if setup is not None else {},
        result.fail_on,
        __version__,
        result.today,
        colour,
        quiet,
        result.outcome.coverage,
    )


def _destinations(
    formats: tuple[str, ...], outputs: tuple[Path, ...]
) -> list[tuple[str, Path | None]]:
    """Where each format goes.

    ``-o FORMAT=FILE`` names its format; a plain ``-o FILE`` takes the next ``--format``
    that has no file yet, in order. Formats left without a file go to standard output
    (at most one of them). Without any format or output: text to standard output.
    """
    explicit: list[tuple[str, Path | None]] = []
    plain: list[Path] = []
    for output in outputs:
        name, sep, rest = str(output).partition("=")
        if sep and name in FORMATS and rest:
            explicit.append((name, Path(rest)))
        else:
            plain.append(output)
    chosen = list(formats) or ([] if explicit and not plain else ["text"])
    if len(plain) > len(chosen):
        fail(
            "more --output files than --format options; give one --format per --output, "
            "or write --output FORMAT=FILE"
        )
    pairs: list[tuple[str, Path | None]] = [
        (fmt, plain[i] if i < len(plain) else None) for i, fmt in enumerate(chosen)
    ]
    pairs.extend(explicit)
    to_stdout = [fmt for fmt, out in pairs if out is None]
    if len(to_stdout) > 1:
        fail(
            f"only one format can go to standard output (got {', '.join(to_stdout)}); "
            "add --output FORMAT=FILE for the others"
        )
    return pairs


def _emit(report: Report, destinations: list[tuple[str, Path | None]]) -> None:
    from dataclasses import replace

    from govlint.report import renderer

    for fmt, output in destinations:
        if output is None:
            text_out = renderer(fmt)(report)
            if text_out:
                click.echo(text_out, color=report.colour)
            continue
        plain = replace(report, colour=False)
        write_or_fail(output, renderer(fmt)(plain).rstrip("\n") + "\n", overwrite=True)


def _register_report() -> None:
    from govlint.board.command import report

    main.add_command(report)


_register_report()


@main.command()
@click.option(
    "--kind",
    type=click.Choice(["initiative", "organisation", "rule", "policy", "config"]),
    default="initiative",
    show_default=True,
    help="Which document's schema to print.",
)
def schema(kind: str) -> None:
    """Print the JSON Schema of a document kind (for editors and other tools)."""
    import json

    from govlint.schema import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
def init(directory: Path) -> None:
    """Write a starter .govlint.yaml, a registry and one example manifest (never overwrites)."""
    from govlint.scaffold import write_starter

    written, skipped, errors = write_starter(directory)
    for path in written:
        click.echo(f"created {path}")
    for path in skipped:
        click.echo(f"kept {path} (already exists; govlint init never overwrites)")
    for message in errors:
        click.echo(f"govlint: error: {message}", err=True)
    if errors:
        sys.exit(EXIT_ERROR)
    if written:
        click.echo(f"next: govlint check {directory}")


def _selected_rules(config_path: Path | None, policy: str | None) -> Setup:
    """Rules as configured; with ``--policy``, the rules of that pack instead."""
    from dataclasses import replace

    from govlint.run import configuration, rules

    cwd = Path.cwd()
    with failing():
        config = configuration(config_path, cwd)
        if policy is not None:
            settings = config.settings.model_copy(update={"policies": [policy], "rules": {}})
            config = replace(config, settings=settings, document=None)
        setup = rules(config, dt.date.today(), cwd)
    return setup


@main.command("rules")
@_config_option
@click.option("--principle", help="Only rules of this principle.")
@click.option("--policy", help="Only rules of this policy pack (default: as configured).")
@click.option(
    "--severity", type=click.Choice(["error", "warning", "info"]), help="Only this severity."
)
@click.option("--all", "show_all", is_flag=True, help="Every known rule, selected or not.")
def list_rules(
    config_path: Path | None,
    principle: str | None,
    policy: str | None,
    severity: str | None,
    show_all: bool,
) -> None:
    """List rules: id, severity, principle, title."""
    setup = _selected_rules(config_path, policy)
    rules = list(setup.ruleset.rules.values()) if show_all else setup.rules
    for rule in sorted(rules, key=lambda r: r.id):
        if principle and rule.principle != principle:
            continue
        if severity and rule.severity.value != severity:
            continue
        lock = " (locked)" if rule.locked else ""
        click.echo(
            f"{rule.id:<9} {rule.severity.value:<8} {rule.principle:<15} {rule.spec.title}{lock}"
        )


@main.command()
@click.argument("rule_id")
@_config_option
def explain(rule_id: str, config_path: Path | None) -> None:
    """Explain a rule: what it checks, why, how to fix it, references and examples."""
    from govlint.report.handbook import explain_rule

    setup = _selected_rules(config_path, None)
    ruleset = setup.ruleset
    rule = ruleset.rules.get(rule_id.upper()) or next(
        (r for r in ruleset.rules.values() if rule_id in (r.spec.name, *r.spec.aliases)), None
    )
    if rule is None:
        fail(f"unknown rule {rule_id!r}{ruleset.suggest(rule_id)} (see 'govlint rules --all')")
    configured = next((r for r in setup.rules if r.id == rule.id), None)
    click.echo(explain_rule(rule, configured))


@main.command("test")
@click.argument("rule_paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@_config_option
@click.option(
    "--junit", type=click.Path(path_type=Path, dir_okay=False), help="Also write JUnit XML."
)
@_today_option
@click.option("-q", "--quiet", is_flag=True, help="Print failures only.")
def test_rules(
    rule_paths: tuple[Path, ...],
    config_path: Path | None,
    junit: Path | None,
    today: str | None,
    quiet: bool,
) -> None:
    """Run the pass/fail examples of rules (default: built-in and configured rules)."""
    from govlint.engine.rules import load_rule, load_rules, rule_files
    from govlint.engine.ruletest import run_examples
    from govlint.report.text import format_finding
    from govlint.wording import plural

    cwd = Path.cwd()
    day = parse_day(today) or dt.date.today()
    if rule_paths:
        from govlint.discover import display_path
        from govlint.engine.rules import RuleSet

        ruleset = RuleSet()
        for given in rule_paths:
            files = rule_files(given) if given.is_dir() else [given]
            for path in files:
                rule, errors = load_rule(path, display_path(path, cwd), day)
                ruleset.errors.extend(errors)
                if rule is not None:
                    ruleset.rules[rule.id] = rule
    else:
        from govlint.checker import rule_folders
        from govlint.run import configuration

        with failing():
            config = configuration(config_path, cwd)
        ruleset = load_rules(rule_folders(config, cwd), day)
    for finding in ruleset.errors:
        click.echo(format_finding(finding, False), err=True)
    results = [r for rule in ruleset.rules.values() for r in run_examples(rule)]
    failed = [r for r in results if not r.ok]
    for result in failed:
        loc = result.location
        click.echo(
            f"{loc.file}:{loc.span.line}:{loc.span.column}: {result.rule_id} "
            f"{result.expect} example {result.index + 1}: {result.problem}"
        )
    if junit is not None:
        from govlint.report.junit import rule_tests_xml

        write_or_fail(junit, rule_tests_xml(results), overwrite=True)
    if not quiet:
        click.echo(
            f"{plural(len(ruleset.rules), 'rule')}, {plural(len(results), 'example')}: "
            f"{len(results) - len(failed)} passed, {len(failed)} failed"
            + (f", {plural(len(ruleset.errors), 'rule file error')}" if ruleset.errors else "")
        )
    if ruleset.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@main.command()
@_config_option
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to a file."
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def docs(config_path: Path | None, output: Path | None, force: bool) -> None:
    """Generate the Markdown policy handbook from the rule files."""
    from govlint.report.handbook import handbook

    setup = _selected_rules(config_path, None)
    text = handbook(list(setup.ruleset.rules.values()), setup)
    if output is None:
        click.echo(text, nl=False)
        return
    write_or_fail(output, text, overwrite=force)
    click.echo(f"wrote {output}")


@main.command("baseline")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_config_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Baseline file to write (default: 'baseline' of the config, else .govlint-baseline.json).",
)
@_today_option
def write_baseline(
    paths: tuple[Path, ...], config_path: Path | None, output: Path | None, today: str | None
) -> None:
    """Record the current findings as accepted, for adopting govlint on an existing portfolio.

    `govlint check --baseline FILE` then reports only new findings. Running this again
    rewrites the file: fixed findings drop out. Files that cannot be read are never accepted.
    """
    from govlint import baseline
    from govlint.run import RunSettings, run
    from govlint.wording import plural

    settings = RunSettings(
        cwd=Path.cwd(), paths=paths, config_path=config_path, today=parse_day(today)
    )
    with failing():
        result = run(settings)
    findings, config = result.outcome.findings, result.config
    target = output or (
        config.root / config.settings.baseline
        if config.settings.baseline
        else Path(".govlint-baseline.json")
    )
    write_or_fail(target, baseline.render(findings, __version__), overwrite=True)
    accepted = [f for f in findings if not f.input_error and not f.suppressed]
    click.echo(f"wrote {target}: {plural(len(accepted), 'finding')} accepted")
    unreadable = [f for f in findings if f.input_error]
    if unreadable:
        click.echo(
            f"{plural(len(unreadable), 'problem')} with unreadable input cannot be accepted; "
            "fix them (govlint check shows them)",
            err=True,
        )
        sys.exit(EXIT_ERROR)
