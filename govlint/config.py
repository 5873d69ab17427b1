"""Find and read the configuration: ``.govlint.yaml`` or ``[tool.govlint]`` (pyproject)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from govlint.findings import Finding, Location, Span
from govlint.layout import CONFIG_NAMES as CONFIG_NAMES
from govlint.layout import find_config as find_config
from govlint.load import Document, Limits, PathKey, load_file, read_bytes
from govlint.model.base import Date, Section
from govlint.model.extension import ExtensionSpec
from govlint.model.rule import DateKey, DateOrRow


class RuleSetting(Section):
    severity: Literal["error", "warning", "info"] | None = Field(
        default=None, description="Override the rule's severity."
    )
    enabled: bool = Field(default=True, description="Set to false to switch the rule off.")
    applies_from: Date | None = Field(
        default=None, description="Move the date the rule's duty applies from (YYYY-MM-DD)."
    )


class LimitSettings(Section):
    max_file_bytes: int = Field(default=Limits().max_file_bytes, gt=0)
    max_depth: int = Field(default=Limits().max_depth, gt=0)
    max_nodes: int = Field(default=Limits().max_nodes, gt=0)


class WaiverSettings(Section):
    allow_in_manifests: bool = Field(
        default=True, description="Set to false to accept waivers only from the central files."
    )
    expiry_warning_days: int = Field(
        default=30, ge=0, description="Warn about waivers that expire within this many days."
    )


class Settings(Section):
    """The contents of ``.govlint.yaml`` (or ``[tool.govlint]``)."""

    manifests: list[str] = Field(
        default_factory=list, description="Globs of initiative manifests, relative to the config."
    )
    registry: list[str] = Field(
        default_factory=list, description="Globs of organisation registry files."
    )
    waivers: list[str] = Field(
        default_factory=list, description="Globs of central waiver files (kind: Waivers)."
    )
    waiver_policy: WaiverSettings = Field(default_factory=WaiverSettings)
    baseline: str | None = Field(
        default=None, description="Baseline file of accepted findings (see govlint baseline)."
    )
    exclude: list[str] = Field(default_factory=list, description="Globs of files to skip.")
    policies: list[str] = Field(
        default_factory=lambda: ["baseline"],
        description="Policy packs to apply: built-in names or paths to pack files.",
    )
    rule_paths: list[str] = Field(
        default_factory=list, description="Folders with the organisation's own rules."
    )
    fail_on: Literal["error", "warning", "info"] = "error"
    upcoming_duties: Literal["info", "hide"] = Field(
        default="info",
        description="Failures of a rule before the date it applies from: 'info' (with "
        "'applies from ...') or 'hide'.",
    )
    rules: dict[str, RuleSetting] = Field(
        default_factory=dict, description="Per-rule severity overrides or `enabled: false`."
    )
    application_dates: dict[DateKey, DateOrRow] = Field(
        default_factory=dict,
        description="Move the date of a row of the packs' `application_dates` (key: "
        "YYYY-MM-DD), or add a row for your own rules ({from, source, verified}).",
    )
    limits: LimitSettings = Field(default_factory=LimitSettings)
    extensions: dict[str, ExtensionSpec] = Field(
        default_factory=dict,
        description="The organisation's own manifest fields: `path.x-name: {type: ...}`. Once "
        "declared, manifests are checked against them, an undeclared `x-` key is reported, and "
        "rules may name declared `x-` paths only.",
    )


@dataclass(frozen=True)
class Config:
    """Settings plus where they came from; relative paths are relative to ``root``."""

    root: Path
    source: Path | None
    settings: Settings = field(default_factory=Settings)
    #: the parsed ``.govlint.yaml``, to point errors in it at their line
    document: Document | None = None

    @property
    def origin(self) -> Document | str:
        """Where configuration errors point: the YAML document, or the file name."""
        if self.document is not None:
            return self.document
        return str(self.source) if self.source is not None else "(default configuration)"

    @property
    def limits(self) -> Limits:
        s = self.settings.limits
        return Limits(s.max_file_bytes, s.max_depth, s.max_nodes)


class ConfigError(Exception):
    """The configuration cannot be used; the message names file, line and column."""


def load_config(path: Path | None, cwd: Path) -> Config:
    """Read and validate a configuration file; no file means the defaults, rooted at ``cwd``."""
    if path is None:
        return Config(cwd, None)
    if path.name == "pyproject.toml":
        return _from_pyproject(path, _display(path, cwd))
    result = load_file(path, _display(path, cwd))
    if result.findings:
        raise ConfigError(_format(result.findings[0]))
    docs = [d for d in result.documents if d.data is not None]
    if not docs:
        return Config(path.parent.resolve(), path)
    if len(docs) > 1:
        raise ConfigError(
            _format_at(docs[1], (), "the configuration must be a single YAML document")
        )
    doc = docs[0]
    if not isinstance(doc.data, dict):
        raise ConfigError(_format_at(doc, (), "the configuration must be a mapping of settings"))
    settings = _validate(doc.data, doc)
    return Config(path.parent.resolve(), path, settings, doc)


def _validate(data: dict[str, Any], doc: Document) -> Settings:
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        from govlint.validate import schema_finding  # the models: only to explain an error

        raise ConfigError(_format(schema_finding(doc, Settings, exc.errors()[0]))) from None


def _from_pyproject(path: Path, display: str) -> Config:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    raw = read_bytes(path, display, Limits())
    if isinstance(raw, Finding):
        raise ConfigError(f"{display}: cannot read the configuration: {raw.message}")
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{display}: cannot read the configuration: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error(display, str(exc))) from None
    except RecursionError:
        raise ConfigError(f"{display}: the TOML is nested too deeply to read; flatten it") from None
    except ValueError as exc:  # a number too long to convert
        raise ConfigError(f"{display}: cannot read the TOML: {str(exc).split(';')[0]}") from None
    tool = data.get("tool")
    if not isinstance(tool, dict) or "govlint" not in tool:
        raise ConfigError(f"{display}: no [tool.govlint] table; add one, or use .govlint.yaml")
    section = tool["govlint"]
    doc = toml_document(text, display, section)
    if not isinstance(section, dict):
        raise ConfigError(_format_at(doc, (), "[tool.govlint] must be a table"))
    return Config(path.parent.resolve(), path, _validate(section, doc), doc)


def _toml_error(display: str, message: str) -> str:
    """tomllib's "... (at line 3, column 9)" as ``file:3:9: invalid TOML: ...``."""
    import re

    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found is None:
        return f"{display}: invalid TOML: {message}"
    return f"{display}:{found[1]}:{found[2]}: invalid TOML: {message[: found.start()]}"


_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"""^(\s*)((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=\s*"""
)


def _toml_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", text)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def toml_document(text: str, display: str, section: Any) -> Document:
    """``[tool.govlint]`` as a Document, with the line and column of each key found by a
    small scan of the TOML text (the standard library's parser keeps no positions).

    Tables (``[tool.govlint.limits]``) and ``key = value`` lines, dotted keys included,
    are found; keys inside inline tables and arrays point at the enclosing key.
    """
    spans: dict[PathKey, Span] = {}
    key_spans: dict[PathKey, Span] = {}
    table: tuple[str, ...] | None = None
    header_name: tuple[str, ...] = ()
    start = Span.point(1, 1)
    depth = 0  # brackets left open by a multi-line array or inline table
    for number, line in enumerate(text.splitlines(), start=1):
        if depth > 0:
            depth += _open_brackets(line)
            continue
        header = _TABLE.match(line)
        if header:
            name = header_name = _toml_key(header[1])
            table = name[2:] if name[:2] == ("tool", "govlint") else None
            if table is not None:
                column = line.index("[") + 1
                span = Span(number, column, number, len(line.rstrip()) + 1)
                if table:
                    key_spans[tuple(table)] = span
                    spans.setdefault(tuple(table), span)
                elif start == Span.point(1, 1):
                    start = span
            continue
        found = _KEY.match(line)
        if found is None:
            continue
        if table is None:  # tool.govlint = ... written as a key: where a wrong type is
            if (*header_name, *_toml_key(found[2])) == ("tool", "govlint"):
                start = Span.point(number, len(found[1]) + 1)
            depth = max(0, _open_brackets(line[found.end() :]))
            continue
        key: PathKey = (*table, *_toml_key(found[2]))
        key_start = len(found[1]) + 1
        key_spans[key] = Span(number, key_start, number, key_start + len(found[2]))
        value_start = found.end() + 1
        value = line[found.end() :].split(" #", 1)[0].rstrip()
        spans[key] = Span(number, value_start, number, value_start + max(1, len(value)))
        depth = max(0, _open_brackets(value))
    return Document(display, 0, section, spans, key_spans, start)


def _open_brackets(text: str) -> int:
    return text.count("[") + text.count("{") - text.count("]") - text.count("}")


def _display(path: Path, cwd: Path) -> str:
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def _format(finding: Finding) -> str:
    loc = finding.location
    return f"{loc.file}:{loc.span.line}:{loc.span.column}: {finding.message}"


def _format_at(doc: Document, path: tuple[str | int, ...], message: str) -> str:
    loc: Location = doc.locate(path)
    span: Span = loc.span
    return f"{loc.file}:{span.line}:{span.column}: {message}"
