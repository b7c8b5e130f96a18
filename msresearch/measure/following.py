"""Comparisons between governments' reports: whether a government's livelihood agenda is
closer to its superior's of the same year (or the year before) than to its superior's of other
years, where a province ranks among provinces, and what a review says against the plan it
reviews."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon

from msresearch.measure.trajectories import mean_interval

FOLLOW_COLUMNS = ["doc_id", "unit", "year", "leader_same", "leader_before", "leader_far",
                  "n_far"]
FAR = 2  # the leader's reports at least this many years away are the reference


def compositions(domains: pd.DataFrame, keep: tuple[str, ...]) -> pd.DataFrame:
    """Each report's sentence counts over the domains in ``keep`` (reports × domains)."""
    part = domains[domains["domain"].isin(keep)]
    return part.pivot(index="doc_id", columns="domain", values="n_sentences").fillna(0)


def _distance(a: np.ndarray, b: np.ndarray) -> float:
    """Jensen–Shannon distance (base 2, from 0 to 1) between two count vectors (Lin 1991)."""
    if a.sum() == 0 or b.sum() == 0:
        return np.nan
    return float(jensenshannon(a, b, base=2))


def follow(followers: pd.DataFrame, leaders: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """For each follower report (``doc_id``, ``unit``, ``year``), the distance of its agenda
    (``counts``) to the leader's report of the same year, of the year before, and the mean to
    the leader's reports at least ``FAR`` years away (the reference: how far the leader's
    agenda is when the follower could not be following it). ``leaders``: one report a year."""
    leader_of = dict(zip(leaders["year"], leaders["doc_id"], strict=True))
    rows = []
    for r in followers.itertuples(index=False):
        if r.doc_id not in counts.index:
            continue
        mine = counts.loc[r.doc_id].to_numpy()

        def to(year: int, mine=mine) -> float:
            doc = leader_of.get(year)
            return np.nan if doc is None or doc not in counts.index else \
                _distance(mine, counts.loc[doc].to_numpy())

        far = [to(y) for y in leader_of if abs(y - r.year) >= FAR]
        far = [d for d in far if not np.isnan(d)]
        rows.append((r.doc_id, r.unit, int(r.year), to(r.year), to(r.year - 1),
                     float(np.mean(far)) if far else np.nan, len(far)))
    return pd.DataFrame(rows, columns=FOLLOW_COLUMNS)


def unit_means(table: pd.DataFrame, value: str) -> pd.Series:
    """The mean of ``value`` per government (``unit``): the units of a clustered comparison."""
    return table.dropna(subset=[value]).groupby("unit")[value].mean()


def closeness(table: pd.DataFrame) -> pd.DataFrame:
    """How much closer followers are to the leader's same-year and year-before agendas than
    to its far years (``leader_far`` minus each, averaged per government first, then across
    governments with a t interval): above 0 means closer."""
    rows = []
    for which in ("leader_same", "leader_before"):
        gap = table.assign(gap=table["leader_far"] - table[which])
        mean, low, high, n = mean_interval(unit_means(gap, "gap"))
        rows.append((which, mean, low, high, n))
    return pd.DataFrame(rows, columns=["compared", "closer_by", "low", "high", "n_units"])


def rank_among(plan: pd.DataFrame, value: str, unit: str, n_boot: int = 2000,
               seed: int = 0) -> tuple[pd.DataFrame, tuple[int, int, int]]:
    """Each government's mean ``value`` over its reports with a t interval, ranked (1 = the
    highest), and ``unit``'s rank with a 95% bootstrap interval: every government's reports are
    resampled with replacement and all ranked again (Hall & Miller 2009)."""
    rng = np.random.default_rng(seed)
    by_unit = {u: g[value].dropna().to_numpy(dtype=float) for u, g in plan.groupby("unit")}
    rows = [(u, *mean_interval(x)) for u, x in by_unit.items()]
    table = pd.DataFrame(rows, columns=["unit", "mean", "low", "high", "n_reports"])
    table["rank"] = table["mean"].rank(ascending=False, method="min").astype(int)
    units = list(by_unit)
    draws = np.column_stack([rng.choice(by_unit[u], size=(n_boot, len(by_unit[u]))).mean(axis=1)
                             for u in units])
    order = (-draws).argsort(axis=1).argsort(axis=1) + 1
    ranks = order[:, units.index(unit)]
    low, high = np.percentile(ranks, [2.5, 97.5])
    point = int(table.loc[table["unit"] == unit, "rank"].iloc[0])
    return table.sort_values(["rank", "unit"]).reset_index(drop=True), (point, int(low), int(high))


def review_against_plan(domains: pd.DataFrame) -> pd.DataFrame:
    """For every government with reports in years t and t + 1, each domain's share of the
    review in t + 1 (what it says it did in t) minus its share of the plan in t (what it said
    it would do): one row per pair and domain."""
    shares = domains.pivot_table(index=["unit", "year", "domain"], columns="section",
                                 values="share").reset_index()
    plan = shares[["unit", "year", "domain", "plan"]].dropna()
    review = shares[["unit", "year", "domain", "review"]].dropna().assign(
        year=lambda f: f["year"] - 1)
    pairs = plan.merge(review, on=["unit", "year", "domain"])
    return pairs.assign(difference=pairs["review"] - pairs["plan"])


def domain_differences(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per domain, the mean review-minus-plan difference with a t interval over governments
    (each government's pairs averaged first)."""
    rows = []
    for domain, part in pairs.groupby("domain", sort=True):
        rows.append((domain, *mean_interval(unit_means(part, "difference")),
                     float(part["plan"].mean()), float(part["review"].mean())))
    return pd.DataFrame(rows, columns=["domain", "difference", "low", "high", "n_units",
                                       "plan", "review"])
