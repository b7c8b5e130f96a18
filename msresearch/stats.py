"""Statistical tests of domain × period: chi-square with Cramér's V, and a Poisson log-linear
GLM of item counts with documents' sizes as offsets. Each reports its assumptions' checks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy.stats import chi2, chi2_contingency
from scipy.stats.contingency import association


@dataclass(frozen=True)
class ChiSquare:
    """Pearson's chi-square test of independence (no continuity correction) and Cramér's V."""

    statistic: float
    dof: int
    p_value: float
    cramers_v: float
    n: int
    share_expected_below_5: float  # the test's large-sample approximation wants this near 0


@dataclass(frozen=True)
class PoissonLR:
    """Likelihood-ratio test of the domain × period interaction in a Poisson log-linear GLM."""

    deviance_main: float
    deviance_full: float
    lr_statistic: float
    dof: int
    p_value: float
    dispersion: float  # Pearson chi-square / residual df of the full model; >1 means overdispersion
    n_obs: int


def contingency(counts: pd.DataFrame, periods: pd.Series) -> pd.DataFrame:
    """Domain × period table of item counts from a doc_id × domain count table; domains with
    no item in any period are dropped (they carry no information and break the test)."""
    table = counts.groupby(periods.reindex(counts.index).rename("period")).sum().T
    return table[table.sum(axis=1) > 0]


def chi_square(table: pd.DataFrame) -> ChiSquare:
    """scipy's ``chi2_contingency`` with ``correction=False`` (Yates' correction applies only
    to 2×2 tables anyway) and ``association(method="cramer")``."""
    result = chi2_contingency(table.to_numpy(), correction=False)
    return ChiSquare(
        statistic=float(result.statistic), dof=int(result.dof), p_value=float(result.pvalue),
        cramers_v=float(association(table.to_numpy(), method="cramer", correction=False)),
        n=int(table.to_numpy().sum()),
        share_expected_below_5=float((result.expected_freq < 5).mean()),
    )


def poisson_glm(counts: pd.DataFrame, periods: pd.Series) -> PoissonLR:
    """Poisson GLM of each document's item count per domain, log(document's substantive
    items) as offset: ``n ~ domain * period`` against ``n ~ domain + period`` (McCullagh &
    Nelder 1989, log-linear models). Domains with no items anywhere are dropped. With few
    documents, a domain absent from one period gives an infinite coefficient (separation);
    the LR statistic stays finite but its chi-square reference is rough."""
    long = counts.stack().rename("n").reset_index()
    long.columns = ["doc_id", "domain", "n"]
    long = long[long.groupby("domain")["n"].transform("sum") > 0].copy()
    long["period"] = long["doc_id"].map(periods)
    long["log_total"] = np.log(long["doc_id"].map(counts.sum(axis=1)))
    family = sm.families.Poisson()
    main = smf.glm("n ~ C(domain) + C(period)", long, offset=long["log_total"], family=family).fit()
    full = smf.glm("n ~ C(domain) * C(period)", long, offset=long["log_total"],
                   family=family).fit()
    lr = float(main.deviance - full.deviance)
    dof = int(round(main.df_resid - full.df_resid))
    return PoissonLR(
        deviance_main=float(main.deviance), deviance_full=float(full.deviance),
        lr_statistic=lr, dof=dof, p_value=float(chi2.sf(lr, dof)),
        dispersion=float(full.pearson_chi2 / full.df_resid) if full.df_resid > 0 else float("nan"),
        n_obs=len(long),
    )
