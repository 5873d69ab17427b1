"""The baseline: accepted findings, recorded when govlint is adopted on an existing portfolio.

A finding is recorded by a fingerprint that does not depend on line numbers: the rule id,
the file, the path inside the manifest without list positions, and the message without
digits. An edit above a finding, or a new list item before it, does not change it. Equal
fingerprints are counted, so a second identical finding is still new.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from govlint.findings import Finding, Suppression

FORMAT_VERSION = 1
_INDEX = re.compile(r"\[[0-9]+\]")
_DIGITS = re.compile(r"[0-9]+")


class BaselineError(Exception):
    """The baseline file cannot be used; the message names the file and what to do."""


def fingerprint(finding: Finding) -> str:
    parts = (
        finding.rule_id,
        finding.file,
        _INDEX.sub("[]", finding.path),
        _DIGITS.sub("#", finding.message),
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def render(findings: list[Finding], version: str) -> str:
    """The baseline file for these findings (input errors are never accepted)."""
    entries = sorted(
        (
            {
                "fingerprint": fingerprint(f),
                "rule_id": f.rule_id,
                "file": f.file,
                "path": f.path,
                "message": f.message,
            }
            for f in findings
            if not f.input_error and not f.suppressed
        ),
        key=lambda e: (e["file"], e["rule_id"], e["path"], e["fingerprint"]),
    )
    doc = {"version": FORMAT_VERSION, "generated_by": f"govlint {version}", "findings": entries}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


#: the largest baseline read (about a million accepted findings)
MAX_BASELINE_BYTES = 256 * 1024 * 1024


def read(path: Path) -> Counter[str]:
    """Fingerprints in a baseline file, counted.

    The file is read like every other input (a regular file, within a size limit: a link to
    /dev/zero or a named pipe is refused at once), and JSON too deep or numbers too long to
    convert are reported like any other invalid baseline, never as a traceback.
    """
    from govlint.load import UNREADABLE, Limits, read_bytes

    raw = read_bytes(path, str(path), Limits(max_file_bytes=MAX_BASELINE_BYTES))
    if isinstance(raw, Finding):
        if raw.rule_id == UNREADABLE and "does not exist" in raw.message:
            raise BaselineError(
                f"{path}: baseline file not found; create it with 'govlint baseline -o {path}'"
            )
        raise BaselineError(f"{path}: cannot read the baseline: {raw.message}")
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{path}:{exc.lineno}:{exc.colno}: the baseline is not valid JSON ({exc.msg}); "
            "regenerate it with 'govlint baseline'"
        ) from None
    except (ValueError, RecursionError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(";")[0]
        raise BaselineError(
            f"{path}: the baseline cannot be read ({why}); regenerate it with 'govlint baseline'"
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("version") != FORMAT_VERSION
        or not isinstance(data.get("findings"), list)
    ):
        raise BaselineError(
            f"{path}: not a govlint baseline (version {FORMAT_VERSION}); regenerate it with "
            "'govlint baseline'"
        )
    counts: Counter[str] = Counter()
    for entry in data["findings"]:
        if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str):
            counts[entry["fingerprint"]] += 1
    return counts


def apply(findings: list[Finding], accepted: Counter[str], source: str) -> list[Finding]:
    """Mark findings recorded in the baseline as suppressed; new ones stay active."""
    left = Counter(accepted)
    out: list[Finding] = []
    for finding in findings:
        key = fingerprint(finding)
        if not finding.suppressed and not finding.input_error and left[key] > 0:
            left[key] -= 1
            reason = f"accepted in the baseline {source}"
            finding = replace(finding, suppression=Suppression("baseline", reason))
        out.append(finding)
    return out
