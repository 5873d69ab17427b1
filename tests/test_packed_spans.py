"""Packed positions (kept for the whole run) say exactly what the loader's dict says."""

from __future__ import annotations

from pathlib import Path

from govlint.cache import LazySpans, _spans_text
from govlint.load import PackedSpans, load_bytes

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "initiatives"


def test_packed_positions_equal_the_loaded_ones() -> None:
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        (doc,) = load_bytes(path.read_bytes(), path.name).documents
        for spans in (doc.spans, doc.key_spans):
            packed = PackedSpans.of(spans)
            assert list(packed) == list(spans)
            assert len(packed) == len(spans)
            assert dict(packed.items()) == dict(spans)
            assert packed.get(("no", "such", "path")) is None
            assert packed.get(("no",), "default") == "default"
        packed_doc = doc.packed()
        for key in doc.spans:  # where findings point does not change
            assert packed_doc.locate(key) == doc.locate(key)
            assert packed_doc.locate((*key, "missing")) == doc.locate((*key, "missing"))


def test_copies_of_a_manifest_share_one_index_of_paths() -> None:
    raw = next(EXAMPLES.glob("*.yaml")).read_bytes()
    first, second = (load_bytes(raw, name).documents[0].packed() for name in ("a", "b"))
    assert isinstance(first.spans, PackedSpans) and isinstance(second.spans, PackedSpans)
    assert first.spans._index is second.spans._index


def test_positions_from_the_cache_decode_to_the_same_spans() -> None:
    path = sorted(EXAMPLES.glob("*.yaml"))[0]
    (doc,) = load_bytes(path.read_bytes(), path.name).documents
    lazy = LazySpans(_spans_text(doc.spans))
    assert dict(lazy.items()) == dict(doc.spans)
    assert list(lazy) == list(doc.spans)
