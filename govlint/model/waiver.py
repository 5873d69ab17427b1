"""The central waivers file (``kind: Waivers``): governed exceptions kept in one place."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from govlint.model.base import Date, Section, Slug, Text


class CentralWaiver(Section):
    rule: Text = Field(description="Id of the rule that is waived.")
    initiative: Slug = Field(description="Id of the initiative the waiver is for.")
    path: Text | None = Field(default=None, description="Path in the manifest it covers.")
    reason: Text
    approved_by: Text
    ticket: Text | None = None
    expires: Date


class WaiverFile(Section):
    """A central file of waivers, approved by the governance office."""

    apiVersion: Literal["govlint/v1"]
    kind: Literal["Waivers"]
    waivers: list[CentralWaiver] = Field(default_factory=list)
