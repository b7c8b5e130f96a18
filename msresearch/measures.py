"""Measures of attention: domain shares per document with bootstrap intervals, agenda
diversity, and the Jensen–Shannon distance between documents' agendas."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy

from msresearch.codebook import Codebook
from msresearch.coder import PROCEDURAL, UNCLASSIFIED

EXCLUDED = (PROCEDURAL, UNCLASSIFIED)
N_BOOT = 2000


def substantive(items: pd.DataFrame) -> pd.DataFrame:
    """Items that count towards shares: not procedural, and coded to a policy domain."""
    return items[~items["domain"].isin(EXCLUDED)]


def _shares(onehot: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Shares of each domain given item indicator rows and item weights (1 or characters)."""
    totals = (onehot * weights[..., None]).sum(axis=-2)
    return totals / totals.sum(axis=-1, keepdims=True)


def attention(items: pd.DataFrame, codebook: Codebook, n_boot: int = N_BOOT,
              seed: int = 0) -> pd.DataFrame:
    """One row per document × codebook domain: item count, item share and text share, with
    95% percentile bootstrap intervals (items resampled with replacement within each
    document, ``n_boot`` replicates, fixed seed; Efron & Tibshirani 1993, ch. 13).

    Item share = the domain's items / the document's substantive items; text share = the
    characters of its items / the characters of all substantive items (procedural and
    unclassified items are in neither denominator). Domains a document never mentions get
    share 0, so each document's shares sum to 1.
    """
    domains = codebook.ids
    rng = np.random.default_rng(seed)
    rows = []
    for doc_id, group in substantive(items).groupby("doc_id", sort=True):
        onehot = (group["domain"].to_numpy()[:, None] == np.array(domains)[None, :]).astype(float)
        chars = group["n_chars"].to_numpy(dtype=float)
        ones = np.ones(len(group))
        picks = rng.integers(0, len(group), size=(n_boot, len(group)))
        boot_items = _shares(onehot[picks], ones[picks])
        boot_text = _shares(onehot[picks], chars[picks])
        item_share, text_share = _shares(onehot, ones), _shares(onehot, chars)
        for k, domain in enumerate(domains):
            rows.append({
                "doc_id": doc_id,
                "domain": domain,
                "n_items": int(onehot[:, k].sum()),
                "item_share": item_share[k],
                "item_share_low": np.percentile(boot_items[:, k], 2.5),
                "item_share_high": np.percentile(boot_items[:, k], 97.5),
                "text_share": text_share[k],
                "text_share_low": np.percentile(boot_text[:, k], 2.5),
                "text_share_high": np.percentile(boot_text[:, k], 97.5),
            })
    return pd.DataFrame(rows)


def diversity(attention_table: pd.DataFrame, measure: str = "item_share") -> pd.DataFrame:
    """Agenda diversity of each document: Shannon entropy H of its domain shares (natural
    log), H normalised by log of the number of domains, and the effective number of domains
    exp(H) (Boydstun, Bevan & Thomas 2014 on entropy as agenda diversity)."""
    rows = []
    for doc_id, group in attention_table.groupby("doc_id", sort=True):
        shares = group[measure].to_numpy()
        h = float(entropy(shares))
        rows.append({"doc_id": doc_id, "measure": measure, "entropy": h,
                     "entropy_norm": h / np.log(len(shares)), "effective_domains": float(np.exp(h))})
    return pd.DataFrame(rows)


def js_distances(attention_table: pd.DataFrame, measure: str = "item_share") -> pd.DataFrame:
    """Jensen–Shannon *distance* (base 2, in [0, 1]) between every pair of documents' domain
    shares: scipy's ``jensenshannon`` returns the distance, the square root of the
    divergence; both are given."""
    wide = attention_table.pivot(index="doc_id", columns="domain", values=measure)
    rows = []
    for a in wide.index:
        for b in wide.index:
            d = float(jensenshannon(wide.loc[a], wide.loc[b], base=2))
            rows.append({"doc_a": a, "doc_b": b, "js_distance": d, "js_divergence": d * d})
    return pd.DataFrame(rows)


def period_of(year: int, cuts: list[int]) -> str:
    """Label of the period a year falls in, given cut points: each cut starts a new period."""
    start = None
    for cut in sorted(cuts):
        if year < cut:
            if start is None:
                return f"before {cut}"
            return str(start) if cut - 1 == start else f"{start}–{cut - 1}"
        start = cut
    return f"{start} on" if start is not None else "all years"


def change(attention_table: pd.DataFrame, documents: pd.DataFrame,
           measure: str = "item_share") -> pd.DataFrame:
    """Each domain's share in the earliest and the latest document and the difference, largest
    gains first (the earliest/latest by year, then doc_id)."""
    order = documents.sort_values(["year", "doc_id"])["doc_id"]
    first, last = order.iloc[0], order.iloc[-1]
    wide = attention_table.pivot(index="domain", columns="doc_id", values=measure)
    frame = pd.DataFrame({"earliest": wide[first], "latest": wide[last]})
    frame["change"] = frame["latest"] - frame["earliest"]
    frame.attrs.update(earliest=first, latest=last)
    return frame.sort_values(["change", "latest"], ascending=[False, False])
