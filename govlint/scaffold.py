"""``govlint init``: a starter configuration, registry and manifest; never overwrites a file."""

from __future__ import annotations

from pathlib import Path

from govlint.resources import template
from govlint.write import WriteError, write_atomic

STARTER = {
    ".govlint.yaml": "govlint.yaml",
    "registry/organisation.yaml": "organisation.yaml",
    "initiatives/example-initiative.yaml": "initiative.yaml",
}


def write_starter(directory: Path) -> tuple[list[Path], list[Path], list[str]]:
    """Write the starter files that do not exist yet: (written, kept, errors)."""
    written: list[Path] = []
    kept: list[Path] = []
    errors: list[str] = []
    for relative, name in STARTER.items():
        target = directory / relative
        if target.exists() or target.is_symlink():
            kept.append(target)
            continue
        try:
            write_atomic(target, template(name).read_text(encoding="utf-8"), overwrite=False)
        except WriteError as exc:
            errors.append(str(exc))
            continue
        written.append(target)
    return written, kept, errors
