"""Any corpus builds: one document, no project table, no references, no declared counts;
every failing document is reported at once, and --skip-invalid builds the rest."""

from __future__ import annotations

import pandas as pd
import pytest

from msresearch.cli import main
from msresearch.pipeline.schemas import SCHEMAS
from tests.conftest import manifest_rows, write_rows


def _keep(raw, *doc_ids):
    rows = manifest_rows(raw / "manifest.csv")
    write_rows(raw / "manifest.csv", [rows[0]] + [r for r in rows[1:] if r.split(",")[0] in doc_ids])


@pytest.mark.parametrize("doc_id", ["2019-xuancheng", "2023-bozhou"])
def test_a_one_document_corpus_builds_with_typed_empty_tables(corpus, tmp_path, doc_id):
    _keep(corpus, doc_id)
    out = tmp_path / "out"
    assert main(["build", "--raw", str(corpus), "--manifest", str(corpus / "manifest.csv"),
                 "--out", str(out)]) == 0
    changes = pd.read_csv(out / "project_changes.csv")
    assert changes.empty and changes.columns.tolist() == list(SCHEMAS["project_changes.csv"].columns)
    docs = pd.read_csv(out / "documents.csv", keep_default_na=False)
    assert docs["doc_id"].tolist() == [doc_id] and docs["item_level"].tolist() != [""]


def test_a_document_without_references_or_declared_counts_builds(corpus, tmp_path):
    (corpus / "2019-xuancheng.txt").write_text("一、教育\n1.新建幼儿园5所。（牵头单位：市教育局）\n",
                                              encoding="utf-8")
    _keep(corpus, "2019-xuancheng")
    rows = manifest_rows(corpus / "manifest.csv")
    rows[1] = rows[1].replace(rows[1].split(",")[16], "")
    write_rows(corpus / "manifest.csv", rows)
    out = tmp_path / "out"
    assert main(["build", "--raw", str(corpus), "--manifest", str(corpus / "manifest.csv"),
                 "--out", str(out)]) == 0
    for name in ("references.csv", "declared_counts.csv", "project_changes.csv"):
        frame = pd.read_csv(out / name)
        assert frame.empty and frame.columns.tolist() == list(SCHEMAS[name].columns)


def test_every_bad_document_is_reported_and_skip_invalid_builds_the_rest(corpus, tmp_path, capsys):
    for name in ("2019-xuancheng.txt", "2020-anhui.txt"):
        (corpus / name).write_text("关于做好民生工作的通知\n请认真贯彻执行。\n", encoding="utf-8")
    rows = manifest_rows(corpus / "manifest.csv")
    write_rows(corpus / "manifest.csv", [r.replace(r.split(",")[16], "") if i else r
                                         for i, r in enumerate(rows)])
    args = ["build", "--raw", str(corpus), "--manifest", str(corpus / "manifest.csv")]
    assert main(args + ["--out", str(tmp_path / "a")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error: ") for line in err)
    assert "line 3, field 'file': 2019-xuancheng.txt: no item found" in err[0]
    assert "line 4, field 'file': 2020-anhui.txt: no item found" in err[1]
    assert not (tmp_path / "a").exists()
    assert main(args + ["--out", str(tmp_path / "b"), "--skip-invalid"]) == 0
    rejected = pd.read_csv(tmp_path / "b" / "rejected.csv")
    assert rejected["doc_id"].tolist() == ["2019-xuancheng", "2020-anhui"]
    assert len(pd.read_csv(tmp_path / "b" / "documents.csv")) == 3


def test_validate_strict_fails_on_a_declared_count_that_is_not_met(corpus, tmp_path):
    (corpus / "2019-xuancheng.txt").write_text(
        "2019年实施3项民生工程\n一、教育\n1.新建幼儿园5所。（牵头单位：市教育局）\n", encoding="utf-8")
    _keep(corpus, "2019-xuancheng")
    rows = manifest_rows(corpus / "manifest.csv")
    rows[1] = rows[1].replace(rows[1].split(",")[16], "")
    write_rows(corpus / "manifest.csv", rows)
    args = ["--raw", str(corpus), "--manifest", str(corpus / "manifest.csv"),
            "--out", str(tmp_path / "out")]
    assert main(["build", *args]) == 0
    assert main(["validate", *args]) == 0
    assert main(["validate", "--strict", *args]) == 1
