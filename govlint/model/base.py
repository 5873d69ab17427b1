"""Shared pieces of the manifest models: strict mappings that allow ``x-`` extensions."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
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
_ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


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


def date_span(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and the last day a written date stands for, or None if it is no date.

    ``YYYY-MM-DD`` is one day; ``YYYY-MM`` (month precision, as public registers publish
    dates) is every day of that month.
    """
    if _ISO_DATE.fullmatch(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return None
        return day, day
    match = _ISO_MONTH.fullmatch(text)
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or year < 1:
        return None
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_or_date(value: Any) -> Any:
    if isinstance(value, str):
        span = date_span(value)
        if span is None:
            raise ValueError(
                f"{value!r} is not a date; write it as YYYY-MM-DD, or YYYY-MM for a month"
            )
        return span[0]
    if isinstance(value, dt.date):
        return value
    raise ValueError("expected a date written as YYYY-MM-DD, or YYYY-MM for a month")


#: how the JSON Schema spells a MonthOrDate (rule compilers recognise dates by it)
MONTH_OR_DATE_PATTERN = "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"
#: a day, or a month when only the month is known (``2023-05``); the model keeps its first
#: day, rules compare it as the whole month (see ``date_span``)
MonthOrDate = Annotated[
    dt.date,
    BeforeValidator(_month_or_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MONTH_OR_DATE_PATTERN,
            "description": "A date (YYYY-MM-DD), or a month (YYYY-MM) when only the month "
            "is known.",
        }
    ),
]


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
