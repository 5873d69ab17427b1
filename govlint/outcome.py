"""What a check found: the findings, the files and the coverage, as one value.

Kept apart from the checker so that a run answered from the cache can hold its outcome
without importing the rule engine, the models or pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from govlint.coverage import Coverage
from govlint.findings import Finding, Severity, exit_code

if TYPE_CHECKING:
    from govlint.registry import Registry
    from govlint.validate import Checked


@dataclass
class Outcome:
    """What a check found."""

    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    documents: list[Checked] = field(default_factory=list)
    #: the registry files merged; None when no file was read (an answer from the cache)
    registry: Registry | None = None
    #: which per-manifest rules could be assessed on which initiatives
    coverage: Coverage = field(default_factory=Coverage)

    @property
    def input_errors(self) -> bool:
        return any(f.input_error for f in self.findings)

    @property
    def active(self) -> list[Finding]:
        """The findings that count: not waived, not in the baseline."""
        return [f for f in self.findings if not f.suppressed]

    def exit_code(self, fail_on: Severity) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 2 a file could not be read."""
        return exit_code(self.findings, fail_on)

    def merged_registry(self) -> Registry:
        """The registry of the run; empty when none was read."""
        if self.registry is not None:
            return self.registry
        from govlint.registry import Registry

        return Registry()
