"""Which files to read: paths from the command line, or the globs of the configuration.

A scan never leaves the folders it was given: a symbolic link (to a file or a folder) that
points outside the scanned folder and outside the configuration's folder is not followed,
and is reported instead of read, so a manifest in a pull request cannot make govlint read
(and quote) files elsewhere on the machine. Globs in the configuration must stay inside
its folder. Files named explicitly on the command line are read wherever they are.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from govlint.findings import NOT_GOVLINT, Finding, Location, Severity
from govlint.load import UNREADABLE

if TYPE_CHECKING:
    from govlint.layout import Layout

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Target:
    """A file to read; ``explicit`` when the user named it (it must then be a govlint file).

    ``refusal``: the file is not to be read at all (a link out of the scanned folders);
    this finding is reported in its place.
    """

    path: Path
    display: str
    explicit: bool
    refusal: Finding | None = None


class MissingPath(Exception):
    """A path given on the command line does not exist."""


class OutsideRoot(MissingPath):
    """A glob of the configuration reaches outside the configuration's folder."""


def display_path(path: Path, cwd: Path) -> str:
    """A path as the user would write it: relative to the working folder when inside it.

    Bytes of a file name that are not UTF-8 are shown as ``\\xNN`` escapes, so the name
    can be printed and written into every report format.
    """
    # not resolve(): one stat per link, 10x slower
    return _shown(path, os.path.abspath(path), os.path.abspath(cwd))


def _shown(path: Path, absolute: str, base: str) -> str:
    """``display_path`` of ``path``, given its absolute form and the working folder's."""
    if absolute.startswith(base + os.sep):  # the common case, without relpath's work
        relative = absolute[len(base) + len(os.sep) :]
    else:
        relative = os.path.relpath(absolute, base)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        shown = path.as_posix()
    else:
        shown = relative.replace(os.sep, "/")
    if not shown.isascii():
        shown = shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return shown


def _excluded(path: Path, config: Layout) -> bool:
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


def _inside(real: str, roots: tuple[str, ...]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


@dataclass(frozen=True, slots=True)
class _Found:
    """A YAML file found by a scan, or a link the scan did not follow."""

    path: Path
    escapes: bool = False
    folder: bool = False
    #: a folder that could not be listed, and why
    unreadable: str | None = None


def _walk(folder: Path, roots: tuple[str, ...]) -> list[_Found]:
    """YAML files under ``folder`` (hidden files and folders skipped), and the links that
    point outside ``roots`` (real paths) and so are not followed.

    Every folder is read once, however many links lead to it, and real folders before
    linked ones, so a file is found under its own name rather than a link's.
    """
    found: list[_Found] = []
    seen: set[tuple[int, int]] = set()
    pending = [str(folder)]
    linked: list[str] = []
    while pending or linked:
        current = pending.pop() if pending else linked.pop()
        try:
            info = os.stat(current)
            if (info.st_dev, info.st_ino) in seen:  # reached twice through links
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except FileNotFoundError:
            continue  # vanished meanwhile: nothing to check in it
        except OSError as exc:
            # a folder left out silently would pass unchecked: report it (exit code 2)
            found.append(_Found(Path(current), folder=True, unreadable=exc.strerror or str(exc)))
            continue
        folders: list[str] = []
        links: list[str] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
                is_link = entry.is_symlink()
                if is_link and not _inside(os.path.realpath(entry.path), roots):
                    if is_dir or entry.name.endswith(YAML_SUFFIXES):
                        found.append(_Found(Path(entry.path), escapes=True, folder=is_dir))
                    continue
            except OSError:
                is_dir = is_link = False
            if is_dir:
                (links if is_link else folders).append(entry.path)
            elif entry.name.endswith(YAML_SUFFIXES):
                # a broken link or a vanished file is read anyway: that reports it
                found.append(_Found(Path(entry.path)))
        pending.extend(reversed(folders))
        linked.extend(reversed(links))
    return found


def _unreadable_folder(display: str, why: str) -> Finding:
    return Finding(
        UNREADABLE,
        Severity.ERROR,
        f"folder cannot be read ({why}); its files are not checked: make it readable, or "
        "exclude it in the configuration",
        Location(display),
        input_error=True,
    )


def _escaping_link(display: str, folder: bool) -> Finding:
    what = "a folder" if folder else "a file"
    return Finding(
        NOT_GOVLINT,
        Severity.INFO,
        f"skipped: symbolic link to {what} outside the folders being checked; govlint does "
        "not follow links out of the checked folder and the configuration's folder (name "
        "the target on the command line to check it)",
        Location(display),
    )


def _glob_problem(pattern: str) -> str | None:
    """Why a configured glob may reach outside the configuration's folder, or cannot be
    used at all, if so."""
    if not PurePosixPath(pattern).parts or PurePosixPath(pattern).parts == (".",):
        return "names no files"
    for flavour in (PurePosixPath, PureWindowsPath):
        pure = flavour(pattern)
        if pure.is_absolute() or pure.anchor:
            return "is an absolute path"
        if ".." in pure.parts:
            return "goes up with '..'"
    try:  # Path.glob checks the pattern on its first step; under a missing folder, cheaply
        next(iter(Path(os.devnull, "govlint").glob(pattern)), None)
    except (ValueError, NotImplementedError) as exc:
        return f"is not a valid glob ({exc})"
    return None


def _check_globs(config: Layout) -> None:
    for key in ("manifests", "registry", "waivers"):
        for index, pattern in enumerate(getattr(config.settings, key)):
            problem = _glob_problem(pattern)
            if problem is None:
                continue
            where = str(config.source) if config.source is not None else "configuration"
            if config.document is not None:
                loc = config.document.locate((key, index))
                where = f"{loc.file}:{loc.span.line}:{loc.span.column}"
            if problem in ("names no files",) or problem.startswith("is not a valid glob"):
                raise OutsideRoot(
                    f"{where}: {key}[{index}] {pattern!r} {problem}; write a glob of files "
                    "relative to the configuration's folder, such as 'initiatives/*.yaml'"
                )
            raise OutsideRoot(
                f"{where}: {key}[{index}] {pattern!r} {problem}: globs must stay inside the "
                f"folder of the configuration ({config.root}); move the files there, or "
                "name them on the command line"
            )


def discover(paths: list[Path], config: Layout, cwd: Path) -> list[Target]:
    """Files to check, sorted and without duplicates.

    Named files are always read; folders are searched for ``*.yaml``/``*.yml`` files,
    skipping hidden ones. Without paths, the configuration's globs are used, and
    without those the working folder is searched.
    """
    found = _Targets(config, cwd)
    if paths:
        found.named(paths)
    else:
        _check_globs(config)
        globs = [*config.settings.manifests, *config.settings.registry, *config.settings.waivers]
        if globs:
            found.globbed(globs)
        else:
            found.scan(cwd)
    return sorted(found.targets.values(), key=lambda t: t.display)


class _Targets:
    """The targets found so far, keyed by absolute path, first one wins."""

    def __init__(self, config: Layout, cwd: Path) -> None:
        self.targets: dict[str, Target] = {}  # by absolute path
        self.config = config
        self.cwd = cwd
        self.base = os.path.abspath(cwd)
        self.config_root = os.path.realpath(config.root)
        self.cwd_root = os.path.realpath(cwd)
        # the organisation's rule files are read as rules, never as manifests
        self.rule_roots = tuple(
            os.path.realpath(config.root / entry) for entry in config.settings.rule_paths
        )

    def add(
        self,
        path: Path,
        explicit: bool,
        escapes: bool = False,
        folder: bool = False,
        unreadable: str | None = None,
    ) -> None:
        key = os.path.abspath(path)
        if key in self.targets or (not explicit and _excluded(path, self.config)):
            return
        display = _shown(path, key, self.base)
        refusal = _escaping_link(display, folder) if escapes else None
        if unreadable is not None:
            refusal = _unreadable_folder(display, unreadable)
        self.targets[key] = Target(path, display, explicit, refusal)

    def scan(self, folder: Path) -> None:
        for item in _walk(folder, (os.path.realpath(folder), self.config_root)):
            if self.rule_roots and _inside(os.path.realpath(item.path), self.rule_roots):
                continue
            self.add(item.path, False, item.escapes, item.folder, item.unreadable)

    def named(self, paths: list[Path]) -> None:
        for path in paths:
            real = os.path.realpath(path)
            if (
                path.is_dir()
                and real != os.path.abspath(path)
                and not _inside(real, (self.cwd_root, self.config_root))
            ):
                # a folder reached through a link out of the repository (committed by a
                # pull request, named by a CI script): reported, never read
                self.add(path, False, escapes=True, folder=True)
            elif path.is_dir():
                self.scan(path)
            elif path.exists() or path.is_symlink():
                self.add(path, True)
            else:
                raise MissingPath(f"{path}: no such file or folder; check the path")

    def globbed(self, globs: list[str]) -> None:
        roots = (self.config_root,)
        folders: dict[Path, str] = {}  # real path of each folder, worked out once
        for pattern in globs:
            # in any order: a file found twice is the same target, and discover() sorts
            for found in self.config.root.glob(pattern):
                if not found.name.endswith(YAML_SUFFIXES):
                    continue
                try:
                    mode = os.lstat(found).st_mode
                except OSError:
                    continue  # vanished meanwhile: nothing to check
                if stat.S_ISLNK(mode):
                    real = os.path.realpath(found)
                else:  # the file's real path is its folder's, plus its own name
                    folder = folders.get(found.parent)
                    if folder is None:
                        folder = folders[found.parent] = os.path.realpath(found.parent)
                    real = os.path.join(folder, found.name)
                if not _inside(real, roots):
                    self.add(found, False, escapes=True, folder=found.is_dir())
                elif stat.S_ISREG(mode) or (stat.S_ISLNK(mode) and found.is_file()):
                    self.add(found, False)


def plan(
    paths: list[Path], config: Layout, cwd: Path, pre_commit: bool = False
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
        given = [Target(t.path, t.display, False, t.refusal) for t in given]
    if not (config.settings.manifests or config.settings.registry or config.settings.waivers):
        return given, None
    context = discover([], config, cwd)
    merged = {os.path.abspath(t.path): t for t in context}
    merged.update({os.path.abspath(t.path): t for t in given})
    targets = sorted(merged.values(), key=lambda t: t.display)
    return targets, frozenset(t.display for t in given)


def central_waiver_files(targets: list[Target], config: Layout) -> frozenset[str]:
    """The targets that may hold central waivers: those the configuration's ``waivers:``
    globs name, and files named on the command line (naming a file is permission)."""
    named = {
        os.path.realpath(found)
        for pattern in config.settings.waivers
        if _glob_problem(pattern) is None
        for found in config.root.glob(pattern)
    }
    # a real path only for a possible match: a file of that name, or a link
    names = {os.path.basename(n) for n in named}
    return frozenset(
        t.display
        for t in targets
        if t.explicit
        or (
            named
            and (t.path.name in names or os.path.islink(t.path))
            and os.path.realpath(t.path) in named
        )
    )


def rule_folders(config: Layout, cwd: Path) -> list[tuple[Path, str]]:
    """The built-in rules folder and the organisation's, each with how to show its files."""
    from govlint.engine.packs import pack_rule_folders
    from govlint.resources import data_dir

    folders = [(data_dir("rules"), "<builtin>/rules")]
    for entry in config.settings.rule_paths:
        path = (config.root / entry).resolve()
        folders.append((path, display_path(path, cwd)))
    named = {f for f, _ in folders}
    for path in pack_rule_folders(config.settings.policies, config.root):
        if path not in named:
            folders.append((path, display_path(path, cwd)))
    return folders
