"""Suggestions for typos: the closest valid name, for every "did you mean ...?" message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word`` (a case-only difference counts), or None."""
    options = list(choices)
    found = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if found:
        return found[0]
    folded = {c.casefold(): c for c in options}
    return folded.get(word.casefold())
