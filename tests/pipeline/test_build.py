"""The build at scale: the per-document cache, processes and Dask give the outputs of a
plain serial build, byte for byte; only what changed is recomputed; validate reads hashes."""

from __future__ import annotations

import pandas as pd
import pytest

from msresearch import config
from msresearch.coding.codebook import read_codebook
from msresearch.link.reuse import read_reuse_params
from msresearch.pipeline import build as build_module
from msresearch.pipeline import cache
from msresearch.pipeline.build import build, stale_outputs
from tests.conftest import manifest_rows, seed_raw, write_rows


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(raw, out, cache_dir, **kwargs):
    return build(raw, raw / "manifest.csv", out, cache_dir=cache_dir, **kwargs)


def _change_one_document(raw) -> str:
    """Add a sentence to one item of a seed (the first whose text is once in the raw file),
    and record the file's new checksum; returns the item's id."""
    path = raw / "2020-taihe.txt"
    text = path.read_text(encoding="utf-8")
    items = pd.read_csv(config.PROCESSED / "items.csv")
    item = next(r for r in items[items["doc_id"] == "2020-taihe"].itertuples()
                if text.count(r.text) == 1)
    text = text.replace(item.text, item.text.rstrip("。") + "。新增一句话，新建养老院。", 1)
    path.write_bytes(text.encode("utf-8"))
    rows = manifest_rows(raw / "manifest.csv")
    k = next(i for i, r in enumerate(rows) if r.startswith("2020-taihe,"))
    cells = rows[k].split(",")
    cells[16] = cache.sha256(path.read_bytes())
    rows[k] = ",".join(cells)
    write_rows(raw / "manifest.csv", rows)
    return item.item_id


def test_serial_processes_and_dask_give_the_same_bytes(corpus, tmp_path):
    serial = _build(corpus, tmp_path / "serial", tmp_path / "c1", jobs=1)
    assert serial.computed == 5
    _build(corpus, tmp_path / "jobs", tmp_path / "c2", jobs=2)
    _build(corpus, tmp_path / "dask", tmp_path / "c3", jobs=2, dask="local")
    expected = _snapshot(tmp_path / "serial")
    assert len(expected) == len(serial.written) == 20
    assert _snapshot(tmp_path / "jobs") == expected
    assert _snapshot(tmp_path / "dask") == expected
    from msresearch.measure import study

    seeds = pd.read_csv(tmp_path / "serial" / "items.csv", keep_default_na=False)
    committed = study.list_table("items.csv").fillna("")
    pd.testing.assert_frame_equal(seeds, committed.astype(seeds.dtypes.to_dict()))


def test_a_synthetic_corpus_builds_the_same_serially_on_processes_and_on_dask(tmp_path):
    import sys

    sys.path.insert(0, str(config.ROOT / "benchmarks"))
    import synthetic_corpus

    raw = synthetic_corpus.write_corpus(16, tmp_path / "corpus", seed=3)
    serial = _build(raw, tmp_path / "serial", tmp_path / "c1", jobs=1)
    assert serial.computed == 16
    _build(raw, tmp_path / "jobs", tmp_path / "c2", jobs=2)
    _build(raw, tmp_path / "dask", tmp_path / "c3", jobs=2, dask="local")
    expected = _snapshot(tmp_path / "serial")
    assert _snapshot(tmp_path / "jobs") == expected == _snapshot(tmp_path / "dask")
    assert len(pd.read_csv(tmp_path / "serial" / "reuse.csv")) > 100


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rebuild_recomputes_only_the_changed_document(corpus, tmp_path, jobs):
    # with --jobs 2 the changed document runs in a worker while the others are read here
    _build(corpus, tmp_path / "out", tmp_path / "cache")
    again = _build(corpus, tmp_path / "out", tmp_path / "cache")
    assert again.computed == 0
    changed = _change_one_document(corpus)
    warm = _build(corpus, tmp_path / "out", tmp_path / "cache", jobs=jobs)
    assert warm.computed == 1
    cold = _build(corpus, tmp_path / "cold", tmp_path / "cold-cache")
    assert cold.computed == 5
    assert _snapshot(tmp_path / "out") == _snapshot(tmp_path / "cold")
    items = pd.read_csv(tmp_path / "out" / "items.csv").set_index("item_id")
    assert "新增一句话" in items.at[changed, "text"]


def test_the_cache_never_changes_the_outputs(corpus, tmp_path, monkeypatch):
    _build(corpus, tmp_path / "first", tmp_path / "cache")
    entries = sorted((tmp_path / "cache" / "documents").rglob("*.pickle"))
    assert len(entries) == 5
    entries[0].write_bytes(b"not a pickle")  # a damaged entry is computed again
    _build(corpus, tmp_path / "second", tmp_path / "cache")
    assert _snapshot(tmp_path / "second") == _snapshot(tmp_path / "first")
    assert cache.read_pickled(entries[0])[0] == "ok"
    monkeypatch.setattr(cache, "code_version", lambda: "another version of the code")
    assert _build(corpus, tmp_path / "third", tmp_path / "cache").computed == 5


def test_validate_compares_the_recorded_hashes_and_recomputes_what_is_stale(corpus, tmp_path,
                                                                            monkeypatch):
    out = tmp_path / "out"
    _build(corpus, out, tmp_path / "cache")
    calls = []
    monkeypatch.setattr(build_module, "render",
                        lambda *a, **k: calls.append(1) or build_module.render(*a, **k))
    stale, _, _, n = stale_outputs(corpus, corpus / "manifest.csv", out, cache_dir=tmp_path / "cache")
    assert (stale, n, calls) == ([], 5, [])  # from the recorded hashes: nothing rendered
    (out / "reuse.csv").write_bytes(b"edited by hand\n")
    stale, *_ = stale_outputs(corpus, corpus / "manifest.csv", out, cache_dir=tmp_path / "cache")
    assert stale == ["reuse.csv"]
    monkeypatch.undo()
    _change_one_document(corpus)
    stale, *_ = stale_outputs(corpus, corpus / "manifest.csv", out, cache_dir=tmp_path / "cache")
    assert {"items.csv", "sentences.csv", "clean/2020-taihe.txt"} <= set(stale)
    # with an empty cache the outputs are rendered and compared byte for byte
    stale, *_ = stale_outputs(corpus, corpus / "manifest.csv", out, cache_dir=tmp_path / "new")
    assert {"items.csv", "clean/2020-taihe.txt"} <= set(stale) and "documents.csv" in stale


def test_a_documents_intervals_do_not_depend_on_the_other_documents(corpus, tmp_path):
    _build(corpus, tmp_path / "all", tmp_path / "cache")
    rows = manifest_rows(corpus / "manifest.csv")
    write_rows(corpus / "manifest.csv", [r for r in rows if not r.startswith("2020-anhui,")])
    _build(corpus, tmp_path / "four", tmp_path / "cache")
    every = pd.read_csv(tmp_path / "all" / "attention.csv")
    four = pd.read_csv(tmp_path / "four" / "attention.csv")
    assert set(every["doc_id"]) - set(four["doc_id"]) == {"2020-anhui"}
    pd.testing.assert_frame_equal(every[every["doc_id"] != "2020-anhui"].reset_index(drop=True),
                                  four)


@pytest.mark.parametrize(("tty", "ci", "quiet"), [(False, "", True), (True, "true", True),
                                                  (True, "", False)])
def test_progress_shows_only_on_a_terminal_outside_ci(monkeypatch, tty, ci, quiet):
    monkeypatch.setattr(build_module.sys.stderr, "isatty", lambda: tty, raising=False)
    monkeypatch.setenv("CI", ci)
    bar = build_module._progress(range(3), 3)
    assert bar.disable is quiet
    assert list(bar) == [0, 1, 2]
    bar.close()


def test_attention_document_by_document_is_attention_over_the_whole_corpus():
    from msresearch.io import tables
    from msresearch.measure import measures, study

    # a list's attention (a work report's is measured on its plan, apart)
    whole = measures.attention(study.list_table("items.csv"), study.list_table("sentences.csv"),
                               read_codebook(config.CODEBOOK), seed=config.RANDOM_SEED)
    assert tables.table_bytes(whole) == (config.PROCESSED / "attention.csv").read_bytes()


def _two_provinces(raw) -> None:
    """The seeds twice: a copy of each under a second province's tree (doc_id + "-b"), so
    the corpus has two groups of documents compared for reuse, their doc_ids interleaved."""
    import csv

    with open(raw / "manifest.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    copies = [{**r, "doc_id": r["doc_id"] + "-b", "unit_en": r["unit_en"] + "B",
               "parent_unit_en": r["parent_unit_en"] + "B" if r["parent_unit_en"] else ""}
              for r in rows]
    with open(raw / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows + copies)


def test_reuse_tables_are_the_families_of_every_text_and_a_warm_build_reads_them(corpus, tmp_path,
                                                                                monkeypatch):
    from msresearch.io import inputs, tables
    from msresearch.link import families, texts

    _two_provinces(corpus)
    out = tmp_path / "out"
    _build(corpus, out, tmp_path / "cache", jobs=2)
    items, documents = inputs.read_table("items.csv", out), inputs.read_table("documents.csv", out)
    sentences = inputs.read_table("sentences.csv", out)
    result = families.build(texts.comparable(items, sentences, documents), documents,
                            read_reuse_params(config.REUSE_PARAMS), config.LEVELS)
    for name, frame in (("reuse.csv", result.reuse), ("families.csv", result.families),
                        ("reuse_documents.csv", result.documents)):
        assert tables.table_bytes(frame) == (out / name).read_bytes(), name
    # the second province's copies restate the first's items: families span provinces
    assert result.families["n_provinces"].max() == 2
    # nothing changed: the families are read from the cache, not grown again
    monkeypatch.setattr(families, "build", lambda *a, **k: pytest.fail("grown again"))
    (out / "reuse.csv").unlink()
    _build(corpus, out, tmp_path / "cache", jobs=2)
    assert tables.table_bytes(result.reuse) == (out / "reuse.csv").read_bytes()


def test_work_meanwhile_runs_here_while_the_tasks_run_in_workers():
    import functools
    import os

    from msresearch.pipeline import parallel

    here = os.getpid()
    for jobs, tasks, elsewhere in [(2, [()], True), (2, [(), ()], True), (1, [()], False),
                                   (2, [], False)]:
        calls: list[str] = []
        meanwhile = functools.partial(calls.append, "meanwhile")
        pids = [pid for _, pid in parallel.imap(os.getpid, tasks, jobs=jobs, meanwhile=meanwhile)]
        assert calls == ["meanwhile"] and len(pids) == len(tasks)
        assert all((pid != here) == elsewhere for pid in pids), (jobs, tasks)
    # without work meanwhile, one task runs here: starting workers would cost more
    assert [pid for _, pid in parallel.imap(os.getpid, [()], jobs=2)] == [here]


def test_nothing_to_run_starts_no_workers_and_a_bad_scheduler_is_one_line(monkeypatch, capsys,
                                                                          tmp_path):
    from msresearch.cli import main
    from msresearch.pipeline import parallel

    monkeypatch.setattr(parallel, "_executor", lambda *a: pytest.fail("workers started"))
    assert list(parallel.imap(len, [], jobs=2, dask="local")) == []
    monkeypatch.undo()
    status = main(["build", "--raw", str(seed_raw()), "--out", str(tmp_path / "out"),
                   "--cache", str(tmp_path / "c"), "--dask", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1
    assert err.startswith("error: --dask: cannot reach a Dask scheduler at 'tcp://127.0.0.1:9'")


