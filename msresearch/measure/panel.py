"""Measures of a government work report's priorities, the report being the unit: each
section's livelihood share — its sentences coded to a livelihood domain, among those coded to
any domain (``none`` left out) — for the genre codebook's core and broad sets, and every
domain's share, each with an interval from a bootstrap that resamples the section's paragraphs
whole (its sentences are not independent: a paragraph is one passage of policy; Davison &
Hinkley 1997, ch. 3.8, on resampling clusters)."""

from __future__ import annotations

import numpy as np

from msresearch.measure.measures import document_rng

N_BOOT = 2000
NONE = "none"
MEASURED = ("review", "outlook", "plan", "self_building")  # sections with policy content
PANEL_COLUMNS = ["doc_id", "section", "n_paragraphs", "n_sentences", "n_coded", "n_core",
                 "core_share", "core_low", "core_high", "n_broad", "broad_share", "broad_low",
                 "broad_high"]
DOMAIN_COLUMNS = ["doc_id", "section", "domain", "n_sentences", "share", "share_low",
                  "share_high", "livelihood_share"]


def _interval(weights: np.ndarray, parts: np.ndarray, totals: np.ndarray,
              point: float) -> tuple[float, float]:
    """The 95% percentile interval of a ratio of sums over paragraphs under the bootstrap
    ``weights`` (draws × paragraphs, how often each paragraph is drawn); it holds the point,
    and a share of 0 or 1 is its own limit on that side."""
    if totals.sum() == 0:
        return float("nan"), float("nan")
    with np.errstate(invalid="ignore", divide="ignore"):
        draws = (weights @ parts) / (weights @ totals)
    low, high = np.nanpercentile(draws, [2.5, 97.5])
    low = 0.0 if point == 0 else min(float(low), point)
    high = 1.0 if point == 1 else max(float(high), point)
    return low, high


def _share(member: np.ndarray, at: np.ndarray, weights: np.ndarray, totals: np.ndarray
           ) -> tuple[int, float, float, float]:
    """Count, share and interval of the coded sentences that are ``member``s (``at``: each
    sentence's paragraph; ``totals``: coded sentences per paragraph)."""
    count, n_coded = int(member.sum()), int(totals.sum())
    share = count / n_coded if n_coded else float("nan")
    parts = np.bincount(at, weights=member, minlength=len(totals))
    return (count, share, *_interval(weights, parts, totals, share))


def report_measures(doc_id: str, sentences: dict[str, list], domains: list[str],
                    core: tuple[str, ...], broad: tuple[str, ...], n_boot: int = N_BOOT,
                    seed: int = 0) -> tuple[dict[str, list], dict[str, list]]:
    """A report's rows of ``panel.csv`` (one per measured section it has) and of
    ``panel_domains.csv`` (one per section and domain of the genre, zeros included), from the
    ``section``, ``paragraph`` and ``domain`` of its sentences. One set of bootstrap draws per
    section serves all its shares, and comes from a generator of the report's own
    (``document_rng``), so no other report changes them."""
    rng = document_rng(seed, doc_id)
    panel: dict[str, list] = {c: [] for c in PANEL_COLUMNS}
    per_domain: dict[str, list] = {c: [] for c in DOMAIN_COLUMNS}
    section_of = np.array(sentences["section"], dtype=object)
    paragraph_of = np.array(sentences["paragraph"], dtype=np.int64)
    domain_of = np.array(sentences["domain"], dtype=object)
    for section in MEASURED:
        mine = section_of == section
        if not mine.any():
            continue
        paragraphs, at = np.unique(paragraph_of[mine], return_inverse=True)
        n = len(paragraphs)
        weights = rng.multinomial(n, np.full(n, 1 / n), size=n_boot)
        domain = domain_of[mine]
        coded = domain != NONE
        totals = np.bincount(at, weights=coded, minlength=n)
        n_coded = int(coded.sum())
        row = {"doc_id": doc_id, "section": section, "n_paragraphs": n,
               "n_sentences": int(mine.sum()), "n_coded": n_coded}
        for name, members in (("core", core), ("broad", broad)):
            count, share, low, high = _share(np.isin(domain, members), at, weights, totals)
            row |= {f"n_{name}": count, f"{name}_share": share, f"{name}_low": low,
                    f"{name}_high": high}
        for column in PANEL_COLUMNS:
            panel[column].append(row[column])
        n_core = row["n_core"]
        for d in domains:
            count, share, low, high = _share(domain == d, at, weights, totals)
            values = (doc_id, section, d, count, share, low, high,
                      count / n_core if d in core and n_core else float("nan"))
            for column, value in zip(DOMAIN_COLUMNS, values, strict=True):
                per_domain[column].append(value)
    return panel, per_domain
