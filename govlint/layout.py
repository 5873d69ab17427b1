"""Where the configuration is, and what of it decides which files a run reads.

Light on purpose (no models, no pydantic): a run answered from the cache needs no more of
the configuration than this, kept in the cache beside the answer.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from govlint.findings import Finding
from govlint.load import Limits, read_bytes

if TYPE_CHECKING:
    from govlint.load import Document

CONFIG_NAMES = (".govlint.yaml", ".govlint.yml")


class LayoutSettings(Protocol):
    """The settings that decide which files a run reads and how it ends."""

    @property
    def manifests(self) -> list[str]: ...
    @property
    def registry(self) -> list[str]: ...
    @property
    def waivers(self) -> list[str]: ...
    @property
    def exclude(self) -> list[str]: ...
    @property
    def rule_paths(self) -> list[str]: ...
    @property
    def policies(self) -> list[str]: ...
    @property
    def baseline(self) -> str | None: ...
    @property
    def fail_on(self) -> str: ...


class Layout(Protocol):
    """A configuration as discovery and the cache's key see it: ``Config`` is one."""

    @property
    def root(self) -> Path: ...
    @property
    def source(self) -> Path | None: ...
    @property
    def document(self) -> Document | None: ...
    @property
    def settings(self) -> LayoutSettings: ...
    @property
    def limits(self) -> Limits: ...


@dataclass(frozen=True)
class KeptSettings:
    manifests: list[str]
    registry: list[str]
    waivers: list[str]
    exclude: list[str]
    rule_paths: list[str]
    policies: list[str]
    baseline: str | None
    fail_on: str


@dataclass(frozen=True)
class KeptLayout:
    """A configuration's layout as the cache kept it, for the file it was read from."""

    root: Path
    source: Path | None
    settings: KeptSettings
    limits: Limits
    document: Document | None = None


def keep(layout: Layout) -> dict[str, Any]:
    """The layout as JSON, to be kept in the cache beside a run's answer."""
    s = layout.settings
    return {
        "root": str(layout.root),
        "source": None if layout.source is None else str(layout.source),
        "settings": {
            "manifests": list(s.manifests),
            "registry": list(s.registry),
            "waivers": list(s.waivers),
            "exclude": list(s.exclude),
            "rule_paths": list(s.rule_paths),
            "policies": list(s.policies),
            "baseline": s.baseline,
            "fail_on": str(s.fail_on),
        },
        "limits": [layout.limits.max_file_bytes, layout.limits.max_depth, layout.limits.max_nodes],
    }


def restore(raw: dict[str, Any]) -> KeptLayout:
    """The layout ``keep`` wrote; raises ``KeyError``, ``TypeError`` or ``ValueError``
    on anything else (the caller then reads the configuration itself)."""
    s = raw["settings"]
    strings = ("manifests", "registry", "waivers", "exclude", "rule_paths", "policies")
    lists = {name: [str(v) for v in s[name]] for name in strings}
    baseline = s["baseline"]
    source = raw["source"]
    max_file_bytes, max_depth, max_nodes = (int(v) for v in raw["limits"])
    return KeptLayout(
        root=Path(str(raw["root"])),
        source=None if source is None else Path(str(source)),
        settings=KeptSettings(
            **lists,
            baseline=None if baseline is None else str(baseline),
            fail_on=str(s["fail_on"]),
        ),
        limits=Limits(max_file_bytes, max_depth, max_nodes),
    )


def find_config(start: Path) -> Path | None:
    """The nearest ``.govlint.yaml`` or ``pyproject.toml`` with ``[tool.govlint]``, upwards."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_govlint(pyproject):
            return pyproject
    return None


def _has_tool_govlint(path: Path) -> bool:
    raw = read_bytes(path, str(path), Limits())
    if isinstance(raw, Finding):
        return False
    text = raw.decode("utf-8", errors="replace")
    if "govlint" not in text:  # cheap test first: most pyproject files do not mention it
        return False
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        tool = tomllib.loads(text).get("tool")
    except (ValueError, RecursionError):  # TOMLDecodeError, or too deep or long to convert
        return "[tool.govlint" in text  # broken, but meant for us: report it when loading
    return isinstance(tool, dict) and "govlint" in tool
