"""Keyness of terms between periods: G² log-likelihood, log-odds with an informative
Dirichlet prior, emerging and vanishing terms, and keywords in context."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency

from msresearch.segment import strip_units
from msresearch.tokenizer import tokenize

HAN = re.compile(r"[\u4e00-\u9fff]")


def term_counts(items: pd.DataFrame, extra_terms=()) -> pd.DataFrame:
    """doc_id × term counts over substantive items' text, stopwords and the lead-unit
    parentheticals dropped; only words of two or more characters with a Chinese character
    (numbers and single characters carry little)."""
    rows = {}
    for doc_id, group in items.groupby("doc_id", sort=True):
        text = strip_units("\n".join(group["text"]))
        words = tokenize(text, extra_terms=extra_terms, drop_stopwords=True)
        words = [w for w in words if len(w) >= 2 and HAN.search(w)]
        rows[doc_id] = pd.Series(words).value_counts()
    return pd.DataFrame(rows).fillna(0).astype(int).T.sort_index(axis=1)


def g2(counts: pd.DataFrame, group: pd.Series, min_count: int = 5) -> pd.DataFrame:
    """Log-likelihood G² of each term, ``later`` period against ``earlier`` (Dunning 1993;
    Rayson & Garside 2000): the 2×2 table term / other tokens × period, by scipy's
    ``chi2_contingency(..., lambda_="log-likelihood", correction=False)`` — no Yates
    continuity correction. ``group`` maps doc_id → "earlier" | "later"."""
    by_group = counts.groupby(group.reindex(counts.index)).sum()
    early, late = by_group.loc["earlier"], by_group.loc["later"]
    n_early, n_late = early.sum(), late.sum()
    rows = []
    for term in counts.columns:
        a, b = int(early[term]), int(late[term])
        if a + b < min_count:
            continue
        table = np.array([[a, b], [n_early - a, n_late - b]])
        result = chi2_contingency(table, correction=False, lambda_="log-likelihood")
        rel_early, rel_late = a / n_early, b / n_late
        rows.append({"term": term, "earlier": a, "later": b,
                     "per_10k_earlier": 1e4 * rel_early, "per_10k_later": 1e4 * rel_late,
                     "g2": float(result.statistic), "p_value": float(result.pvalue),
                     "direction": "later" if rel_late > rel_early else "earlier",
                     "n_docs": int((counts[term] > 0).sum())})
    return pd.DataFrame(rows).sort_values(["g2", "term"], ascending=[False, True]).reset_index(
        drop=True)


def log_odds_dirichlet(counts: pd.DataFrame, group: pd.Series, prior_scale: float = 1.0
                       ) -> pd.DataFrame:
    """Log-odds ratio of each term, later vs earlier, with an informative Dirichlet prior from
    the whole corpus, and its z-score (Monroe, Colaresi & Quinn 2008, eq. 22): shrinks terms
    seen a few times, so rare words do not top the list as they can under G²."""
    by_group = counts.groupby(group.reindex(counts.index)).sum()
    y1, y2 = by_group.loc["later"].astype(float), by_group.loc["earlier"].astype(float)
    total = counts.sum(axis=0).astype(float)
    alpha0 = prior_scale * total.sum()
    alpha = alpha0 * total / total.sum()
    n1, n2 = y1.sum(), y2.sum()
    delta = (np.log((y1 + alpha) / (n1 + alpha0 - y1 - alpha))
             - np.log((y2 + alpha) / (n2 + alpha0 - y2 - alpha)))
    variance = 1 / (y1 + alpha) + 1 / (y2 + alpha)
    frame = pd.DataFrame({"term": counts.columns, "log_odds": delta.to_numpy(),
                          "z": (delta / np.sqrt(variance)).to_numpy()})
    return frame.sort_values(["z", "term"], ascending=[False, True]).reset_index(drop=True)


def emerging(counts: pd.DataFrame, group: pd.Series, min_count: int = 3) -> pd.DataFrame:
    """Terms found only in the later period (``emerging``) or only in the earlier one
    (``vanishing``), at least ``min_count`` times, with their counts per document."""
    by_group = counts.groupby(group.reindex(counts.index)).sum()
    early, late = by_group.loc["earlier"], by_group.loc["later"]
    new = late[(early == 0) & (late >= min_count)].index
    gone = early[(late == 0) & (early >= min_count)].index
    frames = []
    for kind, terms in (("emerging", new), ("vanishing", gone)):
        part = counts[list(terms)].T
        part.insert(0, "kind", kind)
        part.insert(1, "total", part.drop(columns="kind").sum(axis=1))
        frames.append(part)
    out = pd.concat(frames).rename_axis("term").reset_index()
    return out.sort_values(["kind", "total", "term"], ascending=[True, False, True]).reset_index(
        drop=True)


def kwic(items: pd.DataFrame, term: str, width: int = 12) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` in the items' text with ``width``
    characters either side."""
    rows = []
    for rec in items.to_dict("records"):
        text = rec["text"].replace("\n", " ").replace("\t", " ")
        for m in re.finditer(re.escape(term), text):
            rows.append({"doc_id": rec["doc_id"], "item_id": rec["item_id"],
                         "left": text[max(0, m.start() - width):m.start()], "term": term,
                         "right": text[m.end():m.end() + width]})
    return pd.DataFrame(rows, columns=["doc_id", "item_id", "left", "term", "right"])
