"""A context variable set for the length of a ``with`` block."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")


@contextlib.contextmanager
def bound(variable: contextvars.ContextVar[T], value: T) -> Iterator[T]:
    """Within this block, ``variable`` holds ``value``; afterwards what it held before."""
    token = variable.set(value)
    try:
        yield value
    finally:
        variable.reset(token)
