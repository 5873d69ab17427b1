"""A compiled condition: one JSON Schema, checked by ``jsonschema`` and, when available,
answered first by the Rust validator ``jsonschema-rs``.

``jsonschema`` is the engine of record: its errors say where and why a rule fails. Most
manifests pass most rules, and asking "does it hold?" of ``jsonschema-rs`` is about 50 times
faster, so only failures go through ``jsonschema`` for the details. Both implement Draft
2020-12; a differential test keeps them in agreement on the built-in rules, and any schema
or instance the fast validator cannot take (an exotic regex, NaN) falls back to ``jsonschema``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

_COMPARE: dict[str, Callable[[dt.date, dt.date], bool]] = {
    "x-before": lambda a, b: a < b,
    "x-after": lambda a, b: a > b,
    "x-on-or-before": lambda a, b: a <= b,
    "x-on-or-after": lambda a, b: a >= b,
}


def _fast_keyword(compare: Callable[[dt.date, dt.date], bool]) -> type:
    class DateKeyword:
        def __init__(self, parent: Any, value: str, schema_path: Any) -> None:
            self.bound = dt.date.fromisoformat(value)

        def validate(self, instance: Any) -> None:
            if not isinstance(instance, str):
                raise ValueError("not a date")
            try:
                value = dt.date.fromisoformat(instance)
            except ValueError:
                raise ValueError("not a date") from None
            if not compare(value, self.bound):
                raise ValueError("out of range")

    return DateKeyword


def _fast(schema: dict[str, Any]) -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    keywords = {name: _fast_keyword(compare) for name, compare in _COMPARE.items()}
    # patterns run on the Rust regex crate, which matches in linear time (the default,
    # fancy-regex, backtracks); an old version without the option gets no pattern to run
    linear = getattr(jsonschema_rs, "RegexOptions", None)
    if linear is None and _has_pattern(schema):
        return None
    options = {"pattern_options": linear()} if linear is not None else {}
    try:
        return jsonschema_rs.Draft202012Validator(
            _rust_patterns(schema), keywords=keywords, **options
        )
    except Exception:  # a pattern or keyword the Rust validator does not take
        return None


#: keywords whose values are data, not schemas: a "pattern" key in them is no pattern
_DATA = frozenset({"const", "enum", "default", "examples"})


def _rust_patterns(schema: Any) -> Any:
    """``schema`` with every pattern as the Rust regex crate must read it to mean what RE2
    means (see govlint/engine/patterns.py)."""
    from govlint.engine.patterns import rust_pattern

    if isinstance(schema, list):
        return [_rust_patterns(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    rewritten: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "pattern" and isinstance(value, str):
            rewritten[key] = rust_pattern(value)
        elif key == "patternProperties" and isinstance(value, dict):
            rewritten[key] = {rust_pattern(k): _rust_patterns(v) for k, v in value.items()}
        elif key in _DATA:
            rewritten[key] = value
        else:
            rewritten[key] = _rust_patterns(value)
    return rewritten


def _has_pattern(schema: Any) -> bool:
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "pattern" in node or "patternProperties" in node:
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


@dataclass(frozen=True)
class Condition:
    schema: dict[str, Any]
    python: Any  # a jsonschema validator
    fast: Any = None  # a jsonschema_rs validator, or None

    @classmethod
    def compile(cls, schema: dict[str, Any], *, fast: bool = True) -> Condition:
        from govlint.engine.evaluate import validator_class

        return cls(schema, validator_class()(schema), _fast(schema) if fast else None)

    def holds(self, data: Any, *, json_safe: bool = True) -> bool:
        """Whether ``data`` satisfies the condition.

        ``json_safe`` says the data is plain JSON (no infinite or NaN numbers, which the
        two validators compare differently); only then is the fast answer used.
        """
        if self.fast is not None and json_safe:
            with contextlib.suppress(Exception):  # anything the fast validator cannot take
                return bool(self.fast.is_valid(data))
        return bool(self.python.is_valid(data))

    def errors(self, data: Any) -> Iterator[Any]:
        return iter(self.python.iter_errors(data))


def json_safe(data: Any) -> bool:
    """True when ``data`` holds no infinite or NaN number (YAML's .inf and .nan)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and (item != item or item in (_INF, -_INF)):
            return False
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


_INF = float("inf")
