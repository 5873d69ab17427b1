"""The check pipeline: load files, validate documents, evaluate rules, collect findings."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from govlint.cache import FileResult
from govlint.config import Config
from govlint.coverage import Assessment, Broken, Coverage
from govlint.discover import Target, central_waiver_files, display_path, rule_folders
from govlint.engine.condition import Answers
from govlint.engine.evaluate import FAIL, NOT_ASSESSABLE, assess
from govlint.engine.paths import declaring
from govlint.engine.policy import POLICY_ERROR, DateTable, Selection, select
from govlint.engine.rules import Dated, Rule, RuleSet, load_rules, resolve_dates
from govlint.extensions import check_manifest
from govlint.findings import NOT_GOVLINT, Finding, Location, Severity
from govlint.load import EMPTY, Limits, load_bytes
from govlint.model.extension import Extensions
from govlint.model.rule import ApplicationDate, DateChoice
from govlint.outcome import Outcome
from govlint.registry import Defaults, Registry, inherit, merge_registry, registry_defaults
from govlint.resources import data_dir
from govlint.validate import Checked, check_document, is_govlint_document

if TYPE_CHECKING:
    from govlint.cache import Cache, MemoryCache
    from govlint.engine.condition import Condition


@dataclass
class Setup:
    """Everything prepared before the first manifest is read: the rules that apply."""

    config: Config
    today: dt.date
    ruleset: RuleSet
    rules: list[Rule]
    errors: list[Finding]
    #: the declared ``x-`` extensions manifests are checked against (none: free-form)
    extensions: Extensions = ()
    #: what initiatives inherit from the registry (``defaults``), once the files are read
    defaults: Defaults = field(default_factory=dict)
    #: the rows of the packs' ``application_dates``, and each key's date after the moves
    #: of ``.govlint.yaml``
    dates: DateTable = field(default_factory=DateTable)
    moved: dict[str, dt.date] = field(default_factory=dict)


def prepare(config: Config, today: dt.date, cwd: Path) -> Setup:
    """Load rules and policies and apply the configuration's overrides."""
    from govlint.extensions import declarations

    extensions, declaration_errors = declarations(config, lambda p: _pack_display(p, cwd))
    with declaring(extensions):
        ruleset = load_rules(rule_folders(config, cwd), today)
    selection = select(
        config.settings.policies,
        config.root,
        ruleset,
        lambda p: _pack_display(p, cwd),
        config.origin,
    )
    table, date_errors = date_table(selection, config, ruleset)
    with declaring(extensions):
        choices, choice_errors = compile_choices(selection.dates, today, table)
    ruleset.rules, unresolved = resolve_dates(ruleset.rules, table, choices)
    date_errors.extend(choice_errors)
    rules, errors = configure(ruleset, selection, config, table)
    hide = config.settings.upcoming_duties == "hide"
    rules = [r.on(today, hide) for r in rules]
    if hide:
        rules = [r for r in rules if r.upcoming is None]
    errors = [
        *declaration_errors,
        *ruleset.errors,
        *selection.errors,
        *date_errors,
        *unresolved,
        *errors,
    ]
    return Setup(
        config, today, ruleset, rules, errors, extensions, dates=selection.dates, moved=table
    )


def compile_choices(
    dates: DateTable, today: dt.date, table: Mapping[str, dt.date]
) -> tuple[dict[str, tuple[Dated, ...]], list[Finding]]:
    """The rows of ``application_dates`` picked per manifest, compiled once; their
    conditions may compare with the dates of ``table`` (the rows, as moved) by key."""
    from govlint.engine.rules import dated_branches

    choices: dict[str, tuple[Dated, ...]] = {}
    errors: list[Finding] = []
    for key, row in dates.rows.items():
        if isinstance(row, DateChoice):
            at = ("application_dates", key, "pick")
            branches, problems = dated_branches(dates.documents[key], row.pick, at, today, table)
            choices[key] = branches
            errors.extend(replace(f, rule_id=POLICY_ERROR) for f in problems)
    return choices, errors


def _at_key(config: Config, at: tuple[str, str], error: Finding) -> Finding:
    """The error placed on the key of ``.govlint.yaml`` that is wrong (not its value)."""
    if config.document is None:
        return error
    return replace(error, location=config.document.key_location(at))


def date_table(
    selection: Selection, config: Config, ruleset: RuleSet
) -> tuple[dict[str, dt.date], list[Finding]]:
    """The date each key of the packs' ``application_dates`` stands for, with the moves of
    ``.govlint.yaml``; a team cannot postpone a key a locked rule names."""
    from govlint.engine.policy import policy_error
    from govlint.suggest import closest, did_you_mean

    rows = selection.dates.rows
    table = {k: row.from_ for k, row in rows.items() if isinstance(row, ApplicationDate)}
    errors: list[Finding] = []

    def keys(key: str) -> list[str]:  # a choice stands for the rows it picks from
        row = rows.get(key)
        if isinstance(row, DateChoice):
            return [e.from_ for e in row.pick if isinstance(e.from_, str)]
        return [key]

    locked = {
        key: (rule_id, setting.locked_by)
        for rule_id, setting in selection.settings.items()
        if setting.locked and rule_id in ruleset.rules
        for named in ruleset.rules[rule_id].date_keys()
        for key in keys(named)
    }
    for key, moved in config.settings.application_dates.items():
        at = ("application_dates", key)
        day = moved if isinstance(moved, dt.date) else moved.from_
        if isinstance(rows.get(key), DateChoice):
            picked = ", ".join(sorted(dict.fromkeys(keys(key)))) or "its rows"
            errors.append(
                _at_key(
                    config,
                    at,
                    policy_error(
                        config.origin,
                        at,
                        f"application date {key!r} is chosen per manifest from other rows, so "
                        f"it has no date of its own to move; move the rows it picks from "
                        f"instead ({picked})",
                    ),
                )
            )
            continue
        if key not in table and isinstance(moved, dt.date):
            hint = did_you_mean(closest(key, table)) or f" (known: {', '.join(sorted(table))})"
            unknown = policy_error(
                config.origin,
                at,
                f"unknown application date {key!r}{hint}; to add a row of your own, "
                "write {from: YYYY-MM-DD, source: ..., verified: ...}",
            )
            errors.append(_at_key(config, at, unknown))
            continue
        if key in locked and key in table and day > table[key]:
            rule_id, by = locked[key]
            errors.append(
                policy_error(
                    config.origin,
                    at,
                    f"rule {rule_id} is locked by policy {by!r}: a team cannot postpone the "
                    f"date {key!r} it applies from ({table[key]}); ask the governance office "
                    "for a waiver instead",
                )
            )
            continue
        table[key] = day
    return table, errors


def _pack_display(path: Path, cwd: Path) -> str:
    builtin = data_dir("policies")
    if path.parent == builtin.resolve() or path.parent == builtin:
        return f"<builtin>/policies/{path.name}"
    return display_path(path, cwd)


def configure(
    ruleset: RuleSet,
    selection: Selection,
    config: Config,
    table: dict[str, dt.date] | None = None,
) -> tuple[list[Rule], list[Finding]]:
    """Apply ``rules:`` overrides of the configuration; locked rules cannot be weakened.
    ``table``: the date of each row of application dates a pack's rule entry may name."""
    from govlint.engine.policy import Setting, policy_error

    def day(value: dt.date | str | None) -> dt.date | None:
        return (table or {}).get(value) if isinstance(value, str) else value

    settings = dict(selection.settings)
    errors: list[Finding] = []
    origin = config.origin
    for rule_id, override in config.settings.rules.items():
        at = ("rules", rule_id)
        if rule_id not in ruleset.rules:
            errors.append(
                policy_error(origin, at, f"unknown rule {rule_id!r}{ruleset.suggest(rule_id)}")
            )
            continue
        rule = ruleset.rules[rule_id]
        current = settings.get(rule_id, Setting())
        base = current.severity or rule.severity
        wanted = Severity(override.severity) if override.severity else None
        when = day(current.applies_from) or rule.applies_from or rule.earliest_date
        later = override.applies_from is not None and (when is None or override.applies_from > when)
        if current.locked and (
            not override.enabled or (wanted is not None and wanted < base) or later
        ):
            errors.append(
                policy_error(
                    origin,
                    at,
                    f"rule {rule_id} is locked by policy {current.locked_by!r}: a team cannot "
                    + (
                        f"postpone it (it applies from {when}); "
                        if later and override.enabled and not (wanted and wanted < base)
                        else "disable or downgrade it; "
                    )
                    + "ask the governance office for a waiver instead",
                )
            )
            continue
        if not override.enabled:
            settings.pop(rule_id, None)
        else:
            settings[rule_id] = Setting(
                wanted or current.severity,
                current.locked,
                current.locked_by,
                override.applies_from or current.applies_from,
            )
    rules = [
        ruleset.rules[rule_id].configured(
            s.severity or ruleset.rules[rule_id].severity,
            s.locked,
            s.locked_by,
            day(s.applies_from),
        )
        for rule_id, s in sorted(settings.items())
    ]
    return rules, errors


def check_file(target: Target, raw: bytes, setup: Setup, limits: Limits) -> FileResult:
    """Everything one file contributes before portfolio rules: load, validate, rules."""
    result = load_bytes(raw, target.display, limits)
    findings: list[Finding] = list(result.findings)
    checked_docs: list[Checked] = []
    docs = [d for d in result.documents if d.data is not None]
    if not docs and not result.findings:
        findings.append(
            Finding(
                EMPTY,
                Severity.ERROR,
                "file is empty; write a manifest (see 'govlint init') or delete the file",
                Location(target.display),
                input_error=True,
            )
        )
    initiative_rules = [r for r in setup.rules if r.spec.scope == "initiative"]
    for doc in docs:
        if not target.explicit and not is_govlint_document(doc.data):
            findings.append(
                Finding(
                    NOT_GOVLINT,
                    Severity.INFO,
                    "skipped: not a govlint document (no 'apiVersion: govlint/v1' and no "
                    "'kind'); if it is a manifest, add them; if not, list it under "
                    "'exclude:' in the configuration",
                    doc.locate(()),
                )
            )
            continue
        if isinstance(doc.data, dict) and doc.data.get("kind") in ("Policy", "Rule"):
            continue  # a policy pack or a rule: validated when the configuration names it
        checked = check_document(doc)
        findings.extend(checked.findings)
        if checked.kind == "Initiative" and setup.extensions:
            declared_findings, broken = check_manifest(doc, setup.extensions)
            findings.extend(declared_findings)
            checked = replace(checked, broken=(*checked.broken, *broken))
        if checked.kind == "Initiative":
            checked, rule_findings = assess_initiative(checked, initiative_rules, setup.defaults)
            findings.extend(rule_findings)
        checked_docs.append(checked)
    return FileResult(tuple(findings), tuple(checked_docs))


def assess_initiative(
    checked: Checked, rules: list[Rule], defaults: Defaults | None = None
) -> tuple[Checked, list[Finding]]:
    """Run the per-manifest rules on one initiative (with what it inherits from the
    registry's ``defaults``): its findings, and its assessment."""
    doc = checked.document
    if defaults:
        doc = replace(doc, data=inherit(doc.data, defaults))
    answers = Answers(doc.data)  # this manifest's: the rules share what they ask of it
    findings: list[Finding] = []
    failed: list[str] = []
    blocked: list[tuple[str, tuple[str, ...]]] = []
    broken = Broken(checked.broken)
    for rule in rules:
        verdict = assess(rule, doc, broken, answers=answers)
        if verdict.outcome == FAIL:
            failed.append(rule.id)
            findings.extend(verdict.findings)
        elif verdict.outcome == NOT_ASSESSABLE:
            blocked.append((rule.id, tuple(".".join(f) for f in verdict.blocked_by)))
    assessment = Assessment(doc.file, doc.index, doc.start.line, tuple(failed), tuple(blocked))
    return replace(checked, assessment=assessment), findings


#: below this many bytes to check, starting processes costs more than it saves: a
#: worker starts in about 50 ms and a second process saves about 0.25 ms per KB of YAML
#: (measured: 0.6 ms per KB to check, of which it takes half, less 15% to send back)
PARALLEL_BYTES = 400_000


def processes(jobs: int | None, size: int, cores: int, load: float) -> int:
    """How many processes check ``size`` bytes: ``jobs`` when given; else one per core
    that is free (``load``: how many are busy, see ``busy``) for large inputs, else one. On
    a machine whose cores are busy, more processes only add the cost of sending results."""
    if jobs is not None:
        return jobs
    if size < PARALLEL_BYTES:
        return 1
    return max(1, min(cores, 8, round(cores - load)))


def busy(load: float, running: int | None) -> float:
    """How many cores other work keeps busy: the load average (``load``, over the last
    minute), unless the number of runnable processes right now (``running``, this one
    included) says fewer. The average lags: a job that ended seconds ago (the step before
    in CI, the run before in a benchmark) still counts in it while its cores are free."""
    if running is None:
        return load
    return min(load, max(0, running - 1))


def running_now() -> int | None:
    """How many processes are runnable at this moment, this one included (Linux's
    ``/proc/loadavg``); None where that is not known."""
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return int(f.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return None


def _busy_cores(running_before: int | None) -> float:
    """``busy`` for this machine. The runnable processes are counted twice, before the
    files were read (``running_before``) and now, and the lower count is taken: one
    reading may catch a process that runs for a moment only."""
    import os

    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on this platform, or not known here
        return 0.0
    counts = [n for n in (running_before, running_now()) if n is not None]
    return busy(load, min(counts) if counts else None)


WORKER_DIED = "GL009"
_WORKER: tuple[Setup, Limits] | None = None


def _check_chunk(chunk: list[tuple[int, Target, bytes]]) -> list[tuple[int, dict[str, object]]]:
    """In a worker process: check files, return their results in the cache's JSON form."""
    from govlint.cache import encode

    assert _WORKER is not None
    setup, limits = _WORKER
    out = []
    for i, target, raw in chunk:
        out.append((i, encode(check_file(target, raw, setup, limits))))
        gc.freeze()
    return out


def _checked_in_turn(
    items: list[tuple[int, Target, bytes]], setup: Setup, limits: Limits
) -> list[tuple[int, FileResult | Finding]]:
    """Check files in this process; what each one leaves is moved out of the collector's
    sight (``gc.freeze``), so that its passes look at one file's objects, not at all the
    documents kept so far (at 10,000 files they cost a quarter of the run). The documents
    kept for the portfolio rules keep their positions packed."""
    out: list[tuple[int, FileResult | Finding]] = []
    for i, target, raw in items:
        result = check_file(target, raw, setup, limits)
        documents = tuple(replace(c, document=c.document.packed()) for c in result.documents)
        out.append((i, replace(result, documents=documents)))
        gc.freeze()
    return out


def check_files(
    items: list[tuple[int, Target, bytes]],
    setup: Setup,
    limits: Limits,
    jobs: int | None,
    running_before: int | None = None,
) -> list[tuple[int, FileResult | Finding]]:
    """Check files, in parallel processes for large inputs; results keep their index.
    ``running_before``: the runnable processes counted earlier in the run (``running_now``).

    Workers are forked, so they share the compiled rules instead of loading them again
    (where fork is not available, files are checked in this process). This process is one
    of the ``jobs``: it checks chunks from the end of the list while the workers take them
    from the start, until they meet, so it never waits idle for a worker, a file it checks
    costs nothing to send back, and on a machine whose other cores are busy the run is no
    slower than in one process. A worker that dies does not lose its files: each becomes
    an error finding.
    """
    import multiprocessing
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    size = sum(len(raw) for _, _, raw in items)
    needed = jobs is None and size >= PARALLEL_BYTES and len(items) > 1
    workers = processes(jobs, size, cores or 1, _busy_cores(running_before) if needed else 0.0)
    fork = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or len(items) < 2 or not fork:
        return _checked_in_turn(items, setup, limits)
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from govlint.cache import decode

    global _WORKER
    _WORKER = (setup, limits)
    # small chunks where this process and the workers meet; fewer, larger ones would
    # leave one side idle while the other finishes its last chunk
    size = max(1, min(32, len(items) // (workers * 8) or 1))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    done: dict[int, list[tuple[int, FileResult | Finding]]] = {}
    pending: dict[Future[list[tuple[int, dict[str, object]]]], int] = {}

    def collect(future: Future[list[tuple[int, dict[str, object]]]]) -> None:
        k = pending.pop(future)
        try:
            done[k] = [(i, decode(raw)) for i, raw in future.result()]
            gc.freeze()
        except BrokenProcessPool as exc:
            done[k] = [(i, _worker_died(t, exc)) for i, t, _ in chunks[k]]

    front, back = 0, len(chunks)  # the workers take chunks from the front, this process
    context = multiprocessing.get_context("fork")  # from the back, until they meet
    try:
        with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context) as pool:
            while front < back:
                try:  # two chunks in hand per worker: none of them waits for the next
                    while front < back and len(pending) < 2 * (workers - 1):
                        pending[pool.submit(_check_chunk, chunks[front])] = front
                        front += 1
                except BrokenProcessPool:  # a worker died: this process checks the rest
                    done.update(
                        (k, _checked_in_turn(chunks[k], setup, limits)) for k in range(front, back)
                    )
                    break
                if front < back:
                    back -= 1
                    done[back] = _checked_in_turn(chunks[back], setup, limits)
                for future in [f for f in pending if f.done()]:
                    collect(future)
            for future in list(pending):
                collect(future)
    finally:
        _WORKER = None
    return [result for k in range(len(chunks)) for result in done[k]]


def _worker_died(target: Target, exc: BaseException) -> Finding:
    return Finding(
        WORKER_DIED,
        Severity.ERROR,
        "the process checking this file stopped unexpectedly"
        f" ({type(exc).__name__}); the file was not checked: run again with --jobs 1",
        Location(target.display),
        input_error=True,
    )


def cache_key(setup: Setup, limits: Limits) -> str:
    """Everything besides a file's bytes that decides what checking it finds."""
    import json

    from govlint.cache import settings_key

    parts = [
        setup.today.isoformat(),
        repr(limits),
        setup.config.settings.model_dump_json(),
        repr(setup.extensions),
        json.dumps(setup.defaults, sort_keys=True),
    ]
    for rule in setup.rules:
        spec = json.dumps(rule.spec.model_dump(mode="json", by_alias=True), sort_keys=True)
        parts.append(
            f"{rule.id}|{rule.severity.value}|{rule.locked}|{rule.locked_by}|{rule.upcoming}|"
            f"{[(d.key, d.date, _when(d.when)) for d in rule.dated]}|{rule.hide_upcoming}|{spec}"
            # the registry entries its lookups were answered from
            + "".join(
                f"|{lookup.section}|{lookup.allowed}|{sorted(lookup.known or ())}"
                for lookup in rule.lookups
            )
        )
    return settings_key(parts)


def _when(condition: Condition | None) -> str:
    """A dated branch's condition, as text for the cache key (a pack's ``pick`` may change
    it while the rule stays the same)."""
    import json

    return "" if condition is None else json.dumps(condition.schema, sort_keys=True, default=str)


def run_check(
    targets: list[Target],
    setup: Setup,
    limits: Limits,
    focus: frozenset[str] | None = None,
    cache_dir: Path | None = None,
    jobs: int | None = 1,
    memory: MemoryCache | None = None,
) -> Outcome:
    """Check the given files with the prepared rules.

    With ``focus`` (pre-commit mode), ``targets`` is the whole portfolio, so references and
    duplicates are judged against everything, but only findings that involve the focus
    files are reported. With ``cache_dir``, unchanged files (and an unchanged portfolio)
    are not checked again. ``jobs`` > 1 (or None: as many as there are cores, for large
    inputs) checks files in parallel processes; the output order does not change. What
    the files leave is frozen out of the collector's passes (``gc.freeze``); the caller
    gives it back with ``gc.unfreeze()`` when it is done (``govlint.run.run`` does).
    ``memory``: a cache held by the caller (``cache.MemoryCache``) instead of the folder's.
    """
    running = running_now() if jobs is None else None  # counted again before checking
    raws = _raw(targets, limits)
    registry = registry_before_check(targets, raws, limits)
    prepared, setup = setup, _inherited(setup, registry)
    if memory is not None:  # the registry decides what these rules find in a file
        memory.reset(cache_key(setup, limits) if setup is not prepared else memory.prepared)
    cache: Cache | None = memory
    if cache is None and cache_dir is not None:
        from govlint.cache import Cache

        cache = Cache.open(cache_dir, cache_key(setup, limits))
    outcome = Outcome(files=[target.display for target in targets])
    read = _read(targets, raws, cache)
    for index, checked in check_files(read.misses, setup, limits, jobs, running):
        if isinstance(checked, FileResult):
            if cache is not None and index in read.names:
                cache.put(*read.names[index], checked)  # a worker's result: as it came
            checked = replace(checked, encoded=None)  # the cache holds it, or nobody needs it
        read.results[index] = checked
    for entry in read.results:
        if isinstance(entry, Finding):
            outcome.findings.append(entry)
        elif entry is not None:
            outcome.findings.extend(entry.findings)
            outcome.documents.extend(entry.documents)
    if cache is not None:
        cache.save_files()  # the files are checked: written while the portfolio rules run
    outcome.registry, registry_findings = merge_registry(outcome.documents)
    outcome.findings.extend(registry_findings)
    outcome.findings.extend(registry_defaults(outcome.documents)[1])
    outcome.findings.extend(_portfolio_findings(outcome, setup, cache, read.digests, focus))
    outcome.findings = _waive(outcome, setup, central_waiver_files(targets, setup.config))
    outcome.coverage = Coverage(
        tuple(r.id for r in setup.rules if r.spec.scope == "initiative"),
        tuple(c.assessment for c in outcome.documents if c.assessment is not None),
    )
    if focus is not None:
        focus = focus | dependents(outcome, setup, focus)
        outcome.findings = [f for f in outcome.findings if involves(f, focus)]
        # a finding about another file that involves a focus file (the other end of a
        # duplicate) counts that file too: never "in 2 of 1 file"
        shown = focus | {f.file for f in outcome.findings}
        outcome.files = [f for f in outcome.files if f in shown]
        outcome.coverage = outcome.coverage.only(focus)
    outcome.findings.sort(key=lambda f: f.sort_key())
    if cache is not None:
        cache.save()
    return outcome


def registry_before_check(
    targets: list[Target], raws: list[bytes | Finding], limits: Limits
) -> list[Checked]:
    """The registry files, read ahead of the manifests (for rules that look entries up, and
    for the defaults initiatives inherit): only the files that mention ``Organisation`` are
    parsed (they are checked again with the rest, which reports their problems)."""
    checked: list[Checked] = []
    for target, raw in zip(targets, raws, strict=True):
        if isinstance(raw, bytes) and b"Organisation" in raw:
            checked.extend(_organisation_documents(raw, target.display, limits))
    return checked


@lru_cache(maxsize=64)
def _organisation_documents(raw: bytes, display: str, limits: Limits) -> tuple[Checked, ...]:
    """The checked registry documents of one file's bytes; a long-running caller (the
    language server) asks again on every edit, for files that mostly have not changed."""
    return tuple(
        check_document(doc)
        for doc in load_bytes(raw, display, limits).documents
        if isinstance(doc.data, dict) and doc.data.get("kind") == "Organisation"
    )


def with_registry(setup: Setup, registry: Registry) -> Setup:
    """The setup with every rule's registry lookups answered from ``registry``."""
    from govlint.engine.lookup import bind

    return replace(setup, rules=[bind(rule, registry) for rule in setup.rules])


@dataclass
class _Read:
    """The files read: each one's result, from the cache or still to be checked."""

    results: list[FileResult | Finding | None] = field(default_factory=list)
    misses: list[tuple[int, Target, bytes]] = field(default_factory=list)  # to check
    names: dict[int, tuple[str, str]] = field(default_factory=dict)  # cache name, digest
    digests: list[tuple[str, str]] = field(default_factory=list)


def _raw(targets: list[Target], limits: Limits) -> list[bytes | Finding]:
    """The bytes of every file, read once (or why it was not read)."""
    from govlint.load import read_bytes

    return [
        target.refusal  # e.g. a link out of the scanned folders: never read
        if target.refusal is not None
        else read_bytes(target.path, target.display, limits)
        for target in targets
    ]


def _read(targets: list[Target], raws: list[bytes | Finding], cache: Cache | None) -> _Read:
    """Every file's bytes; a file the cache knows is not checked again."""
    read = _Read()
    for target, raw in zip(targets, raws, strict=True):
        if isinstance(raw, Finding):
            read.results.append(raw)
            continue
        result = None
        if cache is not None:
            from govlint.cache import content_hash

            name, digest = f"{target.display}\x1f{target.explicit}", content_hash(raw)
            read.digests.append((name, digest))
            read.names[len(read.results)] = (name, digest)
            result = cache.get(name, digest)
            gc.freeze()  # a decoded entry stays for the run: no collector passes over it
        if result is None:
            read.misses.append((len(read.results), target, raw))
        read.results.append(result)
    return read


def _inherited(setup: Setup, registry: list[Checked]) -> Setup:
    """The setup with what the registry read ahead gives the rules: the answers to their
    lookups, and the defaults initiatives inherit."""
    if any(rule.lookups for rule in setup.rules):
        setup = with_registry(setup, merge_registry(registry)[0])
    defaults, _ = registry_defaults(registry)  # conflicts are reported with the registry
    return replace(setup, defaults=defaults) if defaults else setup


def _portfolio_findings(
    outcome: Outcome,
    setup: Setup,
    cache: Cache | None,
    digests: list[tuple[str, str]],
    focus: frozenset[str] | None = None,
) -> list[Finding]:
    portfolio_rules = [r for r in setup.rules if r.spec.scope == "portfolio"]
    if not portfolio_rules:
        return []
    digest = ""
    if cache is not None and len(digests) == len(outcome.files):
        from govlint.cache import portfolio_digest

        digest = portfolio_digest(cache.key, [*digests, ("\x00focus", str(sorted(focus or ())))])
        cached = cache.get_portfolio(digest)
        if cached is not None:
            return cached
    from govlint.engine.evaluate import evaluate_portfolio
    from govlint.portfolio.index import Portfolio

    initiatives = [c.document for c in outcome.documents if c.kind == "Initiative"]
    has_registry = any(c.kind == "Organisation" for c in outcome.documents)
    from govlint.cache import MemoryCache

    remembered = cache.remembered if isinstance(cache, MemoryCache) else None
    portfolio = Portfolio.build(
        initiatives, outcome.merged_registry(), has_registry, focus or frozenset(), remembered
    )
    findings = [f for rule in portfolio_rules for f in evaluate_portfolio(rule, portfolio)]
    if cache is not None and digest:
        cache.put_portfolio(digest, findings)
    return findings


def _waive(outcome: Outcome, setup: Setup, central: frozenset[str]) -> list[Finding]:
    from govlint import waivers

    found, files_of = waivers.collect(outcome.documents, central)
    if not found:
        return outcome.findings
    settings = setup.config.settings.waiver_policy
    policy = waivers.WaiverPolicy(
        setup.today, settings.allow_in_manifests, settings.expiry_warning_days
    )
    locked = {r.id: r.locked_by for r in setup.rules if r.locked}
    return waivers.apply(
        outcome.findings,
        found,
        files_of,
        locked,
        setup.ruleset.rules,
        policy,
        setup.ruleset.suggest,
    )


#: portfolio checks whose findings in a manifest depend on what the registry holds
REGISTRY_CHECKS = frozenset({"references", "contribution", "definitions", "orphans"})


def dependents(outcome: Outcome, setup: Setup, focus: frozenset[str]) -> frozenset[str]:
    """The files a change to the focus files can break besides themselves.

    A registry file (kind Organisation) in the focus pulls in every manifest with a
    finding of a rule that reads the registry (CON-101 references, CON-102 islands,
    DAT-101 definitions, ...): deleting a capability breaks the manifests that use it,
    and a pre-commit hook that sees only the registry file must still report them.
    """
    if not any(c.kind == "Organisation" and c.document.file in focus for c in outcome.documents):
        return frozenset()
    reads_registry = {
        r.id
        for r in setup.rules
        if (r.spec.scope == "portfolio" and r.spec.check in REGISTRY_CHECKS)
        or r.lookups
        or (setup.defaults and _reads_defaults(r, setup.defaults))
    }
    return frozenset(f.file for f in outcome.findings if f.rule_id in reads_registry)


def _reads_defaults(rule: Rule, defaults: Defaults) -> bool:
    """Whether a rule reads a value initiatives inherit from the registry's defaults."""
    sections = {(section,) for section in defaults}
    return bool(rule.needs) or any(read.path[:1] in sections for read in rule.reads)


def involves(finding: Finding, files: frozenset[str]) -> bool:
    """Whether a finding is about one of ``files``, directly or through a related location."""
    return finding.file in files or any(r.file in files for r in finding.related)


__all__ = [
    "NOT_GOVLINT",
    "POLICY_ERROR",
    "Outcome",
    "Setup",
    "prepare",
    "rule_folders",
    "run_check",
]
