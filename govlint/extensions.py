"""Declared ``x-`` extensions: read the declarations, check manifests against them.

Without declarations an ``x-`` key is free-form, as it always was. Once the configuration
(``extensions:`` in ``.govlint.yaml``) or a selected pack declares extensions, they are the
organisation's vocabulary: a declared key must hold its declared type, and an ``x-`` key
that nobody declared is an unknown key (most often a typo of a declared one), reported with
its position and the closest declared name. Rules may then name declared ``x-`` paths only,
checked at load time like any manifest path (see ``engine/paths.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from govlint.coverage import Field, field_of
from govlint.findings import Finding, Severity
from govlint.load import Document, PathKey
from govlint.model.base import date_span
from govlint.model.extension import Extension, Extensions, ExtensionSpec
from govlint.suggest import closest, did_you_mean

if TYPE_CHECKING:
    from govlint.config import Config

#: the same ids as any unknown key or invalid value: an extension is part of the manifest
UNKNOWN_KEY = "GL010"
INVALID_VALUE = "GL011"


def from_mapping(
    raw: Any, origin: Document | str, at: PathKey = ("extensions",)
) -> tuple[list[Extension], list[tuple[PathKey, str]]]:
    """The declarations of one ``extensions:`` mapping (raw YAML), and its problems, each a
    message at a path inside ``origin``."""
    from govlint.engine.paths import PathError, check_declaration, split

    name = origin.file if isinstance(origin, Document) else origin
    found: list[Extension] = []
    problems: list[tuple[PathKey, str]] = []
    if raw is None:
        return found, problems
    if not isinstance(raw, dict):
        return found, [(at, "'extensions' takes a mapping of manifest paths to declarations")]
    for path, spec in raw.items():
        here = (*at, path)
        try:
            parts = split(str(path))
            checked = ExtensionSpec.model_validate(spec)
        except PathError as exc:
            problems.append((here, str(exc)))
            continue
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            problems.append(
                (
                    (*here, *err["loc"]),
                    f"extension {path}: {where + ': ' if where else ''}{err['msg']}",
                )
            )
            continue
        extension = Extension(
            parts,
            checked.type,
            tuple(checked.values) if checked.values is not None else None,
            checked.description,
            name,
        )
        problem = check_declaration(extension)
        if problem is None and checked.values is not None and checked.type not in ("text", "list"):
            problem = f"extension {path}: 'values' is for text and list extensions"
        if problem is not None:
            problems.append((here, problem))
            continue
        found.append(extension)
    return found, problems


def merge(
    groups: list[tuple[list[Extension], Document | str]],
) -> tuple[Extensions, list[tuple[Document | str, PathKey, str]]]:
    """All declarations; a path declared twice must be declared alike."""
    merged: dict[tuple[str, ...], Extension] = {}
    conflicts: list[tuple[Document | str, PathKey, str]] = []
    for extensions, origin in groups:
        for extension in extensions:
            first = merged.get(extension.path)
            if first is None:
                merged[extension.path] = extension
            elif (first.type, first.values) != (extension.type, extension.values):
                conflicts.append(
                    (
                        origin,
                        ("extensions", extension.name),
                        f"extension {extension.name} is already declared as {first.type} in "
                        f"{first.origin}; declare it once, or alike",
                    )
                )
    return tuple(sorted(merged.values(), key=lambda e: e.path)), conflicts


# -- manifests -----------------------------------------------------------------------------


def check_manifest(doc: Document, extensions: Extensions) -> tuple[list[Finding], list[Field]]:
    """Findings for the ``x-`` keys of one manifest, and the values they make unusable.

    Nothing to do without declarations. A declared value of the wrong type is invalid (a
    rule reading it is not assessable); an undeclared ``x-`` key is unknown, and the
    declared key it resembles is treated as broken (as for a typo of any key).
    """
    if not extensions:
        return [], []
    by_path = {e.path: e for e in extensions}
    at_level: dict[tuple[str, ...], list[str]] = {}
    for e in extensions:
        at_level.setdefault(e.path[:-1], []).append(e.path[-1])
    findings: list[Finding] = []
    broken: list[Field] = []
    for loc, value in _extension_keys(doc.data):
        plain = field_of(loc)
        extension = by_path.get(plain)
        if extension is not None:
            problems = type_problems(extension, value)
            for within, problem in problems:
                index = "".join(f"[{i}]" for i in within)
                findings.append(
                    Finding(
                        INVALID_VALUE,
                        Severity.ERROR,
                        f"{extension.name}{index}: {problem}",
                        doc.locate((*loc, *within)),
                    )
                )
            if problems:
                broken.append(plain)
            continue
        here = at_level.get(plain[:-1], [])
        close = closest(plain[-1], here)
        parent = ".".join(plain[:-1]) or "the top level"
        message = f"undeclared extension {plain[-1]!r} in {parent}"
        if close is None:
            message += "; declare it under 'extensions:' in the configuration" + (
                f" (declared here: {', '.join(here)})" if here else ""
            )
        else:
            message += (
                f"; did you mean {close!r}? (or declare it under 'extensions:' in the "
                "configuration)"
            )
            broken.append((*plain[:-1], close))
        findings.append(Finding(UNKNOWN_KEY, Severity.ERROR, message, doc.key_location(loc)))
    return findings, broken


def _extension_keys(data: Any) -> Iterator[tuple[PathKey, Any]]:
    """Every ``x-`` key of a manifest (not below another one), with its value."""
    stack: list[tuple[PathKey, Any]] = [((), data)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and key.startswith("x-"):
                    yield (*here, key), value
                elif isinstance(value, (dict, list)):
                    stack.append(((*here, key), value))
        elif isinstance(node, list):
            stack.extend(((*here, i), item) for i, item in enumerate(node))


def type_problems(extension: Extension, value: Any) -> list[tuple[tuple[int, ...], str]]:
    """Why ``value`` does not fit the declaration, in YAML's words: for each problem, where
    it is below the declared key (the index of a list's item) and what it is."""
    if extension.type == "list" and isinstance(value, list):
        text = replace(extension, type="text")  # each item: as a text value is checked
        problems = ((i, type_problem(text, item)) for i, item in enumerate(value))
        return [((i,), problem) for i, problem in problems if problem is not None]
    problem = type_problem(extension, value)
    return [] if problem is None else [((), problem)]


def type_problem(extension: Extension, value: Any) -> str | None:
    """Why ``value`` as a whole does not fit the declaration, in YAML's words, or None."""
    kind = extension.type
    if kind == "mapping":
        return None if isinstance(value, dict) else f"expected a mapping, {_got(value)}"
    if kind == "boolean":
        return None if isinstance(value, bool) else f"expected true or false, {_got(value)}"
    if kind in ("number", "integer"):
        fits = isinstance(value, (int, float)) and not isinstance(value, bool)
        if kind == "integer":
            fits = fits and isinstance(value, int)
        what = "a whole number" if kind == "integer" else "a number"
        return None if fits else f"expected {what}, {_got(value)}"
    if kind == "date":
        ok = isinstance(value, str) and len(value) == 10 and date_span(value) is not None
        return None if ok else f"expected a date written as YYYY-MM-DD, {_got(value)}"
    if kind == "list":  # its items: see type_problems
        return None if isinstance(value, list) else f"expected a list of text, {_got(value)}"
    if not isinstance(value, str) or not value:
        return f"expected text, {_got(value)}"
    if extension.values and value not in extension.values:
        return _not_allowed(value, extension.values)
    return None


def _not_allowed(value: str, allowed: tuple[str, ...] | None) -> str:
    choices = allowed or ()
    hint = did_you_mean(closest(value, choices))
    return f"{value!r} is not allowed{hint}; expected one of: {', '.join(choices)}"


def _got(value: Any) -> str:
    from govlint.validate import describe_value

    return f"got {describe_value(value)}"


def declarations(
    config: Config, show: Callable[[Path], str], packs: tuple[str, ...] = ()
) -> tuple[Extensions, list[Finding]]:
    """The extensions a run declares: the configuration's and its packs' (``show`` names a
    pack file for messages), and those of ``packs`` (more pack files, e.g. the packs among
    the files ``govlint test`` is given); problems stop the run like a broken pack."""
    from govlint.engine.packs import pack_documents
    from govlint.engine.policy import policy_error

    groups: list[tuple[list[Extension], Document | str]] = []
    errors: list[Finding] = []
    if config.settings.extensions:
        raw = {
            path: spec.model_dump(exclude_none=True)
            for path, spec in config.settings.extensions.items()
        }
        found, problems = from_mapping(raw, config.origin)
        groups.append((found, config.origin))
        errors.extend(policy_error(config.origin, at, message) for at, message in problems)
    for path, doc in pack_documents([*config.settings.policies, *packs], config.root):
        if "extensions" in doc.data:
            shown = replace(doc, file=show(path))
            found, problems = from_mapping(doc.data["extensions"], shown)
            groups.append((found, shown))
            errors.extend(policy_error(shown, at, message) for at, message in problems)
    merged, conflicts = merge(groups)
    errors.extend(policy_error(origin, at, message) for origin, at, message in conflicts)
    return merged, errors
