"""Work reports in a build beside the livelihood lists: each report's sections in
``documents.csv``, its sentences with their sections in ``sentences.csv``, the lists it holds in
``items.csv``; the lists' measures and reuse are the same as without the reports."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from msresearch import config
from msresearch.genres.work_reports.sections import SECTIONS
from msresearch.pipeline.build import build

REPORTS = ["2021-china-wr", "2021-hefei-wr", "2020-xuancheng-wr"]


def _with_reports(raw):
    manifest = pd.read_csv(config.MANIFEST, dtype=str, keep_default_na=False)
    rows = manifest[manifest["doc_id"].isin(REPORTS)]
    for file in rows["file"]:
        (raw / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(config.RAW / file, raw / file)
    seeds = pd.read_csv(raw / "manifest.csv", dtype=str, keep_default_na=False)
    pd.concat([seeds, rows]).to_csv(raw / "manifest.csv", index=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tests.conftest import seed_raw

    tmp = tmp_path_factory.mktemp("reports")
    shutil.copytree(seed_raw(), tmp / "raw")
    build(tmp / "raw", tmp / "raw" / "manifest.csv", tmp / "seeds", cache_dir=tmp / "cache")
    _with_reports(tmp / "raw")
    report = build(tmp / "raw", tmp / "raw" / "manifest.csv", tmp / "out", cache_dir=tmp / "cache")
    return tmp, report


def _table(folder, name):
    return pd.read_csv(folder / name, keep_default_na=False)


def test_each_report_says_which_sections_were_found_and_how(built):
    tmp, _ = built
    documents = _table(tmp / "out", "documents.csv").set_index("doc_id")
    for doc_id in REPORTS:
        row = documents.loc[doc_id]
        assert row["genre"] == "work_report" and row["n_sentences"] > 100
        found = row["sections"].split("; ")
        assert {"front", "review", "plan", "closing"} <= set(found)
        assert row["section_headings"].startswith("front: ")
        assert "plan: heading: " in row["section_headings"]
    assert (documents.loc[~documents.index.isin(REPORTS), "sections"] == "").all()
    assert documents.loc["2021-china-wr", "level"] == "national"


def test_every_sentence_of_a_report_has_its_section_and_paragraph(built):
    tmp, _ = built
    sentences = _table(tmp / "out", "sentences.csv")
    reports = sentences[sentences["doc_id"].isin(REPORTS)]
    assert set(reports["section"]) <= set(SECTIONS) and (reports["section"] != "").all()
    assert reports["sentence_id"].str.contains("-s").all() and (reports["paragraph"] >= 1).all()
    assert reports.groupby("doc_id")["targets"].any().all()  # each states its main targets
    plan = reports[reports["section"] == "plan"]
    assert len(plan) > len(reports) / 3
    assert (sentences.loc[~sentences["doc_id"].isin(REPORTS), "section"] == "").all()
    for doc_id, group in reports.groupby("doc_id"):
        text = (tmp / "out" / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8")
        assert all(text[r["start"]:r["end"]] == r["text"] for r in group.to_dict("records"))


def test_a_list_a_report_holds_is_read_into_items(built):
    tmp, _ = built
    items = _table(tmp / "out", "items.csv")
    held = items[items["doc_id"].isin(REPORTS)]
    sentences = _table(tmp / "out", "sentences.csv")
    # Xuancheng 2020 lists its ten practical matters for the year
    assert held.groupby("doc_id").size().to_dict() == {"2020-xuancheng-wr": 10}
    assert set(held["item_id"]) <= set(sentences["item_id"])
    assert held["domain"].ne("unclassified").mean() >= 0.8  # coded as the lists' items are


def test_the_lists_measures_do_not_change_with_reports_beside_them_and_reuse_spans_both(built):
    tmp, _ = built
    for name in ("attention.csv", "diversity.csv"):
        with_reports, alone = _table(tmp / "out", name), _table(tmp / "seeds", name)
        pd.testing.assert_frame_equal(with_reports, alone, check_dtype=False)
    # the reports' plan sentences form families with the lists' items: reuse is measured
    # across both genres, so it is not the lists' alone
    reuse = _table(tmp / "out", "reuse.csv")
    assert set(reuse["kind"]) == {"item", "sentence"}
    assert set(reuse.loc[reuse["kind"] == "sentence", "doc_id"]) <= set(REPORTS)
    assert (_table(tmp / "seeds", "reuse.csv")["kind"] == "item").all()


def test_a_report_without_a_plan_is_a_warning(built, tmp_path):
    tmp, _ = built
    raw = tmp_path / "raw"
    shutil.copytree(tmp / "raw", raw)
    manifest = pd.read_csv(raw / "manifest.csv", dtype=str, keep_default_na=False)
    row = manifest.index[manifest["doc_id"] == "2021-hefei-wr"][0]
    path = raw / manifest.at[row, "file"]
    text = path.read_text(encoding="utf-8")
    cut = text.index("各位代表")  # the front only: no review, no plan
    path.write_text(text[:cut] + "各位代表：\n现在，我代表市人民政府向大会报告工作。\n", encoding="utf-8")
    manifest.at[row, "sha256"] = ""
    manifest.to_csv(raw / "manifest.csv", index=False)
    report = build(raw, raw / "manifest.csv", tmp_path / "out", cache_dir=tmp / "cache")
    assert any(w.startswith("2021-hefei-wr: no plan found") for w in report.warnings)
