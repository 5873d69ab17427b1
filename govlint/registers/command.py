"""`govlint import` and `govlint export`: public AI registers in and out."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from govlint.console import colour_option, config_option, use_colour

if TYPE_CHECKING:
    from govlint.findings import Finding
    from govlint.registers.manifests import Plan

SOURCES = ("algoritmeregister", "us-ai-inventory")
#: notes printed per import before "and N more"
MAX_NOTES = 20
#: a progress bar is shown for imports with more records than this (on a terminal)
PROGRESS_FROM = 200
NOT_PUBLISHABLE = "GL050"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def plan_import(source: str, path: Path, display: str) -> Plan:
    """Read ``path`` and map its records (pure apart from reading the file)."""
    from govlint.registers import algoritmeregister, us_inventory
    from govlint.registers.manifests import (
        RecordsError,
        build_plan,
        csv_rows,
        decode,
        is_csv,
        json_records,
        read_bytes,
    )

    content = decode(read_bytes(path, display), display)
    if source == algoritmeregister.SOURCE:
        if is_csv(path):
            header, rows = csv_rows(content, display)
            if "name" not in header:
                raise RecordsError(
                    f"{display}:1:1: no 'name' column; the header must use the field names "
                    "of the publication standard (name, organization, status, ...)"
                )
            records: list[Any] = [
                {k: algoritmeregister.cell_value(k, v) for k, v in row.items()} for row in rows
            ]
            return build_plan(
                records, lambda i, r: algoritmeregister.to_draft(i, r, row=i + 1), "row"
            )
        records = json_records(content, display, algoritmeregister.WRAPPER)
        return build_plan(records, algoritmeregister.to_draft)
    header, rows = csv_rows(content, display)
    columns = us_inventory.match_columns(header)
    missing = [c for c in us_inventory.REQUIRED_COLUMNS if c not in columns.by_header.values()]
    if missing:
        raise RecordsError(
            f"{display}:1:1: no 'Use Case Name' column; is this the AI use-case inventory CSV?"
        )
    plan = build_plan(rows, lambda i, r: us_inventory.to_draft(i + 1, r, columns), "row")
    plan.notes[:0] = us_inventory.column_notes(columns)
    return plan


@click.command("import")
@click.argument("source", type=click.Choice(SOURCES))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write the manifests (initiatives/) and the registry (registry/) to.",
)
@click.option("--force", is_flag=True, help="Replace files that already exist.")
def import_register(source: str, file: Path, folder: Path, force: bool) -> None:
    """Turn a public AI register into manifests: one per record, plus a registry.

    SOURCE is 'algoritmeregister' (the Dutch register's publication standard: a JSON list,
    {"algoritmes": [...]}, or CSV with the standard's field names) or 'us-ai-inventory'
    (the US federal AI use-case inventory CSV, 2024 or 2025 columns).

    Only values that mean the same as a manifest field are mapped; what the register holds
    beyond that is kept under an x- key; what it lacks is left out, so 'govlint check'
    reports it. Existing files are never replaced without --force.

    Exit codes: 0 every record written, 1 some records or files skipped (listed),
    2 the file cannot be read.
    """
    from govlint.console import EXIT_FINDINGS, EXIT_OK, fail
    from govlint.registers.manifests import RecordsError, write_plan
    from govlint.report.text import safe
    from govlint.write import WriteError

    try:
        plan = plan_import(source, file, str(file))
    except RecordsError as exc:
        fail(str(exc))
    try:
        outcome = write_plan(plan, folder, force, _progress(len(plan.files)))
    except WriteError as exc:
        fail(str(exc))
    for note in plan.notes[:MAX_NOTES]:
        click.echo(f"note: {safe(note)}", err=True)
    if len(plan.notes) > MAX_NOTES:
        click.echo(f"note: and {len(plan.notes) - MAX_NOTES} more", err=True)
    for skipped in plan.skipped[:MAX_NOTES]:
        where = f"{plan.label} {skipped.record}"
        click.echo(f"skipped: {file}: {where}: {safe(skipped.reason)}", err=True)
    if len(plan.skipped) > MAX_NOTES:
        click.echo(f"skipped: and {len(plan.skipped) - MAX_NOTES} more records", err=True)
    kept = outcome.kept
    for relative in kept[:MAX_NOTES]:
        click.echo(f"kept: {folder / relative} (already exists; pass --force to replace)", err=True)
    if len(kept) > MAX_NOTES:
        click.echo(f"kept: and {len(kept) - MAX_NOTES} more existing files", err=True)
    manifests = sum(1 for p in outcome.written if p.parts[0] == "initiatives")
    parts = [
        f"{_plural(plan.records, 'record')} read",
        f"{_plural(manifests, 'manifest')} written to {folder}",
    ]
    if plan.skipped:
        parts.append(f"{_plural(len(plan.skipped), 'record')} skipped")
    if kept:
        parts.append(f"{_plural(len(kept), 'existing file')} kept")
    click.echo(", ".join(parts))
    if manifests:
        click.echo(f"next: govlint check {folder}")
    if plan.skipped or kept:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


def _progress(total: int) -> Any:
    """A progress bar on standard error for long imports on a terminal, else nothing."""

    def run(items: Iterable[Any]) -> Iterator[Any]:
        if total < PROGRESS_FROM or not sys.stderr.isatty():
            yield from items
            return
        with click.progressbar(items, length=total, label="writing", file=sys.stderr) as bar:
            yield from bar

    return run


@click.command("export")
@click.argument("target", type=click.Choice(["algoritmeregister"]))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="File to write the register records to (replaced if it exists).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json (a list of records) or csv (the standard's field names as header).",
)
@config_option
@colour_option
def export_register(
    target: str,
    paths: tuple[Path, ...],
    output: Path,
    fmt: str,
    config_path: Path | None,
    colour: str,
) -> None:
    """Write the Algoritmeregister entry of every initiative, from its manifest.

    PATHS are read as by 'govlint check' (manifests and the registry, which gives the
    organisation and supplier names). The fields the standard requires are checked first:
    an initiative that cannot be published is reported with the position of each missing
    value and left out of FILE.

    Exit codes: 0 every initiative written, 1 some cannot be published (the others are
    written), 2 usage error or a file that cannot be read.
    """
    from govlint.config import ConfigError, find_config, load_config
    from govlint.console import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, fail, write_or_fail
    from govlint.discover import MissingPath, plan
    from govlint.report.text import format_finding, summary

    cwd = Path.cwd()
    colours = use_colour(colour)
    try:
        config = load_config(config_path or find_config(cwd), cwd)
        targets, _ = plan(list(paths), config, cwd)
    except (ConfigError, MissingPath) as exc:
        fail(str(exc))
    if not targets:
        fail("no YAML files found; pass manifest files or folders")
    records, findings, files = collect_records(
        [(t.path, t.display) for t in targets], config.limits
    )
    for finding in sorted(findings, key=lambda f: f.location.sort_key()):
        click.echo(format_finding(finding, colours), color=colours)
    if findings:
        click.echo(summary(findings, files, colours), color=colours)
    write_or_fail(output, render_records(records, fmt), overwrite=True)
    blocked = len({f.file for f in findings if not f.input_error})
    click.echo(
        f"wrote {output}: {_plural(len(records), 'record')}"
        + (f"; {_plural(blocked, 'initiative')} cannot be published" if blocked else "")
    )
    if any(f.input_error for f in findings):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if findings else EXIT_OK)


def collect_records(
    files: list[tuple[Path, str]], limits: Any
) -> tuple[list[dict[str, Any]], list[Finding], int]:
    """Register records of the initiatives in ``files``, and the findings that keep the
    others out: unreadable files (input errors) and values the standard requires."""
    from govlint.findings import Finding, Severity
    from govlint.load import load_text, read_file
    from govlint.model.base import API_VERSION
    from govlint.registers.algoritmeregister import to_record
    from govlint.validate import check_document, is_govlint_document

    findings: list[Finding] = []
    initiatives = []
    units: dict[str, str] = {}
    suppliers: dict[str, str] = {}
    for path, display in files:
        content = read_file(path, display, limits)
        if isinstance(content, Finding):
            findings.append(content)
            continue
        loaded = load_text(content, display, limits)
        findings.extend(loaded.findings)
        for doc in loaded.documents:
            data = doc.data
            ours = isinstance(data, dict) and data.get("apiVersion") == API_VERSION
            kind = data.get("kind") if ours else None
            if kind == "Organisation":
                units.update(_names(data.get("units")))
                suppliers.update(_names(data.get("suppliers")))
            elif kind == "Initiative":
                initiatives.append(doc)
            elif is_govlint_document(data) and kind != "Waivers":
                # claims to be govlint's but is broken (apiVersion, kind): say so, as check does
                checked = check_document(doc)
                findings.extend(f for f in checked.findings if f.input_error)
    records = []
    for doc in initiatives:
        record, missing = to_record(doc.data, units, suppliers)
        if not missing:
            records.append(record)
            continue
        name = record.get("name") or doc.get(("metadata", "id")) or "the initiative"
        for problem in missing:
            findings.append(
                Finding(
                    NOT_PUBLISHABLE,
                    Severity.ERROR,
                    f"{name} cannot be published in the Algoritmeregister: {problem.problem}",
                    doc.locate(problem.path),
                )
            )
    return records, findings, len(files)


def _names(entries: Any) -> dict[str, str]:
    if not isinstance(entries, list):
        return {}
    return {
        e["id"]: e["name"]
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("id"), str) and isinstance(e.get("name"), str)
    }


def render_records(records: list[dict[str, Any]], fmt: str) -> str:
    import json

    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    import csv
    import io

    from govlint.registers.algoritmeregister import FIELDS, csv_cell

    columns = [f for f in FIELDS if any(f in r for r in records)]
    columns += sorted({k for r in records for k in r} - set(columns))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([csv_cell(record.get(c)) for c in columns])
    return out.getvalue()
