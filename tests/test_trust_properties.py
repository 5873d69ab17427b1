"""Property-based tests for the files around the manifests: the configuration, the baseline,
waivers and the cache. Whatever they hold, govlint answers with a value or its own error
type (a one-line message), never another exception. Bounded by example counts, not time."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from test_hardening_properties import EXAMPLES, dump, manifests, raw_bytes, values, yaml_texts

from govlint import baseline, cache, waivers
from govlint.checker import check_file
from govlint.config import ConfigError, Settings, load_config
from govlint.discover import MissingPath, Target, discover
from govlint.load import Limits

TODAY = dt.date(2026, 11, 29)
SETTING_KEYS = [*Settings.model_fields, "unknown", "limits", "waiver_policy"]

settings_like = st.dictionaries(
    st.sampled_from(SETTING_KEYS),
    st.one_of(
        values,
        st.lists(st.sampled_from([".", "", "./", "**", "a/**b", "/etc/*", "../x", "*.yaml"])),
        st.dictionaries(st.sampled_from(["max_depth", "max_nodes", "severity"]), values),
    ),
    max_size=5,
)


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A fresh folder per example (hypothesis runs many examples per test)."""
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@EXAMPLES
@given(st.one_of(yaml_texts, settings_like.map(lambda d: dump(d, "block"))))
def test_any_configuration_is_a_config_or_a_config_error(text: str) -> None:
    with scratch() as root:
        configuration(root, text)


def configuration(root: Path, text: str) -> None:
    path = root / ".govlint.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        config = load_config(path, root)
    except ConfigError as exc:
        assert "\n" not in str(exc).strip() or str(exc).startswith(str(path.name))
        return
    with contextlib.suppress(MissingPath):  # a configuration error, exit code 2
        discover([], config, root)


@EXAMPLES
@given(st.one_of(st.text(max_size=200), settings_like.map(json.dumps)))
def test_any_pyproject_is_a_config_or_a_config_error(body: str) -> None:
    with scratch() as root:
        path = root / "pyproject.toml"
        text = f"[tool.govlint]\nx = {body}\n"
        path.write_text(text, encoding="utf-8", errors="surrogateescape")
        with contextlib.suppress(ConfigError):
            load_config(path, root)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=15,
)
baselines = st.one_of(
    raw_bytes,
    json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(
        st.one_of(json_values, st.fixed_dictionaries({"fingerprint": json_values})), max_size=5
    ).map(lambda entries: json.dumps({"version": 1, "findings": entries}).encode()),
)


@EXAMPLES
@given(baselines)
def test_any_baseline_is_counted_or_refused(raw: bytes) -> None:
    with scratch() as root:
        path = root / "baseline.json"
        path.write_bytes(raw)
        try:
            counts = baseline.read(path)
        except baseline.BaselineError as exc:
            assert str(exc).startswith(str(path))
            return
        assert isinstance(counts, Counter)


waiver_entries = st.lists(
    st.one_of(
        values,
        st.fixed_dictionaries(
            {
                "rule": st.sampled_from(["LIF-001", "HUM-001", "DAT-03", "GL011", "lif-001"]),
                "reason": st.one_of(st.just("ok"), values),
                "approved_by": st.just("office"),
                "expires": st.sampled_from(["2027-06-30", "2026-01-01", "01-06-2027", "x"]),
            },
            optional={"path": values, "initiative": values, "ticket": values},
        ),
    ),
    max_size=5,
)


@EXAMPLES
@given(manifests(), waiver_entries, st.booleans(), st.booleans())
def test_any_waivers_are_applied_or_reported(
    data: Any, entries: list[Any], central: bool, allow: bool
) -> None:
    from test_hardening_properties import setup

    made = setup()
    if central:
        data = {"apiVersion": "govlint/v1", "kind": "Waivers", "waivers": entries}
    elif isinstance(data, dict):
        data["waivers"] = entries
    result = check_file(
        Target(Path("m.yaml"), "m.yaml", True),
        dump(data, "block").encode(),
        made,
        Limits(),
    )
    found, files_of = waivers.collect(list(result.documents), frozenset({"m.yaml"}))
    assert len(found) <= len(entries)
    policy = waivers.WaiverPolicy(TODAY, allow)
    out = waivers.apply(
        list(result.findings),
        found,
        files_of,
        {"HUM-001": "baseline"},
        made.ruleset.rules,
        policy,
        made.ruleset.suggest,
    )
    assert len(out) >= len(result.findings)


@EXAMPLES
@given(st.one_of(raw_bytes, json_values.map(json.dumps).map(str.encode)), st.booleans())
def test_any_cache_file_is_used_or_ignored(raw: bytes, sealed: bool) -> None:
    """Even a file sealed with this user's key (govlint wrote it, a later version reads
    it) is taken apart without an exception."""
    with scratch() as root:
        open_cache(root, raw, sealed)


def open_cache(root: Path, raw: bytes, sealed: bool) -> None:
    key = cache.secret()
    assert key is not None
    body = raw.decode("ascii", "replace").replace("\ufffd", "?")
    content = cache.seal(key, body).encode() if sealed else raw
    store = cache.Cache(root, "k" * 64)
    store.path.write_bytes(content)
    (root / f"run-v{cache.FORMAT}.json").write_bytes(content)
    opened = cache.Cache.open(root, "k" * 64)
    for name in [*opened.files, "m.yaml"]:
        opened.get(name, "0" * 64)
    opened.get_portfolio("0" * 64)
    run = cache.read_run(root, "k" * 64)
    assert run is None or isinstance(run, tuple)
