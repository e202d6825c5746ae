"""The bad corpus: each case is written and described."""

from __future__ import annotations

from pathlib import Path

from samples import write_bad_corpus


def test_bad_corpus_cases(tmp_path: Path) -> None:
    expected = write_bad_corpus(tmp_path)
    statuses = {v.split(":")[0] for v in expected.values()}
    assert statuses == {"loaded", "duplicate", "quarantined"}
    for rel in expected:
        assert (tmp_path / rel).is_file()
    reasons = {v.split(":")[1] for v in expected.values() if v.startswith("quarantined")}
    assert reasons == {
        "unreadable",
        "empty",
        "unknown_header",
        "missing_column",
        "encoding",
        "unparseable",
    }
    dup = next(r for r, v in expected.items() if v.startswith("duplicate"))
    original = next(r for r, v in expected.items() if v == "loaded:snapshot")
    assert (tmp_path / dup).read_bytes() == (tmp_path / original).read_bytes()
    enc = next(r for r, v in expected.items() if v == "quarantined:encoding")
    data = (tmp_path / enc).read_bytes()
    for codec in ("utf-8", "gbk", "gb18030"):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        raise AssertionError(f"decodes as {codec}")
    assert (
        tmp_path / next(r for r, v in expected.items() if v.endswith("empty"))
    ).stat().st_size == 0
