"""`govlint import` and `govlint export`: registers in and out, run as a user runs them.

The fixtures in tests/data/registers are written by hand from the public field
descriptions (Algoritmeregister publication standard, US AI use-case inventory data
dictionary); every expected value below is read off those files, not off a run.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from govlint.load import load_text

DATA = REPO / "tests" / "data" / "registers"
AR_JSON = DATA / "algoritmeregister.json"
AR_CSV = DATA / "algoritmeregister.csv"
US_2025 = DATA / "us_ai_inventory_2025.csv"
US_2024 = DATA / "us_ai_inventory_2024.csv"
TODAY = "--today=2026-11-30"


def manifest(folder: Path, manifest_id: str) -> Any:
    path = folder / "initiatives" / f"{manifest_id}.yaml"
    loaded = load_text(path.read_text(encoding="utf-8"), str(path))
    assert not loaded.findings, loaded.findings
    return loaded.documents[0].data


def registry(folder: Path) -> Any:
    path = folder / "registry" / "organisation.yaml"
    return load_text(path.read_text(encoding="utf-8"), str(path)).documents[0].data


def ids(folder: Path) -> set[str]:
    return {p.stem for p in (folder / "initiatives").iterdir()}


def source_records() -> list[Any]:
    return json.loads(AR_JSON.read_text(encoding="utf-8"))["algoritmes"]


# --- Algoritmeregister, JSON ------------------------------------------------------


def test_algoritmeregister_json_one_manifest_per_record(govlint, tmp_path: Path) -> None:
    result = govlint("import", "algoritmeregister", str(AR_JSON), "-o", "out")
    assert result.code == 1, result  # two records could not be imported
    assert result.lines[0] == "13 records read, 11 manifests written to out, 2 records skipped"
    out = tmp_path / "out"
    assert ids(out) == {
        "parkeerscan-centrum-nw-001",
        "inkomenscheck-bijzondere-bijstand-nw-002",
        "afvalroute-optimalisatie-nw-003",
        # the same name twice in one organisation, without a source id
        "toeslagen-risicoselectie",
        "toeslagen-risicoselectie-2",
        # diacritics, a slash, a colon and '&' in the name and a slash in the source id
        "cafe-horecavergunning-risico-s-prioriteit-fr-2024-17",
        "chatbot-vragen-over-afval-nw-007",
        "subsidieverdeling-sport-nw-008",
        "bomenmonitor-nw-009",
        "woningtoewijzing-urgentie-nw-010",
        "dunne-registratie",
    }
    assert "record 12: no name; the standard requires one" in result.err
    assert "record 13: not a record (a JSON object) but str" in result.err
    assert (
        "record 7 (Chatbot vragen over afval): status 'Gepauzeerd' is not one of "
        "'In ontwikkeling', 'In gebruik', 'Buiten gebruik'; kept under "
        "x-algoritmeregister.status, lifecycle.status left out"
    ) in result.err
    assert "record 9 (Bomenmonitor): begin_date 'maart 2022' is not a month" in result.err


def test_algoritmeregister_mapping_by_meaning(govlint, tmp_path: Path) -> None:
    govlint("import", "algoritmeregister", str(AR_JSON), "-o", "out")
    out = tmp_path / "out"
    assert manifest(out, "parkeerscan-centrum-nw-001") == {
        "apiVersion": "govlint/v1",
        "kind": "Initiative",
        "metadata": {
            "id": "parkeerscan-centrum-nw-001",
            "name": "Parkeerscan Centrum",
            "unit": "gemeente-noordwaard",
            "description": "Een scanauto leest kentekens van geparkeerde auto's en vergelijkt "
            "ze met betaalde parkeerrechten.",
        },
        "purpose": {
            "summary": "Sneller controleren of parkeerders betaald hebben, zodat handhavers "
            "gericht kunnen controleren."
        },
        "model": {"supplier": "scanbedrijf-delta-b-v"},
        "ethics": {
            "impact_assessments": [
                {
                    "type": "DPIA",
                    "status": "completed",
                    "reference": "https://noordwaard.example/dpia/parkeren",
                }
            ]
        },
        "lifecycle": {"status": "production", "go_live": "2021-03"},
        "x-algoritmeregister": {
            "category": ["Verkeer"],
            "proportionality": "Scannen is sneller dan lopen; een handhaver bekijkt elke "
            "treffer voordat er een boete komt.",
            "lawful_basis": "Gemeentewet en Wegenverkeerswet.",
            "human_intervention": "Een handhaver beoordeelt iedere treffer ter plaatse.",
            "risks": "Foute kentekenherkenning; daarom controleert een mens elke treffer.",
            "source_data": "Kentekens en parkeerrechten.",
            "methods_and_models": "Kentekenherkenning met een beeldmodel; vergelijking met "
            "een lijst.",
            "contact_email": "algoritmes@noordwaard.example",
            "publication_category": "Impactvolle algoritmes",
            "lang": "nld",
            "standard_version": "1.0.0",
            "uuid": "3f2b9c1e-7a41-4d2f-9c55-0b1e2a3d4c5f",
            "source_id": "NW-001",
            "url": "https://algoritmes.noordwaard.example/nw-001",
        },
    }
    # empty values are left out, not carried as empty strings or lists
    assert (out / "initiatives" / "subsidieverdeling-sport-nw-008.yaml").read_text() == (
        "apiVersion: govlint/v1\n"
        "kind: Initiative\n"
        "metadata:\n"
        "  id: subsidieverdeling-sport-nw-008\n"
        "  name: Subsidieverdeling sport\n"
        "  unit: gemeente-noordwaard\n"
        "lifecycle:\n"
        "  status: production\n"
        "x-algoritmeregister:\n"
        "  source_id: NW-008\n"
    )
    high = manifest(out, "inkomenscheck-bijzondere-bijstand-nw-002")
    assert high["risk"] == {"tier": "high"}  # "Hoog-risico AI-systeem"
    assert high["model"] == {"in_house": True}  # "Intern ontwikkeld"
    assert high["lifecycle"] == {"status": "development"}
    assert [a["type"] for a in high["ethics"]["impact_assessments"]] == ["IAMA", "DPIA"]
    retired = manifest(out, "afvalroute-optimalisatie-nw-003")
    assert retired["lifecycle"] == {
        "status": "retired",
        "go_live": "2019-01",
        "retirement": "2023-06",
    }
    unknown_status = manifest(out, "chatbot-vragen-over-afval-nw-007")
    assert "lifecycle" not in unknown_status
    assert unknown_status["x-algoritmeregister"]["status"] == "Gepauzeerd"
    # an assessment govlint has no type for keeps the whole list under the extension
    other = manifest(out, "woningtoewijzing-urgentie-nw-010")
    assert "ethics" not in other
    assert other["x-algoritmeregister"]["impacttoetsen_grouping"] == [
        {"title": "Noordwaards ethisch kader", "link": None}
    ]
    assert registry(out) == {
        "apiVersion": "govlint/v1",
        "kind": "Organisation",
        "units": [
            {"id": "gemeente-noordwaard", "name": "Gemeente Noordwaard"},
            {"id": "provincie-fryslan", "name": "Provincie Fryslân"},
            {"id": "waterschap-lage-landen", "name": "Waterschap Lage Landen"},
        ],
        "suppliers": [
            {"id": "routewerk", "name": "RouteWerk"},
            {"id": "scanbedrijf-delta-b-v", "name": "Scanbedrijf Delta B.V."},
            {"id": "untwikkelers-fryslan", "name": "Ûntwikkelers Fryslân"},
        ],
    }


def test_imported_manifests_check_with_findings_never_input_errors(govlint, tmp_path: Path) -> None:
    govlint("import", "algoritmeregister", str(AR_JSON), "-o", "out")
    result = govlint("check", TODAY, "--format", "json", "out")
    assert result.code == 1, result
    findings = json.loads(result.out)["findings"]
    rules = {f["rule_id"] for f in findings}
    assert not rules & {"GL000", "GL001", "GL002", "GL003", "GL004", "GL005", "GL006", "GL007"}
    # what the register lacks is reported as missing, nothing is reported as invalid
    assert "GL012" in rules
    assert "GL011" not in rules and "GL010" not in rules
    parkeerscan = [f for f in findings if "parkeerscan" in f["file"]]
    # go_live: 2021-03 (month precision) is a valid date on or before today
    assert not [f for f in parkeerscan if f["rule_id"] == "LIF-004"]


# --- Algoritmeregister, CSV -------------------------------------------------------


def test_algoritmeregister_csv_with_bom_and_semicolons(govlint, tmp_path: Path) -> None:
    assert AR_CSV.read_bytes().startswith(b"\xef\xbb\xbfname;organization;")
    result = govlint("import", "algoritmeregister", str(AR_CSV), "-o", "out")
    assert result.code == 1, result
    assert result.lines[0] == "12 records read, 11 manifests written to out, 1 record skipped"
    assert "row 10: no name" in result.err
    out = tmp_path / "out"
    assert {
        "leerlingenvervoer-planning-zh-3",
        "leerlingenvervoer-planning",
        "leerlingenvervoer-planning-2",
        "geluidskaart-hinder-meldingen-gh-2023",
        "ook-met-accenten-r-nandu-zh-11",
    } <= ids(out)
    first = manifest(out, "parkeervergunning-wachtlijst-zh-1")
    assert first["metadata"]["name"] == "Parkeervergunning; wachtlijst"
    assert first["purpose"]["summary"] == (
        "Eerlijk en snel verdelen van schaarse vergunningen.\nTweede regel van het doel."
    )
    assert first["model"] == {"in_house": True}
    assert first["x-algoritmeregister"]["category"] == ["Verkeer"]
    assert first["x-algoritmeregister"]["lawful_basis_link"] == (
        "https://lokaleregelgeving.example/zh-parkeren"
    )
    assert manifest(out, "straatverlichting-dimmen-zh-7")["lifecycle"]["status"] == "production"
    assert "row 9 (Belastingaanslag controle): status 'Actief'" in result.err
    assert "row 9 (Belastingaanslag controle): begin_date '2022-13' is not a month" in result.err
    assert manifest(out, "ook-met-accenten-r-nandu-zh-11")["metadata"]["name"] == (
        "Óók met accenten: Ærø ñandú"
    )


def test_existing_files_are_kept_unless_force(govlint, tmp_path: Path) -> None:
    assert govlint("import", "algoritmeregister", str(AR_CSV), "-o", "out").code == 1
    edited = tmp_path / "out" / "initiatives" / "snelheidsdisplays-zh-12.yaml"
    edited.write_text(edited.read_text() + "# reviewed by hand\n")
    again = govlint("import", "algoritmeregister", str(AR_CSV), "-o", "out")
    assert again.code == 1
    assert again.lines[0] == (
        "12 records read, 0 manifests written to out, 1 record skipped, 12 existing files kept"
    )
    assert "kept: out/initiatives/snelheidsdisplays-zh-12.yaml (already exists" in again.err
    assert edited.read_text().endswith("# reviewed by hand\n")
    forced = govlint("import", "algoritmeregister", str(AR_CSV), "-o", "out", "--force")
    assert forced.lines[0] == "12 records read, 11 manifests written to out, 1 record skipped"
    assert "# reviewed by hand" not in edited.read_text()


# --- export and the round trip ------------------------------------------------------


PUBLISHABLE = {
    "Parkeerscan Centrum",
    "Inkomenscheck bijzondere bijstand",
    "Afvalroute-optimalisatie",
    "Toeslagen risicoselectie",
    "Café-/horecavergunning: risico's & prioriteit",
    "Woningtoewijzing urgentie",
}


def test_import_check_export_gives_back_the_records(govlint, tmp_path: Path) -> None:
    govlint("import", "algoritmeregister", str(AR_JSON), "-o", "out")
    assert govlint("check", TODAY, "out").code == 1
    result = govlint("export", "algoritmeregister", "out", "-o", "register.json")
    assert result.code == 1, result  # four initiatives cannot be published
    assert result.lines[-1] == "wrote register.json: 7 records; 4 initiatives cannot be published"
    exported = json.loads((tmp_path / "register.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in exported} == PUBLISHABLE
    originals = [r for r in source_records() if isinstance(r, dict) and r.get("name")]
    for record in exported:
        candidates = [
            o
            for o in originals
            if o["name"] == record["name"] and o["description_short"] == record["description_short"]
        ]
        assert len(candidates) == 1
        given = {k: v for k, v in candidates[0].items() if v not in (None, "", [])}
        assert record == given


def test_export_reports_what_blocks_publication_with_positions(govlint, tmp_path: Path) -> None:
    govlint("import", "algoritmeregister", str(AR_JSON), "-o", "out")
    result = govlint(
        "export",
        "algoritmeregister",
        "out/initiatives/subsidieverdeling-sport-nw-008.yaml",
        "out/initiatives/bomenmonitor-nw-009.yaml",
        "out/registry",
        "-o",
        "register.json",
    )
    assert result.code == 1
    file = "out/initiatives/subsidieverdeling-sport-nw-008.yaml"
    prefix = "error GL050 Subsidieverdeling sport cannot be published in the Algoritmeregister:"
    assert result.lines[1:5] == [
        f"{file}:3:1: {prefix} description_short is required; set metadata.description",
        f"{file}:9:1: {prefix} contact_email is required; set x-algoritmeregister.contact_email",
        f"{file}:9:1: {prefix} publication_category is required; set "
        "x-algoritmeregister.publication_category ('Impactvolle algoritmes' or 'Overige "
        "algoritmes'), or risk.tier: high for 'Hoog-risico AI-systeem'",
        f"{file}:9:1: {prefix} lang is required; set x-algoritmeregister.lang: nld "
        "(the language of the entry)",
    ]
    # a value the import kept because it was no month must be fixed before publishing
    assert result.lines[0].startswith(
        "out/initiatives/bomenmonitor-nw-009.yaml:11:15: error GL050 Bomenmonitor cannot be "
        "published in the Algoritmeregister: begin_date: x-algoritmeregister.begin_date holds "
        "'maart 2022'"
    )
    assert json.loads((tmp_path / "register.json").read_text()) == []


def test_export_needs_the_registry_for_the_organisation_name(govlint, tmp_path: Path) -> None:
    govlint("import", "algoritmeregister", str(AR_JSON), "-o", "out")
    result = govlint(
        "export",
        "algoritmeregister",
        "out/initiatives/afvalroute-optimalisatie-nw-003.yaml",
        "-o",
        "register.json",
    )
    assert result.code == 1
    assert "organization: unit 'gemeente-noordwaard' is not in the registry" in result.out


def test_csv_export_reads_back_as_the_same_manifests(govlint, tmp_path: Path) -> None:
    govlint("import", "algoritmeregister", str(AR_JSON), "-o", "first")
    result = govlint(
        "export", "algoritmeregister", "first", "-o", "register.csv", "--format", "csv"
    )
    assert result.code == 1
    rows = list(csv.DictReader(io.StringIO((tmp_path / "register.csv").read_text())))
    assert len(rows) == 7
    again = govlint("import", "algoritmeregister", "register.csv", "-o", "second")
    assert again.lines[0] == "7 records read, 7 manifests written to second"

    def by_content(folder: Path) -> dict[str, Any]:
        # two records share a name: the -2 suffix follows the order of the input, so
        # manifests are matched by their description, and compared without their id
        found = {}
        for manifest_id in ids(folder):
            data = manifest(folder, manifest_id)
            data["metadata"].pop("id")
            found[data["metadata"].get("description")] = data
        return found

    first = by_content(tmp_path / "first")
    second = by_content(tmp_path / "second")
    assert second == {k: first[k] for k in second}
    assert len(second) == 7


# --- US federal AI use-case inventory ----------------------------------------------


def test_us_inventory_2025(govlint, tmp_path: Path) -> None:
    result = govlint("import", "us-ai-inventory", str(US_2025), "-o", "out")
    assert result.code == 1, result
    assert result.lines[0] == "12 records read, 11 manifests written to out, 1 record skipped"
    assert (
        "note: columns not recognised, kept under x-us-ai-inventory: 'internal_notes'"
    ) in result.err
    assert result.err.count("columns not recognised") == 1
    assert "expected columns missing" not in result.err
    assert "row 12: no use case name" in result.err
    out = tmp_path / "out"
    assert {
        "chat-assistant-dox-7",
        "chat-assistant-dox-7-2",  # the same id reported twice
        "translation-helper",
        "translation-helper-deg-3",
        "equite-acces-scoring-deg-1",
    } <= ids(out)
    first = manifest(out, "benefit-claim-triage-dox-1")
    assert first["metadata"] == {
        "id": "benefit-claim-triage-dox-1",
        "name": "Benefit claim triage",
        "unit": "department-of-examples",
    }
    assert first["purpose"] == {"summary": "Claims wait weeks before a first look."}
    assert first["model"] == {"in_house": False, "supplier": "acme-analytics"}
    assert first["human_role"] == {"operator_training": True}
    assert first["lifecycle"] == {"status": "production", "go_live": "2023-05-01"}
    kept = first["x-us-ai-inventory"]
    assert kept["id"] == "DOX-1"
    assert kept["agency"] == "DOX"
    assert kept["is_high_impact"] == "High-impact"  # not the EU AI Act tier: not mapped
    assert "risk" not in first
    # the long form of an answer, a month date, and several vendors
    summarizer = manifest(out, "document-summarizer-dox-2")
    assert summarizer["lifecycle"] == {"status": "production", "go_live": "2024-02"}
    assert summarizer["model"] == {"in_house": True}
    smoke = manifest(out, "wildfire-smoke-forecast-dox-3")
    assert "model" not in smoke
    assert smoke["x-us-ai-inventory"]["vendor_name"] == "Acme Analytics; Beta Labs"
    assert manifest(out, "fraud-lead-scoring-dox-4")["human_role"] == {"operator_training": False}
    assert manifest(out, "legacy-ocr-dox-5")["lifecycle"]["status"] == "retired"
    paused = manifest(out, "chat-assistant-dox-6")
    assert "lifecycle" not in paused
    assert paused["x-us-ai-inventory"]["development_stage"] == "Paused"
    assert paused["x-us-ai-inventory"]["internal_notes"] == "migrated in 2025"
    assert "row 8 (Chat assistant): operational_date '13/2024' is not a date" in result.err
    assert registry(out)["units"] == [
        {"id": "departement-d-egalite", "name": "Département d'Égalité"},
        {"id": "department-of-examples", "name": "Department of Examples"},
    ]
    check = govlint("check", TODAY, "out")
    assert check.code == 1, check


def test_us_inventory_2024_columns(govlint, tmp_path: Path) -> None:
    result = govlint("import", "us-ai-inventory", str(US_2024), "-o", "out")
    assert result.code == 0, result
    assert "note: expected columns missing: 'Use Case ID'" in result.err
    assert "not recognised" not in result.err
    out = tmp_path / "out"
    statuses = {i: manifest(out, i).get("lifecycle", {}).get("status") for i in ids(out)}
    assert statuses == {
        "grant-review-assistant": "production",
        "port-inspection-imaging": "pilot",
        "old-forecasting-model": "retired",
        "idea-mail-sorting": "idea",
    }
    old = manifest(out, "old-forecasting-model")
    assert old["lifecycle"]["retirement"] == "2023-12-31"
    assert old["x-us-ai-inventory"]["agency_abbreviation"] == "DOX"


# --- input that cannot be read --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "source", "message"),
    [
        ("bad.json", b'[{"name": "x",}]', "algoritmeregister", "bad.json:1:15: invalid JSON"),
        ("obj.json", b'{"items": []}', "algoritmeregister", "obj.json:1:1: expected a list"),
        ("latin.csv", b"name;organization\nCaf\xe9;X\n", "algoritmeregister", "latin.csv:2:4"),
        ("none.csv", b"title,agency\nA,B\n", "us-ai-inventory", "no 'Use Case Name' column"),
        ("wide.csv", b"name,status\nA,In gebruik,extra\n", "algoritmeregister", "wide.csv:2:1"),
        ("quote.csv", b'name\n"open\n', "algoritmeregister", "quote.csv"),
    ],
)
def test_unreadable_input_is_one_clear_line(
    govlint, tmp_path: Path, name: str, content: bytes, source: str, message: str
) -> None:
    (tmp_path / name).write_bytes(content)
    result = govlint("import", source, name, "-o", "out")
    assert result.code == 2, result
    assert result.err.startswith("govlint: error: ")
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_missing_input_file(govlint) -> None:
    result = govlint("import", "algoritmeregister", "nowhere.json", "-o", "out")
    assert result.code == 2
    assert "nowhere.json: no such file" in result.err


# --- scale: many records, all distinct files --------------------------------------------


def generated_records(n: int) -> list[dict[str, Any]]:
    """``n`` register records with colliding names, several organisations and providers."""
    statuses = ["In gebruik", "In ontwikkeling", "Buiten gebruik", "Onbekend"]
    records = []
    for i in range(n):
        record: dict[str, Any] = {
            "name": f"Algoritme {i % 40} / variant",
            "organization": f"Gemeente {i % 7}",
            "description_short": f"Beschrijving {i}.",
            "status": statuses[i % 4],
            "begin_date": f"20{10 + i % 15}-{1 + i % 12:02d}",
            "contact_email": "info@example.org",
            "publication_category": "Overige algoritmes",
            "lang": "nld",
        }
        if i % 3:
            record["source_id"] = f"S-{i}"
        if i % 5 == 0:
            record["provider"] = f"Leverancier {i % 11}"
        records.append(record)
    return records


def test_many_records_get_distinct_valid_ids(govlint, tmp_path: Path) -> None:
    records = generated_records(400)
    (tmp_path / "many.json").write_text(json.dumps({"algoritmes": records}))
    result = govlint("import", "algoritmeregister", "many.json", "-o", "out")
    assert result.lines[0] == "400 records read, 400 manifests written to out"
    assert "note: and 80 more" in result.err  # 100 unknown statuses, 20 shown
    assert "writing" not in result.err  # no progress bar when stderr is not a terminal
    found = ids(tmp_path / "out")
    assert len(found) == 400
    assert all("--" not in i and len(i) <= 100 for i in found)
    check = govlint("check", TODAY, "--format", "json", "out")
    assert check.code == 1
    assert not [f for f in json.loads(check.out)["findings"] if f["rule_id"] == "GL011"]


def test_export_without_manifests_is_a_usage_error(govlint, tmp_path: Path) -> None:
    shutil.copy(AR_JSON, tmp_path / "not-yaml.json")
    result = govlint("export", "algoritmeregister", "-o", "register.json")
    assert result.code == 2
    assert "no YAML files found" in result.err


def _readme_sample(command: str) -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"```text\n$ {command}\n") + len(f"```text\n$ {command}\n")
    return readme[start : readme.index("```", start)].splitlines()


def test_readme_samples_come_from_real_runs(govlint, tmp_path: Path) -> None:
    shutil.copy(AR_JSON, tmp_path / "algoritmeregister.json")
    command = "govlint import algoritmeregister algoritmeregister.json -o portfolio"
    result = govlint(*command.split()[1:])
    assert result.out.splitlines() == _readme_sample(command)
    command = (
        "govlint export algoritmeregister "
        "portfolio/initiatives/subsidieverdeling-sport-nw-008.yaml portfolio/registry "
        "-o register.json"
    )
    result = govlint(*command.split()[1:])
    assert result.out.splitlines() == _readme_sample(command)


def test_export_skips_other_yaml_and_refuses_broken_documents(govlint, tmp_path: Path) -> None:
    govlint("import", "algoritmeregister", str(AR_JSON), "-o", "out")
    (tmp_path / "out" / "ci.yaml").write_text("jobs: {}\n")
    result = govlint("export", "algoritmeregister", "out", "-o", "register.json")
    assert result.code == 1, result
    assert "ci.yaml" not in result.out
    (tmp_path / "out" / "next.yaml").write_text("apiVersion: govlint/v2\nkind: Initiative\n")
    result = govlint("export", "algoritmeregister", "out", "-o", "register.json")
    assert result.code == 2, result
    assert "out/next.yaml:1:13: error GL004 unknown apiVersion 'govlint/v2'" in result.out


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "many.json").write_text(json.dumps(generated_records(250)))
    leader, follower = os.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "govlint", "import", "algoritmeregister", "many.json", "-o", "out"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=follower,
        text=True,
        timeout=120,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed once everything is read
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.stdout.startswith("250 records read, 250 manifests written to out")
    assert b"writing" in seen and b"100%" in seen
