"""Suggestions for typos: the closest valid name, for every "did you mean ...?" message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: above this many names, only names sharing a three-letter piece with the word are
#: compared (difflib's ratio over thousands of names costs tens of milliseconds per typo)
LARGE = 200


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word`` (a case-only difference counts), or None."""
    options = list(choices)
    folded = {c.casefold(): c for c in options}
    if word.casefold() in folded and word not in folded.values():
        return folded[word.casefold()]
    if len(options) > LARGE:
        pieces = {word[i : i + 3] for i in range(max(1, len(word) - 2))}
        options = [o for o in options if any(piece in o for piece in pieces)]
    found = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(suggestion: str | None) -> str:
    """ "; did you mean 'x'?" to append to a message, or nothing without a suggestion."""
    return f"; did you mean {suggestion!r}?" if suggestion else ""
