"""How govlint words what it counts: '1 rule', '2 rules'."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` and ``noun``, in the plural (``nouns``, else noun + 's') unless it is 1."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
