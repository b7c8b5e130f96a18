"""Validating the reuse rule on pairs labelled after it was fixed: a sample drawn at random
within each predicted label and from the pairs never proposed, and precision and recall
estimated over the whole population of pairs, each stratum weighted by its size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from msresearch import config
from msresearch.errors import InputError
from msresearch.io.inputs import label
from msresearch.link import families, reuse
from msresearch.link.reuse import SAME

NOT_CANDIDATE = "not_candidate"
SAMPLE_COLUMNS = ["pair_id", "stratum", "stratum_size", "item_a", "item_b"]


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def sample_pairs(pool: pd.DataFrame, texts: pd.DataFrame, per_stratum: dict[str, int],
                 seed: int, exclude: set[tuple[str, str]] = frozenset()) -> pd.DataFrame:
    """Pairs drawn at random (``seed``) within each stratum: the pairs the rule judged
    (``pool``: ``item_a``, ``item_b`` and their ``stratum``, such as the predicted label), and
    the pairs it never judged (``not_candidate``, drawn from all pairs of ``texts``' rows of
    different documents: ``text_id``, ``doc_id``). Pairs in ``exclude`` (the development
    pairs) are never drawn. ``stratum_size`` is the number of pairs the stratum stands for."""
    rng = np.random.default_rng(seed)
    taken = {_key(a, b) for a, b in exclude}
    rows = []
    proposed = {_key(a, b) for a, b in zip(pool["item_a"], pool["item_b"], strict=True)}
    for stratum in sorted(set(pool["stratum"])):
        part = pool[pool["stratum"] == stratum]
        keys = sorted({_key(a, b) for a, b in zip(part["item_a"], part["item_b"], strict=True)}
                      - taken)
        chosen = rng.choice(len(keys), size=min(per_stratum.get(stratum, 0), len(keys)),
                            replace=False) if keys else []
        rows += [(stratum, len(keys), *keys[k]) for k in sorted(chosen)]
    ids, docs = texts["text_id"].to_numpy(object), texts["doc_id"].to_numpy(object)
    sizes = texts.groupby("doc_id").size()
    total = int((sizes.sum() ** 2 - (sizes ** 2).sum()) // 2) - len(proposed | taken)
    wanted, found, seen = per_stratum.get(NOT_CANDIDATE, 0), [], taken | proposed
    while len(found) < min(wanted, total):
        i, j = rng.integers(len(ids), size=2)
        key = _key(ids[i], ids[j])
        if docs[i] != docs[j] and key not in seen:
            seen.add(key)
            found.append(key)
    rows += [(NOT_CANDIDATE, total, a, b) for a, b in sorted(found)]
    frame = pd.DataFrame(rows, columns=["stratum", "stratum_size", "item_a", "item_b"])
    frame.insert(0, "pair_id", np.arange(1, len(frame) + 1))
    return frame[SAMPLE_COLUMNS]


def estimate(sample: pd.DataFrame, gold: pd.Series, label: str = SAME,
             predicted_strata: tuple[str, ...] | None = None) -> dict[str, float]:
    """Precision and recall of ``label`` over the population the stratified ``sample``
    stands for (each labelled pair weighted by its stratum's size over the pairs labelled in
    it, the Horvitz–Thompson estimator; Cochran 1977, ch. 5), with a Wilson 95% interval for
    precision (within the predicted stratum, a simple random sample)."""
    labelled = sample.assign(gold=gold.to_numpy()).dropna(subset=["gold"])
    n = labelled.groupby("stratum")["pair_id"].transform("size")
    weight = labelled["stratum_size"] / n
    truly = labelled["gold"] == label
    predicted = labelled["stratum"].isin(list(predicted_strata or [label]))
    hits = int((truly & predicted).sum())
    n_predicted = int(predicted.sum())
    low, high = (proportion_confint(hits, n_predicted, method="wilson") if n_predicted
                 else (np.nan, np.nan))
    found = float((weight * (truly & predicted)).sum())
    exists = float((weight * truly).sum())
    claimed = float((weight * predicted).sum())
    return {"precision": found / claimed if claimed else np.nan,
            "precision_low": low, "precision_high": high,
            "recall": found / exists if exists else np.nan,
            "n_labelled": len(labelled), "n_true": int(truly.sum()),
            "n_true_missed": int((truly & ~predicted).sum())}


def read_rounds(path: Path = config.GOLD_REUSE_ROUNDS) -> pd.DataFrame:
    """The pairs labelled in rounds after a rule was fixed (data/gold/README.md)."""
    try:
        return pd.read_csv(path, dtype={"text_a": str, "text_b": str}, keep_default_na=False,
                           encoding="utf-8")
    except FileNotFoundError:
        raise InputError(label(path), "labelled rounds of pairs not found") from None


def judged(prepared: families.Prepared, pairs: pd.DataFrame, a: str, b: str,
           params: reuse.ReuseParams) -> pd.Series:
    """Whether the rule calls each pair (text ids in columns ``a`` and ``b``) the same, on the
    texts as ``prepared`` (the pair judged alone, as ``families.judge`` does)."""
    row = pd.Series(np.arange(len(prepared.texts)), index=prepared.texts["text_id"])
    left, right = row.reindex(pairs[a]).to_numpy(), row.reindex(pairs[b]).to_numpy()
    missing = np.isnan(left) | np.isnan(right)
    if missing.any():
        gone = pairs.loc[missing, a].iloc[0]
        raise InputError("reuse pairs", f"a labelled pair names a text not compared: {gone!r}",
                         field=a)
    left, right = left.astype(np.int64), right.astype(np.int64)
    result = families.judge(prepared, np.minimum(left, right), np.maximum(left, right), params)
    return pd.Series(result.same, index=pairs.index, name="same")
