"""Shared pieces of the manifest models: strict mappings that allow ``x-`` extensions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

API_VERSION = "govlint/v1"

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[
    str,
    StringConstraints(strict=True, pattern=SLUG_PATTERN, max_length=100),
    Field(description="A lowercase slug: letters, digits and single hyphens, e.g. `hr-screening`."),
]
Text = Annotated[str, StringConstraints(strict=True, min_length=1)]


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    # YAML 1.2 has no date type: dates arrive as strings and must be ISO 8601 (YYYY-MM-DD).
    if isinstance(value, str):
        # exactly YYYY-MM-DD: date.fromisoformat accepts more on Python 3.11+ (20260115,
        # 2026-W03-4), and the same manifest must validate alike everywhere
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None
    if isinstance(value, dt.date):
        return value
    raise ValueError("expected a date written as YYYY-MM-DD")


Date = Annotated[dt.date, BeforeValidator(_iso_date)]


def _allow_extensions(schema: dict[str, Any]) -> None:
    schema["patternProperties"] = {"^x-": {"description": "Organisation-specific extension."}}


class Section(BaseModel):
    """A manifest mapping: unknown keys are errors, keys starting with ``x-`` are extensions."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        json_schema_extra=_allow_extensions,
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {
                k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))
            }
        return data
