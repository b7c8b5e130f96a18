"""Keyness on small known inputs: G², multiple-testing correction, the document-frequency
filter, one split per cut, the log-odds prior, and the keyness figures."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, norm

from msresearch import plots
from msresearch.measure import keyness
from msresearch.plots import keyness as plot_keyness

# Three documents: 旧词 in both earlier ones, 新词 in the later one only, 地名 in one
# earlier document only (a document effect), 常用 everywhere.
COUNTS = pd.DataFrame({"新词": [0, 0, 30], "旧词": [10, 10, 1], "地名": [20, 0, 0],
                       "常用": [50, 50, 100]}, index=["e1", "e2", "l"])
GROUP = pd.Series({"e1": "earlier", "e2": "earlier", "l": "later"})


def bh_by_hand(p):
    """Benjamini–Hochberg written out: q_(i) = min over j >= i of p_(j) m / j."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1)
    q = np.empty_like(q_sorted)
    q[order] = q_sorted
    return q


def test_bh_qvalues_equal_a_hand_computed_vector():
    q = keyness.bh_qvalues([0.01, 0.04, 0.03, 0.2])
    assert q == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.2])
    assert keyness.bh_qvalues([]).size == 0


def test_g2_q_values_are_bh_over_the_tested_terms_only():
    table = keyness.g2(COUNTS, GROUP, min_count=5, min_docs=1)
    assert set(table["term"]) == {"新词", "旧词", "地名", "常用"}
    assert table["q_value"].to_numpy() == pytest.approx(bh_by_hand(table["p_value"]))
    tested = keyness.g2(COUNTS, GROUP, min_count=5, min_docs=2)
    assert set(tested["term"]) == {"旧词", "常用"}  # 新词 and 地名: one document each
    assert tested["q_value"].to_numpy() == pytest.approx(bh_by_hand(tested["p_value"]))
    # corrected for two tests, not four: 旧词 ranks first of two here, third of four there
    q_tested, q_all = tested.set_index("term")["q_value"], table.set_index("term")["q_value"]
    p_old = tested.set_index("term").loc["旧词", "p_value"]
    assert q_tested["旧词"] == pytest.approx(p_old * 2 / 1)
    assert q_all["旧词"] == pytest.approx(p_old * 4 / 3)


def test_g2_without_continuity_correction_and_direction():
    table = keyness.g2(COUNTS, GROUP, min_docs=1).set_index("term")
    n_early, n_late = COUNTS.loc[["e1", "e2"]].to_numpy().sum(), COUNTS.loc["l"].sum()
    expected = chi2_contingency(np.array([[0, 30], [n_early, n_late - 30]]), correction=False,
                                lambda_="log-likelihood")
    assert table.loc["新词", "g2"] == pytest.approx(expected.statistic)
    assert table.loc["新词", "p_value"] == pytest.approx(expected.pvalue)
    assert table.loc["新词", "direction"] == "later" and table.loc["旧词", "direction"] == "earlier"
    assert table.loc["旧词", "n_docs"] == 3


def test_min_docs_drops_a_single_document_word_everywhere():
    assert "地名" in set(keyness.g2(COUNTS, GROUP, min_docs=1)["term"])
    assert "地名" not in set(keyness.g2(COUNTS, GROUP, min_docs=2)["term"])
    assert "地名" in set(keyness.log_odds_dirichlet(COUNTS, GROUP, min_docs=1)["term"])
    odds = keyness.log_odds_dirichlet(COUNTS, GROUP, min_docs=2)
    assert "地名" not in set(odds["term"]) and "新词" not in set(odds["term"])
    kept = keyness.log_odds_dirichlet(COUNTS, GROUP, min_docs=2, keep_untested=True)
    kept = kept.set_index("term")
    assert np.isnan(kept.loc["地名", "q_value"])
    assert kept["q_value"].dropna().sort_index().to_numpy() == pytest.approx(
        odds.set_index("term")["q_value"].sort_index().to_numpy())
    em = keyness.emerging(COUNTS, GROUP, min_count=3, min_docs=1)
    assert em.set_index("term")["kind"].to_dict() == {"新词": "emerging", "地名": "vanishing"}
    assert keyness.emerging(COUNTS, GROUP, min_count=3, min_docs=2).empty


def test_every_cut_gives_its_own_split():
    documents = pd.DataFrame({"doc_id": ["a", "b", "c", "d", "e"],
                              "year": [2017, 2019, 2020, 2021, 2023]})
    splits = {cut: keyness.split_at(documents, cut) for cut in (2020, 2021)}
    assert splits[2020].to_dict() == {"a": "earlier", "b": "earlier", "c": "later",
                                      "d": "later", "e": "later"}
    assert splits[2021].to_dict() == {"a": "earlier", "b": "earlier", "c": "earlier",
                                      "d": "later", "e": "later"}
    described = keyness.describe_split(documents, splits[2021])
    assert described.loc["earlier", ["first_year", "last_year", "n_documents"]].tolist() == [
        2017, 2020, 3]
    assert described.loc["later", "documents"] == "d, e"


def test_a_split_with_an_empty_period_is_an_error_not_a_silent_result():
    with pytest.raises(ValueError, match="later"):
        keyness.g2(COUNTS, pd.Series({"e1": "earlier", "e2": "earlier", "l": "earlier"}))


def test_log_odds_follow_the_documented_prior_and_a_larger_prior_shrinks_z():
    scale = 0.5
    odds = keyness.log_odds_dirichlet(COUNTS, GROUP, prior_scale=scale, min_docs=1)
    row = odds.set_index("term").loc["旧词"]
    total = COUNTS.to_numpy().sum()
    alpha_w, alpha_0 = scale * COUNTS["旧词"].sum(), scale * total
    y_l, y_e = 1, 20
    n_l, n_e = COUNTS.loc["l"].sum(), COUNTS.loc[["e1", "e2"]].to_numpy().sum()
    delta = (np.log((y_l + alpha_w) / (n_l + alpha_0 - y_l - alpha_w))
             - np.log((y_e + alpha_w) / (n_e + alpha_0 - y_e - alpha_w)))
    z = delta / np.sqrt(1 / (y_l + alpha_w) + 1 / (y_e + alpha_w))
    assert row["log_odds"] == pytest.approx(delta)
    assert row["z"] == pytest.approx(z)
    assert row["p_value"] == pytest.approx(2 * norm.sf(abs(z)))
    weak, strong = (keyness.log_odds_dirichlet(COUNTS, GROUP, prior_scale=s, min_docs=1)
                    .set_index("term").sort_index() for s in (0.5, 2.0))
    assert (strong["z"].abs() < weak["z"].abs()).all()
    assert (strong["log_odds"].abs() < weak["log_odds"].abs()).all()


def test_readable_shows_small_p_values_in_scientific_notation():
    table = pd.DataFrame({"term": ["x"], "g2": [42.2937], "p_value": [2.3e-11],
                          "q_value": [4.5e-08]})
    shown = keyness.readable(table)
    assert shown.loc[0, "p_value"] == "2.30e-11" and shown.loc[0, "q_value"] == "4.50e-08"
    assert shown.loc[0, "g2"] == 42.29


def test_kwic_shows_each_occurrence_with_context():
    items = pd.DataFrame({"doc_id": ["d"], "item_id": ["d-1"], "text": ["甲乙扶贫丙丁扶贫"]})
    rows = keyness.kwic(items, "扶贫", width=2)
    assert rows[["left", "right"]].values.tolist() == [["甲乙", "丙丁"], ["丙丁", ""]]
    # a term inside a units statement is not counted by term_counts, nor shown here
    units = items.assign(text=["开展产业扶贫（牵头单位：市扶贫办）"])
    assert keyness.kwic(units, "扶贫", width=2)["right"].tolist() == [""]


def test_period_colours_are_their_own():
    taken = set(plots.LEVEL_COLOURS.values())
    assert not taken & set(plots.PERIOD_COLOURS.values())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_keyness_bars_use_period_colours_and_have_a_legend(lang):
    plots.use_style(lang)
    fig, ax = plt.subplots()
    plots.keyness_bars(ax, keyness.g2(COUNTS, GROUP, min_docs=1), n=5, lang=lang)
    colours = {mpl.colors.to_hex(p.get_facecolor()) for p in ax.patches}
    assert colours <= set(plots.PERIOD_COLOURS.values())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ([plot_keyness._period_text(k, lang) for k in ("later", "earlier")])
    plt.close(fig)


def test_keyness_monroe_marks_untested_words_hollow_and_labels_the_tested():
    plots.use_style("en")
    odds = keyness.log_odds_dirichlet(COUNTS, GROUP, min_docs=2, keep_untested=True)
    fig, ax = plt.subplots()
    plots.keyness_monroe(ax, odds, COUNTS, n_labels=1)
    hollow = ax.collections[0]
    assert len(hollow.get_offsets()) == 2  # 新词 and 地名, each in one document
    assert len(hollow.get_facecolors()) == 0
    assert {t.get_text() for t in ax.texts} == {"常用", "旧词"}
    assert ax.get_xscale() == "log"
    assert "in one document only (not tested)" in [t.get_text()
                                                    for t in ax.get_legend().get_texts()]
    plt.close(fig)
