"""The pooled domain × period table of items: Pearson's chi-square and Cramér's V, plain and
bias-corrected. Descriptive only: its unit is the item, while the sample is of documents, so
the document-level test is ``inference.permutation_test``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from scipy.stats import chi2_contingency
from scipy.stats.contingency import association

from msresearch.measure.inference import cramers_v_corrected


@dataclass(frozen=True)
class ChiSquare:
    """Pearson's chi-square of a table (no continuity correction) and Cramér's V."""

    statistic: float
    dof: int
    p_value: float  # treats items as independent draws: not a test of documents
    cramers_v: float
    cramers_v_corrected: float  # Bergsma (2013): 0 when the table is what independence gives
    n: int
    share_expected_below_5: float  # the test's large-sample approximation wants this near 0


def contingency(counts: pd.DataFrame, periods: pd.Series) -> pd.DataFrame:
    """Domain × period table of item counts from a doc_id × domain count table; domains with
    no item in any period are dropped (they carry no information and break the test)."""
    table = counts.groupby(periods.reindex(counts.index).rename("period")).sum().T
    return table[table.sum(axis=1) > 0]


def chi_square(table: pd.DataFrame) -> ChiSquare:
    """scipy's ``chi2_contingency`` with ``correction=False`` (Yates' correction applies only
    to 2×2 tables anyway), ``association(method="cramer")`` and Bergsma's (2013)
    bias-corrected V (``inference.cramers_v_corrected``): with few items per cell, plain V
    is well above 0 even when the periods do not differ at all."""
    values = table.to_numpy()
    result = chi2_contingency(values, correction=False)
    return ChiSquare(
        statistic=float(result.statistic), dof=int(result.dof), p_value=float(result.pvalue),
        cramers_v=float(association(values, method="cramer", correction=False)),
        cramers_v_corrected=cramers_v_corrected(values),
        n=int(values.sum()),
        share_expected_below_5=float((result.expected_freq < 5).mean()),
    )
