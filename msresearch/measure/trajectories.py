"""Year-by-year trajectories of a report measure for groups of governments, each point with
the interval its design allows."""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.weightstats import DescrStatsW

MIN_REPORTS = 3  # fewer reports of a group in a year give a mean without an interval
TRAJECTORY_COLUMNS = ["group", "year", "n_reports", "value", "low", "high", "interval"]


def mean_interval(values) -> tuple[float, float, float, int]:
    """Mean, 95% t interval and count of independent values (one per government); no
    interval from fewer than two."""
    x = pd.Series(values, dtype=float).dropna().to_numpy()
    if len(x) < 2:
        return (float(x.mean()) if len(x) else np.nan), np.nan, np.nan, len(x)
    low, high = DescrStatsW(x).tconfint_mean(alpha=0.05)
    return float(x.mean()), float(low), float(high), len(x)


def changes(values: pd.DataFrame, value: str, first: int, last: int,
            by: str = "domain") -> pd.DataFrame:
    """Per ``by``, the mean change of ``value`` from ``first`` to ``last`` over the
    governments (``unit``) with a report in both years, with a t interval: each government
    compared with itself."""
    rows = []
    for key, part in values.groupby(by, sort=True):
        wide = part.pivot_table(index="unit", columns="year", values=value)
        if first not in wide.columns or last not in wide.columns:
            continue
        both = wide[[first, last]].dropna()
        rows.append((key, *mean_interval(both[last] - both[first])))
    return pd.DataFrame(rows, columns=[by, "change", "low", "high", "n_units"])


def group_years(values: pd.DataFrame, membership: pd.DataFrame, value: str, low: str,
                high: str) -> pd.DataFrame:
    """Per group and year, the mean of ``value`` over the group's reports, with a 95%
    interval: for one report, its own (``low``, ``high``: the paragraph bootstrap, how sure
    the measure of that one text is); for ``MIN_REPORTS`` or more, the t interval of the mean
    across reports (the spread between governments; each government one report a year); in
    between, none. ``interval`` says which."""
    frame = values.merge(membership, on="doc_id")
    rows = []
    for (group, year), part in frame.groupby(["group", "year"], sort=True):
        x = part[value].to_numpy(dtype=float)
        if len(x) == 1:
            lo, hi, kind = part[low].iloc[0], part[high].iloc[0], "report"
        elif len(x) >= MIN_REPORTS:
            lo, hi = DescrStatsW(x).tconfint_mean(alpha=0.05)
            lo, hi, kind = max(lo, 0.0), min(hi, 1.0), "between_reports"
        else:
            lo, hi, kind = np.nan, np.nan, "none"
        rows.append((group, int(year), len(x), float(x.mean()), float(lo), float(hi), kind))
    return pd.DataFrame(rows, columns=TRAJECTORY_COLUMNS)


def domain_years(domains: pd.DataFrame, membership: pd.DataFrame,
                 keep: tuple[str, ...]) -> pd.DataFrame:
    """``group_years`` of each domain in ``keep``: its share of the plan, by group and
    year (``domain`` first)."""
    frames = [group_years(part, membership, "share", "share_low", "share_high")
              .assign(domain=domain)
              for domain, part in domains[domains["domain"].isin(keep)].groupby("domain")]
    table = pd.concat(frames, ignore_index=True)
    return table[["domain", *TRAJECTORY_COLUMNS]]
