"""A rule author's regular expression can never hang a run.

Both engines match patterns in linear time: jsonschema-rs with the Rust regex crate and
jsonschema with RE2. A pattern neither can match that way (lookaround, backreferences) is
refused when the rule is loaded, with its position, so the two engines take the same
patterns. '^(a+)+$' against 50,000 'a's and a '!' would take Python's re longer than the
age of the universe: the runs below make Python's re refuse to match it at all, so they
show which engine matched it without timing anything.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, base_manifest
from test_hardening_yaml import Bounded, bounded

from govlint.engine.compile import regex_problem
from govlint.engine.condition import Condition
from govlint.engine.rules import compile_rule, load_rules
from govlint.load import load_text

RULE = """\
id: ORG-001
name: org-rule
title: A rule with a pattern
principle: data
severity: error
require:
  {clause}
message: the name does not have the house format
rationale: Names follow the house format.
remediation: Rename the initiative.
references:
  - id: ISO-IEC-42001-2023:A.6
examples:
  pass: [{{}}]
  fail: [{{metadata: {{name: x}}}}]
"""
CLAUSE_LINE = 7  # the line of the clause in RULE
HOSTILE_NAME = "a" * 50_000 + "!"
HOSTILE = "^(a+)+$"

#: run first in a child process: Python's backtracking re may compile HOSTILE (to check
#: it), but matching anything with it ends the process with 97
BACKTRACKING_GUARD = f"""\
import os, re, sys
HOSTILE = {HOSTILE!r}

def refuse(*args, **kwargs):
    sys.stderr.write("matched " + HOSTILE + " with Python's backtracking re\\n")
    sys.stderr.flush()
    os._exit(97)

class Unmatchable:
    def __init__(self, compiled):
        self.compiled = compiled
    def __getattr__(self, name):
        if name in ("search", "match", "fullmatch", "findall", "finditer", "sub", "split"):
            return refuse
        return getattr(self.compiled, name)

python_compile = re.compile
re.compile = lambda p, flags=0: Unmatchable(python_compile(p, flags)) if p == HOSTILE else python_compile(p, flags)
for name in ("search", "match", "fullmatch"):
    def guarded(p, string, flags=0, original=getattr(re, name)):
        return refuse() if p == HOSTILE else original(p, string, flags)
    setattr(re, name, guarded)
"""


def guarded_govlint(*args: str, cwd: Path) -> Bounded:
    """``govlint ARGS`` in a child process whose Python re cannot match HOSTILE."""
    script = BACKTRACKING_GUARD + "from govlint.cli import main\nmain()\n"
    return bounded("-c", script, *args, cwd=cwd, python=True)


def project(tmp_path: Path, clause: str, manifest: str | None = None) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "ORG-001.yaml").write_text(RULE.format(clause=clause), encoding="utf-8")
    (tmp_path / ".govlint.yaml").write_text("rule_paths: [rules]\n", encoding="utf-8")
    text = manifest or base_manifest().replace("name: Example initiative", f"name: {HOSTILE_NAME}")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def org_findings(out: str) -> list[str]:
    return [line for line in out.splitlines() if " ORG-001 " in line]


# --- catastrophic backtracking ----------------------------------------------------------


#: where the base manifest's risk tier stands
TIER_AT = f"{base_manifest().splitlines().index('  tier: minimal') + 1}:9"


@pytest.mark.parametrize(
    ("clause", "where"),
    [
        # the pattern fails: the rule fails, and jsonschema explains where
        ("metadata.name: {matches: '^(a+)+$'}", "7:9"),
        # the pattern holds, but another clause fails: jsonschema evaluates both
        ("metadata.name: {not_matches: '^(a+)+$'}\n  risk.tier: {equals: high}", TIER_AT),
    ],
)
def test_a_backtracking_pattern_costs_linear_time(tmp_path: Path, clause: str, where: str) -> None:
    result = guarded_govlint("check", "--no-cache", "m.yaml", cwd=project(tmp_path, clause))
    assert result.code == 1
    assert org_findings(result.out) == [
        f"m.yaml:{where}: error ORG-001 the name does not have the house format"
    ]


def test_the_reference_engine_alone_is_linear_too(tmp_path: Path) -> None:
    """Without jsonschema-rs (or for data it cannot take, such as .nan), jsonschema decides."""
    manifest = (
        base_manifest().replace("name: Example initiative", f"name: {HOSTILE_NAME}")
        + "x-score: .nan\n"
    )  # not JSON: the fast engine is skipped for this manifest
    path = project(tmp_path, "metadata.name: {matches: '^(a+)+$'}", manifest)
    result = guarded_govlint("check", "--no-cache", "m.yaml", cwd=path)
    assert org_findings(result.out) == [
        "m.yaml:7:9: error ORG-001 the name does not have the house format"
    ]
    script = BACKTRACKING_GUARD + (
        "from govlint.engine.condition import Condition\n"
        "c = Condition.compile({'pattern': '^(a+)+$'}, fast=False)\n"
        "text = 'a' * 50_000 + '!'\n"
        "print(c.holds(text), [e.message == f'{text!r} does not match' + \" '^(a+)+$'\" "
        "for e in c.errors(text)])\n"
    )
    result = bounded("-c", script, cwd=tmp_path, python=True)
    assert result.out.strip() == "False [True]"


# --- patterns no linear-time engine can match are refused at load -------------------------


def rule_errors(clause: str) -> list[tuple[int, int, str]]:
    doc = load_text(RULE.format(clause=clause), "rules/ORG-001.yaml").documents[0]
    rule, errors = compile_rule(doc, dt.date(2026, 11, 29))
    assert rule is None
    assert {e.rule_id for e in errors} == {"GL030"}
    return [(e.line, e.column, e.message) for e in errors]


@pytest.mark.parametrize(
    ("pattern", "uses"),
    [
        ("P(?=[0-9])", "lookaround"),
        ("(?<!no-)reply", "lookaround"),
        ("(?!team)[a-z]+", "lookaround"),
        ("(.)\\1", "backreferences"),
        ("(?P<c>[a-z])(?P=c)", "backreferences"),
        ("(?>a+)b", "atomic groups"),
        ("a++b", "possessive repetition"),
        ("(a)?(?(1)b|c)", "backreferences"),
        ("x{1,}+", "possessive repetition"),
        ("[a-z]?+", "possessive repetition"),
    ],
)
@pytest.mark.parametrize("operator", ["matches", "not_matches"])
def test_lookaround_and_backreferences_are_refused_where_they_are_written(
    operator: str, pattern: str, uses: str
) -> None:
    clause = f"metadata.name: {{{operator}: '{pattern}'}}"
    column = 3 + len("metadata.name: {") + len(operator) + 2  # the quoted pattern
    assert rule_errors(clause) == [
        (
            CLAUSE_LINE,
            column,
            f"{operator!r} takes a regular expression: {pattern!r} uses {uses}, which cannot "
            "be matched in linear time; rewrite it without them (a 'not' or 'all' clause can "
            "often say the same)",
        )
    ]


@pytest.mark.parametrize(
    "pattern",
    ["[(?=]x", "\\(?=x\\)", "[(?<!]", "a+?b", "\\\\1", "[+]+", "a{,2}", "{+", "(?i)(?:ab)+"],
)
def test_what_only_looks_like_those_is_taken(pattern: str) -> None:
    assert regex_problem(pattern) is None


def test_what_re2_cannot_compile_is_refused_with_its_reason() -> None:
    assert rule_errors("metadata.name: {matches: 'a{1001}'}") == [
        (
            CLAUSE_LINE,
            28,
            "'matches' takes a regular expression: 'a{1001}' is not supported by RE2, the "
            "linear-time engine that matches rule patterns (invalid repetition size: "
            "{1001}); rewrite it",
        )
    ]


def test_patterns_in_raw_schemas_are_checked_too() -> None:
    clause = textwrap.indent(
        textwrap.dedent(
            """\
            schema:
              properties:
                metadata:
                  properties:
                    name: {pattern: '(a)\\1'}
                    owner:
                      patternProperties:
                        '^(?=x)': {type: string}
            """
        ),
        "  ",
    ).strip()
    errors = rule_errors(clause)
    assert [(line, column) for line, column, _ in errors] == [
        (CLAUSE_LINE + 7, 15),  # the key '^(?=x)' of patternProperties
        (CLAUSE_LINE + 4, 27),  # the pattern's value
    ]
    assert errors[0][2] == (
        "'^(?=x)' uses lookaround, which cannot be matched in linear time; rewrite it "
        "without them (a 'not' or 'all' clause can often say the same)"
    )
    assert errors[1][2].startswith("'(a)\\\\1' uses backreferences")


def test_refusing_a_pattern_prints_nothing_but_the_finding(tmp_path: Path) -> None:
    """RE2 logs every pattern it cannot compile to stderr unless told not to."""
    path = project(tmp_path, "metadata.name: {matches: '(?x) a'}")
    result = bounded("check", "--no-cache", "m.yaml", cwd=path)
    assert result.code == 2
    assert result.err.splitlines() == [
        "rules/ORG-001.yaml:7:28: error GL030 'matches' takes a regular expression: '(?x) a' "
        "is not supported by RE2, the linear-time engine that matches rule patterns (invalid "
        "perl operator: (?x); rewrite it",
        "govlint: error: 1 problem in rules, policies or configuration; fix them first",
    ]


def test_every_builtin_rule_pattern_is_linear() -> None:
    ruleset = load_rules([(REPO / "rules", "rules")], dt.date(2026, 11, 29))
    assert ruleset.errors == []
    patterns = [
        p for rule in ruleset.rules.values() for p in _patterns(rule.spec.model_dump(by_alias=True))
    ]
    assert len(patterns) >= 5
    assert [p for p in patterns if regex_problem(p) is not None] == []


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [
            v for k, v in node.items() if k in ("matches", "not_matches") and isinstance(v, str)
        ]
        return found + [p for v in node.values() for p in _patterns(v)]
    if isinstance(node, list):
        return [p for v in node for p in _patterns(v)]
    return []


# --- the two engines agree ----------------------------------------------------------------

TEXTS = [
    "",
    "Alex Example",
    "Zoë Ürün",
    "coördinator Team",
    "Service desk\n",
    "info@example.org",
    "P2Y",
    "P1Y6M",
    "P",
    "18 months",
    "2 jaren ",
    "https://example.org/docs",
    "Annex III, point 4",
    "bijlage I",
    "a" * 200 + "!",
]


def test_both_engines_agree_on_the_patterns_rules_use() -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    assert jsonschema_rs is not None
    ruleset = load_rules([(REPO / "rules", "rules")], dt.date(2026, 11, 29))
    patterns = {
        p for rule in ruleset.rules.values() for p in _patterns(rule.spec.model_dump(by_alias=True))
    } | {"^(a+)+$", "^[a-z]+(-[a-z]+)*$", "(?i)^(team|office)$", "^\\d{4}-\\d{2}$", "x$"}
    compared = 0
    for pattern in sorted(patterns):
        condition = Condition.compile({"pattern": pattern})
        assert condition.fast is not None, pattern
        for text in TEXTS + UNICODE_TEXTS:
            assert condition.fast.is_valid(text) == condition.python.is_valid(text), (pattern, text)
            compared += 1
    assert compared > 100


#: patterns with the classes and boundaries that RE2 reads as ASCII and the Rust regex
#: crate as Unicode, unless govlint spells them out for it
SHORTHANDS = [
    "^a\\sb$",
    "\\bteam\\b",
    "(?i)\\bk",
    "x\\b",
    "^\\S+$",
    "^\\d+$",
    "^\\D+$",
    "^\\w+$",
    "\\W",
    "(?i)^[\\w-]+$",
    "(?i)^\\W+$",
    "^[\\s,]+$",
    "^[^\\s]$",
    "^[\\d\\s]{2}$",
    "^\\s*$",
    "^[\\w.]+@",
]
#: texts where ASCII and Unicode readings differ: a no-break space, a vertical tab, an em
#: space, letters with accents, an Arabic-Indic digit, the Kelvin sign and the long s (both
#: fold to ASCII letters), a combining accent
UNICODE_TEXTS = [
    "a\u00a0b",
    "a b",
    "a\u000bb",
    "\u2003",
    " ",
    "ëteam",
    "team",
    "Zoë Ürün",
    "coördinator Team",
    "\u0663",
    "42",
    "\u212a",
    "\u017f",
    "k",
    "e\u0301",
    "a,b",
    "x_y@example.org",
    "ü@example.org",
    "xë",
    "x-ray",
]


@pytest.mark.parametrize("pattern", SHORTHANDS)
def test_both_engines_read_shorthand_classes_as_ascii(pattern: str) -> None:
    pytest.importorskip("jsonschema_rs")
    assert regex_problem(pattern) is None
    condition = Condition.compile({"pattern": pattern})
    assert condition.fast is not None, pattern  # else only one engine is compared
    verdicts = set()
    for text in UNICODE_TEXTS:
        fast, reference = condition.fast.is_valid(text), condition.python.is_valid(text)
        assert fast == reference, (pattern, text)
        verdicts.add(reference)
    assert verdicts == {True, False}, pattern  # the texts tell the pattern's readings apart


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        # RE2 reads \s, \d, \w and \b as ASCII: so does every rule
        ("^a\\sb$", "a\u00a0b", False),
        ("^a\\sb$", "a b", True),
        ("\\bteam\\b", "ëteam", True),  # 'ë' is no word character: a boundary before 't'
        ("\\bteam\\b", "steam", False),
        ("^\\d$", "\u0663", False),
        ("^\\w+$", "Zoë", False),
    ],
)
def test_shorthand_classes_mean_ascii(pattern: str, text: str, matches: bool) -> None:
    condition = Condition.compile({"pattern": pattern})
    assert condition.holds(text) is matches
    assert condition.python.is_valid(text) is matches


def test_a_rule_fires_on_text_the_unicode_reading_would_let_through(tmp_path: Path) -> None:
    """'Zoë' has a letter outside \\w; the rule must fire whichever engine answers."""
    manifest = base_manifest().replace("name: Example initiative", "name: Zoë")
    path = project(tmp_path, "metadata.name: {matches: '^\\w+$'}", manifest)
    result = bounded("check", "--no-cache", "m.yaml", cwd=path)
    assert org_findings(result.out) == [
        "m.yaml:7:9: error ORG-001 the name does not have the house format"
    ]


def test_a_negated_class_inside_brackets_is_refused_with_what_to_write() -> None:
    """The fast engine cannot nest classes, and [\\S,] has no ASCII spelling without one."""
    assert rule_errors("metadata.name: {matches: '^[\\S,]+$'}") == [
        (
            CLAUSE_LINE,
            28,
            "'matches' takes a regular expression: '^[\\\\S,]+$' uses \\S inside [...], which "
            "the two engines cannot be given alike; write it outside the brackets, for example "
            "(?:\\S|[...])",
        )
    ]


def test_not_at_a_word_boundary_is_refused_where_it_is_written() -> None:
    """RE2 finds \\B inside a letter of several bytes, the Rust crate does not."""
    assert rule_errors("metadata.name: {matches: 'a\\Bb'}") == [
        (
            CLAUSE_LINE,
            28,
            "'matches' takes a regular expression: 'a\\\\Bb' uses \\B, which RE2 and the Rust "
            "regex crate match differently next to letters that are not ASCII; rewrite it "
            "without \\B",
        )
    ]


def test_a_pattern_that_reaches_a_validator_directly_still_works() -> None:
    # rule files cannot hold it (see above), but the Condition API takes any schema
    condition = Condition.compile({"pattern": "(?<=a)b"})
    assert condition.fast is None  # the Rust regex crate has no lookbehind
    assert condition.holds("ab") and not condition.holds("cb")
