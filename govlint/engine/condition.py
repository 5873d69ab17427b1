"""A compiled condition: one JSON Schema, checked by ``jsonschema`` and, when available,
answered first by the Rust validator ``jsonschema-rs``.

``jsonschema`` is the engine of record: its errors say where and why a rule fails. Most
manifests pass most rules, and asking "does it hold?" of ``jsonschema-rs`` is about 50 times
faster, so only failures go through ``jsonschema`` for the details. Both implement Draft
2020-12; a differential test keeps them in agreement on the built-in rules, and any schema
or instance the fast validator cannot take (an exotic regex, NaN) falls back to ``jsonschema``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any

from govlint.engine.compare import KEYWORD as COMPARE_KEYWORD
from govlint.engine.compare import manifest
from govlint.model.base import date_span


def compare_date(keyword: str, instance: Any, bound: dt.date) -> bool | None:
    """Whether the date ``instance`` stands in relation ``keyword`` (``x-before`` ...) to
    ``bound``; None when it is not a date.

    A month (``2026-11``) is compared at month precision: it is neither before nor after
    any day in it, and both on or before and on or after each of them. So ``before`` needs
    its last day before the bound and ``after`` its first day after it.
    """
    span = date_span(instance) if isinstance(instance, str) else None
    if span is None:
        return None
    first, last = span
    if keyword == "x-before":
        return last < bound
    if keyword == "x-after":
        return first > bound
    if keyword == "x-on-or-before":
        return first <= bound
    return last >= bound  # x-on-or-after


DATE_KEYWORDS = ("x-before", "x-after", "x-on-or-before", "x-on-or-after")


def _fast_keyword(keyword: str) -> type:
    class DateKeyword:
        def __init__(self, parent: Any, value: str, schema_path: Any) -> None:
            self.bound = dt.date.fromisoformat(value)

        def validate(self, instance: Any) -> None:
            holds = compare_date(keyword, instance, self.bound)
            if holds is None:
                raise ValueError("not a date")
            if not holds:
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
    keywords: dict[str, type] = {name: _fast_keyword(name) for name in DATE_KEYWORDS}
    keywords[COMPARE_KEYWORD] = _CompareKeyword
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
    fast: Any = None  # a jsonschema_rs validator, or None
    #: it compares fields with each other (``{field: ...}``), reading the whole manifest
    compares: bool = False

    @classmethod
    def compile(cls, schema: dict[str, Any], *, fast: bool = True) -> Condition:
        compares = _has_key(schema, (COMPARE_KEYWORD,))
        return cls(schema, _fast(schema) if fast else None, compares)

    @functools.cached_property
    def python(self) -> Any:
        """The jsonschema validator, made on first use: it explains failures (and answers
        where the fast one cannot), and a run that only asks the fast one never imports
        jsonschema (about 20 ms of a pre-commit run)."""
        return validator_class()(self.schema)

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
            # a plain try (not contextlib.suppress): this runs for every rule on every manifest
            try:
                return bool(self.fast.is_valid(data))
            except Exception:  # anything the fast validator cannot take
                pass
        return bool(self.python.is_valid(data))

    def errors(self, data: Any) -> Iterator[Any]:
        if self.compares:
            with manifest(data):
                return iter(list(self.python.iter_errors(data)))
        return iter(self.python.iter_errors(data))

    @functools.cached_property
    def key(self) -> Hashable:
        """What the condition tests, as a key: conditions with the same schema (compiled
        from different rules) have the same key. A schema that is not plain JSON keys
        only itself."""
        try:
            return json.dumps(self.schema, sort_keys=True)
        except (TypeError, ValueError):  # a value JSON does not know, or keys of mixed types
            return _Unique()


class _Unique:
    """A key equal to nothing but itself."""


class Answers:
    """What conditions answer on one manifest, each worked out once.

    Many rules ask the same question of a manifest (is the risk tier high? is it live?),
    and a pack's dated rows are picked by the same few conditions for every rule that
    names them: on one manifest, each distinct condition runs once. One ``Answers`` holds
    one manifest's data; another manifest needs another one.
    """

    __slots__ = ("_known", "data", "safe")

    def __init__(self, data: Any, safe: bool | None = None) -> None:
        self.data = data
        #: the data is plain JSON (see ``json_safe``), worked out once for every condition
        self.safe = json_safe(data) if safe is None else safe
        self._known: dict[Hashable, bool] = {}

    def holds(self, condition: Condition) -> bool:
        """Whether ``condition`` holds on this manifest."""
        key = condition.key
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = condition.holds(self.data, json_safe=self.safe)
        return known


def json_safe(data: Any) -> bool:
    """True when ``data`` holds no infinite or NaN number (YAML's .inf and .nan)."""
    stack = [data]
    pop = stack.pop
    while stack:
        item = pop()
        kind = type(item)  # the common kinds by identity first: this walks every manifest
        if kind is str:
            continue
        if kind is dict or (kind is not list and isinstance(item, dict)):
            stack.extend(item.values())
        elif kind is list or isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, float) and (item != item or item in (_INF, -_INF)):
            return False
    return True


_INF = float("inf")


# -- the engine of record: jsonschema with govlint's keywords ---------------------------


def _date_keyword(compare: str) -> Any:
    keyword = "x-" + compare.replace("_", "-")

    def check(validator: Any, limit: str, instance: Any, schema: Any) -> Iterator[Any]:
        from jsonschema.exceptions import ValidationError

        holds = compare_date(keyword, instance, dt.date.fromisoformat(limit))
        if holds is None:
            yield ValidationError(f"{instance!r} is not a date (YYYY-MM-DD, or YYYY-MM)")
        elif not holds:
            yield ValidationError(f"{instance} is not {compare.replace('_', ' ')} {limit}")

    return check


def _compare(validator: Any, spec: dict[str, Any], instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    from govlint.engine.compare import describe, holds

    if not holds(spec, instance):
        yield ValidationError(describe(spec, instance))


@functools.lru_cache(maxsize=1)
def validator_class() -> Any:
    """Draft 2020-12 plus govlint's date keywords (``x-before`` ...), with ``pattern`` and
    ``patternProperties`` matched in linear time (RE2) instead of by Python's backtracking
    re: no manifest text can make a rule's pattern run for hours."""
    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError

    from govlint.engine.patterns import regex_search

    def pattern(validator: Any, regex: str, instance: Any, schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not regex_search(regex)(instance):
            yield ValidationError(f"{instance!r} does not match {regex!r}")

    def pattern_properties(
        validator: Any, patterns: dict[str, Any], instance: Any, schema: Any
    ) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        for regex, subschema in patterns.items():
            search = regex_search(regex)
            for key, value in instance.items():
                if search(key):
                    yield from validator.descend(value, subschema, path=key, schema_path=regex)

    return validators.extend(
        Draft202012Validator,
        {
            "pattern": pattern,
            "patternProperties": pattern_properties,
            "x-before": _date_keyword("before"),
            "x-after": _date_keyword("after"),
            "x-on-or-before": _date_keyword("on_or_before"),
            "x-on-or-after": _date_keyword("on_or_after"),
            "x-compare": _compare,
        },
    )
