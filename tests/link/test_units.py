"""The chain of units above a document: up to its province even where a level has no
document, with a warning that names the gap; and families that follow it."""

from __future__ import annotations

import dataclasses

import pandas as pd

from msresearch import config
from msresearch.link import families, reuse, texts, units

# four documents: every shared n-gram is a candidate's (the default looks up a text's rarest)
PARAMS = dataclasses.replace(reuse.ReuseParams(), top_share=1.0)


def _documents(with_city: bool = False) -> pd.DataFrame:
    rows = [("2020-anhui", "province", "Anhui", None, "2020-03-01"),
            ("2021-huaiyuan", "county", "Huaiyuan", "Bengbu", "2021-04-01"),
            ("2019-jiangsu", "province", "Jiangsu", None, "2019-03-01"),
            ("2019-zhejiang", "province", "Zhejiang", None, "2019-03-02")]
    if with_city:
        rows.append(("2020-bengbu", "city", "Bengbu", "Anhui", "2020-05-01"))
    return pd.DataFrame(rows, columns=["doc_id", "level", "unit_en", "parent_unit_en", "date"])


def test_a_county_whose_city_has_no_document_reaches_its_province():
    documents = _documents()
    found = units.units(documents)
    assert found.chain("Huaiyuan") == ["Bengbu", "Anhui"]  # Bengbu's province from divisions
    assert found.province("Huaiyuan") == "Anhui" and found.province("Anhui") == "Anhui"
    assert units.ancestors(documents)["2021-huaiyuan"] == {"2020-anhui"}
    assert reuse.trees(documents)["2021-huaiyuan"] == "Anhui"
    assert units.gaps(documents, found) == [
        "no document of Bengbu (city) in the corpus: 2021-huaiyuan reaches Anhui through it"]
    # with the city's document, nothing is missing and the city is an ancestor too
    full = _documents(with_city=True)
    assert units.gaps(full, units.units(full)) == []
    assert units.ancestors(full)["2021-huaiyuan"] == {"2020-anhui", "2020-bengbu"}


def test_the_manifest_gives_a_unit_its_parent_before_the_divisions_and_loops_end():
    documents = pd.DataFrame({"doc_id": ["a", "b"], "level": ["city", "city"],
                              "unit_en": ["Bengbu", "X"], "parent_unit_en": ["Y", "Bengbu"]})
    found = units.units(documents)
    assert found.chain("X") == ["Bengbu", "Y"]  # the manifest's parent, not Anhui
    loop = pd.DataFrame({"doc_id": ["a", "b"], "level": ["city", "city"],
                         "unit_en": ["P", "Q"], "parent_unit_en": ["Q", "P"]})
    assert units.units(loop).chain("P") == ["Q"]


def _texts() -> pd.DataFrame:
    """The province's programme restated by the county, and by two other provinces in their
    own words; a county item no one else states."""
    programme = "实施农村饮水安全巩固提升工程，新建改造千吨万人供水工程，提高农村自来水普及率"
    rows = [("2019-jiangsu-001", "2019-jiangsu", "饮水安全",
             "推进农村供水保障，新建改造千吨万人供水工程，全省农村自来水普及率稳定在99%以上"),
            ("2019-zhejiang-001", "2019-zhejiang", "饮水安全",
             "推进农村供水保障，新建改造千吨万人供水工程，农村自来水普及率达到99%"),
            ("2020-anhui-001", "2020-anhui", "饮水安全", programme + "到90%"),
            ("2021-huaiyuan-001", "2021-huaiyuan", "饮水安全", programme + "到86%"),
            ("2021-huaiyuan-002", "2021-huaiyuan", "桥梁", "建设淮河大桥引桥及配套道路")]
    frame = pd.DataFrame(rows, columns=["item_id", "doc_id", "title", "text"]).assign(
        procedural=False, domain="water")
    return texts.comparable(frame, None, _documents())


def test_a_county_inherits_its_province_s_wording_past_a_missing_city():
    result = families.build(_texts(), _documents(), PARAMS, config.LEVELS)
    origins = result.origins.set_index("text_id")
    row = result.reuse.set_index("text_id").loc["2021-huaiyuan-001"]
    assert (row["origin"], row["follows"], row["follows_doc"]) == ("inherited", "2020-anhui-001",
                                                                   "2020-anhui")
    assert row["changed_numbers"] == "90→86"  # the target, as values
    assert origins.loc["2021-huaiyuan-002", "origin"] == "local"
    family = result.families.set_index("family").loc[row["family"]]
    assert family["first_doc"] == "2019-jiangsu" and family["n_provinces"] == 3
    assert bool(family["national"])
    # the province carries out a programme two other provinces had: national, not inherited
    assert origins.loc["2020-anhui-001", "origin"] == "national"
    # a county whose chain broke at the missing city would have no ancestor to follow
    broken = _documents().assign(parent_unit_en=lambda d: d["parent_unit_en"].replace(
        {"Bengbu": "Nowhere"}))
    cut = families.build(_texts(), broken, PARAMS, config.LEVELS).origins.set_index("text_id")
    assert cut.loc["2021-huaiyuan-001", "origin"] == "national"
