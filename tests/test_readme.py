"""Numbers the README quotes are the numbers the build and the library compute."""

from __future__ import annotations

import re

import pytest

from msresearch import config
from msresearch.io import inputs
from msresearch.link import reuse
from msresearch.link.reuse import read_reuse_params
from msresearch.measure import inference, measures, stats, study

SHARE_ROW = re.compile(r"^\s*\| (\S+) \| (\w+) \| ([\d.]+)% \(([\d.]+)–([\d.]+)\) \| "
                       r"([\d.]+)% \(([\d.]+)–([\d.]+)\) \|$", re.M)
CHANGE_ROW = re.compile(r"^\s*\| (\w+) \| (\S+) → (\S+) \| (-?[\d.]+) \((-?[\d.]+) to "
                        r"(-?[\d.]+)\) \|$", re.M)


@pytest.fixture(scope="module")
def findings() -> str:
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Findings", 1)[1].split("\n## ", 1)[0]
    return section


@pytest.fixture(scope="module")
def tables():
    """The livelihood lists' tables (the findings on the seeds; the work reports apart)."""
    return study.list_table("attention.csv"), study.list_table("documents.csv")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_share_table_matches_attention_csv(findings, tables):
    rows = SHARE_ROW.findall(findings)
    assert len(rows) >= 4, "the shares table was not found"
    attention = tables[0].set_index(["doc_id", "domain"])
    for doc_id, domain, *quoted in rows:
        rec = attention.loc[(doc_id, domain)]
        actual = [round(100 * rec[c], 1) for c in
                  ("item_share", "item_share_low", "item_share_high",
                   "text_share", "text_share_low", "text_share_high")]
        assert [float(v) for v in quoted] == actual, (doc_id, domain)


def test_difference_table_matches_newcombe_intervals(findings, tables):
    attention, documents = tables
    rows = CHANGE_ROW.findall(findings)
    assert len(rows) >= 2, "the difference table was not found"
    for domain, first, last, *quoted in rows:
        change = measures.change(attention, documents, first=first, last=last).loc[domain]
        actual = [round(100 * change[c], 1) for c in ("change", "change_low", "change_high")]
        assert [float(v) for v in quoted] == actual, domain
        order = documents.sort_values(["date", "doc_id"])["doc_id"]
        assert (first, last) == (order.iloc[0], order.iloc[-1])  # "earliest → latest"


def test_every_number_in_the_prose_is_recomputed(findings, tables):
    attention, documents = tables
    text = _flat(findings)
    diversity = study.list_table("diversity.csv").query("measure == 'item_share'")
    annual = diversity[diversity["doc_id"].isin(
        documents.loc[documents["genre"] != "implementation_opinions", "doc_id"])]
    rare = diversity["effective_domains_rarefied"]
    distances = measures.js_distances(attention, seed=config.RANDOM_SEED).set_index(
        ["doc_a", "doc_b"]).loc[("2019-xuancheng", "2020-anhui")]
    counts = attention.set_index(["doc_id", "domain"])
    wide = attention.pivot(index="doc_id", columns="domain", values="item_share")
    periods = measures.split(documents, 2020)
    by_period = inference.permutation_test(wide, periods, statistic=measures.share_dispersion,
                                           seed=config.RANDOM_SEED)
    by_level = inference.permutation_test(wide, documents.set_index("doc_id")["level"],
                                          statistic=measures.share_dispersion,
                                          seed=config.RANDOM_SEED)
    chi = stats.chi_square(stats.contingency(
        attention.pivot(index="doc_id", columns="domain", values="n_items"),
        documents.set_index("doc_id")["year"].map(lambda y: measures.period_of(y, [2020]))))

    def of(doc, domain):
        rec = counts.loc[(doc, domain)]
        return f"{int(rec['n_items'])} of {int(rec['n_items_total'])}"

    expected = [
        f"over {annual['effective_domains'].min():.0f} to {annual['effective_domains'].max():.0f}"
        " effective domains",
        f"common {int(diversity['rarefied_to'].iloc[0])} items",
        f"between {rare.min():.1f} and {rare.max():.1f}",
        f"distance {distances['js_distance']:.2f}, against {distances['null_low']:.2f}–"
        f"{distances['null_high']:.2f} by chance",
        f"from {of('2017-fuyang', 'poverty_alleviation')} items to "
        f"{of('2023-bozhou', 'poverty_alleviation')}",
        f"from {of('2017-fuyang', 'disability')} to {of('2023-bozhou', 'disability')}",
        f"p = {by_period.p_value:.2f} for before/from 2020",
        f"split 2 and 3 can give is {by_period.min_p:.2f}",
        f"p = {by_level.p_value:.2f} (smallest possible {by_level.min_p:.2f},",
        f"Cramér's V is {chi.cramers_v:.3f} but {chi.cramers_v_corrected:.3f}",
    ]
    items = study.list_table("items.csv")
    pairs = inputs.read_table("reuse.csv").fillna({"spans_a": "", "spans_b": ""})
    origins = reuse.origins(items, pairs, documents, config.LEVELS)
    taihe = origins[origins["doc_id"] == "2020-taihe"]
    # "restate an item of the province's": every inherited project's source is provincial
    assert taihe.loc[taihe["origin"] == "inherited", "source"].str.startswith("2020-anhui").all()
    shared = inputs.read_table("reuse_documents.csv").set_index(["doc_id", "other"])
    xuancheng = shared.loc[("2019-xuancheng", "2020-anhui")]
    gold = reuse.align_gold(inputs.read_gold_reuse(), documents, items)
    agreement = reuse.scores(gold["label"], reuse.predicted(
        gold, reuse.compare_documents(items, documents, read_reuse_params())))
    expected += [
        f"{(taihe['origin'] == 'inherited').sum()} of Taihe's {len(taihe)} projects",
        f"{int(xuancheng['n_same'])} of Xuancheng's {int(xuancheng['n_items'])} items",
        f"precision {agreement['precision']:.2f} and recall {agreement['recall']:.2f}",
    ]
    for phrase in expected:
        assert phrase in text, phrase
    assert measures.contrasts(documents)["n_factors"].min() > 1  # "no pair differs in only one"


def test_the_checks_fail_on_a_stale_number(findings, tables):
    stale = findings.replace("| 2023-bozhou | disability | 12.0%", "| 2023-bozhou | disability | 13.0%")
    with pytest.raises(AssertionError):
        test_share_table_matches_attention_csv(stale, tables)
    with pytest.raises(AssertionError):
        test_every_number_in_the_prose_is_recomputed(findings.replace("p = 0.30", "p = 0.03"),
                                                     tables)
