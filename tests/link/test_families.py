"""Commitment families: bounded candidates, families that do not chain, the numbers that
changed, and the same tables from the same texts."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from msresearch import config
from msresearch.link import families, reuse, texts

PARAMS = dataclasses.replace(reuse.ReuseParams(), top_share=1.0)


def _frame(rows) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Texts (item_id, doc_id, text) and one province document each, dated in row order."""
    items = pd.DataFrame(rows, columns=["item_id", "doc_id", "text"]).assign(
        title="", procedural=False, domain="d")
    docs = items.drop_duplicates("doc_id")[["doc_id"]].reset_index(drop=True)
    provinces = ["Hebei", "Shanxi", "Liaoning", "Jilin", "Heilongjiang", "Jiangsu", "Zhejiang",
                 "Fujian"]
    docs = docs.assign(level="province", unit_en=provinces[:len(docs)], parent_unit_en=None,
                       date=[f"2020-0{k + 1}-01" for k in range(len(docs))])
    return texts.comparable(items, None, docs), docs


def test_a_text_joins_a_family_only_if_it_restates_the_first_statement():
    a = "实施农村饮水安全巩固提升工程新建改造千吨万人供水工程"
    b = "新建改造千吨万人供水工程推进城乡供水一体化建设规模化水厂"
    c = "推进城乡供水一体化建设规模化水厂完善县域统管长效机制"
    filler = [(f"x{k}", f"d{k}", f"开展第{k}项工作加强组织领导落实主体责任") for k in range(3, 7)]
    frame, docs = _frame([("a", "d0", a), ("b", "d1", b), ("c", "d2", c), *filler])
    prepared = families.prepare(frame, PARAMS)
    judged = families.judge(prepared, *families.candidates(prepared, PARAMS), PARAMS)
    pairs = {(frame.at[e, "text_id"], frame.at[later, "text_id"]): s for e, later, s in
             zip(judged.earlier, judged.later, judged.same, strict=True)}
    assert pairs[("a", "b")] and pairs[("b", "c")] and not pairs.get(("a", "c"), False)
    family, _ = families.grow(prepared, judged, PARAMS)
    by_id = dict(zip(frame["text_id"], family, strict=True))
    # b restates a and joins its family; c restates b only, not a: a family of its own
    assert by_id["a"] == by_id["b"] and by_id["c"] != by_id["a"]
    # linked pair by pair, all three would be one chain
    assert len({by_id["a"], by_id["b"], by_id["c"]}) == 2


def test_candidates_are_bounded_by_each_text_s_rarest_n_grams_and_the_window():
    rng = np.random.default_rng(0)
    words = ["养老", "医疗", "教育", "就业", "住房", "文化", "体育", "交通", "供水", "环境"]
    rows = [(f"t{k}", f"d{k % 7}", "".join(rng.choice(words, size=12))) for k in range(300)]
    frame, _ = _frame(rows)
    params = dataclasses.replace(reuse.ReuseParams(), top_grams=4, top_share=0.0, window=3)
    prepared = families.prepare(frame, params)
    earlier, later = families.candidates(prepared, params)
    assert len(earlier) > 0 and (earlier < later).all()
    assert (prepared.docs[earlier] != prepared.docs[later]).all()
    # at most window × top_grams earlier partners per text
    assert np.bincount(later, minlength=len(frame)).max() <= 3 * 4


def test_the_numbers_that_changed_are_values_in_the_aligned_wording():
    a = reuse.normalise("新培育1000个家庭农场，带动农户增收")
    b = reuse.normalise("全县新培育23个家庭农场，带动农户增收")
    spans_a, spans_b, changed = families.changed_numbers(
        a, "新培育1000个家庭农场，带动农户增收", b, "全县新培育23个家庭农场，带动农户增收", 4)
    assert changed == "1000→23"
    assert spans_a.startswith("0-") and spans_b.startswith("2-")


def test_the_same_texts_give_the_same_tables_whatever_order_they_come_in():
    frame, docs = _frame([("a", "d0", "实施农村饮水安全巩固提升工程新建改造千吨万人供水工程"),
                          ("b", "d1", "新建改造千吨万人供水工程推进城乡供水一体化建设"),
                          ("c", "d2", "推进城乡供水一体化建设规模化水厂完善县域统管长效机制")])
    once = families.build(frame, docs, PARAMS, config.LEVELS)
    shuffled = texts.in_order(frame.sample(frac=1, random_state=3), docs.iloc[::-1])
    again = families.build(shuffled, docs, PARAMS, config.LEVELS)
    for name in ("reuse", "families", "documents", "origins"):
        pd.testing.assert_frame_equal(getattr(once, name), getattr(again, name))
