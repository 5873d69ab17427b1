"""The check pipeline: load files, validate documents, evaluate rules, collect findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from govlint.config import Config
from govlint.discover import Target, display_path
from govlint.engine.condition import json_safe
from govlint.engine.evaluate import evaluate
from govlint.engine.policy import POLICY_ERROR, Selection, select
from govlint.engine.rules import Rule, RuleSet, load_rules
from govlint.findings import Finding, Location, Severity
from govlint.load import EMPTY, Limits, load_file
from govlint.registry import Registry, merge_registry
from govlint.resources import data_dir
from govlint.validate import Checked, check_document, is_govlint_document

NOT_GOVLINT = "GL008"


@dataclass
class Setup:
    """Everything prepared before the first manifest is read: the rules that apply."""

    config: Config
    today: dt.date
    ruleset: RuleSet
    rules: list[Rule]
    errors: list[Finding]


@dataclass
class Outcome:
    """What a check found."""

    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    documents: list[Checked] = field(default_factory=list)
    registry: Registry = field(default_factory=Registry)

    @property
    def input_errors(self) -> bool:
        return any(f.input_error for f in self.findings)

    @property
    def active(self) -> list[Finding]:
        """The findings that count: not waived, not in the baseline."""
        return [f for f in self.findings if not f.suppressed]

    def exit_code(self, fail_on: Severity) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 2 a file could not be read."""
        if any(f.input_error for f in self.active):
            return 2
        return 1 if any(f.severity >= fail_on for f in self.active) else 0


def rule_folders(config: Config, cwd: Path) -> list[tuple[Path, str]]:
    folders = [(data_dir("rules"), "<builtin>/rules")]
    for entry in config.settings.rule_paths:
        path = (config.root / entry).resolve()
        folders.append((path, display_path(path, cwd)))
    return folders


def prepare(config: Config, today: dt.date, cwd: Path) -> Setup:
    """Load rules and policies and apply the configuration's overrides."""
    ruleset = load_rules(rule_folders(config, cwd), today)
    selection = select(
        config.settings.policies,
        config.root,
        ruleset,
        lambda p: _pack_display(p, cwd),
        config.origin,
    )
    rules, errors = configure(ruleset, selection, config)
    return Setup(config, today, ruleset, rules, [*ruleset.errors, *selection.errors, *errors])


def _pack_display(path: Path, cwd: Path) -> str:
    builtin = data_dir("policies")
    if path.parent == builtin.resolve() or path.parent == builtin:
        return f"<builtin>/policies/{path.name}"
    return display_path(path, cwd)


def configure(
    ruleset: RuleSet, selection: Selection, config: Config
) -> tuple[list[Rule], list[Finding]]:
    """Apply ``rules:`` overrides of the configuration; locked rules cannot be weakened."""
    from govlint.engine.policy import Setting, _error

    settings = dict(selection.settings)
    errors: list[Finding] = []
    origin = config.origin
    for rule_id, override in config.settings.rules.items():
        at = ("rules", rule_id)
        if rule_id not in ruleset.rules:
            errors.append(_error(origin, at, f"unknown rule {rule_id!r}{ruleset.suggest(rule_id)}"))
            continue
        rule = ruleset.rules[rule_id]
        current = settings.get(rule_id, Setting())
        base = current.severity or rule.severity
        wanted = Severity(override.severity) if override.severity else None
        if current.locked and (not override.enabled or (wanted is not None and wanted < base)):
            errors.append(
                _error(
                    origin,
                    at,
                    f"rule {rule_id} is locked by policy {current.locked_by!r}: a team cannot "
                    "disable or downgrade it; ask the governance office for a waiver instead",
                )
            )
            continue
        if not override.enabled:
            settings.pop(rule_id, None)
        else:
            settings[rule_id] = Setting(
                wanted or current.severity, current.locked, current.locked_by
            )
    rules = [
        ruleset.rules[rule_id].configured(
            s.severity or ruleset.rules[rule_id].severity, s.locked, s.locked_by
        )
        for rule_id, s in sorted(settings.items())
    ]
    return rules, errors


def run_check(
    targets: list[Target],
    setup: Setup,
    limits: Limits,
    focus: frozenset[str] | None = None,
) -> Outcome:
    """Check the given files with the prepared rules.

    With ``focus`` (pre-commit mode), ``targets`` is the whole portfolio, so references and
    duplicates are judged against everything, but only findings that involve the focus
    files are reported.
    """
    outcome = Outcome()
    initiatives: list[Checked] = []
    for target in targets:
        result = load_file(target.path, target.display, limits)
        outcome.files.append(target.display)
        outcome.findings.extend(result.findings)
        docs = [d for d in result.documents if d.data is not None]
        if not docs and not result.findings:
            outcome.findings.append(
                Finding(
                    EMPTY,
                    Severity.ERROR,
                    "file is empty; write a manifest (see 'govlint init') or delete the file",
                    Location(target.display),
                    input_error=True,
                )
            )
            continue
        for doc in docs:
            if not target.explicit and not is_govlint_document(doc.data):
                outcome.findings.append(
                    Finding(
                        NOT_GOVLINT,
                        Severity.INFO,
                        "skipped: not a govlint document (no 'apiVersion: govlint/v1' and no "
                        "'kind'); add them, or exclude the file in the configuration",
                        doc.locate(()),
                    )
                )
                continue
            checked = check_document(doc)
            outcome.documents.append(checked)
            outcome.findings.extend(checked.findings)
            if checked.kind == "Initiative":
                initiatives.append(checked)
    outcome.registry, registry_findings = merge_registry(outcome.documents)
    outcome.findings.extend(registry_findings)
    initiative_rules = [r for r in setup.rules if r.spec.scope == "initiative"]
    for checked in initiatives:
        safe = json_safe(checked.document.data)
        for rule in initiative_rules:
            outcome.findings.extend(evaluate(rule, checked.document, safe))
    portfolio_rules = [r for r in setup.rules if r.spec.scope == "portfolio"]
    if portfolio_rules:
        from govlint.engine.evaluate import evaluate_portfolio
        from govlint.portfolio.index import Portfolio

        has_registry = any(c.kind == "Organisation" for c in outcome.documents)
        portfolio = Portfolio.build(
            [c.document for c in initiatives], outcome.registry, has_registry
        )
        for rule in portfolio_rules:
            outcome.findings.extend(evaluate_portfolio(rule, portfolio))
    outcome.findings = _waive(outcome, setup)
    if focus is not None:
        outcome.findings = [f for f in outcome.findings if involves(f, focus)]
        outcome.files = [f for f in outcome.files if f in focus]
    outcome.findings.sort(key=lambda f: f.sort_key())
    return outcome


def _waive(outcome: Outcome, setup: Setup) -> list[Finding]:
    from govlint import waivers

    found, files_of = waivers.collect(outcome.documents)
    if not found:
        return outcome.findings
    settings = setup.config.settings.waiver_policy
    policy = waivers.WaiverPolicy(
        setup.today, settings.allow_in_manifests, settings.expiry_warning_days
    )
    locked = {r.id: r.locked_by for r in setup.rules if r.locked}
    return waivers.apply(outcome.findings, found, files_of, locked, setup.ruleset.rules, policy)


def involves(finding: Finding, files: frozenset[str]) -> bool:
    """Whether a finding is about one of ``files``, directly or through a related location."""
    return finding.file in files or any(r.file in files for r in finding.related)


__all__ = ["POLICY_ERROR", "Outcome", "Setup", "prepare", "run_check"]
