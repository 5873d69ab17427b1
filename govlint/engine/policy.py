"""Policy packs: select rules, override severities, lock the organisation's non-negotiables."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from govlint.engine.packs import (
    builtin_policies,
    locate_pack,
    pack_files,
)
from govlint.engine.rules import Rule, RuleSet
from govlint.findings import Finding, Location, Severity
from govlint.load import Document, PathKey, load_file
from govlint.model.rule import ApplicationDate, DateChoice, PolicySpec
from govlint.suggest import closest, did_you_mean

POLICY_ERROR = "GL031"


@dataclass(frozen=True)
class Setting:
    severity: Severity | None = None
    locked: bool = False
    locked_by: str | None = None
    #: the date the rule's duty applies from, as a pack sets it (None: the rule's own), or
    #: the row of the table of application dates it names
    applies_from: dt.date | str | None = None


@dataclass
class DateTable:
    """The rows of the packs' ``application_dates``, and the pack document each is written
    in (a choice's conditions are compiled from there, and errors point there)."""

    rows: dict[str, ApplicationDate | DateChoice] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)

    def add(self, doc: Document, rows: dict[str, ApplicationDate | DateChoice]) -> None:
        """Later rows override earlier ones of the same key."""
        self.rows.update(rows)
        self.documents.update(dict.fromkeys(rows, doc))

    def update(self, other: DateTable) -> None:
        self.rows.update(other.rows)
        self.documents.update(other.documents)


@dataclass
class Selection:
    """The rules a run applies, with their configured severity and locks."""

    settings: dict[str, Setting] = field(default_factory=dict)
    errors: list[Finding] = field(default_factory=list)
    #: the table of application dates: every built-in pack's, then the selected packs'
    #: (a pack overrides the packs it extends)
    dates: DateTable = field(default_factory=DateTable)


def policy_error(where: Document | str, at: PathKey, message: str) -> Finding:
    """A problem in a policy pack or the configuration (``at`` within ``where``): it stops
    the run, like a broken rule."""
    location = where.locate(at) if isinstance(where, Document) else Location(where)
    return Finding(POLICY_ERROR, Severity.ERROR, message, location, input_error=True)


def builtin_dates() -> DateTable:
    """The application dates the built-in packs carry, whichever packs a run selects: a
    built-in rule names its key whether ``baseline`` or ``eu-ai-act`` selected it."""
    table = DateTable()
    table.update(_builtin_dates())
    return table


@functools.lru_cache(maxsize=1)
def _builtin_dates() -> DateTable:
    # package data: read once per process, however many runs (a language server) ask
    table = DateTable()
    for path in builtin_policies().values():
        table.update(_dates_of(path))
    return table


def pack_dates(refs: list[str], base: Path) -> DateTable:
    """The application dates the named packs (and the packs they extend) carry."""
    table = DateTable()
    for path in reversed(pack_files(refs, base)):  # parents last in the list: read first
        table.update(_dates_of(path))
    return table


def _dates_of(path: Path) -> DateTable:
    table = DateTable()
    for doc in load_file(path, str(path)).documents:
        if not isinstance(doc.data, dict) or not isinstance(
            doc.data.get("application_dates"), dict
        ):
            continue
        try:
            spec = PolicySpec.model_validate(doc.data)
        except ValidationError:
            continue  # reported when a run selects the pack
        table.add(doc, spec.application_dates)
    return table


def _unknown_pack(ref: str) -> str:
    names = list(builtin_policies())
    close = closest(ref, names)
    hint = did_you_mean(close)
    return (
        f"unknown policy pack {ref!r}{hint} "
        f"(built-in: {', '.join(names)}, or a path to a .yaml file)"
    )


@dataclass
class _Visit:
    """A pack being resolved: its parents are merged in one at a time."""

    path: Path
    chain: tuple[Path, ...]  # the packs that extend it, from the configuration down
    at: int  # its index in the ``extends`` of the pack below it on the stack
    loaded: tuple[Document, PolicySpec] | None = None
    next_parent: int = 0
    selection: dict[str, Setting] = field(default_factory=dict)


class _Resolver:
    """Resolves packs and what they extend, each pack once (a diamond of packs that extend
    the same parents costs what a chain does), with a stack of its own rather than Python's
    (a chain of thousands of packs is no RecursionError)."""

    def __init__(self, ruleset: RuleSet, display: object) -> None:
        self.ruleset = ruleset
        self.errors: list[Finding] = []
        self.display = display
        self.done: dict[Path, dict[str, Setting]] = {}
        self.dates = DateTable()

    def pack(
        self, path: Path, stack: tuple[Path, ...], origin: tuple[Document | str, PathKey]
    ) -> dict[str, Setting]:
        if path in self.done:
            return self.done[path]
        work = [_Visit(path, stack, -1)]
        while work:
            top = work[-1]
            if top.loaded is None and top.next_parent == 0:
                top.loaded = self._load(top.path)
                if top.loaded is None:
                    top.next_parent = -1  # nothing to resolve: an empty selection
            if top.loaded is not None and 0 <= top.next_parent < len(top.loaded[1].extends):
                doc, spec = top.loaded
                i = top.next_parent
                top.next_parent += 1
                ref = spec.extends[i]
                parent = locate_pack(ref, top.path.parent)
                if parent is None:
                    self.errors.append(policy_error(doc, ("extends", i), _unknown_pack(ref)))
                elif parent in (*top.chain, top.path):
                    chain = " -> ".join(p.stem for p in (*top.chain, top.path, parent))
                    self.errors.append(
                        policy_error(
                            doc,
                            ("extends", i),
                            f"policy packs extend each other in a loop: {chain}; "
                            "remove one of the 'extends' entries",
                        )
                    )
                elif parent in self.done:
                    merge(top.selection, self.done[parent], doc, ("extends", i), self.errors)
                else:
                    work.append(_Visit(parent, (*top.chain, top.path), i))
                continue
            work.pop()
            selection = top.selection
            if top.loaded is not None:
                self._configure(selection, *top.loaded)
            self.done[top.path] = selection
            if work:
                below = work[-1]
                assert below.loaded is not None
                merge(below.selection, selection, below.loaded[0], ("extends", top.at), self.errors)
        return self.done[path]

    def _load(self, path: Path) -> tuple[Document, PolicySpec] | None:
        display = self.display(path)  # type: ignore[operator]
        result = load_file(path, display)
        if result.findings:
            self.errors.extend(replace(f, rule_id=POLICY_ERROR) for f in result.findings)
            return None
        docs = [d for d in result.documents if d.data is not None]
        if len(docs) != 1:
            self.errors.append(policy_error(display, (), "a policy file holds exactly one pack"))
            return None
        doc = docs[0]
        if not isinstance(doc.data, dict):  # not quoted: it may be any file, /etc/passwd
            self.errors.append(
                policy_error(
                    doc,
                    (),
                    "not a policy pack: a pack is a mapping with 'apiVersion: govlint/v1' "
                    "and 'kind: Policy'",
                )
            )
            return None
        try:
            spec = PolicySpec.model_validate(doc.data)
        except ValidationError as exc:
            from govlint.validate import schema_finding

            self.errors.extend(
                replace(schema_finding(doc, PolicySpec, e), rule_id=POLICY_ERROR, input_error=True)
                for e in exc.errors()
            )
            return None
        return doc, spec

    def _configure(self, selection: dict[str, Setting], doc: Document, spec: PolicySpec) -> None:
        """Apply a pack's own include, exclude and rules to what its parents selected."""
        self.dates.add(doc, spec.application_dates)  # after its parents': it overrides them
        rules = self.ruleset.rules
        for principle in spec.include.principles:
            for rule in rules.values():
                if rule.principle == principle:
                    selection.setdefault(rule.id, Setting())
        for i, rule_id in enumerate(spec.include.rules):
            if self._known(rule_id, doc, ("include", "rules", i)):
                selection.setdefault(rule_id, Setting())
        for i, rule_id in enumerate(spec.exclude):
            if self._known(rule_id, doc, ("exclude", i)):
                current = selection.get(rule_id)
                if current is not None and current.locked:
                    self.errors.append(_locked(doc, ("exclude", i), rule_id, current))
                else:
                    selection.pop(rule_id, None)
        for rule_id, setting in spec.rules.items():
            at: PathKey = ("rules", rule_id)
            if not self._known(rule_id, doc, at):
                continue
            current = selection.get(rule_id, Setting())
            if not setting.enabled:
                if current.locked:
                    self.errors.append(_locked(doc, at, rule_id, current))
                else:
                    selection.pop(rule_id, None)
                continue
            severity = Severity(setting.severity) if setting.severity else current.severity
            if current.locked and _weaker(severity, current, rules[rule_id]):
                self.errors.append(_locked(doc, at, rule_id, current))
                continue
            locked = current.locked or setting.locked
            locked_by = current.locked_by if current.locked else (spec.name if locked else None)
            if isinstance(setting.applies_from, str) and not self._row(
                setting.applies_from, doc, (*at, "applies_from")
            ):
                continue
            applies_from = setting.applies_from or current.applies_from
            selection[rule_id] = Setting(severity, locked, locked_by, applies_from)

    def _row(self, key: str, doc: Document, at: PathKey) -> bool:
        """Whether a pack's rule entry names a row it can see: its own, its parents' or a
        built-in pack's."""
        rows = {**_builtin_dates().rows, **self.dates.rows}
        if key in rows:
            return True
        hint = did_you_mean(closest(key, rows)) or f" (known: {', '.join(sorted(rows))})"
        self.errors.append(
            policy_error(
                doc,
                at,
                f"unknown application date {key!r}{hint}; a key names a row of "
                "'application_dates' in this pack, a pack it extends or a built-in pack",
            )
        )
        return False

    def _known(self, rule_id: str, doc: Document, at: PathKey) -> bool:
        if rule_id in self.ruleset.rules:
            return True
        hint = self.ruleset.suggest(rule_id) or (
            "; a rule of your own is loaded from a folder named in 'rule_paths' of "
            ".govlint.yaml: add the folder that holds it"
        )
        self.errors.append(policy_error(doc, at, f"unknown rule {rule_id!r}{hint}"))
        return False


def _weaker(severity: Severity | None, current: Setting, rule: Rule) -> bool:
    base = current.severity or Severity(rule.spec.severity)
    return severity is not None and severity < base


def _locked(doc: Document | str, at: PathKey, rule_id: str, current: Setting) -> Finding:
    return policy_error(
        doc,
        at,
        f"rule {rule_id} is locked by policy {current.locked_by!r}: it cannot be disabled "
        "or downgraded; ask the governance office for a waiver instead",
    )


def merge(
    into: dict[str, Setting],
    other: dict[str, Setting],
    doc: Document | str,
    at: PathKey,
    errors: list[Finding],
) -> None:
    """Combine two selections: locks accumulate, a later severity wins unless it weakens a lock."""
    for rule_id, setting in other.items():
        current = into.get(rule_id)
        if current is None:
            into[rule_id] = setting
            continue
        severity = setting.severity or current.severity
        locked = current.locked or setting.locked
        locked_by = current.locked_by or setting.locked_by
        if (
            current.locked
            and setting.severity
            and current.severity
            and (setting.severity < current.severity)
        ):
            severity = current.severity
        applies_from = setting.applies_from or current.applies_from
        into[rule_id] = Setting(severity, locked, locked_by, applies_from)


def select(
    refs: list[str],
    base: Path,
    ruleset: RuleSet,
    display: object,
    origin: Document | str,
) -> Selection:
    """Resolve the packs named in the configuration into one selection."""
    resolver = _Resolver(ruleset, display)
    combined: dict[str, Setting] = {}
    if not refs:
        resolver.errors.append(
            policy_error(
                origin,
                ("policies",),
                "policies is empty: no pack would apply, and with them the rules the packs "
                "lock (the legal non-negotiables of 'baseline') would be switched off; name "
                "at least one pack, for example [baseline]",
            )
        )
    for i, ref in enumerate(refs):
        path = locate_pack(ref, base)
        if path is None:
            resolver.errors.append(policy_error(origin, ("policies", i), _unknown_pack(ref)))
            continue
        merge(
            combined,
            resolver.pack(path, (), (origin, ("policies", i))),
            origin,
            ("policies", i),
            resolver.errors,
        )
    dates = builtin_dates()
    dates.update(resolver.dates)
    return Selection(combined, resolver.errors, dates)
