"""JUnit XML, readable by GitLab, Jenkins and most CI servers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govlint.engine.ruletest import ExampleResult


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
