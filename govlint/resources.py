"""Where the built-in rules, policies and templates are, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """``rules`` or ``policies``: under ``govlint/_data`` in a wheel, at the top of a checkout."""
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def template(name: str) -> Path:
    return _PACKAGE / "templates" / name


def package_file(relative: str) -> Path:
    return _PACKAGE / relative
