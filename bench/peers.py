"""The peers' rules: govlint's per-manifest rules written as plain JSON Schema and for Spectral.

check-jsonschema gets one JSON Schema: govlint's own manifest schema (``govlint schema``) plus
one ``if``/``then`` clause per rule below, in ``allOf``. Spectral gets ``bench/.spectral.yaml``
(the same rules, written by hand as a Spectral user would) extended with one rule that applies
govlint's manifest schema, so every tool checks the structure and the same rules.

The clauses follow govlint's rule semantics: ``path: {op}`` holds only when the value is present
and not null; ``each`` holds for a missing list. Rules that compare dates with today, or that
need the whole portfolio, have no plain JSON Schema equivalent and are left out.

    python bench/peers.py OUT_DIR     # write the schema and the Spectral ruleset, for manual runs
"""

from __future__ import annotations

import copy
import functools
import json
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
SPECTRAL_RULESET = BENCH / ".spectral.yaml"

Schema = dict[str, Any]

# -- building blocks with govlint's semantics ----------------------------------------------


def has(path: str, value: Schema | None = None) -> Schema:
    """``path`` is present and not null (every level a mapping) and its value matches ``value``."""
    leaf: Schema = {"not": {"type": "null"}}
    if value:
        leaf = {"allOf": [leaf, value]}
    for part in reversed(path.split(".")):
        leaf = {"type": "object", "required": [part], "properties": {part: leaf}}
    return leaf


def each(path: str, require: Schema, where: Schema | None = None) -> Schema:
    """Every item of the list at ``path`` (that matches ``where``) matches ``require``."""
    items = {"if": where, "then": require} if where is not None else require
    schema: Schema = {"type": "array", "items": items}
    for part in reversed(path.split(".")):
        schema = {"properties": {part: schema}}
    return schema


def some(path: str, where: Schema) -> Schema:
    """The list at ``path`` exists and has at least one item that matches ``where``."""
    return has(path, {"type": "array", "contains": where})


def when(condition: Schema, require: Schema) -> Schema:
    return {"if": condition, "then": require}


def equals(value: Any) -> Schema:
    return {"const": value}


def one_of(*values: Any) -> Schema:
    return {"enum": list(values)}


def not_equals(value: Any) -> Schema:
    return {"not": {"const": value}}


HIGH = has("risk.tier", equals("high"))
IN_USE = has("lifecycle.status", one_of("pilot", "production"))
ACTIVE = has("lifecycle.status", not_equals("retired"))
PROVIDERS = ("provider", "provider-and-deployer")


@dataclass(frozen=True)
class PeerRule:
    """One govlint rule, as a JSON Schema clause, and the name of its Spectral twin."""

    id: str
    name: str
    clause: Schema

    @property
    def spectral(self) -> str:
        return f"{self.id.lower()}-{self.name}"


RULES: tuple[PeerRule, ...] = (
    PeerRule(
        "CON-001",
        "contributes-to-the-whole",
        {
            "anyOf": [
                has("contribution.platform"),
                has("contribution.capabilities.reuses", {"minItems": 1}),
                has("contribution.capabilities.provides", {"minItems": 1}),
                has("contribution.strategic_goals", {"minItems": 1}),
            ]
        },
    ),
    PeerRule(
        "CON-004",
        "redesign-names-customer-journey",
        when(
            has("purpose.horizon", one_of("redesign", "new-service")),
            has("purpose.customer_journey"),
        ),
    ),
    PeerRule(
        "CON-005",
        "third-party-model-names-supplier",
        when(has("model.in_house", equals(False)), has("model.supplier")),
    ),
    PeerRule("DAT-001", "source-uses-glossary-term", each("data.sources", has("glossary_term"))),
    PeerRule(
        "DAT-002",
        "personal-data-lawful-basis",
        each("data.sources", has("lawful_basis"), where=has("personal_data", equals(True))),
    ),
    PeerRule(
        "DAT-003",
        "personal-data-retention",
        each("data.sources", has("retention"), where=has("personal_data", equals(True))),
    ),
    PeerRule(
        "DAT-004",
        "special-categories-are-personal-data",
        each(
            "data.sources",
            has("personal_data", equals(True)),
            where=has("special_categories", {"minItems": 1}),
        ),
    ),
    PeerRule(
        "DAT-009",
        "data-sources-declared",
        when(
            has("lifecycle.status", one_of("development", "pilot", "production")),
            has("data.sources", {"minItems": 1}),
        ),
    ),
    PeerRule(
        "ETH-001",
        "no-prohibited-practices",
        when(ACTIVE, has("risk.tier", not_equals("prohibited"))),
    ),
    PeerRule(
        "ETH-002",
        "high-risk-fria-before-use",
        when(
            {
                "allOf": [
                    HIGH,
                    has("risk.annex_iii_area", not_equals("critical-infrastructure")),
                    IN_USE,
                ]
            },
            some(
                "ethics.impact_assessments",
                {"allOf": [has("type", equals("FRIA")), has("status", equals("completed"))]},
            ),
        ),
    ),
    PeerRule(
        "EXP-004",
        "ai-interaction-disclosed",
        when(
            # Art. 50(1) follows the fact, whatever the tier; it binds providers (a role
            # that is not declared counts as bound)
            {
                "allOf": [
                    has("transparency.interacts_with_people", equals(True)),
                    {"not": has("organisation.role", equals("deployer"))},
                ]
            },
            has("transparency.people_informed", equals(True)),
        ),
    ),
    PeerRule(
        "EXP-009",
        "high-risk-technical-documentation",
        # Art. 11(1) and 16(a) bind the provider: a deployer, or a role declared nowhere
        # (not assessable), is not flagged
        when(
            {"allOf": [HIGH, has("organisation.role", one_of(*PROVIDERS))]},
            has("model.documentation", {"type": "string", "pattern": r"^https?://\S+$"}),
        ),
    ),
    PeerRule("EXP-010", "high-risk-logging", when(HIGH, has("model.logging", equals(True)))),
    PeerRule(
        "HUM-001",
        "high-risk-needs-oversight",
        when(HIGH, has("human_role.oversight", {"not": {"enum": ["none"]}})),
    ),
    PeerRule(
        "HUM-002",
        "high-risk-override-possible",
        when(HIGH, has("human_role.override", equals(True))),
    ),
    PeerRule(
        "HUM-003",
        "high-risk-operators-trained",
        when(HIGH, has("human_role.operator_training", equals(True))),
    ),
    PeerRule("LIF-001", "review-date-set", when(ACTIVE, has("lifecycle.review_date"))),
)

# -- govlint's schema, and the peers' files -------------------------------------------------


def govlint_schema(python: str = sys.executable) -> Schema:
    """The manifest schema, from the public command (not from govlint's internals)."""
    out = subprocess.run(
        [python, "-m", "govlint", "schema", "--kind", "initiative"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)  # type: ignore[no-any-return]


def peer_schema(base: Schema, rules: Iterable[PeerRule] = RULES) -> Schema:
    """govlint's schema plus every rule as one ``allOf`` clause (``$comment`` names the rule)."""
    schema = copy.deepcopy(base)
    clauses = [{"$comment": f"{r.id} {r.name}", **r.clause} for r in rules]
    schema["allOf"] = [*schema.get("allOf", []), *clauses]
    schema["$comment"] = (
        f"{base.get('$comment', 'govlint schema')} Plus {len(clauses)} govlint rules as "
        "if/then clauses (bench/peers.py)."
    )
    return schema


def inline_refs(schema: Schema) -> Schema:
    """The schema with every local ``$ref`` replaced by its target (Spectral resolves ``$ref``
    against the ruleset file, not against the schema, so ``#/$defs/...`` must go)."""
    defs = schema.get("$defs", {})

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(v, seen) for v in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        rest = {k: walk(v, seen) for k, v in node.items() if k != "$ref"}
        if not isinstance(ref, str):
            return rest
        name = ref.rsplit("/", 1)[-1]
        if not ref.startswith("#/$defs/") or name not in defs or name in seen:
            raise ValueError(f"cannot inline $ref {ref!r}")
        target = walk(defs[name], (*seen, name))
        return {"allOf": [target], **rest} if rest else target

    inlined = walk({k: v for k, v in schema.items() if k not in ("$defs", "$schema")}, ())
    return inlined  # type: ignore[no-any-return]


def spectral_ruleset(base: Schema, rules_file: Path = SPECTRAL_RULESET) -> Schema:
    """bench/.spectral.yaml plus a rule that checks govlint's manifest schema."""
    return {
        "extends": [str(rules_file.resolve())],
        "rules": {
            "govlint-schema": {
                "description": "The manifest matches govlint's schema (govlint schema)",
                "severity": "error",
                "given": "$",
                "then": {
                    "function": "schema",
                    "functionOptions": {"dialect": "draft2020-12", "schema": inline_refs(base)},
                },
            }
        },
    }


def write_peer_files(out: Path, python: str = sys.executable) -> tuple[Path, Path]:
    """Write ``initiative-rules.schema.json`` and ``spectral-ruleset.json`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    base = govlint_schema(python)
    schema_path = out / "initiative-rules.schema.json"
    schema_path.write_text(json.dumps(peer_schema(base), indent=1) + "\n", encoding="utf-8")
    ruleset_path = out / "spectral-ruleset.json"
    ruleset_path.write_text(json.dumps(spectral_ruleset(base), indent=1) + "\n", encoding="utf-8")
    return schema_path, ruleset_path


# -- which rules a manifest breaks, as JSON Schema sees it (for the equivalence check) -------


@functools.lru_cache(maxsize=1)
def _validators() -> list[tuple[str, Any]]:
    from jsonschema import Draft202012Validator

    return [(r.id, Draft202012Validator(r.clause)) for r in RULES]


def broken_rules(instance: Any) -> list[str]:
    """Ids of the rules whose clause ``instance`` does not satisfy."""
    return [rule_id for rule_id, v in _validators() if not v.is_valid(instance)]


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python bench/peers.py OUT_DIR", file=sys.stderr)
        return 2
    schema_path, ruleset_path = write_peer_files(Path(args[0]))
    print(f"check-jsonschema --schemafile {schema_path} initiatives/*.yaml")
    print(f"spectral lint --ruleset {ruleset_path} 'initiatives/*.yaml'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
