"""Numbers the README quotes are the numbers the build and the library compute."""

from __future__ import annotations

import re

import pytest

from msresearch import config
from msresearch.coding.codebook import read_codebook
from msresearch.evaluation import reuse as validation
from msresearch.io import inputs
from msresearch.link import families, reuse
from msresearch.measure import inference, measures, stats, study, trajectories, vertical

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
    expected += _reuse_numbers()
    for phrase in expected:
        assert phrase in text, phrase
    assert measures.contrasts(documents)["n_factors"].min() > 1  # "no pair differs in only one"


def _reuse_numbers() -> list[str]:
    """The reuse finding's phrases, recomputed from the build's families, the work reports
    and the labelled pairs."""
    coded = study.load(config.CODEBOOK)
    found = study.load_reuse(coded)
    items = found.origins[found.origins["kind"] == "item"]
    taihe, bozhou = (items[items["doc_id"] == d]["origin"] for d in ("2020-taihe", "2023-bozhou"))
    params = found.params
    prepared = families.prepare(study.compared_texts(), params)
    table = vertical.vertical(prepared, inputs.read_table("documents.csv"), params)
    per_city = table[table["level"] == "city"].groupby(["doc_id", "relation"])["share"].mean().unstack()
    gap, low, high, n = trajectories.mean_interval(per_city["superior"] - per_city["other_province"])
    development = reuse.align_gold(inputs.read_gold_reuse(), coded.documents, coded.items)
    dev = reuse.scores(development["label"], reuse.predicted(development, reuse.compare_documents(
        coded.items, coded.documents, params, prepared.weights)))
    rounds = validation.read_rounds()
    held = rounds[rounds["round"] == config.HELD_OUT_ROUND].rename(
        columns={"text_a": "item_a", "text_b": "item_b"})
    assert (validation.judged(prepared, held, "item_a", "item_b", params)
            == held["stratum"].str.startswith("same")).all()  # the rule the sample was drawn for
    out = validation.estimate(held, held["label_1"], predicted_strata=("same_item", "same_sentence"))
    return [
        f"{(taihe == 'inherited').sum()} of Taihe's {len(taihe)} projects",
        f"and {(taihe == 'national').sum()} more belong to a national",
        f"{(bozhou == 'local').sum()} of Bozhou's {len(bozhou)} items",
        f"restates {per_city['superior'].mean():.0%} of its sentences",
        f"against {per_city['other_province'].mean():.0%} from another",
        f"a gap of {gap * 100:.1f} points (95% interval {low * 100:.1f} to {high * 100:.1f}, {n} city",
        f"precision {dev['precision']:.2f} and recall {dev['recall']:.2f} on the development",
        f"precision {out['precision']:.2f} (95% interval {out['precision_low']:.2f}",
        f"to {out['precision_high']:.2f}) on pairs labelled after",
        f"in {'three' if params.national_provinces == 3 else params.national_provinces} or more "
        "provinces",
    ]


def test_the_checks_fail_on_a_stale_number(findings, tables):
    stale = findings.replace("| 2023-bozhou | disability | 12.0%", "| 2023-bozhou | disability | 13.0%")
    with pytest.raises(AssertionError):
        test_share_table_matches_attention_csv(stale, tables)
    with pytest.raises(AssertionError):
        test_every_number_in_the_prose_is_recomputed(findings.replace("p = 0.30", "p = 0.03"),
                                                     tables)
    with pytest.raises(AssertionError):
        test_every_number_in_the_prose_is_recomputed(findings.replace("18 of Taihe", "19 of Taihe"),
                                                     tables)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _span(low: float, high: float) -> str:
    return f"{100 * low:.1f}–{100 * high:.1f}"


def _signed(x: float) -> str:
    return f"{100 * x:+.1f}"


@pytest.fixture(scope="module")
def panel_numbers() -> list[str]:
    """The phrases of the panel's findings, recomputed with the library as notebook 06 does."""
    from msresearch.evaluation import work_reports as evaluate
    from msresearch.measure import following, panel_data, panel_models, trajectories

    genre = read_codebook(config.CODEBOOK).for_genre("work_report")
    study_ = panel_data.load(config.PROCESSED, ("national", "province", "city"), (2017, 2023))
    plan, domains = study_.plan(), study_.plan_domains()
    membership = panel_data.groups(study_.reports, config.FOCUS_PROVINCE)
    core = trajectories.group_years(plan, membership, "core_share", "core_low", "core_high") \
        .set_index(["group", "year"])
    provinces = core.loc["provinces"]
    modelled = panel_models.with_period(plan, [2020])
    model = panel_models.fractional_logit(modelled, "core_share", ("period", "level"))
    effects = panel_models.average_effects(model).set_index("contrast")
    period, city = effects.loc["2020 on"], effects.loc["city"]
    robust = panel_models.robustness(
        plan, [2020], {"core": "core_share", "broad": "broad_share"},
        {"all": ["national", "province", "city"], "no centre": ["province", "city"],
         "provinces": ["province"], "cities": ["city"]}).set_index(["outcome", "sample"])
    period_rows = robust[robust["factor"] == "period"]
    assert ((period_rows["low"] < 0) & (period_rows["high"] > 0)).all()  # "no period effect"
    broad_city = robust[robust["contrast"] == "city"].loc[("broad", "all")]
    moved = trajectories.changes(domains[(domains["level"] == "province")
                                         & domains["domain"].isin(study_.core)],
                                 "share", 2017, 2023).set_index("domain")
    clear = moved[(moved["low"] > 0) | (moved["high"] < 0)]
    centre = core.loc["centre"]
    reports = study_.reports
    leaders = reports[reports["level"] == "national"]
    pairs = following.follow(reports[reports["level"] == "province"], leaders,
                             following.compositions(domains, study_.core))
    close = following.closeness(pairs).set_index("compared")
    gaps = following.unit_means(pairs.assign(gap=pairs["leader_far"] - pairs["leader_before"]),
                                "gap")
    focus_unit = reports.loc[(reports["level"] == "province")
                             & (reports["unit_en"] == config.FOCUS_PROVINCE), "unit"].iloc[0]
    dates = dict(zip(leaders["year"], leaders["date"], strict=True))
    dated = reports[(reports["level"] == "province") & reports["date"].notna()]
    before = (dated["date"] < dated["year"].map(dates)).mean()
    standing, (rank, rank_low, rank_high) = following.rank_among(
        plan[plan["level"] == "province"], "core_share", focus_unit, seed=config.RANDOM_SEED)
    mine = standing.set_index("unit").loc[focus_unit]
    power = panel_models.power(plan[plan["level"] == "province"], "core_share", [2020])
    review = following.review_against_plan(
        study_.sections.assign(domain="core", share=study_.sections["core_share"]))
    did = following.domain_differences(review).iloc[0]
    assert did["low"] > -0.02 and did["high"] < 0.02  # "within under two points"
    low, high = centre.loc[int(centre["value"].idxmin())], centre.loc[int(centre["value"].idxmax())]
    assert low["high"] > high["low"]  # "the two intervals overlap"
    assert close.loc["leader_before", "low"] > close.loc["leader_same", "high"]
    heldout = evaluate.with_levels(evaluate.read_labels(
        config.WORK_REPORTS_LABELLED / "heldout.csv", evaluate.SENTENCE_COLUMNS, "labels"))
    coder = evaluate.livelihood_agreement(evaluate.sentences(
        heldout, evaluate.read_reports(list(heldout["path"]), config.WORK_REPORTS_LABELLED),
        genre), study_.core)

    def at(frame, year):
        r = frame.loc[year]
        return f"{_pct(r['value'])} ({_span(r['low'], r['high'])}) in {year}"

    def change(domain, unit=""):
        r = moved.loc[domain]
        return (f"{abs(100 * r['change']):.1f}{unit} ({100 * r['low']:.1f} to {100 * r['high']:.1f})"
                if r["change"] < 0 else
                f"{abs(100 * r['change']):.1f}{unit} ({_signed(r['low'])} to {_signed(r['high'])})")

    return [
        f"is {at(provinces, 2017)} and {at(provinces, 2023)}",
        f"fractional logit of {len(model.data)} reports of {model.n_units} governments",
        f"give livelihood {100 * period['effect']:.1f} points ({100 * period['low']:.1f} to "
        f"{_signed(period['high'])})",
        f"shift larger than {100 * max(abs(period['low']), abs(period['high'])):.1f} points",
        f"poverty alleviation loses {change('poverty_alleviation', ' points')} of the plan",
        f"health services gain {change('health')}", f"education {change('education')}",
        f"elderly care and childcare {change('care_services')}",
        f"{len(clear)} of the {len(moved)} livelihood domains' intervals exclude no change",
        f"{100 * city['effect']:.1f} points ({100 * city['low']:.1f} to {100 * city['high']:.1f}) "
        "under the core set",
        f"{100 * broad_city['effect']:.1f} ({100 * broad_city['low']:.1f} to "
        f"{_signed(broad_city['high'])}) under the broad set",
        f"from {city['n_reports']} reports of {city['n_units']} cities",
        f"runs from {at(centre, int(centre['value'].idxmin()))} to "
        f"{at(centre, int(centre['value'].idxmax()))}",
        f"{before:.0%} of the dated provincial reports",
        f"by {close.loc['leader_before', 'closer_by']:.3f} ({close.loc['leader_before', 'low']:.3f}"
        f"–{close.loc['leader_before', 'high']:.3f}) in Jensen–Shannon distance",
        f"same-year agenda, by {close.loc['leader_same', 'closer_by']:.3f} "
        f"({close.loc['leader_same', 'low']:.3f}–{close.loc['leader_same', 'high']:.3f})",
        f"Anhui is {int(gaps.rank(ascending=False, method='min')[focus_unit])} of {len(gaps)} "
        "provinces in closeness",
        f"Its plans average {_pct(mine['mean'])} ({_span(mine['low'], mine['high'])}), {rank} of "
        f"{len(standing)} provinces, with a 95% rank interval of {rank_low}–{rank_high}",
        f"standard deviation of {100 * power.sd_between:.1f} points",
        f"with {power.n_units} provinces in both periods the panel detects a "
        f"{100 * power.mde_paired:.1f}-point shift",
        f"needs {power.n_for} reports per period",
        f"Over {len(review)} pairs of reports",
        f"by {100 * did['difference']:.1f} points ({100 * did['low']:.1f} to "
        f"{_signed(did['high'])})",
        f"On {coder['n']} held-out sentences the coder puts {_pct(coder['coded_share'])}",
        f"the hand coding {_pct(coder['gold_share'])} (recall {coder['recall']:.0%}, precision "
        f"{coder['precision']:.0%})",
    ]


def test_the_panel_findings_are_recomputed(findings, panel_numbers):
    text = _flat(findings)
    for phrase in panel_numbers:
        assert phrase in text, phrase


def test_a_stale_panel_number_fails(findings, panel_numbers):
    stale = findings.replace("20 of 31", "19 of 31")
    assert stale != findings
    with pytest.raises(AssertionError):
        test_the_panel_findings_are_recomputed(stale, panel_numbers)
