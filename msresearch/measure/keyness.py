"""Keyness of terms between periods: G² log-likelihood, log-odds with an informative
Dirichlet prior, emerging and vanishing terms, and keywords in context.

Every statistic here counts **words** (tokens) and treats them as independent draws from one
multinomial distribution per period. They are not: a document repeats its own phrases,
headings and place names, so the real sample is a handful of documents, not thousands of
words, and the p-values are far too small. Two guards are applied — a word must occur in at
least ``min_docs`` documents to be tested, and the p-values of all tested words are corrected
for multiple testing (Benjamini & Hochberg 1995) — but neither turns words into independent
draws. Read the results as leads to check in context, not as tests of a period effect.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, norm
from statsmodels.stats.multitest import multipletests

from msresearch.coding.tokenizer import tokenize
from msresearch.genres.lists import strip_units

HAN = re.compile(r"[\u4e00-\u9fff]")
PERIODS = ("earlier", "later")


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


def split_at(documents: pd.DataFrame, cut: int) -> pd.Series:
    """doc_id → "earlier" (year before ``cut``) or "later" (year ``cut`` or after): one
    two-way split of the documents. With several cut years, call it once per cut; each cut
    gives its own comparison (keyness compares two groups, never three)."""
    years = documents.set_index("doc_id")["year"]
    return years.map(lambda y: "later" if y >= cut else "earlier").rename("period")


def bh_qvalues(p_values) -> np.ndarray:
    """Benjamini–Hochberg (1995) adjusted p-values (q-values; false discovery rate), by
    statsmodels' ``multipletests(p, method="fdr_bh")``. An empty input gives an empty array."""
    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        return p
    return multipletests(p, method="fdr_bh")[1]


def _compared(counts: pd.DataFrame, group: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """The counts of the documents that ``group`` puts in a period, words they never use
    dropped, and the period of each of those documents."""
    group = group.reindex(counts.index)
    keep = group.isin(PERIODS)
    missing = [p for p in PERIODS if p not in set(group[keep])]
    if missing:
        raise ValueError(f"no document in period {missing[0]!r}: both periods are needed")
    counts = counts[keep]
    return counts.loc[:, counts.sum(axis=0) > 0], group[keep]


def describe_split(documents: pd.DataFrame, group: pd.Series, counts: pd.DataFrame | None = None
                   ) -> pd.DataFrame:
    """One row per period of a split: its first and last year, number of documents, their
    ids and, with ``counts``, number of word tokens."""
    frame = documents.assign(period=documents["doc_id"].map(group))
    rows = []
    for period in PERIODS:
        part = frame[frame["period"] == period].sort_values(["year", "doc_id"])
        row = {"period": period, "first_year": part["year"].min(),
               "last_year": part["year"].max(), "n_documents": len(part),
               "documents": ", ".join(part["doc_id"])}
        if counts is not None:
            row["words"] = int(counts.reindex(part["doc_id"]).fillna(0).to_numpy().sum())
        rows.append(row)
    return pd.DataFrame(rows).set_index("period")


def dominant_document(counts: pd.DataFrame, terms) -> pd.DataFrame:
    """For each term, the document that uses it most and the share of the term's
    occurrences found there (1.0: a single document's word)."""
    part = counts[list(terms)]
    top = part.idxmax(axis=0)
    share = part.max(axis=0) / part.sum(axis=0)
    return pd.DataFrame({"term": list(terms), "top_document": top.to_numpy(),
                         "top_share": share.to_numpy()})


def per_10k(counts: pd.DataFrame, group: pd.Series, terms) -> pd.DataFrame:
    """Occurrences of ``terms`` per 10,000 words in each period (rows earlier, later)."""
    counts, group = _compared(counts, group)
    by_group = counts.groupby(group).sum().reindex(list(PERIODS))
    rates = by_group.reindex(columns=list(terms), fill_value=0)
    return 1e4 * rates.div(by_group.sum(axis=1), axis=0)


def document_frequency(counts: pd.DataFrame) -> pd.Series:
    """Number of documents each term occurs in."""
    return (counts > 0).sum(axis=0).astype(int).rename("n_docs")


def g2(counts: pd.DataFrame, group: pd.Series, min_count: int = 5, min_docs: int = 2
       ) -> pd.DataFrame:
    """Log-likelihood G² of each term, ``later`` period against ``earlier`` (Dunning 1993;
    Rayson & Garside 2000): the 2×2 table term / other tokens × period, by scipy's
    ``chi2_contingency(..., lambda_="log-likelihood", correction=False)`` — no Yates
    continuity correction. ``group`` maps doc_id → "earlier" | "later".

    Unit: the word token. The test assumes every token of a period is an independent draw
    from one multinomial, so its p-value (χ² with 1 df) says how surprising the counts would
    be if the words were drawn independently — not if the *documents* were.

    Tested terms: those with at least ``min_count`` occurrences in the two periods together
    that occur in at least ``min_docs`` documents (a word of a single document is that
    document's word: its place names, its own headings). ``q_value`` is the
    Benjamini–Hochberg adjustment of ``p_value`` over the tested terms only.
    """
    counts, group = _compared(counts, group)
    by_group = counts.groupby(group).sum()
    early, late = by_group.loc["earlier"], by_group.loc["later"]
    n_early, n_late = early.sum(), late.sum()
    n_docs = document_frequency(counts)
    rows = []
    for term in counts.columns:
        a, b = int(early[term]), int(late[term])
        if a + b < min_count or n_docs[term] < min_docs:
            continue
        table = np.array([[a, b], [n_early - a, n_late - b]])
        result = chi2_contingency(table, correction=False, lambda_="log-likelihood")
        rel_early, rel_late = a / n_early, b / n_late
        rows.append({"term": term, "earlier": a, "later": b,
                     "per_10k_earlier": 1e4 * rel_early, "per_10k_later": 1e4 * rel_late,
                     "g2": float(result.statistic), "p_value": float(result.pvalue),
                     "direction": "later" if rel_late > rel_early else "earlier",
                     "n_docs": int(n_docs[term])})
    columns = ["term", "earlier", "later", "per_10k_earlier", "per_10k_later", "g2", "p_value",
               "q_value", "direction", "n_docs"]
    frame = pd.DataFrame(rows, columns=[c for c in columns if c != "q_value"])
    frame.insert(7, "q_value", bh_qvalues(frame["p_value"]))
    return frame.sort_values(["g2", "term"], ascending=[False, True]).reset_index(drop=True)


def log_odds_dirichlet(counts: pd.DataFrame, group: pd.Series, prior_scale: float = 1.0,
                       min_docs: int = 2, keep_untested: bool = False) -> pd.DataFrame:
    """Log-odds ratio of each term, later vs earlier, with an informative Dirichlet prior,
    and its z-score: Monroe, Colaresi & Quinn (2008, "Fightin' words", Political Analysis
    16(4), eq. 16–22).

    Unit: the word token, as for G²: each period's words are one multinomial draw, words
    independent of each other; the z-score is model-based and inherits that assumption.

    The prior. For word w, ``alpha_w = prior_scale × N × f_w`` where N is the number of
    word tokens of the compared documents (both periods) and f_w the share of w among them,
    i.e. ``alpha_w = prior_scale × (count of w in the whole corpus)`` and
    ``alpha_0 = sum_w alpha_w = prior_scale × N``. The same prior is added to each period:

        delta_w = log[(y_w^l + alpha_w) / (n^l + alpha_0 - y_w^l - alpha_w)]
                  - log[(y_w^e + alpha_w) / (n^e + alpha_0 - y_w^e - alpha_w)]

    with y_w^l, n^l the count of w and all tokens of the later period (e, earlier), its
    approximate variance ``1 / (y_w^l + alpha_w) + 1 / (y_w^e + alpha_w)`` and
    ``z = delta_w / sqrt(variance)`` (the paper's eq. 16–22). With ``prior_scale = 1``
    each period gets pseudo-counts as large as the whole corpus — both periods together —
    so the prior weighs more than either period's own words (N / n^e times as much for the
    earlier one) and pulls every word's log-odds strongly towards 0: a conservative choice.
    ``prior_scale = 0.1`` makes the prior a tenth of the corpus. The larger ``prior_scale``,
    the stronger the shrinkage: |log-odds| fall and, over the usual range (from about 0.1
    up), so do the |z| (with a tiny prior a rare word's variance grows faster than its
    log-odds, so its |z| can fall too).

    The prior and the period totals use every word of the compared documents; ``min_docs``
    only selects the words reported and corrected for (those in at least ``min_docs``
    documents). ``p_value`` is the two-sided normal p of z, ``2 × norm.sf(|z|)``, and
    ``q_value`` its Benjamini–Hochberg adjustment over the reported words. With
    ``keep_untested``, the words in fewer documents are returned too (for a figure), their
    ``q_value`` empty (NaN) and the q-values of the others unchanged.
    """
    if prior_scale <= 0:
        raise ValueError(f"prior_scale must be positive, got {prior_scale}")
    counts, group = _compared(counts, group)
    by_group = counts.groupby(group).sum()
    y1, y2 = by_group.loc["later"].astype(float), by_group.loc["earlier"].astype(float)
    total = counts.sum(axis=0).astype(float)
    alpha0 = prior_scale * total.sum()
    alpha = alpha0 * total / total.sum()
    n1, n2 = y1.sum(), y2.sum()
    delta = (np.log((y1 + alpha) / (n1 + alpha0 - y1 - alpha))
             - np.log((y2 + alpha) / (n2 + alpha0 - y2 - alpha)))
    variance = 1 / (y1 + alpha) + 1 / (y2 + alpha)
    z = delta / np.sqrt(variance)
    frame = pd.DataFrame({"term": counts.columns, "earlier": y2.astype(int).to_numpy(),
                          "later": y1.astype(int).to_numpy(),
                          "total": total.astype(int).to_numpy(),
                          "n_docs": document_frequency(counts).to_numpy(),
                          "log_odds": delta.to_numpy(), "z": z.to_numpy(),
                          "p_value": 2 * norm.sf(np.abs(z.to_numpy()))})
    tested = frame["n_docs"] >= min_docs
    frame["q_value"] = np.nan
    frame.loc[tested, "q_value"] = bh_qvalues(frame.loc[tested, "p_value"])
    if not keep_untested:
        frame = frame[tested]
    return frame.sort_values(["z", "term"], ascending=[False, True]).reset_index(drop=True)


def emerging(counts: pd.DataFrame, group: pd.Series, min_count: int = 3, min_docs: int = 2
             ) -> pd.DataFrame:
    """Terms found only in the later period (``emerging``) or only in the earlier one
    (``vanishing``), at least ``min_count`` times and in at least ``min_docs`` documents,
    with their counts per document."""
    counts, group = _compared(counts, group)
    by_group = counts.groupby(group).sum()
    early, late = by_group.loc["earlier"], by_group.loc["later"]
    spread = document_frequency(counts) >= min_docs
    new = late[(early == 0) & (late >= min_count) & spread].index
    gone = early[(late == 0) & (early >= min_count) & spread].index
    frames = []
    for kind, terms in (("emerging", new), ("vanishing", gone)):
        part = counts[list(terms)].T
        part.insert(0, "kind", kind)
        part.insert(1, "total", part.drop(columns="kind").sum(axis=1))
        part.insert(2, "n_docs", (part.drop(columns=["kind", "total"]) > 0).sum(axis=1))
        frames.append(part)
    out = pd.concat(frames).rename_axis("term").reset_index()
    return out.sort_values(["kind", "total", "term"], ascending=[True, False, True]).reset_index(
        drop=True)


def readable(table: pd.DataFrame, n: int | None = 15, digits: int = 2) -> pd.DataFrame:
    """The first ``n`` rows of a keyness table for display: floats rounded to ``digits``,
    p- and q-values as text in scientific notation (``1.23e-05``), which rounding would
    show as 0.0."""
    frame = (table if n is None else table.head(n)).copy()
    small = [c for c in ("p_value", "q_value") if c in frame.columns]
    for column in small:
        frame[column] = frame[column].map(lambda v: f"{v:.2e}")
    return frame.round(digits)


def kwic(items: pd.DataFrame, term: str, width: int = 12) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` in the items' text with ``width``
    characters either side, the lead-unit parentheticals left out as ``term_counts`` leaves
    them out, so the occurrences shown are the ones counted."""
    rows = []
    for rec in items.to_dict("records"):
        text = strip_units(rec["text"]).replace("\n", " ").replace("\t", " ")
        for m in re.finditer(re.escape(term), text):
            rows.append({"doc_id": rec["doc_id"], "item_id": rec["item_id"],
                         "left": text[max(0, m.start() - width):m.start()], "term": term,
                         "right": text[m.end():m.end() + width]})
    return pd.DataFrame(rows, columns=["doc_id", "item_id", "left", "term", "right"])
