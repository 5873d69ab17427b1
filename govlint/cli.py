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
    colour_option,
    config_option,
    fail,
    failing,
    parse_day,
    today_option,
    use_colour,
    write_or_fail,
)
from govlint.report import FORMATS

if TYPE_CHECKING:
    from govlint.checker import Setup
    from govlint.discover import Target
    from govlint.load import Limits
    from govlint.report import Report
    from govlint.report.text import SourceLines
    from govlint.run import Run

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_OK", "fail", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="govlint")
def main() -> None:
    """govlint: policy-as-code linter for AI governance.

    Checks AI initiative manifests, and the portfolio of all of them, against the
    organisation's principles on data, ethics, explainability and the human role.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@config_option
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
    help="Write a report to FILE: FORMAT=FILE, or FILE for the next --format, or without "
    "--format in the format its suffix names (.sarif, .json, ...); '-' is standard output "
    "(repeatable).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Processes to check files with (default: one per free core for 400 KB of files or more).",
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
@today_option
@colour_option
@click.option(
    "--select",
    "select_codes",
    multiple=True,
    metavar="CODES",
    help="Only these rules: ids or prefixes, comma-separated (DAT, DAT-00, HUM-001).",
)
@click.option(
    "--extend-select",
    "extend_codes",
    multiple=True,
    metavar="CODES",
    help="These rules in addition to the configured ones (ids or prefixes).",
)
@click.option(
    "--ignore",
    "ignore_codes",
    multiple=True,
    metavar="CODES",
    help="Not these rules (ids or prefixes); locked rules stay.",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit with 0 even when there are findings (2 for unreadable input stays).",
)
@click.option(
    "--show-source",
    is_flag=True,
    help="Show the offending source lines under each finding (text output).",
)
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="With PATHS '-': the name of the file read from standard input.",
)
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
    select_codes: tuple[str, ...],
    extend_codes: tuple[str, ...],
    ignore_codes: tuple[str, ...],
    exit_zero: bool,
    show_source: bool,
    stdin_filename: str | None,
) -> None:
    """Check manifests (files or folders; default: as configured, else the current folder).

    PATHS '-' reads one manifest from standard input (name it with --stdin-filename).

    When the configuration names the portfolio (manifests/registry globs) and PATHS are
    given, the whole portfolio is loaded so that cross-file rules see everything, and only
    findings that involve PATHS are reported (what a pre-commit hook needs).

    Exit codes: 0 no finding at or above the threshold, 1 findings, 2 usage,
    configuration or unreadable input.
    """
    from govlint.findings import Severity
    from govlint.report import text
    from govlint.run import RunSettings, run
    from govlint.selection import CommandLineSelection

    colours = use_colour(colour)
    destinations = _destinations(formats, outputs)

    selection = CommandLineSelection.parse(select_codes, extend_codes, ignore_codes)
    cwd = Path.cwd()
    with failing(colours):
        stdin = _read_stdin(paths, stdin_filename, config_path, cwd)
        settings = RunSettings(
            cwd=cwd,
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
            selection=selection,
            stdin=stdin,
            exits_after=True,
        )
        result = run(settings)
    for note in result.notes:
        click.echo(f"govlint: {note}", err=True)
    report = _report(result, colours, quiet)
    source = _source_lines(list(result.targets), result.config.limits) if show_source else None
    _emit(report, destinations, source)
    coverage = result.outcome.coverage
    if statistics and (report.active or coverage.manifests):
        click.echo(text.statistics(report.active, coverage))
    code = result.exit_code
    sys.exit(EXIT_OK if exit_zero and code == EXIT_FINDINGS else code)


def _report(result: Run, colour: bool, quiet: bool) -> Report:
    """What the reporters are given: the findings, files and rules of the run."""
    from govlint.report import Report

    return Report(
        tuple(result.outcome.findings),
        tuple(result.outcome.files),
        result.described,
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
            explicit.append((name, _to_file(Path(rest))))
        else:
            plain.append(output)
    if not formats and plain:
        # no --format at all: each file's suffix says its format, as for govlint report
        explicit.extend((_format_of(out), _to_file(out)) for out in plain)
        plain = []
    chosen = list(formats) or ([] if explicit and not plain else ["text"])
    if len(plain) > len(chosen):
        fail(
            "more --output files than --format options; give one --format per --output, "
            "or write --output FORMAT=FILE"
        )
    pairs: list[tuple[str, Path | None]] = [
        (fmt, _to_file(plain[i]) if i < len(plain) else None) for i, fmt in enumerate(chosen)
    ]
    pairs.extend(explicit)
    to_stdout = [fmt for fmt, out in pairs if out is None]
    if len(to_stdout) > 1:
        fail(
            f"only one format can go to standard output (got {', '.join(to_stdout)}); "
            "add --output FORMAT=FILE for the others"
        )
    return pairs


#: the format a file's suffix stands for when no --format is given
OUTPUT_SUFFIXES = {
    ".txt": "text",
    ".json": "json",
    ".sarif": "sarif",
    ".xml": "junit",
    ".md": "markdown",
    ".markdown": "markdown",
}


def _format_of(output: Path) -> str:
    if str(output) == "-":
        return "text"
    fmt = OUTPUT_SUFFIXES.get(output.suffix.lower())
    if fmt is None:
        known = ", ".join(f"{suffix} ({name})" for suffix, name in OUTPUT_SUFFIXES.items())
        fail(
            f"--output {output}: cannot tell the format from the name; add --format "
            f"(one of {', '.join(FORMATS)}), or name the file {known}"
        )
    return fmt


def _to_file(output: Path) -> Path | None:
    """``-`` is standard output, as for most command-line tools."""
    return None if str(output) == "-" else output


def _emit(
    report: Report,
    destinations: list[tuple[str, Path | None]],
    source: SourceLines | None = None,
) -> None:
    from dataclasses import replace

    from govlint.report import Renderer, renderer

    def pick(fmt: str) -> Renderer:
        if fmt == "text" and source is not None:
            from govlint.report.text import render

            return lambda r: render(r, source)
        return renderer(fmt)

    for fmt, output in destinations:
        if output is None:
            text_out = pick(fmt)(report)
            if text_out:
                click.echo(text_out, color=report.colour)
            continue
        plain = replace(report, colour=False)
        write_or_fail(output, pick(fmt)(plain).rstrip("\n") + "\n", overwrite=True)


# --- command-line rule selection, standard input, source lines (govlint check) ---------


def _read_stdin(
    paths: tuple[Path, ...], name: str | None, config_path: Path | None, cwd: Path
) -> tuple[Path, str] | None:
    """``govlint check -``: the manifest on standard input, kept in a private temporary file
    for the run (removed when the command ends), and the name to show it under."""
    if Path("-") not in paths:
        if name is not None:
            fail("--stdin-filename needs PATHS '-' (read the manifest from standard input)")
        return None
    if len(paths) > 1:
        fail("'-' (standard input) cannot be combined with other PATHS")
    import shutil
    import tempfile

    from govlint.discover import display_path
    from govlint.run import configuration

    limits = configuration(config_path, cwd).limits
    folder = Path(tempfile.mkdtemp(prefix="govlint-stdin-"))
    click.get_current_context().call_on_close(lambda: shutil.rmtree(folder, ignore_errors=True))
    path = folder / "stdin.yaml"
    # one byte more than the limit: the loader reports the limit
    path.write_bytes(sys.stdin.buffer.read(limits.max_file_bytes + 1))
    return path, display_path(Path(name), cwd) if name else "<stdin>"


def _source_lines(targets: list[Target], limits: Limits) -> SourceLines:
    """The lines of a checked file by its shown name, read again when a finding needs them."""
    from govlint.load import read_bytes

    paths = {t.display: t.path for t in targets if t.refusal is None}
    seen: dict[str, list[str] | None] = {}

    def lines(display: str) -> list[str] | None:
        if display not in seen:
            raw = read_bytes(paths[display], display, limits) if display in paths else None
            seen[display] = (
                raw.decode("utf-8", "replace").splitlines() if isinstance(raw, bytes) else None
            )
        return seen[display]

    return lines


def _register_report() -> None:
    from govlint.board.command import report

    main.add_command(report)


_register_report()


def _register_registers() -> None:
    from govlint.registers.command import export_register, import_register

    main.add_command(import_register)
    main.add_command(export_register)


_register_registers()


@main.command()
def lsp() -> None:
    """Serve findings, explanations, fixes and completion to editors (LSP on stdio)."""
    from govlint.lsp.server import serve

    serve()


@main.command()
@click.option(
    "--kind",
    type=click.Choice(["initiative", "organisation", "waivers", "rule", "policy", "config"]),
    default="initiative",
    show_default=True,
    help="Which document's schema to print.",
)
@config_option
def schema(kind: str, config_path: Path | None) -> None:
    """Print the JSON Schema of a document kind (for editors and other tools).

    The initiative schema includes the `x-` extensions the configuration (and its packs)
    declare, so editors complete them too.
    """
    import json

    from govlint.discover import display_path
    from govlint.extensions import declarations
    from govlint.model.extension import Extensions
    from govlint.run import RulesBroken, configuration
    from govlint.schema import json_schema

    cwd = Path.cwd()
    extensions: Extensions = ()
    if kind == "initiative":
        with failing():
            config = configuration(config_path, cwd)
            extensions, errors = declarations(config, lambda p: display_path(p, cwd))
            if errors:
                raise RulesBroken(errors)
    click.echo(json.dumps(json_schema(kind, extensions), indent=2, ensure_ascii=False))


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
        # the starter configuration names the portfolio: 'govlint check' without paths
        # reads exactly it (a folder scan would also meet rule files and other YAML)
        here = directory.resolve() == Path.cwd().resolve()
        click.echo("next: govlint check" if here else f"next: cd {directory} && govlint check")


def _selected_rules(config_path: Path | None, policy: str | None) -> Setup:
    """Rules as configured; with ``--policy``, the rules of that pack instead."""
    from dataclasses import replace

    from govlint.engine.packs import builtin_policies, locate_pack
    from govlint.run import configuration, rules

    cwd = Path.cwd()
    with failing():
        config = configuration(config_path, cwd)
        if policy is not None:
            found = locate_pack(policy, cwd)
            if found is None:
                fail(f"--policy {policy!r}: {_unknown_pack_text(policy)}")
            # a path given on the command line is relative to where govlint runs
            given = policy if found == builtin_policies().get(policy) else str(found)
            settings = config.settings.model_copy(update={"policies": [given], "rules": {}})
            config = replace(config, settings=settings, document=None, source=None)
        setup = rules(config, dt.date.today(), cwd)
    return setup


def _unknown_pack_text(name: str) -> str:
    from govlint.engine.packs import builtin_policies
    from govlint.suggest import closest

    names = sorted(builtin_policies())
    close = closest(name, names)
    hint = f" (did you mean {close!r}?)" if close else ""
    return (
        f"no such policy pack{hint}; use a built-in pack ({', '.join(names)}) or the path "
        "of a pack file"
    )


def _principle(value: str | None) -> str | None:
    """--principle as the manifest spells it (human_role) or as rules do (human-role)."""
    if value is None:
        return None
    from govlint.model.rule import PRINCIPLES
    from govlint.suggest import closest

    wanted = value.strip().lower().replace("_", "-")
    if wanted in PRINCIPLES:
        return wanted
    close = closest(wanted, PRINCIPLES)
    hint = f" (did you mean {close!r}?)" if close else ""
    fail(f"--principle {value!r}: no such principle{hint}; one of: {', '.join(PRINCIPLES)}")


@main.command("rules")
@config_option
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
    """List rules: id, severity, principle, title.

    With --all, also govlint's own diagnostics (GLxxx: problems with the input itself).
    """
    wanted = _principle(principle)
    setup = _selected_rules(config_path, policy)
    rules = list(setup.ruleset.rules.values()) if show_all else setup.rules
    shown = 0
    for rule in sorted(rules, key=lambda r: r.id):
        if wanted and rule.principle != wanted:
            continue
        if severity and rule.severity.value != severity:
            continue
        lock = " (locked)" if rule.locked else ""
        click.echo(
            f"{rule.id:<9} {rule.severity.value:<8} {rule.principle:<15} {rule.spec.title}{lock}"
        )
        shown += 1
    if show_all and not wanted:
        from govlint.diagnostics import DIAGNOSTICS

        for diagnostic in DIAGNOSTICS.values():
            if severity and diagnostic.severity != severity:
                continue
            click.echo(
                f"{diagnostic.id:<9} {diagnostic.severity:<8} {'(input)':<15} {diagnostic.title}"
            )
            shown += 1
    if not shown:
        what = " ".join(
            part
            for part in (
                f"of principle {wanted!r}" if wanted else "",
                f"with severity {severity!r}" if severity else "",
            )
            if part
        )
        scope = "known" if show_all else "selected"
        hint = "" if show_all else " (see --all for every known rule)"
        click.echo(f"govlint: no {scope} rule {what}{hint}".rstrip(), err=True)


@main.command()
@click.argument("rule_id")
@config_option
def explain(rule_id: str, config_path: Path | None) -> None:
    """Explain a rule: what it checks, why, how to fix it, references and examples."""
    from govlint.diagnostics import DIAGNOSTICS
    from govlint.report.handbook import explain as explain_text

    diagnostic = rule_id.upper() in DIAGNOSTICS or rule_id in {d.name for d in DIAGNOSTICS.values()}
    setup = None if diagnostic else _selected_rules(config_path, None)
    text = explain_text(rule_id, setup)
    if text is None:
        hint = ""
        if rule_id.upper().startswith("GL"):  # a diagnostic code, misspelt
            from govlint.suggest import closest, did_you_mean

            hint = did_you_mean(closest(rule_id.upper(), DIAGNOSTICS))
        hint = hint or (setup.ruleset.suggest(rule_id) if setup is not None else "")
        fail(f"unknown rule {rule_id!r}{hint} (see 'govlint rules --all')")
    click.echo(text)


@main.command("test")
@click.argument("rule_paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@config_option
@click.option(
    "--junit", type=click.Path(path_type=Path, dir_okay=False), help="Also write JUnit XML."
)
@today_option
@click.option("-q", "--quiet", is_flag=True, help="Print failures only.")
def test_rules(
    rule_paths: tuple[Path, ...],
    config_path: Path | None,
    junit: Path | None,
    today: str | None,
    quiet: bool,
) -> None:
    """Run the pass/fail examples of rules (default: built-in and configured rules)."""
    from govlint.checker import compile_choices, rule_folders
    from govlint.discover import display_path
    from govlint.engine.paths import declaring
    from govlint.engine.policy import builtin_dates, pack_dates
    from govlint.engine.rules import (
        is_policy_file,
        load_rule,
        load_rules,
        resolve_dates,
        rule_files,
    )
    from govlint.engine.ruletest import run_examples
    from govlint.extensions import declarations
    from govlint.model.rule import ApplicationDate
    from govlint.report.text import format_finding
    from govlint.run import configuration
    from govlint.wording import plural

    cwd = Path.cwd()
    day = parse_day(today) or dt.date.today()
    with failing():
        config = configuration(config_path, cwd)
    files = [f for given in rule_paths for f in (rule_files(given) if given.is_dir() else [given])]
    # the x- extensions the rules may use: the configuration's and those of the packs given
    packs = tuple(str(f.resolve()) for f in files if is_policy_file(f))
    extensions, declaration_errors = declarations(config, lambda p: display_path(p, cwd), packs)
    # the examples run on the dates the packs carry, not on a team's moves of them
    dates = builtin_dates()
    dates.update(pack_dates([*config.settings.policies, *packs], config.root))
    with declaring(extensions):
        if rule_paths:
            from govlint.engine.rules import RuleSet

            ruleset = RuleSet()
            for path in files:
                rule, errors = load_rule(path, display_path(path, cwd), day)
                ruleset.errors.extend(errors)
                if rule is not None:
                    ruleset.rules[rule.id] = rule
        else:
            ruleset = load_rules(rule_folders(config, cwd), day)
        ruleset.errors[:0] = declaration_errors
        table = {k: row.from_ for k, row in dates.rows.items() if isinstance(row, ApplicationDate)}
        choices, choice_errors = compile_choices(dates, day, table)
        ruleset.rules, unresolved = resolve_dates(ruleset.rules, table, choices)
        ruleset.errors.extend([*choice_errors, *unresolved])
        results = [
            r for rule in ruleset.rules.values() for r in run_examples(rule.on(day), extensions)
        ]
    for finding in ruleset.errors:
        click.echo(format_finding(finding, False), err=True)
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
@config_option
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
@config_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Baseline file to write (default: 'baseline' of the config, else .govlint-baseline.json).",
)
@today_option
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
