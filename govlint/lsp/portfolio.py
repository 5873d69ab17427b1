"""One portfolio as the editor sees it: the Run of ``govlint check`` on the files on disk with
the open buffers in their place, and its findings by file.

The server keeps one ``OpenPortfolio`` per configuration folder. Each check is ``run.run``,
the pipeline ``check`` uses, with a ``Session`` that keeps the rules and the checked files
in memory, so an edit re-checks the edited file and the portfolio rules only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from govlint.checker import Setup
from govlint.config import find_config
from govlint.engine.policy import POLICY_ERROR
from govlint.findings import NOT_GOVLINT, Finding, Location, Severity, Span
from govlint.registry import Registry
from govlint.resources import data_dir
from govlint.run import RulesBroken, Run, RunError, RunSettings, run
from govlint.session import Session
from govlint.validate import Checked

_AT = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$", re.DOTALL)
BUILTIN = "<builtin>/"


def root_of(path: Path, folders: list[Path]) -> Path:
    """The folder a file is checked from: its configuration's folder, else the workspace
    folder that holds it, else its own folder (as ``govlint check`` run there would)."""
    config = find_config(path.parent)
    if config is not None:
        return config.parent
    holding = [f for f in folders if path.is_relative_to(f)]
    return max(holding, key=lambda f: len(f.parts)) if holding else path.parent


def file_of(root: Path, display: str) -> Path | None:
    """The file a finding's file name means, seen from ``root``; None for no file."""
    if display.startswith(BUILTIN):
        folder, _, rest = display[len(BUILTIN) :].partition("/")
        return data_dir(folder) / rest if folder in ("rules", "policies") else None
    if not display or display.startswith("<"):
        return None
    return Path(os.path.normpath(root / display))


def _run_error(exc: RunError, config: Path | None) -> list[Finding]:
    """A configuration that cannot be used, as a finding where its message points."""
    text = str(exc)
    match = _AT.match(text)
    if match is not None:
        span = Span.point(int(match["line"]), int(match["column"]))
        return [
            Finding(POLICY_ERROR, Severity.ERROR, match["message"], Location(match["file"], span))
        ]
    if config is not None:
        return [Finding(POLICY_ERROR, Severity.ERROR, text, Location(config.name))]
    return []


@dataclass
class Outcome:
    """What the editor shows after a check: the findings that count, by file."""

    findings: list[Finding]
    #: the run, when the rules could be prepared (None: they are broken, see findings)
    run: Run | None = None
    #: seconds the check took
    elapsed: float = 0.0
    #: seconds of this process's CPU time it took (the same on a busy machine)
    cpu: float = 0.0

    def by_file(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for finding in self.findings:
            out.setdefault(finding.file, []).append(finding)
        return out


@dataclass
class OpenPortfolio:
    """The state of one portfolio between checks."""

    root: Path
    session: Session = field(default_factory=Session)
    outcome: Outcome | None = None
    #: the last run whose rules could be prepared: for hover, completion and definition
    last_good: Run | None = None
    today: dt.date | None = None

    def check(self, buffers: Mapping[str, bytes]) -> Outcome:
        """``govlint check`` on this portfolio, the open buffers read in place of their files.

        Never raises for bad input: broken rules and a broken configuration come back as
        the findings that say why. Waived findings are left out, and so are GL008 notes
        (a YAML file that is not a govlint document): an editor sends every YAML file it
        opens, as a pre-commit hook does.
        """
        import time

        from govlint.load import overlay

        started, cpu = time.perf_counter(), time.process_time()
        settings = RunSettings(cwd=self.root, today=self.today, baseline=True, session=self.session)
        with overlay(buffers):
            try:
                result = run(settings)
            except RulesBroken as exc:
                outcome = Outcome(list(exc.findings))
            except RunError as exc:
                outcome = Outcome(_run_error(exc, find_config(self.root)))
            else:
                shown = [
                    f
                    for f in result.outcome.findings
                    if not f.suppressed and f.rule_id != NOT_GOVLINT
                ]
                outcome = Outcome(shown, result)
                self.last_good = result
        outcome.elapsed = time.perf_counter() - started
        outcome.cpu = time.process_time() - cpu
        self.outcome = outcome
        return outcome

    @property
    def setup(self) -> Setup | None:
        return self.last_good.setup if self.last_good is not None else None

    @property
    def registry(self) -> Registry:
        if self.last_good is None:
            return Registry()
        return self.last_good.outcome.merged_registry()

    @property
    def documents(self) -> list[Checked]:
        return self.last_good.outcome.documents if self.last_good is not None else []

    def display(self, path: Path) -> str:
        from govlint.discover import display_path

        return display_path(path, self.root)

    def findings_in(self, path: Path) -> list[Finding]:
        if self.outcome is None:
            return []
        shown = self.display(path)
        return [f for f in self.outcome.findings if f.file == shown]
