"""The cache is checked, not trusted: an entry that is truncated, edited or of another kind is
computed again, with a warning, and the outputs are a cold build's; ``validate --cold`` trusts
no earlier build."""

from __future__ import annotations

import pytest

from msresearch.cli import main
from msresearch.pipeline import cache
from msresearch.pipeline.build import build


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(raw, out, cache_dir):
    return build(raw, raw / "manifest.csv", out, cache_dir=cache_dir)


@pytest.fixture
def built(corpus, tmp_path):
    """The seeds built once with a cache, and a cold build's outputs to compare with."""
    _build(corpus, tmp_path / "cold", tmp_path / "cold-cache")
    _build(corpus, tmp_path / "out", tmp_path / "cache")
    return corpus, tmp_path


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def _one_character(path):
    """One character of an item's text changed inside the stored bytes (same length: the
    pickle stays readable, only its content is wrong)."""
    data = path.read_bytes()
    before, after = "就业".encode(), "失业".encode()
    assert before in data
    path.write_bytes(data.replace(before, after, 1))


def _one_digit(path):
    data = bytearray(path.read_bytes())
    at = next(k for k in range(len(data) // 2, len(data)) if chr(data[k]).isdigit())
    data[at] = ord("7") if data[at] != ord("7") else ord("3")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind, suffix, damage", [
    ("families", ".pickle", _truncate),   # the reuse tables: families of every text
    ("families", ".pickle", _one_digit),
    ("documents", ".pickle", _one_character),  # a document's rows and clean text
    ("documents", ".pickle", _one_digit),
    ("documents", ".pickle", _truncate),
])
def test_a_damaged_cache_entry_is_computed_again_never_used(built, kind, suffix, damage):
    corpus, tmp = built
    entries = sorted((tmp / "cache" / kind).rglob(f"*{suffix}"))
    assert entries
    for entry in entries:
        damage(entry)
    report = _build(corpus, tmp / "out", tmp / "cache")
    assert _snapshot(tmp / "out") == _snapshot(tmp / "cold")
    said = [w for w in report.warnings if "cache entry" in w and "damaged" in w]
    assert len(said) >= 1, report.warnings
    # computed again and stored whole: the next build meets nothing damaged
    again = _build(corpus, tmp / "out", tmp / "cache")
    assert not [w for w in again.warnings if "damaged" in w]
    assert _snapshot(tmp / "out") == _snapshot(tmp / "cold")


def test_an_entry_is_read_back_only_with_the_digest_it_was_stored_with(tmp_path):
    path = tmp_path / "entry.pickle"
    cache.write_pickled(path, {"a": [1, 2, 3]})
    assert cache.read_pickled(path) == {"a": [1, 2, 3]}
    assert cache.read_pickled(tmp_path / "missing.pickle") is None  # missing: nothing said
    data = path.read_bytes()
    for damaged in (data[:-1], data[:10], b"", data[:-1] + bytes([data[-1] ^ 1]),
                    data.replace(cache.ENTRY_MAGIC, b"x" * len(cache.ENTRY_MAGIC))):
        path.write_bytes(damaged)
        with cache.damage_report() as found:
            assert cache.read_pickled(path) is None
        assert len(found) == 1 and "entry.pickle is damaged" in found[0]


def test_validate_cold_trusts_no_earlier_build(built, capsys):
    """An output made wrong together with the build's record of it (what a build from a
    damaged cache used to leave): the recorded digests agree, so plain validation says
    current; --cold builds every document afresh and finds it."""
    corpus, tmp = built
    items = tmp / "out" / "items.csv"
    items.write_bytes(items.read_bytes().replace("就业".encode(), "失业".encode(), 1))
    (run,) = (tmp / "cache" / "runs").rglob("*.pickle")
    record = cache.read_pickled(run)
    record["digests"]["items.csv"] = cache.sha256(items.read_bytes())
    cache.write_pickled(run, record)
    args = ["validate", "--raw", str(corpus), "--manifest", str(corpus / "manifest.csv"),
            "--out", str(tmp / "out"), "--cache", str(tmp / "cache")]
    assert main(args) == 0
    capsys.readouterr()
    before = _snapshot(tmp / "cache")
    assert main([*args, "--cold"]) == 1
    err = capsys.readouterr().err
    assert "out of date" in err and "items.csv" in err
    assert _snapshot(tmp / "cache") == before  # the cache was neither read nor written
    assert main(["validate", "--raw", str(corpus), "--manifest", str(corpus / "manifest.csv"),
                 "--out", str(tmp / "cold"), "--cache", str(tmp / "cache"), "--cold"]) == 0
    assert "every document built afresh" in capsys.readouterr().out
