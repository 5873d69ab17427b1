"""Finding, Location and Severity: the one immutable type for everything govlint reports."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(str, enum.Enum):
    """How serious a finding is; ordered so that ``error > warning > info``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a file; lines and columns are 1-based, the end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        return cls(line, column, line, column)


START_OF_FILE = Span(1, 1, 1, 1)


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file, with the path of the value inside the document."""

    file: str
    span: Span = START_OF_FILE
    path: str = ""

    def sort_key(self) -> tuple[str, int, int]:
        return (self.file, self.span.line, self.span.column)


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding does not count: an approved waiver, or the adoption baseline."""

    kind: str  # "waiver" or "baseline"
    justification: str
    approved_by: str | None = None
    expires: str | None = None
    ticket: str | None = None
    location: Location | None = None  # where the waiver is written


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: a YAML error, a schema error, a rule violation, an expired waiver.

    ``input_error`` marks findings about files govlint could not read as a govlint
    document at all (syntax, encoding, unknown kind): they make the exit code 2.
    """

    rule_id: str
    severity: Severity
    message: str
    location: Location
    related: tuple[Location, ...] = ()
    input_error: bool = False
    help_uri: str | None = None
    suppression: Suppression | None = None

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    @property
    def file(self) -> str:
        return self.location.file

    @property
    def line(self) -> int:
        return self.location.span.line

    @property
    def column(self) -> int:
        return self.location.span.column

    @property
    def path(self) -> str:
        return self.location.path

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (*self.location.sort_key(), self.rule_id, self.message)


def format_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """Render a path inside a document the way users write it: ``data.sources[1].lawful_basis``."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            out.append(f".{part}" if out else str(part))
    return "".join(out)


def exit_code(findings: list[Finding] | tuple[Finding, ...], fail_on: Severity) -> int:
    """0 clean, 1 findings at or above ``fail_on``, 2 input that could not be read.

    Waived findings and findings in the baseline do not count.
    """
    active = [f for f in findings if f.suppression is None]
    if any(f.input_error for f in active):
        return 2
    return 1 if any(f.severity >= fail_on for f in active) else 0


#: the diagnostic for YAML files in a scanned folder that are not govlint documents
NOT_GOVLINT = "GL008"
