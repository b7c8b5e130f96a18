"""Report-level models of a share: a fractional logit with errors clustered by government, its
effects on the share scale, their robustness, and what the panel has the power to detect."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.power import TTestIndPower, TTestPower

from msresearch.measure.measures import period_of

EFFECT_COLUMNS = ["factor", "contrast", "reference", "effect", "low", "high", "n_reports",
                  "n_units", "note"]
POWER = 0.8
ALPHA = 0.05


@dataclass(frozen=True)
class Model:
    """A fitted fractional logit, the reports it was fitted on and its factors."""

    result: object
    data: pd.DataFrame
    factors: tuple[str, ...]

    @property
    def n_units(self) -> int:
        return int(self.data["unit"].nunique())


def with_period(plan: pd.DataFrame, cuts: list[int]) -> pd.DataFrame:
    """The reports with the period each year falls in (``period_of``)."""
    return plan.assign(period=plan["year"].map(lambda y: period_of(int(y), cuts)))


def fractional_logit(data: pd.DataFrame, outcome: str, factors: tuple[str, ...]) -> Model:
    """The share ``outcome`` of each report modelled as a fractional response (Papke &
    Wooldridge 1996): a logit mean, ``factors`` as categorical terms (``_reference``),
    fitted by quasi-maximum likelihood, which needs only the mean to be right; errors are
    clustered by government (``unit``), so a government's reports may be correlated over the
    years in any way, with t(G − 1) reference distributions for G governments (Cameron &
    Miller 2015)."""
    terms = [f"C({f}, Treatment({_reference(data, f)!r}))" for f in factors]
    formula = f"{outcome} ~ " + (" + ".join(terms) if terms else "1")
    groups = pd.factorize(data["unit"], sort=True)[0]
    result = smf.logit(formula, data).fit(cov_type="cluster", cov_kwds={"groups": groups},
                                          use_t=True, disp=0)
    return Model(result, data.reset_index(drop=True), factors)


def _reference(data: pd.DataFrame, factor: str) -> str:
    """A factor's reference level: the provinces for ``level`` (the level with most
    governments), the earliest for ``period``, else the first in sorted order."""
    values = data[factor]
    if factor == "level" and (values == "province").any():
        return "province"
    if factor == "period":
        return str(values[data["year"] == data["year"].min()].iloc[0])
    return str(sorted(values.unique())[0])


def average_effects(model: Model) -> pd.DataFrame:
    """Each factor's contrasts with its reference as average marginal effects on the share
    scale: the mean predicted share with every report set to the level, minus the same with
    every report set to the reference (other terms as they are), with a delta-method 95%
    interval from the cluster-robust covariance and t(G − 1). A level held by a single
    government has no interval: the clustered errors cannot measure how one government's
    reports vary against others'."""
    rows = []
    data, n = model.data, len(model.data)
    df = model.n_units - 1
    for factor in model.factors:
        reference = _reference(data, factor)
        for level in sorted(set(data[factor]) - {reference}):
            stacked = pd.concat([data.assign(**{factor: level}),
                                 data.assign(**{factor: reference})], ignore_index=True)
            weights = np.r_[np.full(n, 2.0), np.full(n, -2.0)]  # mean over 2n rows → difference
            frame = model.result.get_prediction(exog=stacked, average=True,
                                                agg_weights=weights).summary_frame()
            effect, se = float(frame["predicted"].iloc[0]), float(frame["se"].iloc[0])
            mine = data[data[factor] == level]
            units = int(mine["unit"].nunique())
            note = ""
            if units < 2:
                low = high = np.nan
                note = "one government: no clustered interval"
            else:
                half = stats.t.ppf(1 - ALPHA / 2, df) * se
                low, high = effect - half, effect + half
            rows.append((factor, level, reference, effect, low, high, len(mine), units, note))
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)


def robustness(plan: pd.DataFrame, cuts: list[int],
               outcomes: dict[str, str], samples: dict[str, list[str]]) -> pd.DataFrame:
    """The model's effects under every livelihood set (``outcomes``: name → share column) and
    sample (``samples``: name → the levels it keeps); a sample of one level has no level
    term, and a sample with fewer than two governments, or the same reports as an earlier
    one, is left out. One row per set, sample and contrast."""
    data = with_period(plan, cuts)
    frames, seen = [], []
    for sample, levels in samples.items():
        part = data[data["level"].isin(levels)]
        kept = set(part["doc_id"])
        if part["unit"].nunique() < 2 or kept in seen:
            continue
        seen.append(kept)
        factors = ("period", "level") if part["level"].nunique() > 1 else ("period",)
        for name, column in outcomes.items():
            model = fractional_logit(part.dropna(subset=[column]), column, factors)
            frames.append(average_effects(model).assign(outcome=name, sample=sample))
    table = pd.concat(frames, ignore_index=True)
    return table[["outcome", "sample", *EFFECT_COLUMNS]]


@dataclass(frozen=True)
class Power:
    """The smallest shifts a design detects at ``POWER`` with a two-sided test at ``ALPHA``."""

    mean: float              # the mean share
    sd_between: float        # SD of the share between reports of one year (pooled over years)
    sd_change: float         # SD of a government's change between two periods' means
    n_units: int             # governments observed in both periods
    mde_independent: float   # two periods, n_units different reports in each
    mde_paired: float        # the same n_units governments in both periods
    n_for: int               # reports per period an independent design needs for ``shift``
    shift: float


def detectable(sd: float, n: np.ndarray) -> np.ndarray:
    """The smallest shift a two-sided t test detects between two periods of ``n`` different
    reports each, for reports with standard deviation ``sd`` (Cohen 1988)."""
    return np.array([TTestIndPower().solve_power(nobs1=int(k), alpha=ALPHA, power=POWER)
                     for k in n]) * sd


def power(plan: pd.DataFrame, value: str, cuts: list[int], shift: float = 0.10) -> Power:
    """What the panel can detect, from its own variances: the pooled within-year SD between
    reports, and the SD of each government's change between the first and last period's
    mean; minimum detectable effects from the t test's power (``TTestIndPower`` for different
    reports per period, ``TTestPower`` on the governments' changes; Cohen 1988), and the
    reports per period an independent comparison needs to detect ``shift``."""
    data = with_period(plan, cuts).dropna(subset=[value])
    by_year = data.groupby("year")[value]
    sd_between = float(np.sqrt((by_year.var(ddof=1) * (by_year.count() - 1)).sum()
                               / (by_year.count() - 1).sum()))
    periods = sorted(data["period"].unique(), key=lambda p: data.loc[data["period"] == p,
                                                                      "year"].min())
    means = data.groupby(["unit", "period"])[value].mean().unstack()
    both = means[[periods[0], periods[-1]]].dropna()
    change = both[periods[-1]] - both[periods[0]]
    sd_change = float(change.std(ddof=1))
    n = len(both)
    d_ind = TTestIndPower().solve_power(nobs1=n, alpha=ALPHA, power=POWER, ratio=1.0)
    d_pair = TTestPower().solve_power(nobs=n, alpha=ALPHA, power=POWER)
    return Power(float(data[value].mean()), sd_between, sd_change, n, float(d_ind * sd_between),
                 float(d_pair * sd_change), reports_needed(shift / sd_between), shift)


def reports_needed(effect_size: float, most: int = 10_000) -> int:
    """The fewest reports per period (at least 2) with which a two-sided t test between two
    periods detects a standardised shift ``effect_size`` at ``POWER``."""
    test = TTestIndPower()
    for n in range(2, most + 1):
        if test.power(effect_size=effect_size, nobs1=n, alpha=ALPHA, ratio=1.0) >= POWER:
            return n
    return most
