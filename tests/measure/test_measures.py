"""Measures and tests on small known inputs, and on the seeds' attention table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import beta, chi2_contingency

from msresearch import config
from msresearch.coding.codebook import parse_codebook, read_codebook
from msresearch.io import inputs
from msresearch.measure import inference, measures, stats

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


# each item's sentences: item d1-2 is half about b, and a "none" sentence counts for nothing
SENTENCES = pd.DataFrame([
    ("d1-1", "a", 10), ("d1-2", "a", 15), ("d1-2", "b", 15), ("d1-2", "none", 40),
    ("d1-3", "b", 60), ("d1-4", "procedural", 99), ("d1-5", "unclassified", 50),
    ("d2-1", "c", 10), ("d2-2", "c", 10),
], columns=["item_id", "domain", "n_chars"])


def test_shares_exclude_procedural_and_unclassified_and_sum_to_one():
    table = measures.attention(ITEMS, SENTENCES, CODEBOOK, n_boot=400, seed=1).set_index(
        ["doc_id", "domain"])
    assert table.loc[("d1", "a"), "item_share"] == pytest.approx(2 / 3)
    assert table.loc[("d1", "a"), "n_items_total"] == 3
    # text share from sentences: a has 10 + 15 of 100 characters; "none" leaves the denominator
    assert table.loc[("d1", "a"), "text_share"] == pytest.approx(25 / 100)
    assert table.loc[("d1", "b"), "n_chars"] == 75
    assert table.loc[("d1", "c"), "n_items"] == 0
    assert table.groupby("doc_id")[["item_share", "text_share"]].sum().to_numpy() == \
        pytest.approx(np.ones((2, 2)))
    # Jeffreys: 2 of 2 items -> [beta.ppf(0.025, 2.5, 0.5), 1]; 0 of 2 -> [0, upper]
    low, high = table.loc[("d2", "c"), ["item_share_low", "item_share_high"]]
    assert (low, high) == (pytest.approx(beta.ppf(0.025, 2.5, 0.5)), 1.0)
    assert table.loc[("d2", "a"), "item_share_low"] == 0
    assert table.loc[("d2", "a"), "item_share_high"] == pytest.approx(beta.ppf(0.975, 0.5, 2.5))
    # a domain with no text has an interval that starts at 0 and is not empty
    assert table.loc[("d2", "a"), "text_share_low"] == 0
    assert table.loc[("d2", "a"), "text_share_high"] > 0.05
    low, high = table.loc[("d1", "a"), ["text_share_low", "text_share_high"]]
    assert 0 < low < 0.25 < high < 1


def test_text_share_draws_reduce_to_the_jeffreys_posterior_for_equal_items():
    # 3 of 10 equal items in domain 0: draws of its share follow Beta(3.5, 7.5)
    chars = np.zeros((10, 2))
    chars[:3, 0] = chars[3:, 1] = 5.0
    draws = measures.text_share_draws(chars, 20000, np.random.default_rng(0))[:, 0]
    assert draws.mean() == pytest.approx(beta.mean(3.5, 7.5), abs=0.005)
    assert np.percentile(draws, 97.5) == pytest.approx(beta.ppf(0.975, 3.5, 7.5), abs=0.01)


def test_intervals_are_reproducible_with_their_seed():
    a = measures.attention(ITEMS, SENTENCES, CODEBOOK, n_boot=100, seed=3)
    assert a.equals(measures.attention(ITEMS, SENTENCES, CODEBOOK, n_boot=100, seed=3))
    assert not a.equals(measures.attention(ITEMS, SENTENCES, CODEBOOK, n_boot=100, seed=4))


def test_change_between_two_documents_has_newcombes_interval():
    table = measures.attention(ITEMS, SENTENCES, CODEBOOK, n_boot=50, seed=1)
    docs = pd.DataFrame({"doc_id": ["d1", "d2"], "date": ["2017-01-01", "2023-01-01"]})
    change = measures.change(table, docs)
    assert change.attrs == {"first": "d1", "last": "d2"}
    assert change.loc["c", "change"] == pytest.approx(1.0)  # 0/3 -> 2/2
    diff, low, high = inference.difference_interval(0, 3, 2, 2)
    assert change.loc["c", ["change_low", "change_high"]].tolist() == pytest.approx(
        [float(low), float(high)])
    assert change.index[0] == "c" and change.loc["a", "change"] == pytest.approx(-2 / 3)


def test_diversity_of_even_and_single_domain_agendas():
    table = pd.DataFrame({"doc_id": ["e"] * 4 + ["s"] * 4, "domain": list("wxyz") * 2,
                          "item_share": [0.25] * 4 + [1, 0, 0, 0],
                          "n_items": [2] * 4 + [8, 0, 0, 0]})
    div = measures.diversity(table).set_index("doc_id")
    assert div.loc["e", "entropy"] == pytest.approx(math.log(4))
    assert div.loc["e", "entropy_norm"] == pytest.approx(1.0)
    assert div.loc["e", "effective_domains"] == pytest.approx(4.0)
    assert div.loc["s", "entropy"] == 0 and div.loc["s", "effective_domains"] == 1
    # rarefied to the smaller document's 8 items: e is all of its items, s stays 1
    assert div["rarefied_to"].tolist() == [8, 8]
    assert div.loc["e", "effective_domains_rarefied"] == pytest.approx(4.0)
    assert div.loc["s", "effective_domains_rarefied"] == pytest.approx(1.0)
    two = measures.diversity(table, rarefy_to=2).set_index("doc_id")
    # 2 of e's 8 items: different domains with probability 6/7, so E[H] = (6/7) ln 2
    assert two.loc["e", "effective_domains_rarefied"] == pytest.approx(2 ** (6 / 7))


def test_js_distance_is_the_square_root_of_the_divergence():
    table = pd.DataFrame({"doc_id": ["p"] * 2 + ["q"] * 2, "domain": ["x", "y"] * 2,
                          "item_share": [1, 0, 0, 1], "n_items": [1, 0, 0, 1]})
    dist = measures.js_distances(table, n_draws=4000).set_index(["doc_a", "doc_b"])
    assert dist.loc[("p", "q"), "js_distance"] == pytest.approx(1.0)  # disjoint, base 2
    assert dist.loc[("p", "p"), "js_distance"] == 0
    # one item each from a 50/50 agenda: the same domain (0) or not (1), equally likely
    assert dist.loc[("p", "q"), "null_mean"] == pytest.approx(0.5, abs=0.03)
    assert np.isnan(dist.loc[("p", "p"), "null_mean"])
    seeds = measures.js_distances(inputs.read_table("attention.csv")).set_index(["doc_a", "doc_b"])
    swapped = seeds.swaplevel().reindex(seeds.index)
    assert np.allclose(seeds["js_distance"], swapped["js_distance"])  # symmetric
    assert (seeds.loc[[(d, d) for d in seeds.index.levels[0]], "js_distance"] == 0).all()


def test_periods_from_cut_points():
    assert [measures.period_of(y, [2020]) for y in (2017, 2020, 2023)] == [
        "before 2020", "2020 on", "2020 on"]
    assert [measures.period_of(y, [2020, 2021]) for y in (2019, 2020, 2022)] == [
        "before 2020", "2020", "2021 on"]


def test_seed_attention_table_is_complete():
    table = inputs.read_table("attention.csv")
    docs = inputs.read_table("documents.csv").query("genre != 'work_report'")  # lists only
    codebook = read_codebook(config.CODEBOOK)
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


def _docs():
    return pd.DataFrame({
        "doc_id": ["p20", "c17", "c23", "k20"], "date": ["2020-04-01", "2017-01-01",
                                                         "2023-01-01", "2020-06-01"],
        "year": [2020, 2017, 2023, 2020], "level": ["province", "city", "city", "county"],
        "genre": ["plan", "opinions", "plan", "plan"], "unit_en": ["P", "C1", "C2", "K"]})


def test_contrasts_say_what_differs_between_each_pair():
    table = measures.contrasts(_docs()).set_index(["doc_a", "doc_b"])
    assert len(table) == 6
    # the same year and genre at two levels: a contrast of level (and place)
    assert table.loc[("p20", "k20"), "contrast_of"] == "level (and place)"
    assert table.loc[("p20", "k20"), "n_factors"] == 1
    assert table.loc[("c17", "c23"), "differs_in"] == "year, genre, place"
    assert table.loc[("c17", "c23"), "contrast_of"] == "confounded: year + genre"
    assert table.index[0] == ("p20", "k20")  # like with like first


def test_ranks_cap_topics_and_character_shares():
    table = pd.DataFrame({"doc_id": ["d"] * 3, "domain": ["a", "b", "c"],
                          "item_share": [0.5, 0.25, 0.25]})
    ranks = measures.ranks(table).set_index("domain")["rank"]
    assert ranks.to_dict() == {"a": 1, "b": 2, "c": 2}
    book = parse_codebook({**{"scheme": "t", "version": 1},
                           "zones": {"title": 3, "first_sentence": 2, "rest": 0.5},
                           "domains": [{"id": i, "zh": i, "en": i, "cap": cap,
                                        "colour": f"#00000{k}", "precedence": k,
                                        "patterns": {f"t{k}": 1}}
                                       for k, (i, cap) in enumerate(
                                           [("a", "13 Social Welfare / 3 Health"),
                                            ("b", "3 Health"), ("c", "13 Social Welfare")], 1)]},
                          "t.yaml")
    cap = measures.cap_shares(table, book).set_index("cap_topic")["share"]
    assert cap.to_dict() == {"13 Social Welfare": 0.75, "3 Health": 0.25}
    chars = measures.char_share(ITEMS, CODEBOOK).set_index(["doc_id", "domain"])["char_share"]
    assert chars[("d1", "a")] == pytest.approx(40 / 100)  # procedural and unclassified left out


def test_share_dispersion_and_the_permutation_test_over_documents():
    # two documents per period; the earlier ones are all a, the later ones all b
    shares = pd.DataFrame({"a": [1.0, 1.0, 0.0, 0.0], "b": [0.0, 0.0, 1.0, 1.0]},
                          index=["e1", "e2", "l1", "l2"])
    groups = pd.Series({"e1": "earlier", "e2": "earlier", "l1": "later", "l2": "later"})
    # grand mean (0.5, 0.5); each group's mean is 0.5² + 0.5² away, × 2 documents × 2 groups
    assert measures.share_dispersion(shares, groups) == pytest.approx(2.0)
    test = inference.permutation_test(shares, groups, statistic=measures.share_dispersion)
    # 6 assignments; the observed split and its mirror image reach 2.0: p = 2/6, and no
    # split of these documents could give less
    assert (test.n_assignments, test.p_value, test.min_p) == (6, pytest.approx(1 / 3),
                                                              pytest.approx(1 / 3))


def test_sensitivity_covers_every_measure_sample_and_cut():
    docs = _docs()
    rows = [(d, dom, s, s) for d, vals in {"p20": (0.5, 0.5), "c17": (1.0, 0.0),
                                           "c23": (0.0, 1.0), "k20": (0.5, 0.5)}.items()
            for dom, s in zip(("a", "b"), vals, strict=True)]
    shares = pd.DataFrame(rows, columns=["doc_id", "domain", "item_share", "text_share"])
    table = measures.sensitivity(shares, docs, [2020, 2021],
                                 {"all": [], "without opinions": ["opinions"]})
    specs = table.drop_duplicates(["measure", "sample", "cut"])
    # without the opinions, 2020 leaves no earlier document: that specification is left out
    assert sorted(map(tuple, specs[["sample", "cut"]].drop_duplicates().to_numpy())) == [
        ("all", 2020), ("all", 2021), ("without opinions", 2021)]
    assert set(specs["measure"]) == {"item_share", "text_share"}
    row = table[(table["sample"] == "all") & (table["cut"] == 2020) & (table["domain"] == "a")
                & (table["measure"] == "item_share")].iloc[0]
    assert (row["earlier"], row["later"]) == (1.0, pytest.approx(1 / 3))
    assert row["difference"] == pytest.approx(1 / 3 - 1)
    # 1 of 4 documents earlier: 4 assignments, and c17 or c23 alone earlier give the same
    # (largest) dispersion, so no p below 2/4 is possible with these documents
    assert row["min_p"] == pytest.approx(2 / 4)


def test_a_document_without_coded_sentences_falls_back_to_its_items():
    sentences = SENTENCES.assign(domain=SENTENCES["domain"].where(
        ~SENTENCES["item_id"].str.startswith("d2"), "none"))
    table = measures.attention(ITEMS, sentences, CODEBOOK, n_boot=50, seed=1).set_index(
        ["doc_id", "domain"])
    assert table.loc[("d2", "c"), "text_share"] == 1.0
    assert table.loc[("d2", "c"), "n_chars"] == 20
    assert table.loc[("d1", "a"), "text_share"] == pytest.approx(25 / 100)  # unchanged
