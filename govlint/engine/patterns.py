"""Rule patterns: which regular expressions a rule may use, and how each engine runs them.

A rule's pattern is matched against text that anyone opening a pull request controls, so
it must never backtrack: '^(a+)+$' against 'aaaa...a!' would take longer than the age of
the universe in Python's re. Both engines match in linear time instead: jsonschema with
Google's RE2 (the engine of record) and jsonschema-rs with the Rust regex crate. Neither
can do lookaround or backreferences, so a pattern with them is refused when the rule is
loaded.

The two engines must also agree on what a pattern means, or a rule could fire in one and
not the other. RE2's ``\\s``, ``\\d``, ``\\w`` and ``\\b`` are ASCII-only, the Rust crate's
are Unicode: the fast engine is given each of them spelled out as RE2 means it
(``rust_pattern``). ``\\B`` cannot be spelled out the same way (RE2 finds it inside a
multi-byte letter), nor ``\\S``, ``\\D``, ``\\W`` inside brackets (that needs a nested
class, which the fast engine does not take), so they are refused.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

#: RE2's ASCII classes (https://github.com/google/re2/wiki/Syntax), as class contents
_ASCII = {"s": r"\t\n\f\r ", "d": "0-9", "w": "0-9A-Za-z_"}

_QUANTIFIER = re.compile(r"\{(?:\d+(?:,\d*)?|,\d+)\}")


@dataclass(frozen=True)
class _Token:
    text: str  # one character, an escape such as '\\d', '[' or '[^', ']', or '{m,n}'
    at: int  # where it starts in the pattern
    in_class: bool  # inside [...], the brackets themselves included


def _tokens(pattern: str) -> Iterator[_Token]:
    """The pieces of a pattern that Python's re accepts, left to right."""
    i, n, in_class = 0, len(pattern), False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            yield _Token(pattern[i : i + 2], i, in_class)
            i += 2
        elif in_class:
            in_class = ch != "]"
            yield _Token(ch, i, True)
            i += 1
        elif ch == "[":
            opening = "[^" if pattern.startswith("[^", i) else "["
            yield _Token(opening, i, True)
            i += len(opening)
            if pattern.startswith("]", i):  # a ']' first in a class is a literal
                yield _Token("]", i, True)
                i += 1
            in_class = True
        elif ch == "{" and (quantifier := _QUANTIFIER.match(pattern, i)):
            yield _Token(quantifier.group(), i, False)
            i = quantifier.end()
        else:
            yield _Token(ch, i, False)
            i += 1


def _unsafe_constructs(pattern: str) -> list[str]:
    """What no linear-time engine can match (lookaround, ...), ``\\B``, and ``\\S``, ``\\D``
    or ``\\W`` inside a class (the fast engine takes no nested class to spell them out)."""
    found = []
    after_repeat = False
    for token in _tokens(pattern):
        text, repeat = token.text, False
        if token.in_class:
            if text in ("\\S", "\\D", "\\W"):
                found.append(f"{text} inside [...]")
        elif text[:1] == "\\" and text[1:2].isdigit() and text[1:2] != "0":
            found.append("backreferences")
        elif text == "\\B":
            found.append("\\B")
        elif text == "(" and pattern.startswith("(?", token.at):
            rest = pattern[token.at + 2 :]
            if rest.startswith(("=", "!", "<=", "<!")):
                found.append("lookaround")
            elif rest.startswith(">"):
                found.append("atomic groups")
            elif rest.startswith(("P=", "(")):  # (?P=name), (?(1)yes|no)
                found.append("backreferences")
        elif text in ("*", "+", "?") or (text.startswith("{") and len(text) > 1):
            if after_repeat and text == "+":
                found.append("possessive repetition")
            repeat = True
        after_repeat = repeat
    return sorted(set(found))


def regex_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be a rule's regular expression, or None when it can."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"invalid regular expression: {exc}"
    except (RecursionError, OverflowError, ValueError) as exc:  # absurd nesting or sizes
        return f"invalid regular expression: {exc}"
    constructs = _unsafe_constructs(pattern)
    inside = [c for c in constructs if c.endswith("inside [...]")]
    if inside:
        return (
            f"{pattern!r} uses {inside[0]}, which the two engines cannot be given alike; "
            f"write it outside the brackets, for example (?:{inside[0][:2]}|[...])"
        )
    if "\\B" in constructs:
        return (
            f"{pattern!r} uses \\B, which RE2 and the Rust regex crate match differently "
            "next to letters that are not ASCII; rewrite it without \\B"
        )
    if constructs:
        return (
            f"{pattern!r} uses {' and '.join(constructs)}, which cannot be matched in linear "
            "time; rewrite it without them (a 'not' or 'all' clause can often say the same)"
        )
    re2 = _re2()
    if re2 is not None:
        try:
            re2.compile(pattern, _re2_options())
        except re2.error as exc:
            reason = exc.args[0] if exc.args else exc
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", "replace")
            return (
                f"{pattern!r} is not supported by RE2, the linear-time engine that matches "
                f"rule patterns ({reason}); rewrite it"
            )
    return None


def rust_pattern(pattern: str) -> str:
    """``pattern`` for the Rust regex crate, meaning what it means in RE2.

    ``\\s``, ``\\d``, ``\\w`` (and their negations) become explicit ASCII classes, ``\\b``
    the crate's ASCII word boundary ``(?-u:\\b)``; everything else is written alike.
    """
    out = []
    for token in _tokens(pattern):
        text = token.text
        letter = text[1:] if len(text) == 2 and text[0] == "\\" else ""
        ascii_class = _ASCII.get(letter.lower())
        if ascii_class is not None:
            negated = letter.isupper()
            if token.in_class:  # negated ones are refused there (see _unsafe_constructs)
                out.append(ascii_class)
            else:
                out.append(f"[{'^' if negated else ''}{ascii_class}]")
        elif text == "\\b" and not token.in_class:
            out.append("(?-u:\\b)")
        else:
            out.append(text)
    return "".join(out)


@functools.lru_cache(maxsize=1)
def _re2() -> Any:
    """The RE2 module, or None where ``google-re2`` is not installed."""
    try:
        import re2
    except ImportError:
        return None
    return re2


@functools.lru_cache(maxsize=1)
def _re2_options() -> Any:
    options = _re2().Options()
    options.log_errors = False  # RE2 prints every compile error to stderr otherwise
    return options


@functools.lru_cache(maxsize=4096)
def regex_search(pattern: str) -> Callable[[str], bool]:
    """Whether ``pattern`` matches somewhere in a text, in linear time where possible.

    RE2 when it is installed and takes the pattern (every pattern of a loaded rule); else
    Python's re, for patterns that reach a validator some other way.
    """
    re2 = _re2()
    if re2 is not None:
        try:
            compiled = re2.compile(pattern, _re2_options())
        except re2.error:
            pass
        else:
            return lambda text: compiled.search(text) is not None
    python = re.compile(pattern)
    return lambda text: python.search(text) is not None
