"""govlint: policy-as-code linter for AI governance."""

__version__ = "0.1.0"
