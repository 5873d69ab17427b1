"""Compile rule conditions, written like the manifest itself, to JSON Schema.

A clause is a mapping. Its keys are manifest paths, each with a mapping of operators
(``risk.tier: {equals: high}``), or one of the combinators ``all``, ``any``, ``not``,
``each`` / ``some`` (with ``where`` and ``require``) and ``schema`` (raw JSON Schema,
for experts). Several keys in one clause must all hold.

``path: {operators}`` holds when the value exists (is present and not null) and every
operator holds; ``exists: false`` / ``missing: true`` hold when it is absent or null.
Every problem is collected with the position of the offending key in the rule file.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from govlint.coverage import Read
from govlint.engine.compare import KEYWORD
from govlint.engine.lookup import KEYWORD as LOOKUP
from govlint.engine.lookup import Lookup, entry_schema
from govlint.engine.paths import PathError, Resolved, resolve, split
from govlint.engine.patterns import regex_problem
from govlint.engine.patterns import regex_search as regex_search  # evaluate.py imports it here
from govlint.engine.rawpaths import unknown_paths
from govlint.load import PathKey
from govlint.suggest import closest, did_you_mean

COMBINATORS = ("all", "any", "not", "each", "some", "if", "schema")
#: annotation on compiled schemas: the manifest path a failure of this schema is about
POINTER = "x-govlint-path"
#: annotation on compiled schemas: the message of a clause that has its own
MESSAGE = "x-govlint-message"
ITERATION_KEYS = ("where", "require", "at_least", "at_most")
#: what may stand next to 'each' / 'some'
ITERATION_ALLOWED = {"each": ("where", "require"), "some": ("where", "at_least", "at_most")}
CONDITIONAL_KEYS = ("if", "then", "else", "message")
#: operators that can compare with another field of the manifest: ``{field: path}``
REFERENCE_OPS = (
    "equals",
    "not_equals",
    "min",
    "max",
    "before",
    "after",
    "on_or_before",
    "on_or_after",
)

#: operator -> what its argument must be, for the error message
OPERATORS: dict[str, str] = {
    "equals": "a value",
    "not_equals": "a value",
    "in": "a list of values",
    "not_in": "a list of values",
    "exists": "true or false",
    "missing": "true or false",
    "matches": "a regular expression",
    "not_matches": "a regular expression",
    "min": "a number",
    "max": "a number",
    "length": "a whole number",
    "min_length": "a whole number",
    "max_length": "a whole number",
    "before": "a date (YYYY-MM-DD) or 'today', 'today+90d', 'today-1y'",
    "after": "a date (YYYY-MM-DD) or 'today', 'today+90d', 'today-1y'",
    "on_or_before": "a date (YYYY-MM-DD) or 'today', 'today+90d', 'today-1y'",
    "on_or_after": "a date (YYYY-MM-DD) or 'today', 'today+90d', 'today-1y'",
    "contains": "a value",
    "not_contains": "a value",
    "registry": "a registry section (e.g. suppliers), or one section with a condition on the "
    "entry (e.g. {suppliers: {approved_until: {on_or_after: today}}})",
}

#: operators that judge a value's presence or size, not what is inside it
_SHALLOW = {"exists", "missing", "length", "min_length", "max_length"}
_RELATIVE_DATE = re.compile(r"today(?:([+-])([0-9]+)([dwmy]))?")
DATE_KEYWORDS = {
    "before": "x-before",
    "after": "x-after",
    "on_or_before": "x-on-or-before",
    "on_or_after": "x-on-or-after",
}


@dataclass(frozen=True)
class CompileError:
    """A problem in a rule file, at ``at`` (a path inside the rule document)."""

    at: PathKey
    message: str
    #: the problem is the key itself (a typo), not its value
    key: bool = False


@dataclass
class Compiler:
    """Compiles clauses; collects errors instead of stopping at the first one."""

    today: dt.date
    errors: list[CompileError] = field(default_factory=list)
    #: manifest paths a clause names, first first: where a finding points when the
    #: failure cannot be pinned to a deeper value
    paths: list[tuple[str, ...]] = field(default_factory=list)
    #: item schemas of ``each``/``some`` lists, for ``{item.x}`` placeholders
    item_schemas: list[dict[str, Any]] = field(default_factory=list)
    #: the manifest paths of those lists, in the same order
    item_paths: list[tuple[str, ...]] = field(default_factory=list)
    #: every manifest path the clauses read, from the manifest's top (what makes a rule
    #: "not assessable" when the value there is missing where required, or invalid)
    reads: list[Read] = field(default_factory=list)
    #: the list being iterated over while compiling ``where``/``require`` of each/some
    prefix: tuple[str, ...] = ()
    #: compiling a rule's ``when``: clause messages are refused there
    in_when: bool = False
    #: clause messages, with where each is written, for the placeholder check
    messages: list[tuple[PathKey, str]] = field(default_factory=list)
    #: the ``registry`` operators: values that must name a registry entry
    lookups: list[Lookup] = field(default_factory=list)
    #: the rows of ``application_dates`` a date may be written as (a pack's ``pick``
    #: conditions: the cut-off follows the row when the configuration moves it); None:
    #: dates only
    dates: Mapping[str, dt.date] | None = None

    def error(self, at: PathKey, message: str, *, key: bool = False) -> dict[str, Any]:
        self.errors.append(CompileError(at, message, key))
        return {}

    # -- clauses ---------------------------------------------------------------

    def clause(self, node: Any, at: PathKey, base: dict[str, Any] | None = None) -> dict[str, Any]:
        if not isinstance(node, dict) or not node:
            return self.error(
                at,
                "expected a mapping of manifest paths to operators, "
                "e.g. {risk.tier: {equals: high}}",
            )
        if "message" in node:
            own = self._message(node["message"], (*at, "message"))
            rest = {k: v for k, v in node.items() if k != "message"}
            if not rest:
                return self.error(at, "a clause with a 'message' also needs its condition")
            compiled = self.clause(rest, at, base)
            if own is None or not compiled:
                return compiled
            # the message belongs to this clause: wrap so that no inner annotation is lost
            return {"allOf": [compiled], MESSAGE: own}
        if "if" in node:
            return self._conditional(node, at, base)
        if "each" in node or "some" in node:
            return self._iteration(node, at, base)
        parts: list[dict[str, Any]] = []
        for key, value in node.items():
            here = (*at, key)
            if key in ("then", "else"):
                self.error(here, f"{key!r} belongs next to 'if'", key=True)
            elif key in ITERATION_KEYS:
                self.error(here, f"{key!r} belongs next to 'each' or 'some'", key=True)
            elif key == "all" or key == "any":
                parts.append(self._list_of(key, value, here, base))
            elif key == "not":
                first = len(self.paths)
                negated: dict[str, Any] = {"not": self.clause(value, here, base)}
                if len(self.paths) > first:
                    # where a failing 'not' points: the first path it names (jsonschema
                    # reports a 'not' at the place of the clause, not of its paths)
                    negated[POINTER] = list(self.paths[first])
                parts.append(negated)
            elif key == "schema":
                parts.append(self._raw_schema(value, here))
                for where, problem in unknown_paths(value, here, base, self.prefix):
                    self.error(where, problem, key=True)
            else:
                parts.append(self._path(key, value, here, base))
        return parts[0] if len(parts) == 1 else {"allOf": parts}

    def _message(self, value: Any, at: PathKey) -> str | None:
        if self.in_when:
            self.error(at, "a clause 'message' belongs in 'require' (what must hold)", key=True)
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(at, "'message' takes the text of the finding when this clause fails")
            return None
        self.messages.append((at, value))
        return value

    def _conditional(
        self, node: dict[str, Any], at: PathKey, base: dict[str, Any] | None
    ) -> dict[str, Any]:
        for key in node:
            if key not in CONDITIONAL_KEYS:
                self.error(
                    (*at, key),
                    f"{key!r} is not allowed next to 'if' (next to 'if': then, else, message); "
                    "put more conditions in the 'then' clause, e.g. then: {all: [...]}",
                    key=True,
                )
        if "then" not in node:
            return self.error(
                (*at, "if"), "'if' needs a 'then' clause: what must hold when 'if' holds", key=True
            )
        compiled: dict[str, Any] = {
            "if": self.clause(node["if"], (*at, "if"), base),
            "then": self.clause(node["then"], (*at, "then"), base),
        }
        if "else" in node:
            compiled["else"] = self.clause(node["else"], (*at, "else"), base)
        return compiled

    def _list_of(
        self, key: str, value: Any, at: PathKey, base: dict[str, Any] | None
    ) -> dict[str, Any]:
        if not isinstance(value, list) or not value:
            return self.error(at, f"{key!r} takes a non-empty list of clauses")
        subs = [self.clause(item, (*at, i), base) for i, item in enumerate(value)]
        return {"allOf" if key == "all" else "anyOf": subs}

    def _iteration(
        self, node: dict[str, Any], at: PathKey, base: dict[str, Any] | None
    ) -> dict[str, Any]:
        mode = "each" if "each" in node else "some"
        counts = self._iteration_keys(node, at, mode)
        list_path = node[mode]
        if not isinstance(list_path, str):
            return self.error((*at, mode), f"{mode!r} takes the path of a list, e.g. data.sources")
        try:
            parts = split(list_path)
            resolved = resolve(list_path, base)
        except PathError as exc:
            return self.error((*at, mode), str(exc))
        if "array" not in resolved.types or resolved.item is None:
            return self.error((*at, mode), f"{list_path!r} is not a list; {mode!r} needs a list")
        self.paths.append(parts)
        self.item_schemas.append(resolved.item)
        absolute = (*self.prefix, *parts)
        self.item_paths.append(absolute)
        self.reads.append(Read(absolute, container=True))
        item = resolved.item
        outer, self.prefix = self.prefix, absolute
        try:
            where = self.clause(node["where"], (*at, "where"), item) if "where" in node else None
            require = (
                self.clause(node["require"], (*at, "require"), item)
                if mode == "each" and "require" in node
                else None
            )
        finally:
            self.prefix = outer
        if mode == "each":
            if require is None:
                return self.error(at, "'each' needs a 'require' clause for every item")
            items = {"if": where, "then": require} if where is not None else require
            return _nest(parts, {"type": "array", "items": items}, present=False)
        return self._some(node, at, parts, where, counts)

    def _iteration_keys(self, node: dict[str, Any], at: PathKey, mode: str) -> dict[str, int]:
        """Report the keys not allowed next to ``each``/``some``; the valid item counts."""
        allowed = (mode, *ITERATION_ALLOWED[mode])
        for key in node:
            if key not in allowed:
                self.error((*at, key), _not_next_to(str(key), mode), key=True)
        counts: dict[str, int] = {}
        for key in ("at_least", "at_most"):
            if mode == "some" and key in node:
                n = node[key]
                if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                    self.error((*at, key), f"{key!r} takes a whole number of items, e.g. 2")
                else:
                    counts[key] = n
        return counts

    def _some(
        self,
        node: dict[str, Any],
        at: PathKey,
        parts: tuple[str, ...],
        where: dict[str, Any] | None,
        counts: dict[str, int],
    ) -> dict[str, Any]:
        """The schema of a ``some`` clause: a matching item, or a count of them."""
        if where is None and not ({"at_least", "at_most"} & set(node)):
            return self.error(
                at, "'some' needs a 'where' clause (or 'at_least' / 'at_most' to count all items)"
            )
        if len(counts) < len({"at_least", "at_most"} & set(node)):
            return {}  # an invalid count, reported above
        some: dict[str, Any] = {"type": "array", "contains": where if where is not None else {}}
        if "at_least" in counts:
            some["minContains"] = counts["at_least"]
        if "at_most" in counts:
            some["maxContains"] = counts["at_most"]
            if "at_least" not in counts:
                # "at most N" holds for no matching item at all, and for no list
                some["minContains"] = 0
                return _nest(parts, some, present=False)
        return _nest(parts, some, present=True)

    def _raw_schema(self, value: Any, at: PathKey) -> dict[str, Any]:
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import SchemaError

        if not isinstance(value, dict):
            return self.error(at, "'schema' takes a JSON Schema mapping")
        try:
            Draft202012Validator.check_schema(value)
        except SchemaError as exc:
            where = (*at, *exc.absolute_path)
            return self.error(where, f"invalid JSON Schema: {exc.message}")
        self.reads.extend(Read((*self.prefix, *p)) for p in _raw_reads(value))
        failed = False
        for where, pattern in _raw_patterns(value, at):
            problem = regex_problem(pattern)
            if problem is not None:
                self.error(where, problem, key=where[-2:-1] == ("patternProperties",))
                failed = True
        for where, problem in _reference_problems(value, at):
            self.error(where, problem)
            failed = True
        if failed:
            return {}
        # its own base URI: a '#/...' reference means this schema, not the rule's whole one
        name = hashlib.sha256(repr(at).encode()).hexdigest()[:16]
        return {"$id": f"urn:govlint:raw-schema:{name}", **value}

    # -- paths and operators ---------------------------------------------------

    def _path(self, key: str, ops: Any, at: PathKey, base: dict[str, Any] | None) -> dict[str, Any]:
        try:
            parts = split(key)
            resolved = resolve(key, base)
        except PathError as exc:
            suggestion = _closest(key, COMBINATORS)
            message = str(exc)
            if suggestion and "." not in key:
                message = (
                    f"{key!r} is neither a manifest path nor a combinator{did_you_mean(suggestion)}"
                )
            return self.error(at, message, key=True)
        self.paths.append(parts)
        # a presence or length test does not look inside the value: an invalid item of a
        # list does not keep "at least one source" from being judged
        shallow = isinstance(ops, dict) and bool(ops) and set(ops) <= _SHALLOW
        self.reads.append(Read((*self.prefix, *parts), container=shallow))
        if not isinstance(ops, dict) or not ops:
            return self.error(
                at,
                f"{key!r} needs a mapping of operators, e.g. {{equals: ...}}, {{exists: true}}; "
                f"operators: {', '.join(OPERATORS)}",
            )
        leaf, compares, presence = self._path_operators(key, ops, at, base, parts, resolved)
        if presence is False:
            return _nest(parts, {"type": "null"}, present=False)
        body: dict[str, Any] = {"not": {"type": "null"}}
        if leaf:
            body = {"allOf": [body, *leaf]}
        nested = _nest(parts, body, present=True)
        return {"allOf": [nested, *compares]} if compares else nested

    def _path_operators(
        self,
        key: str,
        ops: dict[str, Any],
        at: PathKey,
        base: dict[str, Any] | None,
        parts: tuple[str, ...],
        resolved: Resolved,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool | None]:
        """The operator schemas, the field comparisons and whether the value must be present."""
        leaf: list[dict[str, Any]] = []
        compares: list[dict[str, Any]] = []
        presence: bool | None = True
        for op, arg in ops.items():
            here = (*at, op)
            if op == "registry":
                lookup = self._registry(arg, resolved, here, parts)
                if lookup is not None:
                    leaf.append(lookup)
                continue
            if isinstance(arg, dict) and op in OPERATORS:
                if op not in REFERENCE_OPS:
                    self.error(
                        here,
                        f"{op!r} cannot compare with another field; {{field: ...}} works with: "
                        f"{', '.join(REFERENCE_OPS)}",
                    )
                    continue
                compare = self._reference(op, arg, key, resolved, here, base)
                if compare is not None:
                    compares.append({KEYWORD: compare, POINTER: list(parts)})
                continue
            if op not in OPERATORS:
                hint = _closest(str(op), OPERATORS)
                self.error(
                    here,
                    key=True,
                    message=f"unknown operator {op!r}"
                    + (did_you_mean(hint) if hint else f"; use one of: {', '.join(OPERATORS)}"),
                )
                continue
            if op in ("exists", "missing"):
                if not isinstance(arg, bool):
                    self.error(here, f"{op!r} takes true or false")
                    continue
                wants = arg if op == "exists" else not arg
                if not wants:
                    if len(ops) > 1:
                        self.error(here, f"{op!r} {arg} cannot be combined with other operators")
                    presence = False
                continue
            schema = self._operator(op, arg, resolved, here)
            if schema is not None:
                leaf.append(schema)
        return leaf, compares, presence

    def _registry(
        self, arg: Any, target: Resolved, at: PathKey, parts: tuple[str, ...]
    ) -> dict[str, Any] | None:
        """``{registry: section}`` or ``{registry: {section: clause}}``: the value names an
        entry of the section (that satisfies the clause on the entry's fields)."""
        from govlint.model.organisation import REGISTRY_SECTIONS

        clause: Any = None
        if isinstance(arg, str):
            section, where = arg, at
        elif isinstance(arg, dict) and len(arg) == 1:
            [(section, clause)] = arg.items()
            where = (*at, section)
        else:
            self.error(at, f"'registry' takes {OPERATORS['registry']}")
            return None
        if section not in REGISTRY_SECTIONS:
            self.error(
                where,
                f"{section!r} is not a registry section"
                f"{did_you_mean(_closest(section, REGISTRY_SECTIONS))}"
                f" (one of: {', '.join(REGISTRY_SECTIONS)})",
                key=isinstance(arg, dict),
            )
            return None
        kind = _kind(target)
        listed = kind == "a list"
        if kind not in (None, "text", "a list") or (
            listed and (target.item or {}).get("type") not in (None, "string")
        ):
            self.error(at, f"'registry' looks up an id written as text; the value here is {kind}")
            return None
        condition: dict[str, Any] = {}
        if clause is not None:
            # the entry's fields are not the manifest's: they are neither read from the
            # manifest nor where a finding points
            entry = Compiler(self.today, in_when=self.in_when)
            condition = entry.clause(clause, where, entry_schema(section))
            # the paths name fields of the entry, so say so where the error names the manifest
            self.errors.extend(
                replace(e, message=_about_entry(e.message, section)) for e in entry.errors
            )
            if not condition:
                return None
        index = len(self.lookups)
        self.lookups.append(Lookup((*self.prefix, *parts), section, condition))
        placeholder = {LOOKUP: {"index": index, "section": section}}
        return {"type": "array", "items": placeholder} if listed else placeholder

    def _reference(
        self,
        op: str,
        arg: dict[str, Any],
        key: str,
        left: Resolved,
        at: PathKey,
        base: dict[str, Any] | None,
    ) -> dict[str, Any] | None:
        """``{field: path}``: the other value, checked against the manifest schema now."""
        extra = sorted(str(k) for k in arg if k != "field")
        if "field" not in arg or extra:
            self.error(
                at,
                f"{op!r} takes {OPERATORS[op]}, or another field of the manifest written "
                f"{{field: lifecycle.go_live}}"
                + (f"; {extra[0]!r} is not allowed there" if extra else ""),
            )
            return None
        path = arg["field"]
        where = (*at, "field")
        if not isinstance(path, str):
            self.error(where, "'field' takes a manifest path, e.g. lifecycle.go_live")
            return None
        in_item = base is not None
        own = path == "item" or path.startswith("item.")
        if own and not in_item:
            self.error(
                where,
                f"{path!r} names a field of a list item, which exists only inside 'each' or "
                "'some'; name a manifest field, e.g. lifecycle.go_live",
            )
            return None
        found = self._field(path, where, own, base)
        if found is None:
            return None
        right_parts, right = found
        problem = _incomparable(op, left, right)
        if problem:
            self.error(where, f"{op!r} cannot compare {key} with {path}: {problem}")
            return None
        absolute = (*self.prefix, *right_parts) if own else right_parts
        self.reads.append(Read(absolute))
        return {
            "op": op,
            "left": list(split(key)),
            "right": list(right_parts),
            "from": "scope" if own or not in_item else "manifest",
        }

    def _field(
        self, path: str, where: PathKey, own: bool, base: dict[str, Any] | None
    ) -> tuple[tuple[str, ...], Resolved] | None:
        """The parts and schema of the other field of a comparison, or None once reported."""
        in_item = base is not None
        try:
            if own:
                relative = path.removeprefix("item.")
                return split(relative), resolve(relative, base)
            return split(path), resolve(path)
        except PathError as exc:
            hint = ""
            if in_item and not own:
                try:
                    resolve(path, base)
                    hint = f"; a field of the item is written 'item.{path}'"
                except PathError:
                    pass
            self.error(where, f"{exc}{hint}")
            return None

    def _operator(self, op: str, arg: Any, target: Resolved, at: PathKey) -> dict[str, Any] | None:
        builder = _BUILDERS[op]
        try:
            return builder(self, arg, target)
        except _BadArgument as exc:
            self.error(
                at,
                f"{op!r} takes {OPERATORS[op]}: {exc}"
                if str(exc)
                else f"{op!r} takes {OPERATORS[op]}",
            )
            return None

    def resolve_date(self, arg: Any) -> dt.date:
        if isinstance(arg, str):
            match = _RELATIVE_DATE.fullmatch(arg.strip())
            if match:
                sign, amount, unit = match.groups()
                if sign is None:
                    return self.today
                n = int(amount) * (1 if sign == "+" else -1)
                return _shift(self.today, n, unit)
            try:
                return dt.date.fromisoformat(arg)
            except ValueError:
                pass
            if self.dates is not None:
                if arg in self.dates:
                    return self.dates[arg]
                hint = did_you_mean(closest(arg, self.dates))
                raise _BadArgument(  # a pick row has no date of its own: it names others
                    f"got {arg!r}, and no row of application_dates with a date of its own{hint}"
                )
        raise _BadArgument(f"got {arg!r}")


class _BadArgument(ValueError):
    pass


def _about_entry(message: str, section: str) -> str:
    return message.replace(
        "does not exist in the manifest schema: the manifest has no key",
        f"is not a field of an entry of {section}: it has no key",
    )


def _not_next_to(key: str, mode: str) -> str:
    allowed = ", ".join(ITERATION_ALLOWED[mode])
    message = f"{key!r} is not allowed next to {mode!r} (next to {mode!r}: {allowed})"
    if key in OPERATORS and mode == "some":
        return f"{message}; to count the matching items write 'at_least: N' or 'at_most: N'"
    if key in OPERATORS:
        return f"{message}; put conditions on each item in 'require'"
    hint = _closest(key, ITERATION_ALLOWED[mode])
    return f"{message}; did you mean {hint!r}?" if hint else message


def _is_date(t: Resolved) -> bool:
    from govlint.model.base import MONTH_OR_DATE_PATTERN

    return t.schema.get("format") == "date" or t.schema.get("pattern") == MONTH_OR_DATE_PATTERN


def _kind(t: Resolved) -> str | None:
    """What the manifest schema holds at a path, in words; None when it does not say."""
    if not t.types:
        return None
    if _is_date(t):
        return "a date"
    if t.types <= {"number", "integer"}:
        return "a number"
    if t.types == {"boolean"}:
        return "true or false"
    if t.types == {"array"}:
        return "a list"
    if t.types == {"object"}:
        return "a mapping"
    if t.types == {"string"}:
        return "text"
    return None


def _incomparable(op: str, left: Resolved, right: Resolved) -> str | None:
    """Why two fields cannot be compared with ``op``, or None."""
    a, b = _kind(left), _kind(right)
    if a is None or b is None:  # an extension field: anything goes
        return None
    if op in DATE_KEYWORDS:
        if a != "a date" or b != "a date":
            return f"{op!r} compares dates, and they hold {a} and {b}"
        return None
    if op in ("min", "max"):
        if a != "a number" or b != "a number":
            return f"{op!r} compares numbers, and they hold {a} and {b}"
        return None
    if a != b:
        return f"they hold {a} and {b}, which are never equal"
    return None


def _closest(word: str, choices: Any) -> str | None:
    return closest(word, choices)


def _shift(day: dt.date, n: int, unit: str) -> dt.date:
    if unit == "d":
        return day + dt.timedelta(days=n)
    if unit == "w":
        return day + dt.timedelta(weeks=n)
    months = n if unit == "m" else 12 * n
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _nest(parts: tuple[str, ...], leaf: dict[str, Any], present: bool) -> dict[str, Any]:
    """Wrap ``leaf`` in ``properties`` along ``parts``.

    ``present`` makes every level required and a mapping; otherwise an absent or
    non-mapping level lets the clause hold (the value is missing).
    """
    schema = leaf
    for part in reversed(parts):
        level: dict[str, Any] = {"properties": {part: schema}}
        if present:
            level = {"type": "object", "required": [part], **level}
        schema = level
    return schema


# -- operator builders: each checks its argument against the target's schema --------


def _check_value(arg: Any, target: Resolved) -> None:
    if target.enum is not None and arg not in target.enum:
        hint = _closest(str(arg), [str(e) for e in target.enum])
        raise _BadArgument(
            f"{arg!r} is not a possible value here"
            + did_you_mean(hint)
            + f" (possible: {', '.join(map(str, target.enum))})"
        )
    if isinstance(arg, (dict, list)):
        raise _BadArgument(f"got {type(arg).__name__}")
    kind = _kind(target)
    if kind is None or target.enum is not None:
        return
    fits = {
        "true or false": isinstance(arg, bool),
        "a number": isinstance(arg, (int, float)) and not isinstance(arg, bool),
        "text": isinstance(arg, str),
        "a date": isinstance(arg, str),
    }.get(kind, True)
    if not fits:
        hint = {
            "true or false": "; write true or false",
            "a number": "; write a number, e.g. 3",
            "text": f"; write it as text, e.g. '{arg}'",
            "a date": "; write a date as YYYY-MM-DD",
        }[kind]
        raise _BadArgument(f"the value here is {kind}, so {arg!r} never matches{hint}")


def _equals(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    _check_value(arg, t)
    return {"const": arg}


def _not_equals(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    _check_value(arg, t)
    return {"not": {"const": arg}}


def _values(arg: Any, t: Resolved) -> list[Any]:
    if not isinstance(arg, list) or not arg:
        raise _BadArgument("")
    for value in arg:
        _check_value(value, t)
    return arg


def _in(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    return {"enum": _values(arg, t)}


def _not_in(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    return {"not": {"enum": _values(arg, t)}}


# -- regular expressions: linear time only (see govlint/engine/patterns.py) -------------


def _regex(arg: Any) -> str:
    if not isinstance(arg, str):
        raise _BadArgument(f"got {arg!r}")
    problem = regex_problem(arg)
    if problem is not None:
        raise _BadArgument(problem)
    return arg


def _raw_patterns(schema: Any, at: PathKey) -> Iterator[tuple[PathKey, str]]:
    """The regular expressions of a raw JSON Schema, with where each is written."""
    stack: list[tuple[PathKey, Any]] = [(at, schema)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str):
                    yield (*here, key), value
                elif key == "patternProperties" and isinstance(value, dict):
                    yield from (((*here, key, name), name) for name in value)
                stack.append(((*here, key), value))
        elif isinstance(node, list):
            stack.extend(((*here, i), item) for i, item in enumerate(node))


#: keywords of a raw schema whose subschemas apply to the same value or to its items
_SAME_VALUE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "items", "contains")


def _raw_reads(schema: Any) -> list[tuple[str, ...]]:
    """The manifest paths a raw JSON Schema reads: each chain of ``properties`` to its end."""
    out: list[tuple[str, ...]] = []
    stack: list[tuple[tuple[str, ...], Any]] = [((), schema)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, list):
            stack.extend((here, item) for item in node)
            continue
        if not isinstance(node, dict):
            continue
        deeper = False
        for key, sub in (node.get("properties") or {}).items():
            stack.append(((*here, str(key)), sub))
            deeper = True
        for key in ("required", "dependentRequired"):
            names = node.get(key)
            if isinstance(names, list):
                out.extend((*here, str(n)) for n in names if isinstance(n, str))
        for key in _SAME_VALUE:
            if key in node:
                stack.append((here, node[key]))
        if not deeper and here:
            out.append(here)
    return sorted(set(out))


#: keywords whose values are data, not schemas: a "$ref" in them is just a value
_DATA_KEYWORDS = frozenset({"enum", "const", "examples", "default"})


def _reference_problems(schema: Any, at: PathKey) -> Iterator[tuple[PathKey, str]]:
    """References a raw JSON Schema may not hold: anything but a JSON pointer into the schema
    itself. A rule never makes govlint open a network connection or read a file, and a
    dangling pointer is an error in the rule, found when it is loaded."""
    stack: list[tuple[PathKey, Any]] = [(at, schema)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _DATA_KEYWORDS:
                    continue
                where = (*here, key)
                if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                    if not value.startswith("#"):
                        yield (
                            where,
                            (
                                f"{key} {value!r} points outside the schema: govlint never fetches "
                                "or reads a referenced schema (no network, no files); copy what "
                                "it needs under $defs and write '#/$defs/NAME'"
                            ),
                        )
                    elif not _pointer_resolves(schema, value[1:]):
                        yield (
                            where,
                            (
                                f"{key} {value!r} points at nothing in this schema; define it "
                                "(for example under $defs) or fix the pointer"
                            ),
                        )
                elif key in ("$id", "$schema", "$dynamicAnchor") and isinstance(value, str):
                    yield where, f"{key} is not supported in a rule's schema; remove it"
                else:
                    stack.append((where, value))
        elif isinstance(node, list):
            stack.extend(((*here, i), item) for i, item in enumerate(node))


def _pointer_resolves(schema: Any, pointer: str) -> bool:
    """Whether a JSON pointer (RFC 6901, URI-escaped) names a value of ``schema``."""
    from urllib.parse import unquote

    if pointer == "":
        return True
    if not pointer.startswith("/"):
        return False  # an anchor name ('#foo'): govlint supports pointers only
    node = schema
    for raw in unquote(pointer)[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def _matches(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    return {"type": "string", "pattern": _regex(arg)}


def _not_matches(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    return {"type": "string", "not": {"pattern": _regex(arg)}}


def _number(arg: Any) -> float | int:
    if isinstance(arg, bool) or not isinstance(arg, (int, float)):
        raise _BadArgument(f"got {arg!r}")
    return arg


def _numeric(t: Resolved, op: str) -> None:
    kind = _kind(t)
    if kind is None or kind == "a number":
        return
    instead = {
        "a list": f"to count its items write {{{op}_length: N}}",
        "text": f"compare text with 'equals', 'in' or 'matches', or its length with '{op}_length'",
        "a date": f"compare dates with {{{'on_or_after' if op == 'min' else 'on_or_before'}: "
        "YYYY-MM-DD}",
        "true or false": "write {equals: true} or {equals: false}",
    }.get(kind, "")
    raise _BadArgument(
        f"the value here is {kind}, not a number" + (f"; {instead}" if instead else "")
    )


def _min(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    value = _number(arg)
    _numeric(t, "min")
    return {"type": "number", "minimum": value}


def _max(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    value = _number(arg)
    _numeric(t, "max")
    return {"type": "number", "maximum": value}


def _count(arg: Any) -> int:
    if isinstance(arg, bool) or not isinstance(arg, int) or arg < 0:
        raise _BadArgument(f"got {arg!r}")
    return arg


def _length_schema(t: Resolved, low: int | None, high: int | None) -> dict[str, Any]:
    keys = {"string": ("minLength", "maxLength"), "array": ("minItems", "maxItems")}
    kinds = [k for k in keys if k in t.types] or list(keys)
    if not t.types.intersection(keys) and t.types:
        raise _BadArgument("the value at this path is neither text nor a list")
    options = []
    for kind in kinds:
        lo, hi = keys[kind]
        s: dict[str, Any] = {"type": kind}
        if low is not None:
            s[lo] = low
        if high is not None:
            s[hi] = high
        options.append(s)
    return options[0] if len(options) == 1 else {"anyOf": options}


def _length(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    n = _count(arg)
    return _length_schema(t, n, n)


def _min_length(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    return _length_schema(t, _count(arg), None)


def _max_length(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    return _length_schema(t, None, _count(arg))


def _date_op(keyword: str) -> Callable[[Compiler, Any, Resolved], dict[str, Any]]:
    def build(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
        bound = c.resolve_date(arg).isoformat()
        kind = _kind(t)
        if kind is not None and kind != "a date":
            instead = " (compare numbers with 'min' / 'max')" if kind == "a number" else ""
            raise _BadArgument(f"the value here is {kind}, not a date{instead}")
        return {keyword: bound}

    return build


def _contains(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    if t.types and "array" not in t.types:
        raise _BadArgument("the value at this path is not a list")
    if t.item is not None:
        _check_value(arg, Resolved(t.item, frozenset(), _item_enum(t.item), None))
    return {"type": "array", "contains": {"const": arg}}


def _not_contains(c: Compiler, arg: Any, t: Resolved) -> dict[str, Any]:
    return {"not": _contains(c, arg, t)}


def _item_enum(item: dict[str, Any]) -> tuple[Any, ...] | None:
    return tuple(item["enum"]) if "enum" in item else None


_BUILDERS: dict[str, Callable[[Compiler, Any, Resolved], dict[str, Any]]] = {
    "equals": _equals,
    "not_equals": _not_equals,
    "in": _in,
    "not_in": _not_in,
    "matches": _matches,
    "not_matches": _not_matches,
    "min": _min,
    "max": _max,
    "length": _length,
    "min_length": _min_length,
    "max_length": _max_length,
    "contains": _contains,
    "not_contains": _not_contains,
    **{op: _date_op(kw) for op, kw in DATE_KEYWORDS.items()},
}
