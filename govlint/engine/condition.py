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

from govlint.engine.compare import KEYWORD as COMPARE_KEYWORD
from govlint.engine.compare import manifest

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


class _CompareKeyword:
    """``x-compare`` for the fast validator: the same test as the engine of record's."""

    def __init__(self, parent: Any, value: dict[str, Any], schema_path: Any) -> None:
        self.spec = value

    def validate(self, instance: Any) -> None:
        from govlint.engine.compare import holds

        if not holds(self.spec, instance):
            raise ValueError("comparison does not hold")


def _fast(schema: dict[str, Any]) -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    keywords: dict[str, type] = {name: _fast_keyword(compare) for name, compare in _COMPARE.items()}
    keywords[COMPARE_KEYWORD] = _CompareKeyword
    # patterns run on the Rust regex crate, which matches in linear time (the default,
    # fancy-regex, backtracks); an old version without the option gets no pattern to run
    linear = getattr(jsonschema_rs, "RegexOptions", None)
    if linear is None and _has_pattern(schema):
        return None
    options = {"pattern_options": linear()} if linear is not None else {}
    try:
        return jsonschema_rs.Draft202012Validator(schema, keywords=keywords, **options)
    except Exception:  # a pattern or keyword the Rust validator does not take
        return None


def _has_pattern(schema: Any) -> bool:
    return _has_key(schema, ("pattern", "patternProperties"))


def _has_key(schema: Any, keys: tuple[str, ...]) -> bool:
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if any(k in node for k in keys):
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
    #: it compares fields with each other (``{field: ...}``), reading the whole manifest
    compares: bool = False

    @classmethod
    def compile(cls, schema: dict[str, Any], *, fast: bool = True) -> Condition:
        from govlint.engine.evaluate import validator_class

        compares = _has_key(schema, (COMPARE_KEYWORD,))
        return cls(schema, validator_class()(schema), _fast(schema) if fast else None, compares)

    def holds(self, data: Any, *, json_safe: bool = True) -> bool:
        """Whether ``data`` satisfies the condition.

        ``json_safe`` says the data is plain JSON (no infinite or NaN numbers, which the
        two validators compare differently); only then is the fast answer used.
        """
        if self.compares:
            with manifest(data):
                return self._holds(data, json_safe)
        return self._holds(data, json_safe)

    def _holds(self, data: Any, json_safe: bool) -> bool:
        if self.fast is not None and json_safe:
            with contextlib.suppress(Exception):  # anything the fast validator cannot take
                return bool(self.fast.is_valid(data))
        return bool(self.python.is_valid(data))

    def errors(self, data: Any) -> Iterator[Any]:
        if self.compares:
            with manifest(data):
                return iter(list(self.python.iter_errors(data)))
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
