"""Pydantic models of everything govlint reads: initiatives, the organisation registry."""
