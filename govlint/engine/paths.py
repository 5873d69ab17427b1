"""Paths into a manifest (``data.sources``, ``risk.tier``), checked against the manifest schema."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

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


@functools.lru_cache(maxsize=1)
def initiative_schema() -> dict[str, Any]:
    from govlint.model.initiative import Initiative

    return Initiative.model_json_schema()


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
    for part in parts:
        if part.startswith("x-"):
            return Resolved({}, frozenset(), None, None)
        variants = _variants(current, root)
        objects = [v for v in variants if v.get("type") == "object"]
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
            raise PathError(
                f"{path!r} does not exist in the manifest schema: {where} has no key {part!r}{hint}"
            )
        current = props[part]
        walked.append(part)
    return _describe(_variants(current, root), root)


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
