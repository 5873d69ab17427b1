"""JUnit XML, readable by GitLab, Jenkins and most CI servers.

``govlint check --format junit`` writes one ``<testsuite>`` per checked file and one
``<testcase>`` per rule with findings in it, so a CI server lists each file and shows what
is wrong where; ``govlint test --junit`` writes one testcase per rule example.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from govlint.findings import Finding

if TYPE_CHECKING:
    from govlint.engine.ruletest import ExampleResult
    from govlint.report import Report

#: the name of the passing testcase of a file without findings
PASSED = "govlint"
# characters XML 1.0 cannot hold at all; manifest text may contain them (YAML "\a")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def classname(file: str) -> str:
    """``examples/initiatives/chatbot.yaml`` -> ``examples.initiatives.chatbot``: Jenkins
    shows the folder as the package and the file as the class."""
    stem = re.sub(r"\.ya?ml$", "", file)
    return stem.replace("/", ".").strip(".") or file


def _describe(finding: Finding) -> str:
    loc = finding.location.span
    line = f"{loc.line}:{loc.column}: {finding.severity.value} {finding.rule_id} {finding.message}"
    for related in finding.related:
        line += f"\n    see {related.file}:{related.span.line}:{related.span.column}"
    return line


def render(report: Report) -> str:
    """One testsuite per file; one failing testcase per (file, rule) with findings, or one
    passing testcase when the file has none. Suppressed findings are left out."""
    by_file: dict[str, dict[str, list[Finding]]] = {f: {} for f in report.files}
    for finding in sorted(report.active, key=Finding.sort_key):
        by_file.setdefault(finding.file, {}).setdefault(finding.rule_id, []).append(finding)
    suites = ET.Element("testsuites", name="govlint")
    totals: defaultdict[str, int] = defaultdict(int)
    for file in sorted(by_file):
        rules = by_file[file]
        suite = ET.SubElement(suites, "testsuite", name=xml_safe(file))
        cls = xml_safe(classname(file))
        if not rules:
            ET.SubElement(suite, "testcase", name=PASSED, classname=cls, file=xml_safe(file))
        for rule_id, findings in sorted(rules.items()):
            case = ET.SubElement(
                suite,
                "testcase",
                name=xml_safe(rule_id),
                classname=cls,
                file=xml_safe(file),
                line=str(findings[0].line),
            )
            first = findings[0].message
            message = first if len(findings) == 1 else f"{first} (and {len(findings) - 1} more)"
            failure = ET.SubElement(
                case,
                "failure",
                message=xml_safe(message),
                type=max(f.severity for f in findings).value,
            )
            failure.text = xml_safe("\n".join(_describe(f) for f in findings))
        counts = {"tests": max(len(rules), 1), "failures": len(rules), "errors": 0, "skipped": 0}
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key in ("tests", "failures", "errors", "skipped"):
        suites.set(key, str(totals[key]))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def rule_tests_xml(results: list[ExampleResult]) -> str:
    """One testcase per rule example (``govlint test --junit``)."""
    suite = ET.Element(
        "testsuite",
        name="govlint rule examples",
        tests=str(len(results)),
        failures=str(sum(not r.ok for r in results)),
    )
    for result in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=result.rule_id,
            name=f"{result.expect} example {result.index + 1}",
            file=result.location.file,
            line=str(result.location.span.line),
        )
        if not result.ok:
            failure = ET.SubElement(case, "failure", message=result.problem)
            failure.text = result.problem
    suites = ET.Element("testsuites")
    suites.append(suite)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
