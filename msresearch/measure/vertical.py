"""Vertical reuse in the work reports: the share of a government's plan sentences that
restate a sentence of its superior's plan of the same year (a city's province, a
province's State Council), beside a placebo — the share that restate the plan of a province
that is not its superior, of the same year and genre. Restatement is the reuse rule's
``same`` (``reuse.decide`` on sentences, which have no titles); the unit is the report, and
intervals are over governments (the unit sampled)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from msresearch.link import families, reuse, units
from msresearch.link.texts import SENTENCE
from msresearch.measure.trajectories import mean_interval

SUPERIOR, PLACEBO = "superior", "other_province"
COLUMNS = ["doc_id", "unit", "level", "province", "year", "other", "relation", "n_texts",
           "n_same", "share"]


def restated(prepared: families.Prepared, rows: np.ndarray, others: np.ndarray,
             params: reuse.ReuseParams) -> np.ndarray:
    """For each text of ``rows``, whether it is the ``same`` as some text of ``others``
    (indices into ``prepared``), all pairs compared."""
    if not len(rows) or not len(others):
        return np.zeros(len(rows), dtype=bool)
    shared = (prepared.weighted[rows] @ prepared.matrix[others].T).toarray()
    lighter = np.minimum(prepared.totals[rows][:, None], prepared.totals[others][None, :])
    weighted = np.divide(shared, lighter, out=np.zeros_like(shared), where=lighter > 0)
    same = (shared >= params.min_shared_weight) & (weighted >= params.same_weighted)
    return same.any(axis=1)


def vertical(prepared: families.Prepared, documents: pd.DataFrame, params: reuse.ReuseParams,
             divisions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per work report of a city or province and each report it is set against,
    of the same year: its superior's (``superior``) and every other province's
    (``other_province``), with the share of its plan sentences that restate one of the
    other's (``COLUMNS``)."""
    found = units.units(documents, divisions)
    texts = prepared.texts
    sentences = texts["kind"].eq(SENTENCE).to_numpy()
    by_doc = pd.Series(np.arange(len(texts)))[sentences].groupby(
        texts.loc[sentences, "doc_id"].to_numpy()).apply(np.asarray).to_dict()
    reports = documents[documents["doc_id"].isin(by_doc)].copy()
    reports["province"] = [found.province(u) for u in reports["unit_en"]]
    rows = []
    for year, same_year in reports.groupby("year", sort=True):
        provincial = same_year[same_year["level"] == "province"]
        national = same_year[same_year["level"] == "national"]
        for r in same_year[same_year["level"].isin(["province", "city"])].to_dict("records"):
            superior = national if r["level"] == "province" else provincial[
                provincial["unit_en"] == found.parent.get(r["unit_en"], "")]
            against = [(d, SUPERIOR) for d in superior["doc_id"]]
            if r["level"] == "city":
                against += [(d, PLACEBO) for d in provincial.loc[
                    provincial["province"] != r["province"], "doc_id"]]
            mine = by_doc[r["doc_id"]]
            for other, relation in against:
                same = restated(prepared, mine, by_doc[other], params)
                rows.append((r["doc_id"], r["unit_en"], r["level"], r["province"], int(year),
                             other, relation, len(mine), int(same.sum()),
                             float(same.mean()) if len(mine) else np.nan))
    return pd.DataFrame(rows, columns=COLUMNS)


def by_level_year(table: pd.DataFrame) -> pd.DataFrame:
    """Per level, year and relation: the mean share over governments with its 95% t
    interval (``mean_interval``); a government's placebo is its mean over the provinces
    that are not its own, so each government counts once."""
    per_unit = table.groupby(["level", "year", "relation", "doc_id"], sort=True)["share"].mean()
    rows = [(level, year, relation, *mean_interval(part))
            for (level, year, relation), part in per_unit.groupby(level=[0, 1, 2], sort=True)]
    return pd.DataFrame(rows, columns=["level", "year", "relation", "share", "low", "high",
                                       "n_units"])


LIST_COLUMNS = ["doc_id", "n_texts", "n_above", "n_placebo", "share_above", "share_placebo"]


def list_placebo(prepared: families.Prepared, lists: list[str],
                 above: dict[str, list[str]], placebo: list[str],
                 params: reuse.ReuseParams) -> pd.DataFrame:
    """For each list (``lists``, doc_ids of ``prepared``'s texts): the share of its items
    that restate an item of the lists of the units above it (``above``: their doc_ids, of any
    date) and, the placebo, of the lists of provinces that are not its own (``placebo``:
    doc_ids), all pairs compared (``restated``)."""
    docs = prepared.texts["doc_id"].to_numpy(dtype=object)

    def rows(ids) -> np.ndarray:
        return np.flatnonzero(np.isin(docs, list(ids)))

    others = rows(placebo)
    out = []
    for doc_id in lists:
        mine, up = rows([doc_id]), rows(above.get(doc_id, []))
        if not len(up):
            continue
        out.append((doc_id, len(mine), len(up), len(others),
                    float(restated(prepared, mine, up, params).mean()),
                    float(restated(prepared, mine, others, params).mean())))
    return pd.DataFrame(out, columns=LIST_COLUMNS)
