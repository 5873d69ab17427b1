"""Check documents against the manifest models and turn every problem into a finding."""

from __future__ import annotations

import math
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args, get_origin

from pydantic import BaseModel, ValidationError

from govlint.coverage import Assessment, Field, field_of
from govlint.findings import Finding, Severity, format_path
from govlint.load import Document, PathKey
from govlint.model.base import API_VERSION
from govlint.model.initiative import Initiative
from govlint.model.organisation import Organisation
from govlint.model.waiver import WaiverFile
from govlint.suggest import closest

UNKNOWN_DOCUMENT = "GL004"
UNKNOWN_KEY = "GL010"
INVALID_VALUE = "GL011"
MISSING_KEY = "GL012"

Kind = Literal["Initiative", "Organisation", "Waivers"]
MODELS: dict[str, type[BaseModel]] = {
    "Initiative": Initiative,
    "Organisation": Organisation,
    "Waivers": WaiverFile,
}


@dataclass(frozen=True)
class Checked:
    """A document with its kind and, when it is valid, its model."""

    document: Document
    kind: Kind | None
    model: BaseModel | None
    findings: tuple[Finding, ...]
    #: the document passed its schema (from the cache, ``model`` may be left out)
    valid: bool = False
    #: the values that are missing where required or failed validation (without list
    #: positions): rules that read them are not assessable on this document
    broken: tuple[Field, ...] = ()
    #: what the per-manifest rules made of it (initiatives only, set by the checker)
    assessment: Assessment | None = None

    def resolved_model(self) -> BaseModel | None:
        """The model of a valid document, validated again if it came from the cache."""
        if self.model is not None or not self.valid or self.kind is None:
            return self.model
        return MODELS[self.kind].model_validate(self.document.data)

    @property
    def id(self) -> str | None:
        data = self.document.data
        if isinstance(data, dict) and isinstance(data.get("metadata"), dict):
            value = data["metadata"].get("id")
            return value if isinstance(value, str) else None
        return None


def is_govlint_document(data: Any) -> bool:
    """Whether a document claims to be govlint's (any apiVersion govlint/... or a known kind)."""
    if not isinstance(data, dict):
        return False
    api = data.get("apiVersion")
    kind = data.get("kind")
    return (isinstance(api, str) and api.startswith("govlint")) or (
        isinstance(kind, str) and kind in MODELS
    )


def check_document(doc: Document) -> Checked:
    """Classify a document by apiVersion/kind and validate it against its model."""
    data = doc.data
    if not isinstance(data, dict):
        what = describe_value(data)
        return _refused(
            doc,
            (),
            f"document is {what}, not a mapping; a manifest starts with "
            f"'apiVersion: {API_VERSION}' and 'kind: Initiative' or 'kind: Organisation'",
        )
    api = data.get("apiVersion")
    if api is None:
        return _refused(
            doc, (), f"missing 'apiVersion'; add 'apiVersion: {API_VERSION}' at the top"
        )
    if api != API_VERSION:
        return _refused(
            doc,
            ("apiVersion",),
            f"unknown apiVersion {api!r}; this govlint reads '{API_VERSION}'",
        )
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in MODELS:  # a list or mapping is not hashable
        hint = _did_you_mean(str(kind), list(MODELS))
        return _refused(
            doc,
            ("kind",) if kind is not None else (),
            f"unknown kind {kind!r}; expected one of: {', '.join(MODELS)}{hint}"
            if kind is not None
            else "missing 'kind'; add 'kind: Initiative' or 'kind: Organisation'",
        )
    model_cls = MODELS[kind]
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        findings = tuple(schema_finding(doc, model_cls, err) for err in errors)
        broken = tuple(dict.fromkeys(b for err in errors for b in broken_fields(model_cls, err)))
        return Checked(doc, cast(Kind, kind), None, findings, broken=broken)
    return Checked(doc, cast(Kind, kind), model, (), valid=True)


def error_loc(err: Any) -> PathKey:
    """Where a validation error is, as a path in the document: without the tags of the
    unions it went through (``|date``, ``|row``: names of forms, not keys)."""
    return tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("|")))


def broken_fields(model_cls: type[BaseModel], err: Any) -> tuple[Field, ...]:
    """The fields one validation error makes unusable for rules.

    A missing or invalid value is broken where it is. An unknown key is most likely a typo
    of a known one (``oversite`` for ``oversight``): the known key it resembles is treated
    as broken too, so no rule reports it as absent next to the typo finding.
    """
    loc = error_loc(err)
    if err["type"] != "extra_forbidden":
        return (field_of(loc),)
    close = closest(str(loc[-1]), _fields_at(model_cls, loc[:-1]))
    return (field_of((*loc[:-1], close)),) if close else ()


def _refused(doc: Document, path: PathKey, message: str) -> Checked:
    finding = Finding(UNKNOWN_DOCUMENT, Severity.ERROR, message, doc.locate(path), input_error=True)
    return Checked(doc, None, None, (finding,))


def describe_value(value: Any) -> str:
    """A value as the YAML author wrote it, in YAML's words (no Python type names)."""
    import datetime as dt

    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"the string {_short(value)}"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value.isoformat()}"
    return "a value of another type"


def _quote_hint(key: str | int, value: Any) -> str:
    """Why a scalar is not text, and how to make it text: YAML reads 0.30 as 0.3."""
    import datetime as dt

    if not isinstance(key, str) or isinstance(value, (str, list, dict)) or value is None:
        return ""
    if isinstance(value, float):
        return (
            f"; put the value in quotes to keep it as written ({key}: '...'): unquoted, "
            "YAML reads it as a number and drops trailing zeros (0.30 becomes 0.3)"
        )
    if isinstance(value, (bool, int, dt.date)):
        return f"; put the value in quotes to make it a string ({key}: '...')"
    return ""


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _did_you_mean(word: str, choices: list[str]) -> str:
    match = closest(word, choices)
    return f" (did you mean {match!r}?)" if match else ""


# --- pydantic errors -> findings ------------------------------------------------

_TYPE_NAMES = {
    "bool_type": "a boolean (true or false)",
    "string_type": "a string",
    "int_type": "an integer",
    "float_type": "a number",
    "list_type": "a list",
    "model_type": "a mapping",
    "dict_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def schema_finding(doc: Document, model_cls: type[BaseModel], err: Any) -> Finding:
    loc = error_loc(err)
    kind = err["type"]
    where = _path_text(loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        fields = _fields_at(model_cls, loc[:-1])
        hint = _did_you_mean(key, fields)
        parent = _path_text(loc[:-1]) or "the top level"
        message = (
            f"unknown key {key!r} in {parent}{hint}; valid keys: {', '.join(fields)} "
            "(prefix organisation-specific keys with 'x-')"
            if not hint
            else f"unknown key {key!r} in {parent}{hint}; prefix organisation-specific "
            "keys with 'x-'"
        )
        return Finding(UNKNOWN_KEY, Severity.ERROR, message, doc.key_location(loc))
    if kind == "missing":
        parent = _path_text(loc[:-1]) or "the top level"
        return Finding(
            MISSING_KEY,
            Severity.ERROR,
            f"missing required key {loc[-1]!r} in {parent}; add it",
            doc.locate(loc),
        )
    value = doc.get(loc)
    got = f", got {describe_value(value)}" if doc.get(loc[:-1]) is not None else ""
    if kind == "literal_error":
        choices = _literal_choices(model_cls, loc)
        hint = _did_you_mean(str(value), choices) if isinstance(value, str) else ""
        shown = "an empty value" if value is None else _short(value)
        message = f"{where}: {shown} is not allowed{hint}; expected one of: {', '.join(choices)}"
    elif kind in _TYPE_NAMES:
        message = f"{where}: expected {_TYPE_NAMES[kind]}{got}"
        if kind == "string_type" and got and loc:
            message += _quote_hint(loc[-1], value)
    elif kind == "string_pattern_mismatch":
        message = (
            f"{where}: {_short(value)} is not a valid id; use lowercase letters, digits "
            "and single hyphens, e.g. 'customer-chatbot'"
        )
    elif kind == "value_error":
        message = f"{where}: {str(err['msg']).removeprefix('Value error, ')}"
    elif kind in ("string_too_short", "too_short"):
        message = f"{where}: must not be empty"
    else:
        message = f"{where}: {err['msg']}{got}"
    if isinstance(value, float) and math.isnan(value):
        message = f"{where}: NaN is not a valid value"
    return Finding(INVALID_VALUE, Severity.ERROR, message, doc.locate(loc))


def _path_text(loc: PathKey) -> str:
    return format_path(loc)


def _unwrap(annotation: Any) -> Any:
    """The model or Literal inside Optional[...], list[...], Annotated[...]."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            # a date or a row of its own: the keys a mapping may have are the row's
            annotation = next((a for a in args if _has_model(a)), args[0])
        elif origin is list:
            annotation = get_args(annotation)[0]
        elif origin is dict:
            annotation = get_args(annotation)[1]
        else:
            return annotation


def _has_model(annotation: Any) -> bool:
    while get_origin(annotation) is typing.Annotated:
        annotation = get_args(annotation)[0]
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _annotation_at(model_cls: type[BaseModel], loc: PathKey) -> Any:
    current: Any = model_cls
    in_dict = False
    for part in loc:
        if isinstance(part, int):
            continue
        if in_dict:  # the key of a dict[str, Model]: its value type is already current
            in_dict = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        in_dict = _is_dict(info.annotation)
        current = _unwrap(info.annotation)
    return current


def _is_dict(annotation: Any) -> bool:
    while get_origin(annotation) in (typing.Annotated, typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        annotation = args[0]
    return get_origin(annotation) is dict


def _fields_at(model_cls: type[BaseModel], loc: PathKey) -> list[str]:
    target = _annotation_at(model_cls, loc)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return [info.alias or name for name, info in target.model_fields.items()]
    return []


def _literal_choices(model_cls: type[BaseModel], loc: PathKey) -> list[str]:
    target = _annotation_at(model_cls, loc)
    if get_origin(target) is Literal:
        return [str(a) for a in get_args(target)]
    return []
