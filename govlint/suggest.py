"""Suggestions for typos: the closest valid name, for every "did you mean ...?" message."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable

#: above this many names, only names sharing a three-letter piece with the word are
#: compared (difflib's ratio over thousands of names costs tens of milliseconds per typo)
LARGE = 200


def _pieces(word: str) -> set[str]:
    return {word[i : i + 3] for i in range(max(1, len(word) - 2))}


def _case_only(word: str, folded: dict[str, str], kept: set[str]) -> str | None:
    if word.casefold() in folded and word not in kept:
        return folded[word.casefold()]
    return None


def _best(word: str, options: list[str]) -> str | None:
    found = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return found[0] if found else None


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word`` (a case-only difference counts), or None."""
    options = list(choices)
    folded = {c.casefold(): c for c in options}
    case = _case_only(word, folded, set(folded.values()))
    if case is not None:
        return case
    if len(options) > LARGE:
        pieces = _pieces(word)
        options = [o for o in options if any(piece in o for piece in pieces)]
    return _best(word, options)


class Names:
    """Valid names indexed once for many suggestions: ``Names(c).closest(w)`` answers what
    ``closest(w, c)`` does, but looks up the names sharing a piece with ``w`` in an index
    instead of scanning them all (a portfolio of 10,000 with a thousand typos)."""

    def __init__(self, choices: Iterable[str]) -> None:
        self.options = list(choices)
        self.folded = {c.casefold(): c for c in self.options}
        self.kept = set(self.folded.values())
        self.grams: dict[str, list[int]] = defaultdict(list)
        if len(self.options) > LARGE:
            for i, option in enumerate(self.options):
                for gram in {option[j : j + 3] for j in range(len(option) - 2)}:
                    self.grams[gram].append(i)

    def closest(self, word: str) -> str | None:
        case = _case_only(word, self.folded, self.kept)
        if case is not None:
            return case
        options = self.options
        if len(options) > LARGE:
            if len(word) < 3:  # the piece is the word itself, shorter than any gram
                options = [o for o in options if word in o]
            else:
                found = {i for gram in _pieces(word) for i in self.grams.get(gram, ())}
                options = [options[i] for i in sorted(found)]
        return _best(word, options)


def did_you_mean(suggestion: str | None) -> str:
    """ "; did you mean 'x'?" to append to a message, or nothing without a suggestion."""
    return f"; did you mean {suggestion!r}?" if suggestion else ""
