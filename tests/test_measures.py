"""Measures, tests and keyness on small known inputs, and on the seeds' attention table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from msresearch import config, io, keyness, measures, stats
from msresearch.codebook import parse_codebook

CODEBOOK = parse_codebook({
    "scheme": "t", "version": 1, "zones": {"title": 3, "first_sentence": 2, "rest": 0.5},
    "domains": [
        {"id": i, "zh": i, "en": i, "cap": "x", "colour": f"#00000{k}", "precedence": k,
         "patterns": {f"t{k}": 1}} for k, i in enumerate(["a", "b", "c"], start=1)],
}, "t.yaml")


def _items(rows):
    return pd.DataFrame(rows, columns=["doc_id", "item_id", "domain", "n_chars", "procedural"])


ITEMS = _items([
    ("d1", "d1-1", "a", 10, False), ("d1", "d1-2", "a", 30, False),
    ("d1", "d1-3", "b", 60, False), ("d1", "d1-4", "procedural", 99, True),
    ("d1", "d1-5", "unclassified", 50, False),
    ("d2", "d2-1", "c", 10, False), ("d2", "d2-2", "c", 10, False),
])


def test_shares_exclude_procedural_and_unclassified_and_sum_to_one():
    table = measures.attention(ITEMS, CODEBOOK, n_boot=200, seed=1).set_index(["doc_id", "domain"])
    assert table.loc[("d1", "a"), "item_share"] == pytest.approx(2 / 3)
    assert table.loc[("d1", "a"), "text_share"] == pytest.approx(40 / 100)
    assert table.loc[("d1", "c"), "n_items"] == 0
    assert table.groupby("doc_id")[["item_share", "text_share"]].sum().to_numpy() == \
        pytest.approx(np.ones((2, 2)))
    # a document with one domain only has no uncertainty about it
    assert table.loc[("d2", "c"), ["item_share_low", "item_share_high"]].tolist() == [1.0, 1.0]
    low, high = table.loc[("d1", "a"), ["item_share_low", "item_share_high"]]
    assert 0 <= low < 2 / 3 < high <= 1


def test_bootstrap_is_reproducible_with_its_seed():
    a = measures.attention(ITEMS, CODEBOOK, n_boot=100, seed=3)
    assert a.equals(measures.attention(ITEMS, CODEBOOK, n_boot=100, seed=3))
    assert not a.equals(measures.attention(ITEMS, CODEBOOK, n_boot=100, seed=4))


def test_diversity_of_even_and_single_domain_agendas():
    table = pd.DataFrame({"doc_id": ["e"] * 4 + ["s"] * 4, "domain": list("wxyz") * 2,
                          "item_share": [0.25] * 4 + [1, 0, 0, 0]})
    div = measures.diversity(table).set_index("doc_id")
    assert div.loc["e", "entropy"] == pytest.approx(math.log(4))
    assert div.loc["e", "entropy_norm"] == pytest.approx(1.0)
    assert div.loc["e", "effective_domains"] == pytest.approx(4.0)
    assert div.loc["s", "entropy"] == 0 and div.loc["s", "effective_domains"] == 1


def test_js_distance_is_the_square_root_of_the_divergence():
    table = pd.DataFrame({"doc_id": ["p"] * 2 + ["q"] * 2, "domain": ["x", "y"] * 2,
                          "item_share": [1, 0, 0, 1]})
    dist = measures.js_distances(table).set_index(["doc_a", "doc_b"])
    assert dist.loc[("p", "q"), "js_distance"] == pytest.approx(1.0)  # disjoint, base 2
    assert dist.loc[("p", "p"), "js_distance"] == 0
    seeds = measures.js_distances(io.read_table("attention.csv"))
    assert (seeds["js_divergence"] - seeds["js_distance"] ** 2).abs().max() < 1e-12


def test_periods_from_cut_points():
    assert [measures.period_of(y, [2020]) for y in (2017, 2020, 2023)] == [
        "before 2020", "2020 on", "2020 on"]
    assert [measures.period_of(y, [2020, 2021]) for y in (2019, 2020, 2022)] == [
        "before 2020", "2020", "2021 on"]


def test_seed_attention_table_is_complete():
    table = io.read_table("attention.csv")
    docs = io.read_table("documents.csv")
    codebook = io.read_codebook(config.CODEBOOK)
    assert len(table) == len(docs) * len(codebook.ids)
    sums = table.groupby("doc_id")[["item_share", "text_share"]].sum()
    assert np.allclose(sums.to_numpy(), 1, atol=1e-5)
    assert (table.groupby("doc_id")["n_items"].sum() == docs.set_index("doc_id")["n_items"]).all()


def test_chi_square_and_cramers_v_against_scipy():
    table = pd.DataFrame({"early": [10, 0, 5], "late": [2, 8, 5]}, index=["a", "b", "c"])
    result = stats.chi_square(table)
    reference = chi2_contingency(table.to_numpy(), correction=False)
    assert result.statistic == pytest.approx(reference.statistic)
    assert result.cramers_v == pytest.approx(math.sqrt(reference.statistic / (30 * 1)))
    assert result.share_expected_below_5 == pytest.approx(2 / 6)


def test_poisson_glm_finds_an_interaction_that_is_there_and_not_one_that_is_not():
    periods = pd.Series({"d1": "early", "d2": "early", "d3": "late", "d4": "late"})
    shifted = pd.DataFrame({"a": [40, 38, 5, 6], "b": [5, 6, 41, 37]}, index=periods.index)
    same = pd.DataFrame({"a": [20, 22, 21, 19], "b": [20, 19, 21, 22]}, index=periods.index)
    assert stats.poisson_glm(shifted, periods).p_value < 0.001
    assert stats.poisson_glm(same, periods).p_value > 0.5
    assert stats.poisson_glm(same, periods).dof == 1


def test_g2_without_continuity_correction_and_direction():
    counts = pd.DataFrame({"新词": [0, 30], "旧词": [20, 1], "常用": [100, 100]},
                          index=["e", "l"])
    group = pd.Series({"e": "earlier", "l": "later"})
    table = keyness.g2(counts, group).set_index("term")
    expected = chi2_contingency(np.array([[0, 30], [120, 101]]), correction=False,
                                lambda_="log-likelihood").statistic
    assert table.loc["新词", "g2"] == pytest.approx(expected)
    assert table.loc["新词", "direction"] == "later" and table.loc["旧词", "direction"] == "earlier"
    odds = keyness.log_odds_dirichlet(counts, group).set_index("term")
    assert odds.loc["新词", "z"] > 0 > odds.loc["旧词", "z"]
    em = keyness.emerging(counts, group, min_count=3)
    assert em.set_index("term")["kind"].to_dict() == {"新词": "emerging"}


def test_kwic_shows_each_occurrence_with_context():
    items = pd.DataFrame({"doc_id": ["d"], "item_id": ["d-1"], "text": ["甲乙扶贫丙丁扶贫"]})
    rows = keyness.kwic(items, "扶贫", width=2)
    assert rows[["left", "right"]].values.tolist() == [["甲乙", "丙丁"], ["丙丁", ""]]
