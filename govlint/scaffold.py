"""``govlint init``: a starter configuration, registry and manifest; never overwrites a file."""

from __future__ import annotations

from pathlib import Path

from govlint.resources import template
from govlint.write import WriteError, write_atomic

SCHEMA_FILE = "initiative.schema.json"
STARTER = {
    ".govlint.yaml": "govlint.yaml",
    "registry/organisation.yaml": "organisation.yaml",
    "initiatives/example-initiative.yaml": "initiative.yaml",
    SCHEMA_FILE: SCHEMA_FILE,
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
        if not _inside(target.parent, directory):
            errors.append(
                f"{target}: not written: {target.parent} is a symbolic link out of "
                f"{directory}; init writes only inside the folder it is given"
            )
            continue
        try:
            write_atomic(target, _content(name), overwrite=False)
        except WriteError as exc:
            errors.append(str(exc))
            continue
        written.append(target)
    return written, kept, errors


def _inside(folder: Path, directory: Path) -> bool:
    """Whether ``folder`` (created if missing) is really inside ``directory``."""
    import os

    real, root = os.path.realpath(folder), os.path.realpath(directory)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _content(name: str) -> str:
    if name == SCHEMA_FILE:
        import json

        from govlint.schema import json_schema

        return json.dumps(json_schema("initiative"), indent=2) + "\n"
    return template(name).read_text(encoding="utf-8")
