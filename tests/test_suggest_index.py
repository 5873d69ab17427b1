"""The indexed suggestions (``Names``) answer exactly what the scan (``closest``) answers."""

from __future__ import annotations

import random

from govlint.suggest import LARGE, Names, closest


def _names(rng: random.Random, count: int) -> list[str]:
    parts = ["data", "case", "benefit", "payment", "income", "support", "permit", "claim", "x"]
    return [f"{rng.choice(parts)}-{rng.choice(parts)}-{i}" for i in range(count)]


def _typos(rng: random.Random, names: list[str]) -> list[str]:
    out = ["", "a", "ab", "DATA-CASE-1", "zzz-unrelated", "benefit-payment"]
    for name in rng.sample(names, 60):
        i = rng.randrange(len(name))
        out += [name[:i] + name[i + 1 :], name.upper(), name[:i] + "q" + name[i:]]
    return out


def test_index_agrees_with_the_scan_on_many_names() -> None:
    rng = random.Random(7)
    names = _names(rng, LARGE * 5)
    names += ["Data-Case-1", "data-case-1"]  # names that differ only in case
    index = Names(names)
    for word in _typos(rng, names):
        assert index.closest(word) == closest(word, names), word


def test_index_agrees_with_the_scan_on_few_names() -> None:
    rng = random.Random(8)
    names = _names(rng, 20)
    index = Names(names)
    for word in _typos(rng, names[:20] * 3):
        assert index.closest(word) == closest(word, names), word
