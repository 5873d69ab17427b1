"""A rule's raw JSON Schema never makes govlint open a connection or read a file: a `$ref`
may only point into the schema itself, and one that points at nothing is an error in the
rule, with its position, when the rule is loaded."""

from __future__ import annotations

import http.server
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import base_manifest, run_govlint, with_registry
from test_hardening_rules import RULE

SECRET = "hunter2-in-a-local-file"


def schema_clause(body: str) -> str:
    return textwrap.indent("schema:\n" + textwrap.indent(textwrap.dedent(body), "  "), "  ")[2:]


def project(tmp_path: Path, clause: str) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "ORG-001.yaml").write_text(RULE.format(clause=clause))
    with_registry(tmp_path, "rule_paths: [rules]\n")
    (tmp_path / "m.yaml").write_text(base_manifest())
    return tmp_path


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that serves a schema and records every request."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = b'{"type": "string", "pattern": "^never$"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/schema.json", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_remote_reference_is_refused_and_never_fetched(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    url, requests = server
    clause = schema_clause(
        f"""\
        properties:
          metadata:
            properties:
              name: {{$ref: '{url}'}}
        """
    )
    result = run_govlint("check", "--no-cache", "m.yaml", cwd=project(tmp_path, clause))
    assert result.code == 2, result
    assert requests == []
    assert (
        f"rules/ORG-001.yaml:11:24: error GL030 $ref '{url}' points outside the schema: govlint "
        "never fetches or reads a referenced schema (no network, no files); copy what it needs "
        "under $defs and write '#/$defs/NAME'"
    ) in result.err + result.out, result


def test_a_file_reference_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text(f'{{"type": "string", "pattern": "^{SECRET}$"}}')
    clause = schema_clause(
        f"""\
        properties:
          metadata: {{$ref: '{secret.as_uri()}'}}
        """
    )
    result = run_govlint("check", "--no-cache", "m.yaml", cwd=project(tmp_path, clause))
    assert result.code == 2, result
    assert SECRET not in result.out + result.err
    assert "error GL030 $ref 'file://" in result.out + result.err, result


def test_a_dangling_pointer_is_an_error_in_the_rule(tmp_path: Path) -> None:
    clause = schema_clause(
        """\
        properties:
          metadata: {$ref: '#/$defs/missing'}
        """
    )
    result = run_govlint("check", "--no-cache", "m.yaml", cwd=project(tmp_path, clause))
    assert result.code == 2, result
    assert (
        "rules/ORG-001.yaml:9:24: error GL030 $ref '#/$defs/missing' points at nothing in this "
        "schema; define it (for example under $defs) or fix the pointer"
    ) in result.err + result.out, result


def test_a_pointer_into_the_schema_itself_works(tmp_path: Path) -> None:
    clause = schema_clause(
        """\
        $defs:
          house: {type: string, pattern: '^[A-Z]'}
        properties:
          metadata:
            properties:
              name: {$ref: '#/$defs/house'}
        """
    )
    folder = project(tmp_path, clause)
    passing = run_govlint("check", "--no-cache", "m.yaml", cwd=folder)
    assert passing.code == 0, passing
    (folder / "m.yaml").write_text(base_manifest().replace("name: Example", "name: example"))
    result = run_govlint("check", "--no-cache", "m.yaml", cwd=folder)
    assert result.code == 1, result
    assert "error ORG-001 the name does not have the house format" in result.out
