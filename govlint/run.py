"""One run of govlint on a portfolio: settings in, findings and exit code out.

`govlint check`, `govlint baseline` and `govlint report` all call ``run``; the command line
only turns options into ``RunSettings`` and prints. Nothing here prints or exits: a run that
cannot start raises ``RunError`` (or ``RulesBroken`` with the findings that say why, or
``NothingToCheck``), and the command says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from govlint.described import Described, describe
from govlint.discover import MissingPath, Target, plan
from govlint.findings import NOT_GOVLINT, Finding, Severity
from govlint.layout import find_config
from govlint.outcome import Outcome
from govlint.wording import plural

if TYPE_CHECKING:
    from govlint.cache import Answer, Shelf
    from govlint.checker import Setup
    from govlint.config import Config
    from govlint.layout import Layout
    from govlint.selection import CommandLineSelection
    from govlint.session import Session


class RunError(Exception):
    """The run cannot start: a missing file, a broken configuration; the message says which."""


class RulesBroken(RunError):
    """A rule, policy pack or rule override is broken: no manifest is read until it is fixed."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(
            f"{plural(len(findings), 'problem')} in rules, policies or configuration; "
            "fix them first"
        )
        self.findings = findings


class NothingToCheck(RunError):
    """In pre-commit mode, none of the changed files is a manifest: nothing to do."""


@dataclass(frozen=True)
class RunSettings:
    """What to check and how: the command line's options, as values."""

    cwd: Path  # the working folder: where the configuration is looked for, and what
    # file names are shown relative to
    paths: tuple[Path, ...] = ()  # as given on the command line
    config_path: Path | None = None  # default: the nearest .govlint.yaml or pyproject.toml
    today: dt.date | None = None  # default: the system's date
    fail_on: Severity | None = None  # default: from the configuration
    pre_commit: bool = False
    use_cache: bool = False
    cache_dir: Path | None = None  # default: .govlint_cache next to the configuration
    jobs: int | None = 1  # None: one process per core for large inputs
    baseline: bool = False  # hide the findings of the baseline file
    baseline_path: Path | None = None  # default: 'baseline' of the configuration
    selection: CommandLineSelection | None = None  # --select / --extend-select / --ignore
    #: a manifest read from standard input, kept in a file: (that file, the name shown)
    stdin: tuple[Path, str] | None = None
    #: kept between runs by a long-running caller (the language server): the rules and the
    #: checked files in memory, used instead of preparing them and of the cache on disk
    session: Session | None = None
    #: the process ends after this run (the command line): what the run keeps stays out
    #: of the collector's passes to the end; handing it back costs one full collection
    #: over everything (0.3 s at 1,000 manifests), which a long-lived caller needs and a
    #: command about to exit does not
    exits_after: bool = False


@dataclass(frozen=True)
class Run:
    """What a run found, and what it needed to know to say so."""

    config: Layout  # as the cache kept it when the whole run was answered from the cache
    today: dt.date
    setup: Setup | None  # None when the whole run was answered from the cache
    #: the rules as its report shows them: described by the rules themselves, or kept in
    #: the cache's record of the run that answers
    described: Mapping[str, Described]
    outcome: Outcome
    fail_on: Severity
    targets: tuple[Target, ...] = ()
    #: what the command should tell the user on stderr besides the findings (locked rules
    #: kept, a refused cache folder), each a line after "govlint: "
    notes: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 2 a file could not be read."""
        return self.outcome.exit_code(self.fail_on)


def run(settings: RunSettings) -> Run:
    """Check the portfolio as ``settings`` say; raises ``RunError`` when it cannot start."""
    try:
        return _run(settings)
    finally:
        if not settings.exits_after:
            gc.unfreeze()  # see run_check: the caller lives on


def _run(settings: RunSettings) -> Run:
    answered = _answered_from_cache(settings)
    if isinstance(answered, Run):
        return answered
    config = configuration(settings.config_path, settings.cwd)
    selection = settings.selection
    if selection is not None and selection.empty:
        selection = None
    recorded: Answer | None = None
    notes: tuple[str, ...] = ()
    if answered is not None:  # found with the configuration as kept: the same files and key
        found = answered
    else:
        today = settings.today or dt.date.today()
        if settings.stdin is not None:
            targets, focus = stdin_targets(*settings.stdin, config, settings.cwd)
        else:
            targets, focus = targets_of(settings, config)
        from govlint.cache import Shelf

        packs = Shelf()
        cache_dir, key, notes = _cache_slot(settings, config, today, targets, focus, packs)
        found = _Found(today, targets, focus, cache_dir, key, packs)
        recorded = _from_cache(cache_dir, key) if selection is None else None
    # a run answered from the cache parses no rule and compares no purpose: the memo is
    # neither read nor written again (with nothing used, it would be written empty)
    works = recorded is None
    with _remembering(found.cache_dir if settings.session is None and works else None):
        return _check(settings, config, selection, found, notes, recorded)


def _check(
    settings: RunSettings,
    config: Config,
    selection: CommandLineSelection | None,
    found: _Found,
    notes: tuple[str, ...],
    recorded: Answer | None,
) -> Run:
    today, targets, cache_dir, key = found.today, found.targets, found.cache_dir, found.key
    setup = None
    outcome = None if recorded is None else _outcome(recorded)
    described: Mapping[str, Described] = {} if recorded is None else recorded.rules
    if outcome is None:
        session = settings.session
        setup = (
            rules(config, today, settings.cwd)
            if session is None
            else session.rules(config, today, settings.cwd)
        )
        reported_ids, kept = _narrow(setup, selection)
        notes += kept
        memory = session.memory if session is not None else None
        from govlint.checker import run_check

        limits, jobs = config.limits, settings.jobs
        outcome = run_check(targets, setup, limits, found.focus, cache_dir, jobs, memory)
        described = describe(setup.rules)
        if reported_ids is not None:
            from govlint.selection import reported, reported_coverage

            outcome.findings = reported(outcome.findings, reported_ids, setup.ruleset.rules)
            outcome.coverage = reported_coverage(outcome.coverage, reported_ids)
        elif cache_dir is not None and key is not None:
            from govlint import cache

            layout = cache.layout_record(config)
            files, findings, coverage = outcome.files, outcome.findings, outcome.coverage
            packs = found.packs
            cache.write_run(cache_dir, key, files, findings, coverage, described, layout, packs)
    return _finish(settings, config, today, setup, described, outcome, targets, notes)


@contextlib.contextmanager
def _remembering(cache_dir: Path | None) -> Iterator[None]:
    """With a cache folder: the memo of what is worked out from content alone (the rule and
    pack files' documents, the portfolio's words and near-identical pairs) is read before
    the run and written after it (``cache.Memo``)."""
    if cache_dir is None:
        yield
        return
    from govlint import cache
    from govlint.load import remembering
    from govlint.portfolio.text import vocabulary

    memo = cache.Memo.open(cache_dir)
    memo.restore_pairs()
    with remembering(memo), vocabulary(memo.vocabulary):
        yield
    memo.save()


def _finish(
    settings: RunSettings,
    config: Layout,
    today: dt.date,
    setup: Setup | None,
    described: Mapping[str, Described],
    outcome: Outcome,
    targets: list[Target],
    notes: tuple[str, ...],
) -> Run:
    if settings.pre_commit:
        findings = [f for f in outcome.findings if f.rule_id != NOT_GOVLINT]
        outcome = replace(outcome, findings=findings)
    if settings.baseline:
        outcome = _apply_baseline(outcome, settings, config)
    fail_on = settings.fail_on or Severity(config.settings.fail_on)
    return Run(config, today, setup, described, outcome, fail_on, tuple(targets), notes)


@dataclass(frozen=True)
class _Found:
    """The files a run checks and its place in the cache (the folder and key; None without
    the cache), with the packs' documents its key was worked out from. The light path
    hands them to the full run when the cache turned out not to answer (the
    configuration's file is unchanged)."""

    today: dt.date
    targets: list[Target]
    focus: frozenset[str] | None
    cache_dir: Path | None
    key: str | None
    packs: Shelf


def _answered_from_cache(settings: RunSettings) -> Run | _Found | None:
    """A run none of whose inputs changed since the cache's last run, answered with light
    modules only: the configuration as that run kept it (if its file is unchanged), the
    files found with it, and the key over all of them, computed as a full run does.
    When only the key differs, what was found is handed to the full run."""
    selection = settings.selection
    if (
        not settings.use_cache
        or settings.session is not None
        or settings.stdin is not None
        or (selection is not None and not selection.empty)
    ):
        return None
    from govlint import cache

    source = settings.config_path or find_config(settings.cwd)
    if source is not None and not source.is_file():
        return None  # the full run says what is wrong
    root = source.parent.resolve() if source is not None else settings.cwd
    folder = settings.cache_dir or root / cache.CACHE_DIR
    if cache.refusal(folder) is not None:
        return None
    record = cache.read_run_record(folder)
    layout = None if record is None else cache.kept_layout(record, source, root)
    if record is None or layout is None:
        return None
    today = settings.today or dt.date.today()
    try:
        targets, focus = targets_of(settings, layout)
    except RunError:
        return None
    shelf = cache.Shelf.of(record.get("packs"))
    _, key, notes = _cache_slot(settings, layout, today, targets, focus, shelf)
    if key is None:
        return None
    answer = cache.run_answer(record, key)
    if answer is None:
        return _Found(today, targets, focus, folder, key, shelf)
    return _finish(settings, layout, today, None, answer.rules, _outcome(answer), targets, notes)


def _narrow(
    setup: Setup, selection: CommandLineSelection | None
) -> tuple[frozenset[str] | None, tuple[str, ...]]:
    """Apply --select/--extend-select/--ignore to the prepared rules: the ids to report
    (None: all), and a note when locked rules stayed selected."""
    if selection is None:
        return None, ()
    from govlint.selection import SelectionError, apply_selection

    try:
        selected = apply_selection(selection, setup.rules, setup.ruleset)
    except SelectionError as exc:
        raise RunError(str(exc)) from None
    setup.rules = selected.rules
    notes: tuple[str, ...] = ()
    if selected.kept_locked:
        ids = ", ".join(r.id for r in selected.kept_locked)
        notes = (
            f"note: locked rules stay selected: {ids} (the policy packs lock them; ask the "
            "governance office for a waiver instead)",
        )
    return selected.reported, notes


def stdin_targets(
    path: Path, display: str, config: Config, cwd: Path
) -> tuple[list[Target], frozenset[str] | None]:
    """A manifest read from standard input in place of the file of the same name; with a
    configured portfolio, the rest of it too, so that cross-file rules see everything."""
    import os

    from govlint.discover import discover

    own = Target(path, display, explicit=True)
    settings = config.settings
    if not (settings.manifests or settings.registry or settings.waivers):
        return [own], None
    try:
        context = discover([], config, cwd)
    except MissingPath as exc:  # a configured glob leaves the configuration's folder
        raise RunError(str(exc)) from None
    same = os.path.abspath(display)
    others = [t for t in context if os.path.abspath(t.path) != same]
    return sorted([*others, own], key=lambda t: t.display), frozenset({display})


def configuration(config_path: Path | None, cwd: Path) -> Config:
    """The configuration file given, else the nearest one, else the defaults."""
    from govlint.config import ConfigError, load_config  # the models: pydantic

    if config_path is not None and not config_path.is_file():
        raise RunError(f"{config_path}: configuration file not found")
    try:
        return load_config(config_path or find_config(cwd), cwd)
    except ConfigError as exc:
        raise RunError(str(exc)) from None


def rules(config: Config, today: dt.date, cwd: Path) -> Setup:
    """The rules that apply; a broken rule or pack stops the run before any manifest is read."""
    from govlint.checker import prepare  # the rule engine: only when the cache cannot answer

    setup = prepare(config, today, cwd)
    if setup.errors:
        raise RulesBroken(setup.errors)
    return setup


def targets_of(settings: RunSettings, config: Layout) -> tuple[list[Target], frozenset[str] | None]:
    """The files to read and the ones to report on; no file at all is a usage error."""
    try:
        targets, focus = plan(list(settings.paths), config, settings.cwd, settings.pre_commit)
    except MissingPath as exc:
        raise RunError(str(exc)) from None
    if not targets or (focus is not None and not focus):
        if settings.pre_commit:
            raise NothingToCheck("no manifest among the changed files")
        where = " ".join(str(p) for p in settings.paths) or "the configured paths"
        raise RunError(f"no YAML files found in {where}; pass manifest files or folders")
    return targets, focus


def _cache_slot(
    settings: RunSettings,
    config: Layout,
    today: dt.date,
    targets: list[Target],
    focus: frozenset[str] | None,
    packs: Shelf,
) -> tuple[Path | None, str | None, tuple[str, ...]]:
    """The cache folder and this run's key in it (both None without the cache), and a
    note when the folder is refused (a link, not a folder, another user's). The packs'
    documents the key is worked out from are looked up in and kept on ``packs`` (the last
    run's record keeps them; a pack whose text changed is parsed again)."""
    if not settings.use_cache:
        return None, None, ()
    from govlint import cache
    from govlint.discover import display_path, rule_folders
    from govlint.load import remembering

    folder = settings.cache_dir or config.root / cache.CACHE_DIR
    problem = cache.refusal(folder)
    if problem is not None:
        shown = display_path(folder, settings.cwd)
        return None, None, (f"not using the cache {shown}: {problem}",)

    parts = [today.isoformat(), str(sorted(focus or ())), str(settings.pre_commit)]
    with remembering(packs):
        inputs = cache.setup_files(config, [f for f, _ in rule_folders(config, settings.cwd)])
    stamps = [(t.display, t.explicit, cache.target_digest(t.path)) for t in targets]
    return folder, cache.run_key(parts, inputs, stamps), ()


def _from_cache(cache_dir: Path | None, key: str | None) -> Answer | None:
    """An unchanged run (same files, rules, configuration, date) is answered from the cache
    without loading the rules at all."""
    if cache_dir is None or key is None:
        return None
    from govlint import cache

    return cache.read_run(cache_dir, key)


def _outcome(answer: Answer) -> Outcome:
    return Outcome(findings=answer.findings, files=answer.files, coverage=answer.coverage)


def _apply_baseline(outcome: Outcome, settings: RunSettings, config: Layout) -> Outcome:
    configured = config.settings.baseline
    path = settings.baseline_path or (config.root / configured if configured else None)
    if path is None:
        return outcome
    from govlint import baseline

    try:
        accepted = baseline.read(path)
    except baseline.BaselineError as exc:
        raise RunError(str(exc)) from None
    return replace(outcome, findings=baseline.apply(outcome.findings, accepted, str(path)))
