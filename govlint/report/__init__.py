"""Reporters: one module per output format, each with ``render(report) -> str``."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from govlint.coverage import Coverage
from govlint.findings import Finding, Severity

if TYPE_CHECKING:
    from govlint.described import Described

#: format name -> module under govlint.report
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "gitlab": "gitlab",
    "markdown": "markdown",
}


@dataclass(frozen=True)
class Report:
    """Everything a reporter may show: findings (suppressed ones too), files and rules."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    #: the run's rules as described by the run that checked (or by its record in the cache)
    rules: Mapping[str, Described]
    fail_on: Severity
    version: str
    today: dt.date
    colour: bool = False
    quiet: bool = False
    #: which per-manifest rules could be assessed on which manifests
    coverage: Coverage = field(default_factory=Coverage)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if not f.suppressed]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed]


class Renderer(Protocol):
    def __call__(self, report: Report) -> str: ...


def renderer(name: str) -> Renderer:
    module = importlib.import_module(f"govlint.report.{FORMATS[name]}")
    render: Renderer = module.render
    return render
