"""Vertical reuse: a plan's sentences restated from its superior's plan of the same year,
against a placebo of other provinces' plans; and a list's items against other provinces'
lists."""

from __future__ import annotations

import pandas as pd
import pytest

from msresearch import config
from msresearch.errors import InputError
from msresearch.evaluation import lists as genre
from msresearch.link import families, reuse, texts
from msresearch.measure import vertical

PARAMS = reuse.ReuseParams()
SHARED = "新建改造千吨万人供水工程，推进城乡供水一体化和规模化水厂建设"
OTHER = "实施高标准农田建设工程，新建高标准农田一百万亩，提升耕地质量等级"


def _reports():
    documents = pd.DataFrame(
        [("2021-anhui-wr", "province", "Anhui", "China"), ("2021-jiangsu-wr", "province", "Jiangsu", "China"),
         ("2021-china-wr", "national", "China", None), ("2021-bengbu-wr", "city", "Bengbu", "Anhui")],
        columns=["doc_id", "level", "unit_en", "parent_unit_en"]).assign(
        year=2021, date="", genre="work_report")
    sentences = pd.DataFrame(
        [("2021-anhui-wr", SHARED), ("2021-anhui-wr", "加强安全生产，开展重点行业领域专项整治行动"),
         ("2021-jiangsu-wr", OTHER), ("2021-jiangsu-wr", "推进长江大保护，实施沿江化工企业关改搬转"),
         ("2021-china-wr", "保持经济运行在合理区间，实施积极的财政政策"),
         ("2021-bengbu-wr", SHARED.replace("推进", "加快")), ("2021-bengbu-wr", "建设淮河生态经济带蚌埠段")],
        columns=["doc_id", "text"])
    sentences = sentences.assign(sentence_id=[f"{d}-s{k:04d}" for k, d in enumerate(sentences["doc_id"])],
                                 section="plan", domain="d")
    items = pd.DataFrame(columns=["doc_id", "item_id", "title", "text", "procedural", "domain"])
    return texts.comparable(items, sentences, documents), documents


def test_a_city_restates_its_province_s_plan_and_not_another_province_s():
    frame, documents = _reports()
    prepared = families.prepare(frame, PARAMS)
    table = vertical.vertical(prepared, documents, PARAMS).set_index(["doc_id", "other"])
    assert table.loc[("2021-bengbu-wr", "2021-anhui-wr"), ["relation", "share"]].tolist() == [
        "superior", 0.5]
    assert table.loc[("2021-bengbu-wr", "2021-jiangsu-wr"), ["relation", "share"]].tolist() == [
        "other_province", 0.0]
    # a province's superior is the State Council, and it has no placebo
    assert table.loc[("2021-anhui-wr", "2021-china-wr"), "relation"] == "superior"
    assert ("2021-anhui-wr", "2021-jiangsu-wr") not in table.index
    summary = vertical.by_level_year(table.reset_index()).set_index(["level", "relation"])
    assert summary.loc[("city", "superior"), "share"] == 0.5
    assert summary.loc[("city", "other_province"), "n_units"] == 1


def test_a_list_s_items_against_its_province_s_list_and_other_provinces_lists():
    rows = [("p-1", "prov", SHARED), ("p-2", "prov", "加强安全生产专项整治"),
            ("c-1", "city", SHARED.replace("推进", "加快")), ("c-2", "city", "建设城市书房五个"),
            ("x-1", "elsewhere", OTHER)]
    frame = pd.DataFrame(rows, columns=["text_id", "doc_id", "text"]).assign(
        kind="item", title="", domain="d")
    prepared = families.prepare(frame, PARAMS)
    table = vertical.list_placebo(prepared, ["city", "prov"], {"city": ["prov"]}, ["elsewhere"],
                                  PARAMS).set_index("doc_id")
    assert list(table.index) == ["city"]  # a list with nothing above it has no row
    assert table.loc["city", ["share_above", "share_placebo"]].tolist() == [0.5, 0.0]


def test_the_sources_of_the_labelled_lists_give_each_file_its_province(tmp_path):
    sources = genre.read_sources(config.GENRE)
    assert len(sources) == 46 and sources["file"].is_unique
    assert sources["province"].str.fullmatch(r"[\u4e00-\u9fff]+").all()
    (tmp_path / "SOURCES.md").write_text("| file | level |\n|---|---|\n| a.txt | city |\n",
                                         encoding="utf-8")
    with pytest.raises(InputError, match="province"):
        genre.read_sources(tmp_path)
