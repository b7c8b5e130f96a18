"""Incremental equals cold: after any sequence of edits to a corpus (manifest cells, files,
renamed documents, documents added and removed, a document moved to another group), a build
that starts from the previous builds' cache and output folder writes the very bytes of a cold
build (a fresh cache and a fresh folder). Drawn by hypothesis, deterministically and bounded;
each example runs several steps, comparing after each one, so that what one incremental step
stored is what the next one starts from."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msresearch import config
from msresearch.io import tables
from msresearch.pipeline import cache
from msresearch.pipeline.build import build

sys.path.insert(0, str(config.ROOT / "benchmarks"))
import synthetic_corpus  # noqa: E402

N_START = 6  # documents in the manifest at the start; the others can be added
N_WRITTEN = 8


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A synthetic corpus of one province and its cities, two of them held back."""
    raw = synthetic_corpus.write_corpus(N_WRITTEN, tmp_path_factory.mktemp("base"), seed=5)
    manifest = pd.read_csv(raw / "manifest.csv", dtype=str, keep_default_na=False)
    manifest.iloc[N_START:].to_csv(raw.parent / "held_back.csv", index=False)
    (raw / "manifest.csv").write_bytes(tables.table_bytes(manifest.iloc[:N_START]))
    return raw


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _read(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "manifest.csv", dtype=str, keep_default_na=False)


def _edit_notes(raw, m, k, _):
    m.at[k, "notes"] += " x"


def _edit_file(raw, m, k, n):
    path = raw / m.at[k, "file"]
    text = path.read_text(encoding="utf-8")
    cut = text.index("。", (len(text) * (n % 7 + 1)) // 9) + 1
    path.write_text(text[:cut] + f"新增一句话{n}，新建养老院，提供床位。" + text[cut:],
                    encoding="utf-8")
    m.at[k, "sha256"] = cache.sha256(path.read_bytes())


def _rename(raw, m, k, n):
    m.at[k, "doc_id"] = f"{m.at[k, 'doc_id']}-r{n}"


def _remove(raw, m, k, _):
    return m.drop(index=k) if len(m) > 2 else m


def _add(raw, m, k, n):
    held = pd.read_csv(raw.parent / "held_back.csv", dtype=str, keep_default_na=False)
    row = held.iloc[n % len(held)].copy()
    if row["doc_id"] in set(m["doc_id"]):
        row["doc_id"] = f"{row['doc_id']}-a{n}"
    m.loc[len(m) + 1000 + n] = row


def _redate(raw, m, k, n):
    m.at[k, "date"] = f"{m.at[k, 'year']}-0{1 + n % 9}-1{n % 9}"


def _move(raw, m, k, _):
    """A city made a top unit of its own (its parent emptied): it leaves its group."""
    if m.at[k, "level"] != "province":
        m.at[k, "parent_unit_en"] = ""


EDITS = {f.__name__.lstrip("_"): f for f in (_edit_notes, _edit_file, _rename, _remove, _add,
                                            _redate, _move)}
STEPS = st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 99)),
                 min_size=2, max_size=4)


@settings(max_examples=10, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=STEPS)
def test_every_incremental_build_writes_what_a_cold_build_writes(base, tmp_path, steps):
    work = tmp_path / "work"
    shutil.rmtree(work, ignore_errors=True)
    raw = work / "raw"
    shutil.copytree(base, raw)
    shutil.copy(base.parent / "held_back.csv", work / "held_back.csv")
    out, warm_cache = work / "out", work / "cache"
    build(raw, raw / "manifest.csv", out, cache_dir=warm_cache)
    for step, (edit, n) in enumerate(steps):
        manifest = _read(raw)
        edited = EDITS[edit](raw, manifest, manifest.index[n % len(manifest)], n)
        manifest = manifest if edited is None else edited
        (raw / "manifest.csv").write_bytes(tables.table_bytes(manifest))
        build(raw, raw / "manifest.csv", out, cache_dir=warm_cache)
        cold = work / f"cold{step}"
        build(raw, raw / "manifest.csv", cold, cache_dir=work / f"cold-cache{step}")
        warm_files, cold_files = _snapshot(out), _snapshot(cold)
        assert sorted(warm_files) == sorted(cold_files), f"after {steps[:step + 1]}"
        differ = [name for name in cold_files if warm_files[name] != cold_files[name]]
        assert not differ, f"after {steps[:step + 1]}: {differ}"
