"""Check the manifest paths a raw JSON Schema names (``schema:`` in a rule) at load time.

JSON Schema ignores a ``properties`` key that never occurs, so a typo in a raw schema would
make the clause hold on every manifest. Every key under ``properties`` (and in ``required``)
is looked up in the manifest schema, following ``items`` / ``contains`` into list items and
``allOf`` / ``anyOf`` / ``not`` / ``if`` / ``then`` / ... on the same value; below a key the
manifest schema does not describe (an ``x-`` extension) nothing is checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from govlint.engine.paths import declared, initiative_schema
from govlint.load import PathKey
from govlint.suggest import closest

#: keywords whose subschemas apply to the same value
_SAME_VALUE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else")
#: keywords whose subschemas apply to the items of a list
_ITEMS = ("items", "contains")


def _variants(schema: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = [schema]
    while stack:
        node = stack.pop()
        while "$ref" in node:
            node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        if "anyOf" in node:
            stack.extend(node["anyOf"])
        else:
            out.append(node)
    return out


def _keys(target: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The keys a manifest mapping may have, or None when anything goes."""
    objects = [v for v in target if v.get("type") == "object"]
    if not objects or any(v.get("additionalProperties") is True for v in objects):
        return None
    props: dict[str, Any] = {}
    for v in objects:
        props.update(v.get("properties", {}))
    return props


def _items(target: list[dict[str, Any]], root: dict[str, Any]) -> list[dict[str, Any]] | None:
    for v in target:
        if v.get("type") == "array" and isinstance(v.get("items"), dict):
            return _variants(v["items"], root)
    return None


def unknown_paths(
    raw: Any, at: PathKey, base: dict[str, Any] | None = None, where: tuple[str, ...] = ()
) -> Iterator[tuple[PathKey, str]]:
    """Each key of ``raw`` that the manifest schema does not have: (position, message)."""
    root = initiative_schema()
    free = not declared()  # without declarations, an x- key is free-form
    stack: list[tuple[PathKey, Any, list[dict[str, Any]] | None, tuple[str, ...]]] = [
        (at, raw, _variants(base if base is not None else root, root), where)
    ]
    while stack:
        here, node, target, path = stack.pop()
        if isinstance(node, list):
            stack.extend(((*here, i), item, target, path) for i, item in enumerate(node))
            continue
        if not isinstance(node, dict) or target is None:
            continue
        keys = _keys(target)
        names = node.get("properties")
        if isinstance(names, dict):
            for name, sub in names.items():
                key_at = (*here, "properties", name)
                if (
                    keys is not None
                    and name not in keys
                    and not (free and str(name).startswith("x-"))
                ):
                    yield key_at, _message(str(name), keys, path)
                    continue
                deeper = _variants(keys[name], root) if keys and name in keys else None
                stack.append((key_at, sub, deeper, (*path, str(name))))
        required = node.get("required")
        if isinstance(required, list) and keys is not None:
            for i, name in enumerate(required):
                if (
                    isinstance(name, str)
                    and name not in keys
                    and not (free and name.startswith("x-"))
                ):
                    yield (*here, "required", i), _message(name, keys, path)
        for keyword in _SAME_VALUE:
            if keyword in node:
                stack.append(((*here, keyword), node[keyword], target, path))
        for keyword in _ITEMS:
            if keyword in node:
                stack.append(((*here, keyword), node[keyword], _items(target, root), path))


def _message(name: str, keys: dict[str, Any], path: tuple[str, ...]) -> str:
    where = ".".join(path) or "the manifest"
    close = closest(name, keys)
    hint = f"did you mean {close!r}?" if close else f"the keys are: {', '.join(keys)}"
    return (
        f"{where} has no key {name!r} in the manifest schema, so this part of the schema "
        f"would never be checked; {hint}"
    )
