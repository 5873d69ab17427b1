"""govlint's own diagnostics (GLxxx): problems with the input itself, not rule violations."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnostic:
    id: str
    name: str
    title: str
    help: str
    severity: str = "error"
    #: exit code it causes at the default threshold: 2 input cannot be read, 1 a finding
    exit_code: int = 1


DIAGNOSTICS: dict[str, Diagnostic] = {
    d.id: d
    for d in (
        Diagnostic(
            "GL000",
            "unreadable-file",
            "File cannot be read",
            "Check that the file exists and is readable.",
            exit_code=2,
        ),
        Diagnostic(
            "GL001",
            "invalid-yaml",
            "Invalid YAML",
            "Fix the YAML syntax at the position given by the parser.",
            exit_code=2,
        ),
        Diagnostic(
            "GL002",
            "duplicate-key",
            "Duplicate key",
            "Remove one of the two keys: YAML keeps only one value.",
            exit_code=2,
        ),
        Diagnostic(
            "GL003",
            "unsupported-yaml",
            "Unsupported YAML",
            "Use plain data: no custom tags, no complex keys or keys that start with NUL, "
            "aliases defined first.",
            exit_code=2,
        ),
        Diagnostic(
            "GL004",
            "not-a-govlint-document",
            "Not a govlint document",
            "Start the document with 'apiVersion: govlint/v1' and a known kind.",
            exit_code=2,
        ),
        Diagnostic(
            "GL005",
            "limit-exceeded",
            "A limit was exceeded",
            "Make the file smaller or flatter, or raise the limit under 'limits:'.",
            exit_code=2,
        ),
        Diagnostic("GL006", "encoding", "Not valid UTF-8", "Save the file as UTF-8.", exit_code=2),
        Diagnostic(
            "GL007", "empty-file", "Empty file", "Write a manifest or delete the file.", exit_code=2
        ),
        Diagnostic(
            "GL008",
            "skipped-file",
            "Not a govlint document, skipped",
            "Add apiVersion and kind, or exclude the file in the configuration.",
            severity="info",
            exit_code=0,
        ),
        Diagnostic(
            "GL009",
            "worker-died",
            "The process checking a file stopped unexpectedly",
            "Run again with --jobs 1; the file was not checked.",
            exit_code=2,
        ),
        Diagnostic(
            "GL010",
            "unknown-key",
            "Unknown key",
            "Use the suggested key, or prefix organisation-specific keys with 'x-'.",
        ),
        Diagnostic(
            "GL011",
            "invalid-value",
            "Invalid value",
            "Write a value of the expected type, one of the allowed values.",
        ),
        Diagnostic("GL012", "missing-key", "Missing required key", "Add the key."),
        Diagnostic(
            "GL020",
            "duplicate-registry-entry",
            "Registry entry defined twice",
            "Keep one definition of each registry id.",
        ),
        Diagnostic(
            "GL030",
            "invalid-rule",
            "Error in a rule file",
            "Fix the rule file at the position given.",
            exit_code=2,
        ),
        Diagnostic(
            "GL031",
            "invalid-policy",
            "Error in a policy pack or rule settings",
            "Fix the policy pack or the configuration at the position given.",
            exit_code=2,
        ),
        Diagnostic(
            "GL040",
            "expired-waiver",
            "Waiver has expired",
            "Renew the waiver with a new approval and expiry date, or fix the finding.",
        ),
        Diagnostic(
            "GL041",
            "waiver-expires-soon",
            "Waiver expires soon",
            "Plan the fix or the renewal before the waiver expires.",
            severity="warning",
            exit_code=0,
        ),
        Diagnostic(
            "GL042",
            "unused-waiver",
            "Waiver matches no finding",
            "Remove the waiver: the finding it was for is gone.",
            severity="warning",
            exit_code=0,
        ),
        Diagnostic(
            "GL043",
            "invalid-waiver",
            "Waiver not allowed",
            "Locked rules cannot be waived; waivers may be restricted to the central file.",
        ),
        Diagnostic(
            "GL050",
            "not-publishable",
            "Initiative cannot be published in the register",
            "Fill in the value the register requires at the position given (govlint export).",
        ),
    )
}


def explain_diagnostic(diagnostic: Diagnostic) -> str:
    """What ``govlint explain GLxxx`` prints."""
    exit_note = {
        0: "does not fail the check at the default threshold (--fail-on error)",
        1: "fails the check (exit code 1)",
        2: "the input cannot be used: exit code 2, whatever the threshold",
    }[diagnostic.exit_code]
    return "\n".join(
        [
            f"{diagnostic.id} {diagnostic.name}: {diagnostic.title}",
            "",
            f"Severity: {diagnostic.severity}; {exit_note}.",
            "A govlint diagnostic: a problem with the input itself, reported whatever the",
            "policy packs select; it cannot be selected, ignored or waived.",
            "",
            f"What to do: {diagnostic.help}",
        ]
    )
