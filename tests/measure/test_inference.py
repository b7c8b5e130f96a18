"""Document-level inference: each method pinned to an answer worked by hand or by another route."""

from __future__ import annotations

import math
from itertools import permutations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import beta, entropy
from scipy.stats.contingency import association

from msresearch.measure.inference import (
    cramers_v_corrected,
    difference_interval,
    g2_statistic,
    js_null,
    misclassification_shares,
    permutation_test,
    proportion_interval,
    rarefied_effective_domains,
    rarefied_entropies,
    rarefied_entropy,
)

# Four documents, two domains: d1 = [5, 0], d2 = [4, 1], d3 = [1, 4], d4 = [0, 5].
FOUR = pd.DataFrame([[5, 0], [4, 1], [1, 4], [0, 5]], index=["d1", "d2", "d3", "d4"],
                    columns=["x", "y"])


def test_g2_matches_the_formula_by_hand():
    # {d1,d2} vs {d3,d4}: table [[9,1],[1,9]], every expected count 5:
    # G² = 2 Σ O ln(O/E) = 2 (2·9 ln(9/5) + 2·1 ln(1/5)) = 4 (9 ln 1.8 - ln 5) ≈ 14.7226
    groups = pd.Series({"d1": "A", "d2": "A", "d3": "B", "d4": "B"})
    assert g2_statistic(FOUR, groups) == pytest.approx(4 * (9 * math.log(1.8) - math.log(5)))
    # a domain nobody used is dropped rather than breaking the test
    assert g2_statistic(FOUR.assign(z=0), groups) == pytest.approx(g2_statistic(FOUR, groups))


@pytest.mark.parametrize(
    "in_a, k",
    [
        # The 6 ways to put 2 of the 4 documents in group A (the rest in B), and their A/B tables:
        #   {1,2}: [9,1]/[1,9]  G² 14.72      {3,4}: [1,9]/[9,1]  G² 14.72
        #   {1,3}: [6,4]/[4,6]  G²  0.81      {2,4}: [4,6]/[6,4]  G²  0.81
        #   {1,4}: [5,5]/[5,5]  G²  0         {2,3}: [5,5]/[5,5]  G²  0
        (("d1", "d2"), 2),  # observed is the largest, tied by 2 of 6 -> p = 2/6
        (("d1", "d3"), 4),  # observed 0.81 is reached or beaten by 4 of 6 -> p = 4/6
        (("d1", "d4"), 6),  # observed 0: every assignment -> p = 1
    ],
)
def test_exact_permutation_p_by_hand(in_a, k):
    groups = pd.Series({d: "A" if d in in_a else "B" for d in FOUR.index})
    result = permutation_test(FOUR, groups)
    assert result.exact and result.n_assignments == 6
    assert result.p_value == pytest.approx(k / 6)
    # two groups of two: an assignment and its label swap give the same G², so the most
    # extreme split is reached twice and no p below 2/6 is possible
    assert result.min_p == pytest.approx(2 / 6)


def test_five_documents_split_two_three_have_ten_assignments():
    # counts whose most extreme split is reached once (no tie), so the floor is 1/10
    counts = pd.DataFrame([[5, 0], [4, 1], [0, 5], [1, 4], [2, 3]], index=list("abcde"))
    result = permutation_test(counts, pd.Series(dict(zip("abcde", "XXYYY", strict=True))))
    assert (result.n_assignments, result.exact) == (10, True)
    assert result.min_p == pytest.approx(0.1)  # unequal groups: no swap ties the extreme split
    assert result.p_value == pytest.approx(0.1)  # and the observed split is that one
    # when two splits tie at the top, no p below 2/10 is possible with these documents
    tied = pd.DataFrame([[3, 1], [2, 2], [0, 4], [1, 3], [4, 0]], index=list("abcde"))
    assert permutation_test(tied, pd.Series(dict(zip("abcde", "XXYYY", strict=True)))
                            ).min_p == pytest.approx(0.2)


def test_three_groups_match_brute_force_over_distinct_label_orders():
    rng = np.random.default_rng(1)
    counts = pd.DataFrame(rng.integers(0, 8, size=(6, 3)), index=list("abcdef"))
    labels = ["A", "A", "B", "B", "C", "D"]
    groups = pd.Series(labels, index=counts.index)
    result = permutation_test(counts, groups)
    distinct = set(permutations(labels))  # 6!/(2!2!1!1!) = 180 distinct assignments
    assert result.n_assignments == len(distinct) == 180
    observed = g2_statistic(counts, groups)
    brute = [g2_statistic(counts, pd.Series(p, index=counts.index)) for p in distinct]
    assert result.p_value == pytest.approx(np.mean(np.array(brute) >= observed - 1e-12))


def test_sampled_p_is_close_to_exact_p():
    rng = np.random.default_rng(2)
    counts = pd.DataFrame(rng.integers(0, 6, size=(10, 3)), index=[f"d{i}" for i in range(10)])
    counts.iloc[:5, 0] += 3  # a modest group difference, so p is neither 0 nor 1
    groups = pd.Series(["A"] * 5 + ["B"] * 5, index=counts.index)
    exact = permutation_test(counts, groups)
    sampled = permutation_test(counts, groups, max_exact=10, n_samples=4999, seed=3)
    assert exact.exact and exact.n_assignments == 252  # C(10, 5)
    assert not sampled.exact and sampled.n_assignments == 5000
    assert sampled.min_p == pytest.approx(1 / 5000)
    assert 0.02 < exact.p_value < 0.98
    assert sampled.p_value == pytest.approx(exact.p_value, abs=0.025)


def test_sampled_p_counts_the_observed_assignment():
    # 20 documents split 10/10: C(20, 10) = 184,756 > max_exact, so the default samples.
    counts = pd.DataFrame(np.arange(40).reshape(20, 2), index=[f"d{i:02}" for i in range(20)])
    groups = pd.Series(["A"] * 10 + ["B"] * 10, index=counts.index)

    def is_observed(_: pd.DataFrame, g: pd.Series) -> float:
        return float(g.equals(groups))  # 1 only for the observed assignment

    rare = permutation_test(counts, groups, statistic=is_observed, n_samples=99)
    # no random permutation hits the observed one (P ≈ 99/184756), so p = (1 + 0) / (1 + 99)
    assert (rare.exact, rare.n_assignments, rare.p_value, rare.min_p) == (False, 100, 0.01, 0.01)
    flat = permutation_test(counts, groups, statistic=lambda c, g: 0.0, n_samples=99)
    assert flat.p_value == 1.0  # every sample ties the observed statistic


def test_documents_without_a_group_are_dropped_and_one_group_is_refused():
    groups = pd.Series({"d1": "A", "d2": "A", "d3": "B", "d4": "B", "d5": np.nan})
    counts = pd.concat([FOUR, pd.DataFrame([[50, 0]], index=["d5"], columns=["x", "y"])])
    with_nan = permutation_test(counts, groups)
    assert with_nan == permutation_test(FOUR, groups.dropna())
    assert with_nan.n_assignments == 6
    with pytest.raises(ValueError):
        permutation_test(FOUR, pd.Series("A", index=FOUR.index))


@pytest.mark.parametrize("n, upper", [(9, 0.237610), (50, 0.048758)])
def test_jeffreys_at_zero(n, upper):
    # upper = beta.ppf(0.975, 0.5, n + 0.5): 0/9 -> 0.237610, 0/50 -> 0.048758; lower exactly 0
    low, high = proportion_interval(0, n)
    assert high == pytest.approx(upper, abs=1e-4)
    assert high == pytest.approx(beta.ppf(0.975, 0.5, n + 0.5))
    assert low == 0.0
    # n/n mirrors it, and arrays broadcast
    low, high = proportion_interval(np.array([n, 0]), n)
    assert high.tolist() == [1.0, pytest.approx(upper, abs=1e-4)]
    assert low[0] == pytest.approx(1 - upper, abs=1e-4) and low[1] == 0.0


def test_jeffreys_interior_is_the_beta_quantiles():
    low, high = proportion_interval(3, 9)
    assert low == pytest.approx(beta.ppf(0.025, 3.5, 6.5))
    assert high == pytest.approx(beta.ppf(0.975, 3.5, 6.5))


def test_newcombe_table_ii_worked_example():
    # Newcombe (1998) Table II: 56/70 vs 48/80, difference 0.2, method 10: 0.0524 to 0.3339.
    # Second minus first: first = 48/80 (earlier), second = 56/70 (later).
    diff, low, high = difference_interval(48, 80, 56, 70)
    assert diff == pytest.approx(0.2)
    assert (low, high) == (pytest.approx(0.0524, abs=1e-4), pytest.approx(0.3339, abs=1e-4))
    diff, low, high = difference_interval([48, 56], [80, 70], [56, 48], [70, 80])
    assert diff == pytest.approx([0.2, -0.2])
    assert low == pytest.approx([0.0524, -0.3339], abs=1e-4)
    assert high == pytest.approx([0.3339, -0.0524], abs=1e-4)


def test_cramers_v_corrected_known_values():
    assert cramers_v_corrected([[10, 20], [30, 60]]) == 0.0  # outer product: perfect independence
    # [[n,0],[0,n]], N = 2n: chi2 = N, phi2c = 1 - 1/(N-1); rc = kc = 2 - 1/(N-1), so
    # min(kc-1, rc-1) = 1 - 1/(N-1) too and V = 1 exactly (as uncorrected V).
    assert cramers_v_corrected([[7, 0], [0, 7]]) == pytest.approx(1.0)
    # [[10,5],[3,12]], N = 30: chi2 = 30 (120 - 15)² / (15·15·13·17) = 6.651584;
    # phi2c = 6.651584/30 - 1/29 = 0.187237; rc = kc = 2 - 1/29;
    # V = sqrt(0.187237 / (28/29)) = 0.440368
    table = [[10, 5], [3, 12]]
    v = math.sqrt((30 * 105**2 / (15 * 15 * 13 * 17) / 30 - 1 / 29) / (28 / 29))
    assert cramers_v_corrected(table) == pytest.approx(v) == pytest.approx(0.440368, abs=1e-6)
    assert cramers_v_corrected(table) < association(np.array(table), method="cramer")  # 0.470871
    # all-zero rows/columns are dropped before correcting
    assert cramers_v_corrected([[10, 5, 0], [3, 12, 0], [0, 0, 0]]) == pytest.approx(v)


def test_rarefied_entropy_on_toy_agendas():
    # [2, 2] -> 2 items: one of each with P = (2·2)/C(4,2) = 4/6, giving H = ln 2; else H = 0
    assert rarefied_entropy([2, 2], 2) == pytest.approx(2 / 3 * math.log(2))
    assert rarefied_effective_domains([2, 2], 2) == pytest.approx(2 ** (2 / 3))
    assert [rarefied_effective_domains([5], n) for n in range(1, 6)] == pytest.approx([1.0] * 5)
    counts = [7, 3, 1, 0]
    assert rarefied_entropy(counts, 11) == pytest.approx(entropy(counts))
    assert rarefied_entropy(counts, 1) == pytest.approx(0.0)
    with pytest.raises(ValueError):
        rarefied_entropy(counts, 12)
    with pytest.raises(ValueError):
        rarefied_entropy(counts, 0)


def test_rarefied_entropies_of_many_documents_at_once_are_each_documents_own():
    from scipy.stats import hypergeom

    documents = [[7, 3, 1, 0], [2, 2], [0, 9], [1, 1, 1, 1, 1, 1], [4, 0, 6]]

    def reference(counts, n):  # E[H] summed over domains and draws, one pmf at a time
        total = sum(counts)
        return sum(hypergeom.pmf(j, total, c, n) * -(j / n) * math.log(j / n)
                   for c in counts if c for j in range(1, min(c, n) + 1))

    batch = rarefied_entropies(documents, 2)
    assert batch == [rarefied_entropy(d, 2) for d in documents]  # the same bits, one by one
    assert batch == pytest.approx([reference(d, 2) for d in documents], abs=1e-12)
    assert rarefied_entropies(documents[::-1], 2) == batch[::-1]
    assert rarefied_entropies([], 3) == []
    with pytest.raises(ValueError, match="between 1 and the document's 4 items, got 5"):
        rarefied_entropies(documents, 5)


def test_js_null_toy_and_identical_documents():
    # one item each, pooled 50/50: the two draws agree (distance 0) or differ (distance 1), P = 1/2
    toy = js_null([1, 0], [0, 1], n_draws=4000, seed=0)
    assert toy.observed == pytest.approx(1.0)
    assert toy.null_mean == pytest.approx(0.5, abs=0.03)
    assert (toy.null_low, toy.null_high) == (0.0, 1.0)
    assert toy.p_further == pytest.approx(toy.null_mean, abs=1e-3)  # (1 + #{null = 1}) / 4001
    assert toy.p_closer == 1.0  # every null distance is <= 1, observed included
    same = js_null([500, 300, 200], [500, 300, 200], n_draws=1000)
    assert same.observed == 0.0
    assert same.p_further == 1.0  # nothing is closer than 0
    # two samples of 1000 from one agenda almost never coincide, so identity is closer than chance
    # null distances are 0 only when the two multinomial draws coincide (same seed, same order)
    rng = np.random.default_rng(0)
    pooled = np.array([0.5, 0.3, 0.2])
    ties = (rng.multinomial(1000, pooled, 1000) == rng.multinomial(1000, pooled, 1000)).all(axis=1)
    assert same.null_low > 0 and same.p_closer < 0.01
    assert same.p_closer == pytest.approx((1 + ties.sum()) / 1001)


def _coded(doc_labels: dict[str, list[str]]) -> pd.DataFrame:
    rows = [(d, lab) for d, labels in doc_labels.items() for lab in labels]
    return pd.DataFrame(rows, columns=["doc_id", "domain"])


def test_perfect_coder_adds_nothing_to_the_bootstrap():
    coded = _coded({"q2": ["a"] * 6 + ["b"] * 3 + ["procedural"], "q1": ["a"] * 2 + ["b"] * 8})
    labels = ["a", "b", "procedural"]
    confusion = pd.DataFrame(np.eye(3) * 1e9, index=labels, columns=labels)
    out = misclassification_shares(coded, confusion, ["a", "b"], n_boot=500)
    assert out[["doc_id", "domain"]].values.tolist() == [
        ["q1", "a"], ["q1", "b"], ["q2", "a"], ["q2", "b"]]
    assert out["share"].tolist() == pytest.approx([0.2, 0.8, 6 / 9, 3 / 9])  # procedural left out
    assert out["low"].tolist() == pytest.approx(out["boot_low"].tolist())
    assert out["high"].tolist() == pytest.approx(out["boot_high"].tolist())
    assert (out["boot_low"] < out["share"]).all() and (out["share"] < out["boot_high"]).all()


def test_coder_label_always_wrong_moves_the_share():
    coded = _coded({"d": ["a"] * 20})
    # gold (rows) × coder (columns): everything the coder called "a" was truly "b"
    confusion = pd.DataFrame([[0, 0], [1e6, 1e6]], index=["a", "b"], columns=["a", "b"])
    out = misclassification_shares(coded, confusion, ["a", "b"], n_boot=300).set_index("domain")
    assert out.loc["b", "share"] == 0.0 and out.loc["b", "boot_high"] == 0.0
    assert out.loc["b", ["low", "high"]].tolist() == pytest.approx([1.0, 1.0])
    assert out.loc["a", ["low", "high"]].tolist() == pytest.approx([0.0, 0.0])


def test_uncertain_coder_widens_the_interval_and_unknown_labels_stay():
    coded = _coded({"d": ["a"] * 30 + ["b"] * 30 + ["c"] * 10})  # "c" is not in the confusion
    confusion = pd.DataFrame([[8, 2], [2, 8]], index=["a", "b"], columns=["a", "b"])
    out = misclassification_shares(coded, confusion, ["a", "b", "c"], n_boot=1000)
    out = out.set_index("domain")
    width = out["high"] - out["low"]
    assert (width[["a", "b"]] > (out["boot_high"] - out["boot_low"])[["a", "b"]]).all()
    c = out.loc["c"]
    assert (c["low"], c["high"]) == (c["boot_low"], c["boot_high"])


def test_misclassification_interval_follows_the_posterior_of_the_error_rate():
    # the coder says "a" for all of 2,000 items; of 10 hand-checked "a" items, 2 were truly "b";
    # ten gold labels. The default prior is 1/10 per gold label (one item in all), so
    # P(b | coded a) ~ Beta(2 + 0.1, 8 + 0.9): a prior of 1/2 per label would give
    # Beta(2.5, 12.5) and pull every share towards the eight labels never seen. With this many
    # items the binomial noise is small, so b's interval is close to the Beta's quantiles
    labels = list("abcdefghij")
    coded = pd.DataFrame({"doc_id": "d", "domain": ["a"] * 2000})
    confusion = pd.DataFrame(np.diag([0, 10, 5, 5, 5, 5, 5, 5, 5, 5]), index=labels,
                             columns=labels)
    confusion.loc[["a", "b"], "a"] = [8, 2]
    result = misclassification_shares(coded, confusion, labels, n_boot=4000, seed=5)
    b = result.set_index("domain").loc["b"]
    assert b["share"] == 0.0 and (b["boot_low"], b["boot_high"]) == (0.0, 0.0)
    assert b["low"] == pytest.approx(beta.ppf(0.025, 2.1, 8.9), abs=0.01)
    assert b["high"] == pytest.approx(beta.ppf(0.975, 2.1, 8.9), abs=0.01)
