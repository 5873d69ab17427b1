"""`govlint schema` feeds editors and other tools; `govlint init` starts a new portfolio."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import EXAMPLES, base_manifest
from ruamel.yaml import YAML


def _yaml(path: Path) -> object:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def test_schema_accepts_every_example_manifest_and_rejects_typos(govlint) -> None:
    result = govlint("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    manifests = sorted((EXAMPLES / "initiatives").glob("*.yaml"))
    assert manifests
    for path in manifests:
        data = json.loads(json.dumps(_yaml(path), default=str))
        assert list(validator.iter_errors(data)) == [], path
    data = json.loads(json.dumps(_yaml(manifests[0]), default=str))
    data["human_rol"] = {"oversight": "none"}
    assert not validator.is_valid(data)
    data.pop("human_rol")
    data["x-cost-centre"] = "CC-1234"  # extensions are allowed at any level
    data["risk"]["x-reviewed-by"] = "legal"
    assert validator.is_valid(data)


@pytest.mark.parametrize("kind", ["organisation", "rule", "policy", "config"])
def test_schema_of_other_kinds_is_valid_json_schema(govlint, kind: str) -> None:
    result = govlint("schema", "--kind", kind)
    assert result.code == 0
    jsonschema.Draft202012Validator.check_schema(json.loads(result.out))


def test_registry_schema_accepts_the_example_registry(govlint) -> None:
    schema = json.loads(govlint("schema", "--kind", "organisation").out)
    for path in sorted((EXAMPLES / "registry").glob("*.yaml")):
        data = json.loads(json.dumps(_yaml(path), default=str))
        jsonschema.validate(data, schema)


def test_init_writes_a_starter_that_passes_and_never_overwrites(govlint, tmp_path: Path) -> None:
    first = govlint("init", "project")
    assert first.code == 0, first
    project = tmp_path / "project"
    created = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}
    assert created == {
        ".govlint.yaml",
        "registry/organisation.yaml",
        "initiatives/example-initiative.yaml",
        "initiative.schema.json",
    }
    check = govlint("check", cwd=project)
    assert check.code == 0, check
    assert check.lines[-1] == "All checks passed: 2 files checked."

    manifest = project / "initiatives" / "example-initiative.yaml"
    manifest.write_text("# my own work\n" + base_manifest(), encoding="utf-8")
    again = govlint("init", "project")
    assert again.code == 0
    assert manifest.read_text(encoding="utf-8").startswith("# my own work\n")
    assert "kept project/initiatives/example-initiative.yaml (already exists" in again.out


def test_init_schema_file_matches_govlint_schema(govlint, tmp_path: Path) -> None:
    govlint("init", ".")
    written = json.loads((tmp_path / "initiative.schema.json").read_text())
    assert written == json.loads(govlint("schema").out)
