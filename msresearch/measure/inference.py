"""Inference at the sampled unit, the document: permutation tests, effect sizes, intervals."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.special import entr
from scipy.stats import chi2_contingency, hypergeom
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint


@dataclass(frozen=True)
class Permutation:
    """Result of a document-level randomisation test."""

    statistic: float  # observed statistic
    p_value: float  # share of assignments (observed one included) with statistic >= observed
    n_assignments: int  # assignments evaluated (all of them when exact; n_samples + 1 when sampled)
    exact: bool  # True when every distinct assignment was enumerated
    min_p: float  # smallest p-value the design can reach with these documents


def _collapse(counts: pd.DataFrame, groups: pd.Series) -> np.ndarray:
    """Group × domain table of item counts; all-zero rows and columns dropped."""
    labels = groups.reindex(counts.index)
    keep = labels.notna().to_numpy()
    codes, uniques = pd.factorize(labels[keep])
    table = np.zeros((len(uniques), counts.shape[1]))
    np.add.at(table, codes, counts.to_numpy(dtype=float)[keep])
    return table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]


def g2_statistic(counts: pd.DataFrame, groups: pd.Series) -> float:
    """G² (likelihood-ratio chi-square; Agresti 2013, eq. 3.11) of the collapsed domain × group
    table.

    counts: doc_id (index) × domain (columns) item counts; groups: doc_id -> group label. The unit
    of the table is the item, so use it as a statistic inside `permutation_test`, not with its
    asymptotic p-value. Domains (and groups) with no items are dropped; 0 when fewer than 2 remain.
    """
    table = _collapse(counts, groups)
    if min(table.shape) < 2:
        return 0.0
    return float(chi2_contingency(table, correction=False, lambda_="log-likelihood").statistic)


def _assignments(n: int, sizes: list[int]) -> Iterator[np.ndarray]:
    """Every distinct assignment of n units to groups of the given sizes (group codes per unit)."""
    codes = np.empty(n, dtype=int)

    def fill(free: tuple[int, ...], g: int) -> Iterator[np.ndarray]:
        if g == len(sizes) - 1:
            codes[list(free)] = g
            yield codes.copy()
            return
        for chosen in combinations(free, sizes[g]):
            codes[list(chosen)] = g
            taken = set(chosen)
            yield from fill(tuple(i for i in free if i not in taken), g + 1)

    yield from fill(tuple(range(n)), 0)


def permutation_test(
    counts: pd.DataFrame,
    groups: pd.Series,
    statistic: Callable[[pd.DataFrame, pd.Series], float] = g2_statistic,
    max_exact: int = 20_000,
    n_samples: int = 9_999,
    seed: int = 0,
) -> Permutation:
    """Randomisation test that reassigns WHOLE documents to groups, keeping each group's size.

    Unit: the document (Edgington & Onghena 2007, ch. 1-3; Good 2005, sec. 3.1). Every distinct
    assignment (n!/(n1! n2! ...) of them) is enumerated when there are at most `max_exact`;
    otherwise `n_samples` random permutations are drawn and p = (1 + #{T >= t}) / (1 + n_samples)
    (Phipson & Smyth 2010). Documents whose group is NaN are dropped first.
    """
    labels = groups.reindex(counts.index)
    keep = labels.notna().to_numpy()
    counts, labels = counts.loc[keep], labels[keep]
    codes, uniques = pd.factorize(labels)
    uniques = np.asarray(uniques, dtype=object)
    if len(uniques) < 2:
        raise ValueError("permutation_test needs at least 2 groups with documents")
    sizes = np.bincount(codes).tolist()
    n_distinct, left = 1, len(codes)
    for size in sizes:
        n_distinct *= math.comb(left, size)
        left -= size

    def stat(assignment: np.ndarray) -> float:
        return float(statistic(counts, pd.Series(uniques[assignment], index=counts.index)))

    observed = stat(codes)
    tol = 1e-12 * max(1.0, abs(observed))
    if n_distinct <= max_exact:
        values = np.array([stat(a) for a in _assignments(len(codes), sizes)])
        p = float(np.mean(values >= observed - tol))
        # the design's floor: the share of assignments that reach the largest value (with a
        # statistic blind to group labels, equal-sized groups swapped tie, so at least k!/N)
        top = values.max()
        floor = float(np.mean(values >= top - 1e-12 * max(1.0, abs(top))))
        return Permutation(observed, p, len(values), True, floor)
    rng = np.random.default_rng(seed)
    values = np.array([stat(rng.permutation(codes)) for _ in range(n_samples)])
    p = (1.0 + np.sum(values >= observed - tol)) / (1.0 + n_samples)
    return Permutation(observed, float(p), n_samples + 1, False, 1.0 / (n_samples + 1))


def cramers_v_corrected(table) -> float:
    """Bias-corrected Cramér's V (Bergsma 2013, J. Korean Stat. Soc. 42:323-328, sec. 3).

    phi2c = max(0, chi2/n - (k-1)(r-1)/(n-1)), rc = r - (r-1)²/(n-1), kc = k - (k-1)²/(n-1),
    V = sqrt(phi2c / min(kc-1, rc-1)), with Pearson's chi2 (no continuity correction). Unit: the
    counted item, assumed independent. All-zero rows/columns are dropped; NaN if < 2 remain.
    """
    arr = np.asarray(table, dtype=float)
    arr = arr[arr.sum(axis=1) > 0][:, arr.sum(axis=0) > 0]
    r, k = arr.shape if arr.ndim == 2 else (0, 0)
    n = arr.sum()
    if min(r, k) < 2 or n < 2:
        return float("nan")
    chi2 = chi2_contingency(arr, correction=False).statistic
    phi2c = max(0.0, chi2 / n - (k - 1) * (r - 1) / (n - 1))
    rc = r - (r - 1) ** 2 / (n - 1)
    kc = k - (k - 1) ** 2 / (n - 1)
    denom = min(kc - 1, rc - 1)
    return float(math.sqrt(phi2c / denom)) if denom > 0 else float("nan")


def proportion_interval(
    count, nobs, alpha: float = 0.05, method: str = "jeffreys"
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised confidence interval for count/nobs via statsmodels' `proportion_confint`.

    Jeffreys (Brown, Cai & DasGupta 2001, Stat. Sci. 16:101-133, sec. 4.1.2): Beta(x+1/2, n-x+1/2)
    quantiles, with the lower limit set to 0 when x = 0 and the upper to 1 when x = n (their
    modification; statsmodels does not apply it). Unit: whatever was counted, assumed independent.
    """
    count, nobs = (np.array(a) for a in np.broadcast_arrays(np.asarray(count, float), nobs))
    low, high = proportion_confint(count, nobs, alpha=alpha, method=method)
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    if method == "jeffreys":
        low = np.where(count == 0, 0.0, low)
        high = np.where(count == nobs, 1.0, high)
    return low, high


def difference_interval(
    count1, nobs1, count2, nobs2, alpha: float = 0.05
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p2 - p1 ("later minus earlier") with Newcombe's hybrid score interval.

    Newcombe (1998), Stat. Med. 17:873-890, method 10 (Wilson score limits of each proportion
    combined), via statsmodels' `confint_proportions_2indep(..., method="newcomb")`. Unit: the
    counted item in two independent samples. Returns (diff, low, high), broadcast.
    """
    args = (count1, nobs1, count2, nobs2)
    c1, n1, c2, n2 = (np.array(a, dtype=float) for a in np.broadcast_arrays(*args))
    low, high = confint_proportions_2indep(
        c2, n2, c1, n1, method="newcomb", compare="diff", alpha=alpha
    )
    return np.asarray(c2 / n2 - c1 / n1), np.asarray(low, float), np.asarray(high, float)


def rarefied_entropy(counts, n: int) -> float:
    """Exact expected Shannon entropy (nats) of the domain shares of n items drawn without
    replacement.

    Rarefaction (Sanders 1968; Hurlbert 1971, eq. 14 for the analogous expected richness): by
    linearity E[H] = sum_k sum_j P(X_k = j) * (-(j/n) log(j/n)), X_k ~ Hypergeom(total, count_k, n).
    Unit: the items of ONE document; compares documents of different lengths at a common n.
    """
    return rarefied_entropies([counts], n)[0]


def rarefied_entropies(documents: Sequence, n: int) -> list[float]:
    """``rarefied_entropy`` of each document's domain counts at one common n, with one
    ``hypergeom.pmf`` call for every domain of every document (a call per document costs
    more than its arithmetic: a corpus of thousands of documents)."""
    rows = [np.asarray(counts, dtype=int).ravel() for counts in documents]
    for c in rows:
        if not 1 <= n <= int(c.sum()):
            raise ValueError(f"n must be between 1 and the document's {int(c.sum())} items, got {n}")
    present = [c[c > 0] for c in rows]
    if not present:
        return []
    j = np.arange(0, n + 1)
    totals = np.repeat([int(c.sum()) for c in rows], [len(p) for p in present])
    counts = np.concatenate(present)
    pmf = hypergeom.pmf(j[None, :], totals[:, None], counts[:, None], n)
    gain = entr(j / n)
    out, at = [], 0
    for p in present:
        expected = 0.0
        for row, ck in zip(pmf[at:at + len(p)], p, strict=True):
            top = min(int(ck), n) + 1
            expected += float(np.add.reduce(row[:top] * gain[:top]))  # np.sum, less overhead
        out.append(expected)
        at += len(p)
    return out


def rarefied_effective_domains(counts, n: int) -> float:
    """exp(rarefied_entropy): Hill number of order 1 (Hill 1973; Jost 2006) at a common n items."""
    return float(np.exp(rarefied_entropy(counts, n)))


@dataclass(frozen=True)
class JSNull:
    """Observed Jensen-Shannon distance of two documents and its one-agenda null."""

    observed: float  # JS distance (base 2) between the two documents' shares
    null_mean: float
    null_low: float  # 2.5% quantile of the null
    null_high: float  # 97.5% quantile of the null
    p_closer: float  # small = closer than sampling from one agenda gives (a shared template)
    p_further: float  # small = further apart than one agenda gives
    n_draws: int


def js_null(counts_a, counts_b, n_draws: int = 2000, seed: int = 0) -> JSNull:
    """Parametric-bootstrap null of the JS distance (Lin 1991; Endres & Schindelin 2003) of two
    documents.

    Null: both documents draw their items from ONE agenda, the pair's pooled shares; each replicate
    draws multinomial(n_a, pooled) and multinomial(n_b, pooled). Unit: the item within a document.
    p = (1 + #{null <= / >= observed}) / (1 + n_draws) (Davison & Hinkley 1997, eq. 4.11).
    """
    a, b = np.asarray(counts_a, dtype=float), np.asarray(counts_b, dtype=float)
    n_a, n_b = int(a.sum()), int(b.sum())
    if n_a < 1 or n_b < 1:
        raise ValueError("both documents need at least one item")
    pooled = (a + b) / (a + b).sum()
    rng = np.random.default_rng(seed)
    draws_a = rng.multinomial(n_a, pooled, size=n_draws)
    draws_b = rng.multinomial(n_b, pooled, size=n_draws)
    null = jensenshannon(draws_a, draws_b, axis=1, base=2)
    observed = float(jensenshannon(a, b, base=2))
    tol = 1e-12
    return JSNull(
        observed=observed,
        null_mean=float(null.mean()),
        null_low=float(np.quantile(null, 0.025)),
        null_high=float(np.quantile(null, 0.975)),
        p_closer=float((1 + np.sum(null <= observed + tol)) / (1 + n_draws)),
        p_further=float((1 + np.sum(null >= observed - tol)) / (1 + n_draws)),
        n_draws=n_draws,
    )


def _interval(boot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: no counted items
        low, high = np.nanpercentile(boot, [2.5, 97.5], axis=0)
    return low, high


def misclassification_shares(
    coded: pd.DataFrame,
    confusion: pd.DataFrame,
    domains: list[str],
    excluded: tuple[str, ...] = ("procedural", "unclassified"),
    n_boot: int = 2000,
    seed: int = 0,
    prior: float | None = None,
) -> pd.DataFrame:
    """Domain-share intervals per document that carry coding error as well as item sampling.

    A misclassification model (cf. Grimmer & Stewart 2013 on validating automated coding): each
    replicate draws P(true | coded = c) ~ Dirichlet(confusion[c] + prior) over the confusion's gold
    labels, a coder label absent from its columns keeping its label; resamples each document's
    items with replacement (Efron & Tibshirani 1993, ch. 6; unit: the item within a document);
    draws each resampled item's true label; drops `excluded`; and takes shares over `domains`.
    The default prior is 1/K per gold label (Perks 1947): one item in all per coder label, so a
    label the coder got right 3 times in 3 is not pulled towards K others. low/high are the
    2.5/97.5 percentiles; boot_low/boot_high the same resamples without the misclassification step.
    """
    labels = list(dict.fromkeys([*domains, *confusion.index, *confusion.columns, *excluded]))
    labels += sorted(set(coded["domain"]) - set(labels))
    pos = {lab: i for i, lab in enumerate(labels)}
    rng = np.random.default_rng(seed)
    # P(true | coded) per replicate: (n_boot, coded label, true label), shared by all documents.
    transition = np.zeros((n_boot, len(labels), len(labels)))
    rows = [pos[g] for g in confusion.index]
    prior = 1.0 / len(confusion.index) if prior is None else prior
    for lab in labels:
        if lab in confusion.columns:
            alpha = confusion[lab].to_numpy(dtype=float) + prior
            transition[:, pos[lab], rows] = rng.dirichlet(alpha, size=n_boot)
        else:
            transition[:, pos[lab], pos[lab]] = 1.0
    kept = np.array([lab not in excluded for lab in labels])
    cols = [pos[d] for d in domains]

    def shares(c: np.ndarray) -> np.ndarray:
        denom = c[..., kept].sum(axis=-1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(denom > 0, c[..., cols] / denom, np.nan)

    out = []
    for doc_id, items in coded.groupby("doc_id", sort=True):
        observed = np.bincount(items["domain"].map(pos), minlength=len(labels)).astype(float)
        m = int(observed.sum())
        # resampling m items with replacement, drawn as counts: multinomial(m, observed shares)
        boot = rng.multinomial(m, observed / m, size=n_boot)
        true = rng.multinomial(boot, transition).sum(axis=1)  # each coded item's true label
        low, high = _interval(shares(true))
        boot_low, boot_high = _interval(shares(boot.astype(float)))
        out.append(pd.DataFrame({
            "doc_id": doc_id, "domain": domains, "share": shares(observed),
            "low": low, "high": high, "boot_low": boot_low, "boot_high": boot_high,
        }))
    columns = ["doc_id", "domain", "share", "low", "high", "boot_low", "boot_high"]
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=columns)
