"""Compare a manifest value with another field of the same manifest (``{field: ...}`` operands).

JSON Schema checks a value against constants only, so a comparison between two fields is
the one thing the compiled schema hands back to Python: the keyword ``x-compare`` sits on
the mapping that holds the compared value (the manifest, or the item of an ``each`` /
``some``) and reads the other field from that item or from the manifest being checked.
The paths were checked against the manifest schema when the rule was loaded, and each
comparison reads two values: linear in the size of the manifest, like every other operator.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Any

#: the compiled keyword
KEYWORD = "x-compare"

#: the manifest being checked, for references to its fields from inside an item
_ROOT: ContextVar[Any] = ContextVar("govlint_compare_root", default=None)


@contextlib.contextmanager
def manifest(data: Any) -> Iterator[None]:
    """Make ``data`` the manifest that ``{field: ...}`` references read while checking it."""
    token = _ROOT.set(data)
    try:
        yield
    finally:
        _ROOT.reset(token)


def value_at(data: Any, path: Sequence[str]) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


_ORDER = {
    "min": lambda a, b: a >= b,
    "max": lambda a, b: a <= b,
}


def holds(spec: dict[str, Any], scope: Any) -> bool:
    """Whether the comparison ``spec`` holds for ``scope`` (the manifest or an item).

    Both values must be set and of the compared kind: a comparison with a value that is
    not there does not hold (a rule that wants "if set" says so in its ``when``).
    """
    left = value_at(scope, spec["left"])
    other = _ROOT.get() if spec["from"] == "manifest" else scope
    right = value_at(other, spec["right"])
    if left is None or right is None:
        return False
    op = spec["op"]
    if op in ("equals", "not_equals"):
        same = type(left) is type(right) and left == right
        return same if op == "equals" else not same
    if op in ("min", "max"):
        a, b = _number(left), _number(right)
        if a is None or b is None:
            return False
        return bool(_ORDER[op](a, b))
    return _dates_hold(op, _span(left), _span(right))


def _span(value: Any) -> tuple[dt.date, dt.date] | None:
    """A date as the days it may stand for: one day, or a whole month (``2023-05``)."""
    if isinstance(value, dt.date):
        return value, value
    if isinstance(value, str):
        from govlint.model.base import date_span

        return date_span(value)
    return None


def _dates_hold(
    op: str, a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None
) -> bool:
    """Dates at the precision they are written: a month is before a day only when all of
    it is, and on or before it when some of it is (as the date operators judge months)."""
    if a is None or b is None:
        return False
    (a_first, a_last), (b_first, b_last) = a, b
    if op == "before":
        return a_last < b_first
    if op == "after":
        return a_first > b_last
    if op == "on_or_before":
        return a_first <= b_last
    return a_last >= b_first  # on_or_after


def describe(spec: dict[str, Any], scope: Any) -> str:
    """Why the comparison failed, for the engine of record's error."""
    left = value_at(scope, spec["left"])
    other = _ROOT.get() if spec["from"] == "manifest" else scope
    right = value_at(other, spec["right"])
    name = ".".join(spec["right"])
    return f"{left!r} is not {spec['op'].replace('_', ' ')} {name} ({right!r})"
