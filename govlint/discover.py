"""Which files to read: paths from the command line, or the globs of the configuration."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from govlint.config import Config

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Target:
    """A file to read; ``explicit`` when the user named it (it must then be a govlint file)."""

    path: Path
    display: str
    explicit: bool


class MissingPath(Exception):
    """A path given on the command line does not exist."""


def display_path(path: Path, cwd: Path) -> str:
    """A path as the user would write it: relative to the working folder when inside it."""
    absolute = os.path.abspath(path)  # not resolve(): one stat per link, 10x slower
    relative = os.path.relpath(absolute, os.path.abspath(cwd))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return path.as_posix()
    return Path(relative).as_posix()


def _excluded(path: Path, config: Config) -> bool:
    if not config.settings.exclude:
        return False
    try:
        rel = Path(os.path.relpath(os.path.abspath(path), config.root)).as_posix()
    except ValueError:
        rel = path.as_posix()
    return any(
        fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(path.name, pattern)
        for pattern in config.settings.exclude
    )


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        try:
            stat = os.stat(dirpath)
        except OSError:
            continue
        if (stat.st_dev, stat.st_ino) in seen:  # a symlink loop
            dirnames[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                found.append(Path(dirpath) / name)
    return found


def discover(paths: list[Path], config: Config, cwd: Path) -> list[Target]:
    """Files to check, sorted and without duplicates.

    Named files are always read; folders are searched for ``*.yaml``/``*.yml`` files,
    skipping hidden ones. Without paths, the configuration's globs are used, and
    without those the working folder is searched.
    """
    targets: dict[Path, Target] = {}

    def add(path: Path, explicit: bool) -> None:
        key = Path(os.path.abspath(path))
        if key in targets or (not explicit and _excluded(path, config)):
            return
        targets[key] = Target(path, display_path(path, cwd), explicit)

    if paths:
        for path in paths:
            if path.is_dir():
                for found in _walk(path):
                    add(found, False)
            elif path.exists() or path.is_symlink():
                add(path, True)
            else:
                raise MissingPath(f"{path}: no such file or folder; check the path")
    else:
        globs = [*config.settings.manifests, *config.settings.registry, *config.settings.waivers]
        if globs:
            for pattern in globs:
                for found in sorted(config.root.glob(pattern)):
                    if found.is_file() and found.name.endswith(YAML_SUFFIXES):
                        add(found, False)
        else:
            for found in _walk(cwd):
                add(found, False)
    return sorted(targets.values(), key=lambda t: t.display)


def plan(
    paths: list[Path], config: Config, cwd: Path, pre_commit: bool = False
) -> tuple[list[Target], frozenset[str] | None]:
    """The files to load and, when only some of them are to be reported, which ones.

    Without paths: the configured portfolio (or the working folder), all reported. With
    paths and a configured portfolio: the portfolio plus the paths, only the paths reported.
    In pre-commit mode the given files are changed files: any of them may be another kind
    of YAML file, so none of them is required to be a govlint document.
    """
    if not paths:
        return discover([], config, cwd), None
    given = discover(paths, config, cwd)
    if pre_commit:
        given = [Target(t.path, t.display, explicit=False) for t in given]
    if not (config.settings.manifests or config.settings.registry or config.settings.waivers):
        return given, None
    context = discover([], config, cwd)
    merged = {os.path.abspath(t.path): t for t in context}
    merged.update({os.path.abspath(t.path): t for t in given})
    targets = sorted(merged.values(), key=lambda t: t.display)
    return targets, frozenset(t.display for t in given)


def rule_folders(config: Config, cwd: Path) -> list[tuple[Path, str]]:
    """The built-in rules folder and the organisation's, each with how to show its files."""
    from govlint.resources import data_dir

    folders = [(data_dir("rules"), "<builtin>/rules")]
    for entry in config.settings.rule_paths:
        path = (config.root / entry).resolve()
        folders.append((path, display_path(path, cwd)))
    return folders
