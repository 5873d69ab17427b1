"""Paths into a manifest (``data.sources``, ``risk.tier``), checked against the manifest schema."""

from __future__ import annotations

import contextlib
import copy
import functools
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from govlint.model.extension import Extension, Extensions
from govlint.suggest import closest, did_you_mean

_SEGMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Resolved:
    """What the manifest schema says about the value at a path."""

    schema: dict[str, Any]
    types: frozenset[str]
    enum: tuple[Any, ...] | None
    item: dict[str, Any] | None  # the schema of list items, for lists


class PathError(ValueError):
    """A path that does not exist in the manifest schema; the message suggests a fix."""


#: the ``x-`` extensions declared for the rules being loaded (none: ``x-`` is free-form)
_DECLARED: ContextVar[Extensions] = ContextVar("govlint_declared_extensions", default=())


@contextlib.contextmanager
def declaring(extensions: Extensions) -> Iterator[None]:
    """Check paths against the manifest schema with these extensions declared in it."""
    token = _DECLARED.set(extensions)
    try:
        yield
    finally:
        _DECLARED.reset(token)


def declared() -> Extensions:
    """The extensions declared for the paths being checked now."""
    return _DECLARED.get()


def initiative_schema() -> dict[str, Any]:
    """The manifest schema, with the declared extensions as properties where they belong."""
    return extended_schema(_DECLARED.get())


@functools.lru_cache(maxsize=8)
def extended_schema(extensions: Extensions) -> dict[str, Any]:
    """The manifest schema with each declared ``x-`` key as a property of its mapping.

    The mappings on a declaration's path get their own copy of their definition, so that
    ``metadata.x-cost-centre`` is not also declared in every other place that reuses the
    definition of ``metadata``.
    """
    from govlint.model.initiative import Initiative

    root = Initiative.model_json_schema()
    if not extensions:
        return root
    root = copy.deepcopy(root)
    for extension in extensions:
        mapping = root
        for part in extension.path[:-1]:
            mapping = _own_mapping(mapping["properties"], part, root)
        mapping.setdefault("properties", {})[extension.path[-1]] = extension.schema()
    return root


def _own_mapping(holder: dict[str, Any] | list[Any], key: Any, root: dict[str, Any]) -> Any:
    """The mapping schema at ``holder[key]``, made a copy of its own (``$ref`` inlined)."""
    node = holder[key]
    if "$ref" in node:
        inlined = {
            **copy.deepcopy(_deref(node, root)),
            **{k: v for k, v in node.items() if k != "$ref"},
        }
        holder[key] = inlined
        return inlined
    for i, variant in enumerate(node.get("anyOf", [])):
        if "$ref" in variant or variant.get("type") == "object":
            return _own_mapping(node["anyOf"], i, root)
    return node


def check_declaration(extension: Extension) -> str | None:
    """Why an extension cannot be declared at its path, or None."""
    *parent, key = extension.path
    if not key.startswith("x-"):
        return (
            f"{extension.name!r}: a declared extension is a key starting with 'x-', "
            f"e.g. metadata.x-{key}"
        )
    if any(p.startswith("x-") for p in parent):
        return (
            f"{extension.name!r}: declare the outer extension ({'.'.join(parent)}) as a "
            "mapping; the keys inside it are free-form"
        )
    if not parent:
        return None
    try:
        found = resolve(".".join(parent))
    except PathError as exc:
        return str(exc)
    if "object" not in found.types:
        return f"{'.'.join(parent)!r} is not a mapping, so it cannot hold {key!r}"
    return None


def split(path: str) -> tuple[str, ...]:
    """Split a dotted path; raises PathError for a malformed one."""
    parts = tuple(path.split("."))
    for part in parts:
        if not _SEGMENT.fullmatch(part):
            raise PathError(
                f"{path!r} is not a valid path; write keys separated by dots, "
                "e.g. 'human_role.oversight'"
            )
    return parts


def _deref(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = root["$defs"][name]
    return schema


def _variants(schema: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _deref(schema, root)
    if "anyOf" in schema:
        out: list[dict[str, Any]] = []
        for sub in schema["anyOf"]:
            out.extend(_variants(sub, root))
        return out
    return [schema]


def _describe(variants: list[dict[str, Any]], root: dict[str, Any]) -> Resolved:
    types: set[str] = set()
    enum: list[Any] | None = None
    item: dict[str, Any] | None = None
    for v in variants:
        if "type" in v:
            types.add(v["type"])
        if "enum" in v:
            enum = (enum or []) + list(v["enum"])
        if "const" in v:
            enum = (enum or []) + [v["const"]]
        if v.get("type") == "array" and "items" in v:
            item = _deref(v["items"], root)
    types.discard("null")
    merged = next((v for v in variants if v.get("type") != "null"), variants[0])
    return Resolved(merged, frozenset(types), tuple(enum) if enum else None, item)


def resolve(path: str, base: dict[str, Any] | None = None) -> Resolved:
    """Resolve ``path`` from ``base`` (a sub-schema, the whole manifest by default).

    Keys starting with ``x-`` are organisation extensions: anything goes below them.
    """
    root = initiative_schema()
    current: dict[str, Any] = base if base is not None else root
    parts = split(path)
    walked: list[str] = []
    extensions = _DECLARED.get()
    for part in parts:
        if part.startswith("x-") and not extensions:
            return Resolved({}, frozenset(), None, None)
        variants = _variants(current, root)
        objects = [v for v in variants if v.get("type") == "object"]
        if any(v.get("additionalProperties") is True and "properties" not in v for v in objects):
            return Resolved({}, frozenset(), None, None)  # a free-form mapping: anything goes
        props: dict[str, Any] = {}
        for v in objects:
            props.update(v.get("properties", {}))
        if part not in props:
            where = ".".join(walked) or "the manifest"
            if not objects:
                raise PathError(
                    f"{'.'.join(walked)!r} is not a mapping, so it has no key {part!r}"
                    + (" (it is a list: iterate over it with 'each')" if _is_list(variants) else "")
                )
            close = closest(part, props)
            hint = did_you_mean(".".join([*walked, close]) if close else None)
            if part.startswith("x-"):
                raise PathError(
                    f"{path!r} is not a declared extension ({where} has no declared key "
                    f"{part!r})"
                    + (
                        hint
                        or "; declare it under 'extensions:' in the configuration (declared: "
                        f"{_declared_names(extensions)})"
                    )
                )
            raise PathError(
                f"{path!r} does not exist in the manifest schema: {where} has no key {part!r}{hint}"
            )
        current = props[part]
        walked.append(part)
    return _describe(_variants(current, root), root)


def _declared_names(extensions: Extensions) -> str:
    names = [e.name for e in extensions]
    return ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")


def _is_list(variants: list[dict[str, Any]]) -> bool:
    return any(v.get("type") == "array" for v in variants)


def all_paths() -> list[str]:
    """Every path of the manifest schema, for documentation and suggestions."""
    root = initiative_schema()
    out: list[str] = []

    def walk(schema: dict[str, Any], prefix: str) -> None:
        for v in _variants(schema, root):
            for key, sub in v.get("properties", {}).items():
                path = f"{prefix}.{key}" if prefix else key
                out.append(path)
                walk(sub, path)

    walk(root, "")
    return out
