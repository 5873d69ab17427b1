"""Load rule files: validate each one before any manifest is read, then compile it once."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from govlint.coverage import Read
from govlint.engine.compile import Compiler
from govlint.engine.condition import Answers, Condition
from govlint.engine.evaluate import PLACEHOLDER, SUBJECT
from govlint.engine.lookup import Lookup
from govlint.engine.paths import PathError, resolve, split
from govlint.findings import Finding, Location, Severity, format_path
from govlint.load import Document, PathKey, load_file
from govlint.model.rule import RULE_ID_PATTERN, DatedFrom, RuleSpec
from govlint.suggest import closest, did_you_mean

if TYPE_CHECKING:
    from govlint.portfolio.query import Query

RULE_ERROR = "GL030"


@dataclass(frozen=True)
class Dated:
    """One branch of a rule's ``applies_from``: when ``when`` holds on a manifest (or
    always, without one), the duty applies from ``date`` (the row ``key`` of the table of
    application dates, once resolved)."""

    when: Condition | None
    key: str | None
    date: dt.date | None
    #: where the branch's date or key is written (in ``source``: the rule or pack file)
    at: PathKey = ()
    source: Document | None = None


@dataclass(frozen=True)
class Rule:
    """A loaded, compiled rule; ``severity`` and ``locked`` are as configured."""

    spec: RuleSpec
    file: str
    severity: Severity
    when: Condition | None
    require: Condition | None
    primary: PathKey | None
    locked: bool = False
    locked_by: str | None = None
    #: where each example is written: ("pass" | "fail", index) -> location
    example_locations: dict[tuple[str, int], Location] = field(default_factory=dict)
    #: the rule file as read, to compile it again for another 'today'
    document: Document | None = None
    #: the manifest paths its condition and message read: a missing required or invalid
    #: value at one of them makes the rule "not assessable" on that manifest
    reads: tuple[Read, ...] = ()
    #: the date its duty applies from, as configured (the rule file's, a pack's or the
    #: configuration's)
    applies_from: dt.date | None = None
    #: set when that date is still to come: failures are reported as info until then
    upcoming: dt.date | None = None
    #: a portfolio rule written as a query (``select`` / ``group_by`` / ``require``)
    query: Query | None = None
    #: dates picked per manifest (``applies_from`` as a key or a list of ``{when, from}``);
    #: a date set by a pack or the configuration (``applies_from``) takes precedence
    dated: tuple[Dated, ...] = ()
    #: optional values the rule cannot be assessed without (``needs``)
    needs: tuple[Need, ...] = ()
    #: the day the rule is applied on, once ``on`` has been called
    today: dt.date | None = None
    #: failures before the date their duty applies from are left out, not reported as info
    hide_upcoming: bool = False
    #: its ``registry`` operators, answered once the registry is read (``lookup.bind``)
    lookups: tuple[Lookup, ...] = ()

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def principle(self) -> str:
        return self.spec.principle

    @property
    def help_uri(self) -> str | None:
        for ref in self.spec.references:
            if ref.url:
                return ref.url
        return None

    def configured(
        self,
        severity: Severity,
        locked: bool = False,
        locked_by: str | None = None,
        applies_from: dt.date | None = None,
    ) -> Rule:
        return replace(
            self,
            severity=severity,
            locked=locked,
            locked_by=locked_by,
            applies_from=applies_from or self.applies_from,
        )

    def on(self, today: dt.date, hide_upcoming: bool = False) -> Rule:
        """The rule as it applies on ``today``: before its date, failures are info."""
        rule = replace(self, today=today, hide_upcoming=hide_upcoming, upcoming=None)
        when = self.applies_from
        if when is None and len(self.dated) == 1 and self.dated[0].when is None:
            when = self.dated[0].date  # one date for every manifest
        if when is not None and today < when:
            return replace(rule, severity=Severity.INFO, upcoming=when)
        return rule

    @functools.cached_property
    def dated_per_manifest(self) -> bool:
        """Whether the date the duty applies from depends on the manifest."""
        return self.applies_from is None and any(d.when is not None for d in self.dated)

    def applies_on(
        self, data: Any, safe: bool = True, answers: Answers | None = None
    ) -> Rule | None:
        """The rule as it applies to one manifest: info with its date when the date picked
        for this manifest is still to come, None when such failures are hidden.
        ``answers``: the manifest's ``Answers`` (``data`` and ``safe`` are then its own)."""
        if self.today is None or not self.dated_per_manifest:
            return self
        for branch in self.dated:
            if branch.when is None or (
                answers.holds(branch.when)
                if answers is not None
                else branch.when.holds(data, json_safe=safe)
            ):
                if branch.date is not None and self.today < branch.date:
                    if self.hide_upcoming:
                        return None
                    return self._upcoming_from(branch.date)
                return self
        return self

    def _upcoming_from(self, date: dt.date) -> Rule:
        """The rule reported as info until ``date``: made once per date, not per manifest."""
        made = self._upcoming.get(date)
        if made is None:
            made = self._upcoming[date] = replace(self, severity=Severity.INFO, upcoming=date)
        return made

    @functools.cached_property
    def _upcoming(self) -> dict[dt.date, Rule]:
        # on the instance, not a field: a copy made with replace() starts without it
        return {}

    @property
    def earliest_date(self) -> dt.date | None:
        """The earliest date any manifest's duty applies from, when the rule names dates."""
        dates = [d.date for d in self.dated if d.date is not None]
        return min(dates) if dates else None

    def date_keys(self) -> tuple[str, ...]:
        """The keys of the table of application dates the rule names."""
        return tuple(d.key for d in self.dated if d.key is not None)


@dataclass
class RuleSet:
    """All rules that were found, by id, and the problems found in rule files."""

    rules: dict[str, Rule] = field(default_factory=dict)
    errors: list[Finding] = field(default_factory=list)

    def suggest(self, rule_id: str) -> str:
        """'; did you mean X?' for a mistyped rule id, or nothing."""
        prefix, _, number = rule_id.upper().partition("-")
        # the letter O for a zero and I or L for a one are the common typos in a number
        number = number.translate(_DIGIT_LOOKALIKES)
        if number.isdigit():  # HUM-1 or HUM-01 means HUM-001
            for width in (3, 4):
                padded = f"{prefix}-{int(number):0{width}d}"
                if padded in self.rules:
                    return did_you_mean(padded)
        return did_you_mean(closest(rule_id.upper(), self.rules))


_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _error(doc_or_file: Document | str, at: PathKey, message: str) -> Finding:
    if isinstance(doc_or_file, Document):
        location = doc_or_file.locate(at)
    else:
        location = Location(doc_or_file)
    return Finding(RULE_ERROR, Severity.ERROR, message, location, input_error=True)


def load_rule(path: Path, display: str, today: dt.date) -> tuple[Rule | None, list[Finding]]:
    """Read, validate and compile one rule file."""
    result = load_file(path, display)
    if result.findings:
        return None, [replace(f, rule_id=RULE_ERROR) for f in result.findings]
    docs = [d for d in result.documents if d.data is not None]
    if len(docs) != 1:
        return None, [_error(display, (), "a rule file holds exactly one rule (one YAML document)")]
    if is_policy(docs[0].data):
        return None, []  # a pack next to its rules, not a rule
    return compile_rule(docs[0], today)


def is_policy_file(path: Path) -> bool:
    """Whether a file in a rules folder is a policy pack (``kind: Policy``)."""
    result = load_file(path, str(path))
    return len(result.documents) == 1 and is_policy(result.documents[0].data)


def is_policy(data: Any) -> bool:
    """A policy pack (``kind: Policy``) found where rules are read: not a rule."""
    return isinstance(data, dict) and data.get("kind") == "Policy"


def compile_rule(doc: Document, today: dt.date) -> tuple[Rule | None, list[Finding]]:
    """Validate a rule document against the rule schema and compile its clauses."""
    if not isinstance(doc.data, dict):
        return None, [_error(doc, (), "a rule file must be a mapping with id, title, ...")]
    try:
        spec = RuleSpec.model_validate(doc.data)
    except ValidationError as exc:
        return None, _spec_findings(doc, exc)
    compiler = Compiler(today, in_when=True)
    when = compiler.clause(spec.when, ("when",)) if spec.when is not None else None
    compiler.in_when = False
    primary_from = len(compiler.paths)
    query = None
    require = None
    if spec.scope == "portfolio" and spec.group_by is not None:
        from govlint.portfolio.query import QueryCompiler

        query = QueryCompiler(compiler).query(spec.select, spec.group_by, spec.require)
    elif spec.require is not None:
        require = compiler.clause(spec.require, ("require",))
    errors = _compile_errors(doc, spec, compiler)
    dated, dating_errors = _dated(doc, spec, today)
    errors.extend(dating_errors)
    needs = _needs(doc, spec)
    errors.extend(f for f in needs if isinstance(f, Finding))
    if errors:
        return None, errors
    paths = compiler.paths[primary_from:]
    rule = Rule(
        spec=spec,
        file=doc.file,
        severity=Severity(spec.severity),
        when=Condition.compile(when) if when is not None else None,
        require=Condition.compile(require) if require is not None else None,
        primary=paths[0] if paths else None,
        document=doc,
        query=query,
        lookups=tuple(compiler.lookups),
        applies_from=spec.applies_from if isinstance(spec.applies_from, dt.date) else None,
        dated=dated,
        needs=tuple(n for n in needs if isinstance(n, Need)),
        reads=_reads(compiler, " ".join([spec.message, *(m for _, m in compiler.messages)])),
        example_locations=_example_locations(doc, doc.data),
    )
    return rule, []


@dataclass(frozen=True)
class Need:
    """A value a rule cannot be assessed without, and the values it can take."""

    path: tuple[str, ...]
    values: tuple[Any, ...]


def _needs(doc: Document, spec: RuleSpec) -> list[Need | Finding]:
    """The paths of ``needs``: each must exist in the manifest schema and take one of a
    few values (an enum or true/false), so the engine can tell whether it matters."""
    out: list[Need | Finding] = []
    for i, path in enumerate(spec.needs):
        if spec.scope == "portfolio":
            out.append(_error(doc, ("needs", i), "'needs' is for initiative rules"))
            continue
        try:
            resolved = resolve(path)
        except PathError as exc:
            out.append(_error(doc, ("needs", i), f"needs: {exc}"))
            continue
        values = resolved.enum or ((True, False) if "boolean" in resolved.types else None)
        if not values:
            out.append(
                _error(
                    doc,
                    ("needs", i),
                    f"needs: {path!r} is not a choice of values (an enum or true/false); a "
                    "rule can only need a value whose every possibility it can try",
                )
            )
            continue
        out.append(Need(tuple(path.split(".")), tuple(v for v in values if v is not None)))
    return out


def _dated(
    doc: Document, spec: RuleSpec, today: dt.date
) -> tuple[tuple[Dated, ...], list[Finding]]:
    """The branches of ``applies_from`` when it names a key or depends on the manifest."""
    entries = spec.applies_from
    if entries is None or isinstance(entries, dt.date):
        return (), []
    if isinstance(entries, str):
        return (Dated(None, entries, None, ("applies_from",)),), []
    if spec.scope == "portfolio" and any(e.when is not None for e in entries):
        return (), [
            _error(doc, ("applies_from",), "a portfolio rule has one date for all initiatives")
        ]
    return dated_branches(doc, entries, ("applies_from",), today)


def dated_branches(
    doc: Document,
    entries: list[DatedFrom],
    at: PathKey,
    today: dt.date,
    dates: Mapping[str, dt.date] | None = None,
) -> tuple[tuple[Dated, ...], list[Finding]]:
    """Compile a list of ``{when, from}`` (a rule's ``applies_from`` or a pack's ``pick``).

    With ``dates`` (a pack's ``pick``), a date in a ``when`` may name a row of the table, so
    a cut-off such as "in use before the Chapter III date" moves with that row."""
    branches: list[Dated] = []
    errors: list[Finding] = []
    for i, entry in enumerate(entries):
        here: PathKey = (*at, i)
        condition = None
        if entry.when is not None:
            compiler = Compiler(today, in_when=True, dates=dates)
            schema = compiler.clause(entry.when, (*here, "when"))
            errors.extend(
                _key_error(doc, e.at, e.message) if e.key else _error(doc, e.at, e.message)
                for e in compiler.errors
            )
            condition = Condition.compile(schema) if not compiler.errors else None
        elif i != len(entries) - 1:
            errors.append(
                _error(
                    doc,
                    here,
                    "only the last entry may leave out 'when' (it is the default); the "
                    "entries after it would never be picked",
                )
            )
        key = entry.from_ if isinstance(entry.from_, str) else None
        date = entry.from_ if isinstance(entry.from_, dt.date) else None
        branches.append(Dated(condition, key, date, (*here, "from"), doc))
    return tuple(branches), errors


def _key_error(doc: Document, at: PathKey, message: str) -> Finding:
    return Finding(RULE_ERROR, Severity.ERROR, message, doc.key_location(at), input_error=True)


def resolve_dates(
    rules: dict[str, Rule],
    table: dict[str, dt.date],
    choices: dict[str, tuple[Dated, ...]] | None = None,
) -> tuple[dict[str, Rule], list[Finding]]:
    """Fill in the dates the rules name by key: a row's date, or a choice's branches (a
    row picked per manifest). An unknown key is an error at the place that names it."""
    choices = choices or {}
    resolved: dict[str, Rule] = {}
    errors: list[Finding] = []
    for rule_id, rule in rules.items():
        if not rule.date_keys():
            resolved[rule_id] = rule
            continue
        where = rule.document if rule.document is not None else rule.file
        branches: list[Dated] = []
        broken = False
        for branch in rule.dated:
            if branch.key in choices and branch.when is None:
                picked, problems = _resolve_branches(choices[branch.key], table, choices)
                branches.extend(picked)
                errors.extend(problems)
                broken = broken or bool(problems)
                continue
            found, problems = _resolve_branches((branch,), table, choices, where)
            branches.extend(found)
            errors.extend(problems)
            broken = broken or bool(problems)
        # a rule with an unknown key stays (without that date): the error stops the run
        resolved[rule_id] = rule if broken else replace(rule, dated=tuple(branches))
    return resolved, errors


def _resolve_branches(
    branches: tuple[Dated, ...],
    table: dict[str, dt.date],
    choices: dict[str, tuple[Dated, ...]],
    where: Document | str | None = None,
) -> tuple[list[Dated], list[Finding]]:
    """Each branch with the date of the row it names."""
    out: list[Dated] = []
    errors: list[Finding] = []
    for branch in branches:
        at = branch.source if branch.source is not None else where or ""
        if branch.key is None:
            out.append(branch)
        elif branch.key in table:
            out.append(replace(branch, date=table[branch.key]))
        elif branch.key in choices:
            errors.append(
                _error(
                    at,
                    branch.at,
                    f"{branch.key!r} picks its row per manifest: name it alone "
                    "(applies_from: KEY), not inside another pick",
                )
            )
        else:
            names = [*table, *choices]
            hint = did_you_mean(closest(branch.key, names)) or (
                f" (known: {', '.join(sorted(names)) or 'none'})"
            )
            errors.append(
                _error(
                    at,
                    branch.at,
                    f"unknown application date {branch.key!r}{hint}; a key names a row "
                    "of 'application_dates' in a policy pack or .govlint.yaml",
                )
            )
    return out, errors


def _spec_findings(doc: Document, exc: ValidationError) -> list[Finding]:
    """One input-error finding per schema error in a rule document."""
    from govlint.validate import schema_finding

    findings = []
    for err in exc.errors():
        finding = replace(schema_finding(doc, RuleSpec, err), rule_id=RULE_ERROR)
        better = _id_message(doc, err)
        findings.append(replace(finding, message=better or finding.message, input_error=True))
    return findings


def _compile_errors(doc: Document, spec: RuleSpec, compiler: Compiler) -> list[Finding]:
    """The compiler's errors, then the scope checks, then the message placeholder checks."""
    errors = [
        Finding(
            RULE_ERROR,
            Severity.ERROR,
            e.message,
            doc.key_location(e.at) if e.key else doc.locate(e.at),
            input_error=True,
        )
        for e in compiler.errors
    ]
    errors.extend(_scope_errors(doc, spec))
    if spec.scope == "portfolio" and compiler.lookups:
        errors.append(
            _error(
                doc,
                ("require",),
                "the 'registry' operator is for per-manifest rules; a portfolio query looks "
                "an entry up with require: {registry: {section: {...}}}",
            )
        )
    errors.extend(
        _check_placeholders(doc, spec.message, compiler.item_schemas, spec.scope == "portfolio")
    )
    for at, own in compiler.messages:
        errors.extend(_check_placeholders(doc, own, compiler.item_schemas, at=at))
    return errors


def _scope_errors(doc: Document, spec: RuleSpec) -> list[Finding]:
    """The keys a rule's scope requires or forbids."""
    if spec.scope == "initiative":
        errors = []
        if spec.require is None:
            errors.append(_error(doc, (), "an initiative rule needs a 'require' clause"))
        if spec.check is not None:
            errors.append(_error(doc, ("check",), "'check' is only for scope: portfolio"))
        for key in ("select", "group_by"):
            if getattr(spec, key) is not None:
                errors.append(
                    _error(doc, (key,), f"{key!r} is only for scope: portfolio; use 'when'")
                )
        return errors
    if spec.group_by is not None or spec.select is not None:
        return list(_check_query(doc, spec))
    return list(_check_portfolio(doc, spec))


def _example_locations(doc: Document, data: dict[str, Any]) -> dict[tuple[str, int], Location]:
    """Where each pass and fail example of a rule document starts."""
    return {
        (expect, i): doc.locate(("examples", expect, i))
        for expect in ("pass", "fail")
        for i in range(len(data.get("examples", {}).get(expect) or []))
    }


def _id_message(doc: Document, err: Any) -> str | None:
    """The message for a malformed rule or reference id (the generic one names manifest ids)."""
    loc = tuple(err["loc"])
    if err["type"] != "string_pattern_mismatch" or loc[-1:] != ("id",):
        return None
    value = doc.get(loc)
    if loc == ("id",):
        prefix, _, number = str(value).upper().partition("-")
        number = number.translate(_DIGIT_LOOKALIKES)
        fixed = f"{prefix}-{int(number):03d}" if number.isdigit() else ""
        valid = bool(fixed) and re.fullmatch(RULE_ID_PATTERN, fixed) is not None
        hint = f"; did you mean {fixed!r}?" if valid else "; write one like 'HUM-001'"
        return (
            f"id: {value!r} is not a valid rule id{hint} (a "
            "rule id is 2 to 8 capital letters or digits starting with a letter, a hyphen and "
            "3 or 4 digits)"
        )
    return (
        f"{format_path(loc)}: {value!r} is not a valid reference id; write "
        "<FRAMEWORK>-<VERSION>:<ID>, e.g. 'EU-AI-ACT-2024:Art.14'"
    )


def _reads(compiler: Compiler, message: str) -> tuple[Read, ...]:
    """What a rule reads: its clauses' paths and the values its message names."""
    reads = list(compiler.reads)
    for match in PLACEHOLDER.finditer(message):
        name = (match.group(1) or "").strip()
        if not name or name in ("path", "value", "detail"):
            continue
        if name == "item" or name.startswith("item."):
            rest = tuple(name.split(".")[1:])
            reads.extend(Read((*p, *rest), container=not rest) for p in compiler.item_paths)
        elif tuple(name.split(".")) != SUBJECT:  # the subject always reads well
            reads.append(Read(tuple(name.split("."))))
    return tuple(dict.fromkeys(reads))


def _option_problems(schema: dict[str, Any], options: dict[str, Any]) -> list[Any]:
    """jsonschema's errors for a portfolio rule's options; the fast validator answers the
    usual case (no error) without importing jsonschema."""
    from govlint.engine.condition import Condition, json_safe

    condition = Condition.compile(schema)
    if condition.fast is not None and condition.holds(options, json_safe=json_safe(options)):
        return []
    return list(condition.python.iter_errors(options))


def _check_portfolio(doc: Document, spec: RuleSpec) -> list[Finding]:
    """A portfolio rule names a known check, and its options fit that check."""
    from govlint.portfolio.checks import CHECKS

    if spec.check is None:
        names = ", ".join(CHECKS)
        return [_error(doc, (), f"a portfolio rule needs a named 'check' (one of: {names})")]
    check = CHECKS.get(spec.check)
    if check is None:
        close = closest(spec.check, CHECKS)
        hint = did_you_mean(close) if close else f" (one of: {', '.join(CHECKS)})"
        return [_error(doc, ("check",), f"unknown portfolio check {spec.check!r}{hint}")]
    errors = []
    for expect, examples in (("pass", spec.examples.pass_), ("fail", spec.examples.fail)):
        for i, example in enumerate(examples):
            problem = _portfolio_example_problem(example)
            if problem:
                errors.append(_error(doc, ("examples", expect, i), problem))
    for key in _PATH_OPTIONS.get(spec.check, ()):
        paths = spec.options.get(key)
        for i, path in enumerate(paths if isinstance(paths, list) else []):
            if not isinstance(path, str):
                continue
            try:
                resolve(path)
            except PathError as exc:
                errors.append(_error(doc, ("options", key, i), f"option {key!r}: {exc}"))
    for problem in _option_problems(check.options, spec.options):
        at: PathKey = ("options", *problem.absolute_path)
        message = problem.message
        if problem.validator == "additionalProperties":
            allowed = ", ".join(check.options["properties"]) or "none"
            message = f"{message}; the options of {spec.check!r} are: {allowed}"
        errors.append(_error(doc, at, f"option of check {spec.check!r}: {message}"))
    if spec.when is not None or spec.require is not None:
        at = ("require",) if spec.require is not None else ("when",)
        errors.append(
            _error(doc, at, "a portfolio rule uses 'check' and 'options', not 'when'/'require'")
        )
    return errors


#: options of the named portfolio checks that hold manifest paths, checked like any path
_PATH_OPTIONS: dict[str, tuple[str, ...]] = {"consistency": ("group_by", "fields")}


def _check_query(doc: Document, spec: RuleSpec) -> list[Finding]:
    """A portfolio query groups (and names no check); its examples are portfolios."""
    errors = []
    if spec.group_by is None:
        errors.append(
            _error(doc, ("select",), "a portfolio query needs 'group_by', e.g. metadata.unit")
        )
    if spec.require is None:
        errors.append(
            _error(doc, (), "a portfolio query needs 'require': what must hold in every group")
        )
    if spec.check is not None:
        errors.append(
            _error(doc, ("check",), "a portfolio rule names a 'check' or groups with 'group_by'")
        )
    if spec.when is not None:
        errors.append(_error(doc, ("when",), "a portfolio query selects with 'select'"))
    for expect, examples in (("pass", spec.examples.pass_), ("fail", spec.examples.fail)):
        for i, example in enumerate(examples):
            problem = _portfolio_example_problem(example)
            if problem:
                errors.append(_error(doc, ("examples", expect, i), problem))
    return errors


def _portfolio_example_problem(example: dict[str, Any]) -> str | None:
    unknown = set(example) - {"initiatives", "registry"}
    if unknown:
        return (
            f"unknown key {sorted(unknown)[0]!r} in a portfolio example; "
            "use 'initiatives' (a list of manifest fragments) and 'registry'"
        )
    initiatives = example.get("initiatives")
    if not isinstance(initiatives, list) or not initiatives:
        return "a portfolio example needs 'initiatives': a list of manifest fragments"
    if not all(isinstance(i, dict) for i in initiatives):
        return "each item of 'initiatives' is a manifest fragment (a mapping)"
    registry = example.get("registry", {})
    if registry is not None and not isinstance(registry, dict):
        return "'registry' is a registry fragment (a mapping), or null for no registry"
    return None


def _check_placeholders(
    doc: Document,
    message: str,
    items: list[dict[str, Any]],
    portfolio: bool = False,
    at: PathKey = ("message",),
) -> list[Finding]:
    errors: list[Finding] = []
    for match in PLACEHOLDER.finditer(message):
        name = match.group(1)
        if name is None or name.strip() in ("path", "value", "item"):
            continue
        if portfolio and name.strip() == "detail":
            continue
        name = name.strip()
        try:
            if name.startswith("item."):
                if not items:
                    raise PathError("'{item.…}' placeholders need an 'each' or 'some' clause")
                rest = name.removeprefix("item.")
                problems = []
                for schema in items:
                    try:
                        resolve(rest, schema)
                        break
                    except PathError as exc:
                        problems.append(str(exc))
                else:
                    raise PathError(problems[0])
            else:
                split(name)
                resolve(name)
        except PathError as exc:
            errors.append(_error(doc, at, f"placeholder {{{name}}}: {exc}"))
    return errors


def rule_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_rules(folders: list[tuple[Path, str]], today: dt.date) -> RuleSet:
    """Load every rule under the given folders (path, display prefix); ids must be unique."""
    ruleset = RuleSet()
    first_file: dict[str, str] = {}
    for folder, prefix in folders:
        if not folder.is_dir():
            ruleset.errors.append(
                _error(prefix, (), "rules folder does not exist; check 'rule_paths'")
            )
            continue
        for path in rule_files(folder):
            display = f"{prefix}/{path.relative_to(folder).as_posix()}"
            rule, errors = load_rule(path, display, today)
            ruleset.errors.extend(errors)
            if rule is None:
                continue
            if rule.id in ruleset.rules:
                ruleset.errors.append(
                    _error(
                        display,
                        (),
                        f"rule id {rule.id} is already used by {first_file[rule.id]}; "
                        "give this rule a new id",
                    )
                )
                continue
            ruleset.rules[rule.id] = rule
            first_file[rule.id] = display
    return ruleset
