"""Rule selection on the command line: --select, --extend-select, --ignore (ids or prefixes).

As in ruff, a code selects every rule whose id starts with it: ``DAT`` is every data rule,
``DAT-00`` is DAT-001 to DAT-009, ``DAT-001`` is one rule. ``--select`` replaces the
configured selection, ``--extend-select`` adds to it, ``--ignore`` takes rules away.
Locked rules are the organisation's non-negotiables: they always stay, and the caller is
told which ones stayed. GL diagnostics (problems with the input itself) are always reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from govlint.coverage import Coverage
from govlint.findings import Finding
from govlint.suggest import closest

if TYPE_CHECKING:
    from govlint.engine.rules import Rule, RuleSet

DIAGNOSTIC_PREFIX = "GL"


@dataclass(frozen=True)
class CommandLineSelection:
    """The codes given on the command line, split at commas, upper-cased."""

    select: tuple[str, ...] | None = None
    extend: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def parse(
        cls, select: Iterable[str], extend: Iterable[str], ignore: Iterable[str]
    ) -> CommandLineSelection:
        chosen = _codes(select)
        return cls(chosen or None, _codes(extend), _codes(ignore))

    @property
    def empty(self) -> bool:
        return self.select is None and not self.extend and not self.ignore

    def key(self) -> str:
        """For the run cache: two runs with different selections never share results."""
        return f"{self.select}|{self.extend}|{self.ignore}"


class SelectionError(Exception):
    """A code that matches no rule, or names a GL diagnostic."""


@dataclass(frozen=True)
class Selected:
    """The rules to evaluate, the ids whose findings are reported, and the locked rules kept."""

    rules: list[Rule]
    reported: frozenset[str]
    kept_locked: tuple[Rule, ...]


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())


def _matches(code: str, rule_id: str) -> bool:
    return rule_id == code or rule_id.startswith(code)


def _check_codes(option: str, codes: Iterable[str], ruleset: RuleSet) -> None:
    for code in codes:
        if code.startswith(DIAGNOSTIC_PREFIX):
            raise SelectionError(
                f"{option} {code}: GL diagnostics are problems with the input itself and are "
                "always reported; select or ignore rules (e.g. DAT, DAT-001)"
            )
        if not any(_matches(code, rule_id) for rule_id in ruleset.rules):
            hint = ruleset.suggest(code)
            if not hint:
                prefixes = sorted({rule_id.partition("-")[0] for rule_id in ruleset.rules})
                close = closest(code.partition("-")[0], prefixes)
                hint = f"; did you mean {close!r}?" if close else ""
            raise SelectionError(
                f"{option} {code}: no rule id starts with {code!r}{hint} "
                "(see 'govlint rules --all')"
            )


def apply_selection(
    selection: CommandLineSelection, configured: list[Rule], ruleset: RuleSet
) -> Selected:
    """The configured rules narrowed or widened by the command line.

    Rules that are selected but not configured run at their own severity. A locked rule
    that the command line would drop stays, and is returned in ``kept_locked``.
    """
    _check_codes("--select", selection.select or (), ruleset)
    _check_codes("--extend-select", selection.extend, ruleset)
    _check_codes("--ignore", selection.ignore, ruleset)
    by_id: dict[str, Rule] = {r.id: r for r in configured}
    if selection.select is not None:
        wanted = {
            rule_id
            for rule_id in ruleset.rules
            if any(_matches(c, rule_id) for c in selection.select)
        }
    else:
        wanted = set(by_id)
    wanted |= {r for r in ruleset.rules if any(_matches(c, r) for c in selection.extend)}
    wanted -= {r for r in wanted if any(_matches(c, r) for c in selection.ignore)}
    kept = tuple(r for r in configured if r.locked and r.id not in wanted)
    wanted |= {r.id for r in kept}
    rules = [
        by_id.get(rule_id) or ruleset.rules[rule_id].configured(ruleset.rules[rule_id].severity)
        for rule_id in sorted(wanted)
    ]
    # rules the configuration runs keep running (so waivers for them stay in use); only
    # their findings are left out of the report
    evaluated = {r.id: r for r in [*configured, *rules]}
    return Selected(sorted(evaluated.values(), key=lambda r: r.id), frozenset(wanted), kept)


def reported(
    findings: Iterable[Finding], ids: frozenset[str], rules: Mapping[str, Rule]
) -> list[Finding]:
    """The findings of selected rules, and every finding that is not a rule's (GL)."""
    return [f for f in findings if f.rule_id in ids or f.rule_id not in rules]


def reported_coverage(coverage: Coverage, ids: frozenset[str]) -> Coverage:
    """Coverage of the selected rules only: a rule left out is neither counted nor named."""
    manifests = tuple(
        replace(
            a,
            failed=tuple(r for r in a.failed if r in ids),
            not_assessable=tuple((r, f) for r, f in a.not_assessable if r in ids),
        )
        for a in coverage.manifests
    )
    return Coverage(tuple(r for r in coverage.rules if r in ids), manifests)
