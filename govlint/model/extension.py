"""Declared ``x-`` extensions: an organisation's own manifest fields, with their types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from govlint.model.base import Section, Text

ExtensionType = Literal["text", "number", "integer", "boolean", "date", "list", "mapping"]

#: each declared type as JSON Schema: what editors complete and rules are checked against
TYPE_SCHEMAS: dict[str, dict[str, Any]] = {
    "text": {"type": "string", "minLength": 1},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "list": {"type": "array", "items": {"type": "string"}},
    # free-form below: anything goes (as an undeclared extension did)
    "mapping": {"type": "object", "additionalProperties": True},
}


class ExtensionSpec(Section):
    """One declared extension, under ``extensions:`` in ``.govlint.yaml`` or a pack."""

    type: ExtensionType = Field(
        description="text, number, integer, boolean, date (YYYY-MM-DD), list (of text) or "
        "mapping (free-form below)."
    )
    values: list[Text] | None = Field(
        default=None,
        min_length=1,
        description="The values allowed (text and list only), e.g. [low, medium, high].",
    )
    description: Text | None = Field(
        default=None, description="What the field means: shown by editors and in findings."
    )


@dataclass(frozen=True)
class Extension:
    """A validated declaration: the manifest path of the ``x-`` key and its type."""

    path: tuple[str, ...]
    type: str
    values: tuple[str, ...] | None = None
    description: str | None = None
    #: where it is declared (a file name), for messages
    origin: str = ""

    @property
    def name(self) -> str:
        return ".".join(self.path)

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of the declared value."""
        schema = dict(TYPE_SCHEMAS[self.type])
        if self.values is not None:
            if self.type == "list":
                schema["items"] = {"enum": list(self.values)}
            else:
                schema["enum"] = list(self.values)
        if self.description:
            schema["description"] = self.description
        return schema


#: every declared extension of a run, in a stable order (hashable: it keys caches)
Extensions = tuple[Extension, ...]
