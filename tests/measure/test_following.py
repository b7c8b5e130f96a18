"""Trajectories by group, following a superior's agenda, ranks, reviews against plans, and
the panel as the notebooks load it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from msresearch.measure import following, panel_data, trajectories

DOMAINS = ("education", "health", "housing")


def _counts(rows: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(DOMAINS))


def test_a_follower_that_copies_last_years_agenda_is_closest_to_it():
    agendas = {2017: (9, 1, 1), 2018: (1, 9, 1), 2019: (1, 1, 9), 2020: (5, 5, 1),
               2021: (1, 5, 5)}
    counts = {f"c{y}": v for y, v in agendas.items()}
    counts |= {f"p{y}": agendas[y - 1] for y in range(2018, 2022)}  # last year's, copied
    leaders = pd.DataFrame({"doc_id": [f"c{y}" for y in agendas], "year": list(agendas)})
    followers = pd.DataFrame({"doc_id": [f"p{y}" for y in range(2018, 2022)],
                              "unit": "p", "year": list(range(2018, 2022))})
    table = following.follow(followers, leaders, _counts(counts))
    assert (table["leader_before"] == 0).all()
    assert (table["leader_same"] > 0).all()
    assert (table["leader_far"] > 0).all()
    # the reference holds only the leader's years at least two years away
    assert table.set_index("year").loc[2018, "n_far"] == 2  # 2020 and 2021, not 2017–2019
    close = following.closeness(table).set_index("compared")
    assert close.loc["leader_before", "closer_by"] > close.loc["leader_same", "closer_by"]
    assert close.loc["leader_before", "n_units"] == 1  # one government: no interval
    assert np.isnan(close.loc["leader_before", "low"])


def test_closeness_averages_each_government_before_the_interval():
    table = pd.DataFrame({"unit": ["a"] * 5 + ["b", "c"], "leader_far": 0.5,
                          "leader_same": [0.1] * 5 + [0.4, 0.4], "leader_before": 0.5})
    row = following.closeness(table).set_index("compared").loc["leader_same"]
    assert row["n_units"] == 3
    assert row["closer_by"] == pytest.approx(np.mean([0.4, 0.1, 0.1]))  # not 5 times a


def test_rank_of_a_clear_leader_is_sure_and_of_a_middle_one_is_not():
    rng = np.random.default_rng(0)
    rows = [(u, y, base + rng.normal(0, 0.02)) for u, base in
            (("top", 0.5), ("mid", 0.30), ("mid2", 0.30), ("low", 0.1)) for y in range(7)]
    plan = pd.DataFrame(rows, columns=["unit", "year", "core_share"])
    table, (rank, low, high) = following.rank_among(plan, "core_share", "top", seed=1)
    assert (rank, low, high) == (1, 1, 1)
    assert list(table["unit"])[0] == "top"
    _, (rank, low, high) = following.rank_among(plan, "core_share", "mid", seed=1)
    assert low == 2 and high == 3 and rank in (2, 3)


def test_the_review_of_next_year_is_set_against_this_years_plan():
    rows = []
    for year, plan_share, review_share in ((2018, 0.10, 0.50), (2019, 0.20, 0.60),
                                           (2020, 0.30, 0.70)):
        rows.append(("u", year, "plan", "health", plan_share))
        rows.append(("u", year, "review", "health", review_share))
    domains = pd.DataFrame(rows, columns=["unit", "year", "section", "domain", "share"])
    pairs = following.review_against_plan(domains)
    # review of 2019's report (0.60) against the plan of 2018's (0.10); of 2020's against 2019's
    assert pairs.set_index("year")["difference"].round(2).to_dict() == {2018: 0.5, 2019: 0.5}
    summary = following.domain_differences(pairs).iloc[0]
    assert summary["n_units"] == 1 and summary["difference"] == pytest.approx(0.5)


def test_group_years_interval_says_what_it_is():
    values = pd.DataFrame({"doc_id": list("abcdef"), "year": [2017, 2017, 2018, 2018, 2018, 2019],
                           "core_share": [0.2, 0.3, 0.2, 0.25, 0.3, 0.4],
                           "core_low": [0.1, 0.2, 0.1, 0.2, 0.2, 0.35],
                           "core_high": [0.3, 0.4, 0.3, 0.3, 0.4, 0.45]})
    membership = pd.DataFrame({"doc_id": list("abcdef"), "group": "g"})
    table = trajectories.group_years(values, membership, "core_share", "core_low",
                                     "core_high").set_index("year")
    assert table.loc[2017, "interval"] == "none" and np.isnan(table.loc[2017, "low"])
    assert table.loc[2019, "interval"] == "report"
    assert (table.loc[2019, "low"], table.loc[2019, "high"]) == (0.35, 0.45)
    x = np.array([0.2, 0.25, 0.3])
    half = stats.t.ppf(0.975, 2) * x.std(ddof=1) / np.sqrt(3)
    assert table.loc[2018, "interval"] == "between_reports"
    assert table.loc[2018, "low"] == pytest.approx(max(0, x.mean() - half))
    assert table.loc[2018, "high"] == pytest.approx(x.mean() + half)


def test_changes_compare_each_government_with_itself():
    values = pd.DataFrame({"unit": ["a", "a", "b", "b", "c"], "year": [2017, 2023] * 2 + [2023],
                           "share": [0.1, 0.2, 0.5, 0.6, 0.9], "domain": "d"})
    row = trajectories.changes(values, "share", 2017, 2023).iloc[0]
    assert row["n_units"] == 2 and row["change"] == pytest.approx(0.1)  # c has no 2017


def test_groups_put_the_focus_province_among_the_provinces_and_its_cities_apart():
    reports = pd.DataFrame({"doc_id": ["sc", "ah", "js", "hf", "nj"],
                            "level": ["national", "province", "province", "city", "city"],
                            "unit_en": ["China", "Anhui", "Jiangsu", "Hefei", "Nanjing"],
                            "parent_unit_en": [None, "China", "China", "Anhui", "Jiangsu"]})
    groups = panel_data.groups(reports, "Anhui").groupby("group")["doc_id"].apply(sorted)
    assert groups.to_dict() == {"centre": ["sc"], "focus": ["ah"], "focus_cities": ["hf"],
                                "provinces": ["ah", "js"]}


def test_load_keeps_the_levels_and_years_asked_for(tmp_path):
    documents = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"], "level": ["province", "province", "city", "province"],
        "unit_zh": ["甲", "甲", "乙", "丙"], "unit_en": ["A", "A", "B", "C"],
        "parent_unit_en": ["China", "China", "A", "China"], "year": [2017, 2018, 2018, 2018],
        "date": ["2017-01-10", "", "", ""],
        "genre": ["work_report", "work_report", "work_report", "work_priorities"]})
    documents.to_csv(tmp_path / "documents.csv", index=False)
    sections = pd.DataFrame({"doc_id": list("abc"), "section": "plan", "n_coded": 3,
                             "core_share": 0.5})
    sections.to_csv(tmp_path / "panel.csv", index=False)
    pd.DataFrame({"doc_id": list("abc"), "section": "plan", "domain": "health", "share": 0.5,
                  "livelihood_share": 1.0}).to_csv(tmp_path / "panel_domains.csv", index=False)
    loaded = panel_data.load(tmp_path, ["province"], [2018, 2023])
    assert list(loaded.reports["doc_id"]) == ["b"]  # d is no work report, c no province
    assert list(loaded.plan()["doc_id"]) == ["b"]
    assert loaded.core == ("health",)
    assert loaded.reports["unit"].iloc[0] == "China/甲"
