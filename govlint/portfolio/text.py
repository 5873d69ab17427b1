"""The words of purpose texts and names, in English and Dutch, for comparing initiatives.

A text is folded (case, diacritics), split into words, stripped of its language's stop
words and stemmed with the Snowball stemmer of its language, so that "documenten" and
"document", or "forecasting" and "forecasts", are one word.

Dutch writes compounds as one word: "anonimiseringstool" is an "anonimisering" tool. A
stemmer leaves such a word whole, so the normaliser first splits off a known head noun
(tool, software, systeem, ...; see ``HEADS``) together with the linking "s" or "e"
before it. The list is short and fixed on purpose: a split that depends on the other
manifests would make a manifest's words, and so the clusters, change when an unrelated
file is added, and a general decompounder would need a dictionary govlint does not ship.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Literal

from govlint.context import bound

Language = Literal["english", "dutch"]
LANGUAGES: tuple[Language, ...] = ("english", "dutch")

_WORD = re.compile(r"[^\W\d_]{2,}|\d+", re.UNICODE)

STOPWORDS: dict[Language, frozenset[str]] = {
    "english": frozenset(
        """a about above after all also an and any are as at be been before being between
        both but by can could did do does each for from had has have how if in into is it
        its more most no nor not of on only or other our out over own per same should so
        some such than that the their them then there these they this those through to too
        under up using uses use very was we were what when where which while who will with
        within would you your""".split()
    ),
    "dutch": frozenset(
        """aan al alle als bij dan dat de deze die dit door een en er ervoor geen hebben het
        hij hun in is je kan kunnen maar met na naar niet nog of om onder ons ook op over
        per te ten ter tot tussen uit van veel voor waar wat we wel welke wie wij worden
        wordt zal ze zich zij zijn zo zoals""".split()
    ),
}

#: head nouns a Dutch compound is split at ("anonimiseringstool" -> anonimisering + tool);
#: for names they are generic, so "X-tool" and "X-software" name the same thing
HEADS: tuple[str, ...] = (
    "software",
    "applicatie",
    "toepassing",
    "oplossing",
    "systeem",
    "platform",
    "assistent",
    "chatbot",
    "module",
    "portaal",
    "dienst",
    "model",
    "tool",
    "app",
    "bot",
)
#: words that say what kind of thing a product is, not which one: left out of comparisons
GENERIC: frozenset[str] = frozenset(
    (*HEADS, "system", "tool", "application", "solution", "service", "assistant", "project")
)
_MIN_MODIFIER = 5  # "anoniem" + "tool" splits; "pistool" (pis + tool) does not


#: texts remembered by the pure functions below: a long-running server (``govlint lsp``)
#: compares the same unchanged purposes again on every edit
_REMEMBERED = 1 << 16


@lru_cache(maxsize=_REMEMBERED)
def fold(text: str) -> str:
    """Lower case without diacritics: "Coördinatie" and "coordinatie" are one word."""
    if text.isascii():  # no ASCII character decomposes or combines: the same, 20x faster
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class Vocabulary:
    """The languages and words of texts worked out in earlier runs, kept by the cache between
    runs (``govlint.cache.Memo``): a pre-commit hook compares every purpose of the portfolio
    again, and stemming them all costs more than reading them back. ``used`` holds what this
    run asked for, so that what is kept stays the size of the portfolio."""

    languages: dict[str, Language] = field(default_factory=dict)
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language + "\x1f" + text
    used: set[str] = field(default_factory=set)
    learnt: bool = False  # something was worked out that was not kept yet

    def language(self, text: str) -> Language:
        found = self.languages.get(text)
        if found is None:
            found = self.languages[text] = _language_of(text)
            self.learnt = True
        self.used.add(text)
        return found

    def words_of(self, text: str, language: Language) -> tuple[str, ...]:
        key = f"{language}\x1f{text}"
        found = self.words.get(key)
        if found is None:
            found = self.words[key] = _words(text, language)
            self.learnt = True
        self.used.add(key)
        return found


_VOCABULARY: contextvars.ContextVar[Vocabulary | None] = contextvars.ContextVar(
    "govlint_vocabulary", default=None
)


def vocabulary(known: Vocabulary) -> contextlib.AbstractContextManager[Vocabulary | None]:
    """Within this block, languages and words are looked up in (and added to) ``known``."""
    return bound(_VOCABULARY, known)


def language_of(text: str) -> Language:
    """Dutch when the text holds more Dutch than English stop words, else English."""
    known = _VOCABULARY.get()
    return _language_of(text) if known is None else known.language(text)


@lru_cache(maxsize=_REMEMBERED)
def _language_of(text: str) -> Language:
    words = _WORD.findall(fold(text))
    dutch = sum(w in STOPWORDS["dutch"] for w in words)
    english = sum(w in STOPWORDS["english"] for w in words)
    return "dutch" if dutch > english else "english"


@cache
def _stemmer(language: Language) -> object:
    import snowballstemmer

    return snowballstemmer.stemmer(language)


@cache
def _stem(word: str, language: Language) -> str:
    return str(_stemmer(language).stemWord(word))  # type: ignore[attr-defined]


def split_compound(word: str) -> tuple[str, ...]:
    """A Dutch compound split at a known head noun, with its linking s or e dropped."""
    for head in HEADS:
        if word.endswith(head) and len(word) - len(head) >= _MIN_MODIFIER:
            modifier = word[: -len(head)]
            if modifier.endswith(("s", "e")) and len(modifier) > _MIN_MODIFIER:
                modifier = modifier[:-1]
            return (*split_compound(modifier), head)
    return (word,)


@cache
def _generic(language: Language) -> frozenset[str]:
    return frozenset(_stem(g, language) for g in GENERIC)


def words(text: str, language: Language) -> tuple[str, ...]:
    """The stemmed content words of ``text``, in order: stop words, one-letter words and
    generic words ("an anonymisation tool", "anonymisation software") left out."""
    known = _VOCABULARY.get()
    return _words(text, language) if known is None else known.words_of(text, language)


@lru_cache(maxsize=_REMEMBERED)
def _words(text: str, language: Language) -> tuple[str, ...]:
    stop = STOPWORDS[language]
    generic = _generic(language)
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        if word in stop:
            continue
        parts = split_compound(word) if language == "dutch" else (word,)
        stems = (_stem(part, language) for part in parts if part not in stop)
        out.extend(s for s in stems if s not in generic)
    return tuple(out)


def name_key(text: str, language: Language) -> str:
    """What a name says, order-free: "Anonimiseringstool" and "Anonimiseren" have the same
    key; an empty key means the name says nothing specific."""
    return " ".join(sorted(set(words(text, language))))
