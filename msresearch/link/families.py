"""Commitment families: the texts (list items, plan sentences of work reports) that state one
commitment, grown in the order the documents appeared, so that the work grows with the number
of texts, not with its square.

Each text is compared with a bounded set of earlier texts: those that share one of its
heaviest n-grams (its rarest, ``reuse.Weights``), at most ``window`` of the latest per
n-gram. The rule is ``reuse.decide``'s: shared rare text, a title supporting, never deciding.
A text joins a family when it is the ``same`` as the family's first statement (its
*founder*), among the families of the earlier texts it is the same as: the one whose founder
it is most the same as. A family is thus a commitment's first statement and the texts that
restate it, not a chain in which each link resembles only the last. Within its family a text
*follows* the earlier text of one of its ancestors' documents (``units``) it is most the
same as. A family that reaches ``national_provinces`` provinces is a national programme; a
text in one is *inherited* only when it follows an ancestor's wording more closely than any
other province's version."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from msresearch.link import grams, reuse, units
from msresearch.link import texts as texts_module

INHERITED, NATIONAL, SHARED, LOCAL = "inherited", "national", "shared", "local"
ORIGINS = (INHERITED, NATIONAL, SHARED, LOCAL)
REUSE_COLUMNS = ["text_id", "doc_id", "kind", "family", "origin", "follows", "follows_doc",
                 "score", "spans", "follows_spans", "changed_numbers"]
FAMILY_COLUMNS = ["family", "first_text", "first_doc", "first_date", "first_level", "n_texts",
                  "n_documents", "n_provinces", "national", "levels", "provinces"]
DOCUMENT_COLUMNS = ["doc_id", "n_texts", *[f"n_{o}" for o in ORIGINS], "share_inherited"]
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Prepared:
    """The texts in order with their normalised forms, n-gram matrix and weights."""

    texts: pd.DataFrame
    norm: list[reuse.Normalised]
    titles: list[str]
    docs: np.ndarray  # each text's document code, in order of appearance
    weights: reuse.Weights  # the n-grams' rarity across the texts' documents
    matrix: sparse.csr_matrix
    weighted: sparse.csr_matrix
    totals: np.ndarray


def prepare(texts: pd.DataFrame, params: reuse.ReuseParams,
            weights: reuse.Weights | None = None) -> Prepared:
    """``texts`` (``texts.comparable``, in order) normalised, each distinct text once, and
    their n-grams weighted by their rarity across the texts' documents (or by ``weights``)."""
    originals, ids = reuse._distinct(texts["text"].tolist())
    normalised = [reuse.normalise(t) for t in originals]
    norm = [normalised[k] for k in ids.tolist()]
    raw_titles, title_ids = reuse._distinct(texts["title"].tolist())
    titles = [reuse.normalise(t).text if t else "" for t in raw_titles]
    matrix, keys = grams.gram_matrix([n.text for n in norm], params.shingle)
    docs = pd.factorize(texts["doc_id"])[0].astype(np.int64)
    if weights is None:
        weights = reuse.Weights(keys, grams.inverse_frequency(matrix, docs),
                                int(docs.max()) + 1 if len(docs) else 0)
    gram_weight = weights.of(keys)
    return Prepared(texts.reset_index(drop=True), norm, [titles[k] for k in title_ids.tolist()],
                    docs, weights, matrix,
                    sparse.csr_matrix(matrix.multiply(gram_weight[None, :])),
                    grams.total_weight(matrix, gram_weight))


def candidates(p: Prepared, params: reuse.ReuseParams) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (earlier, later) of texts of different documents that share one of the later's
    heaviest n-grams (``top_grams``, or ``top_share`` of them if more), among the ``window``
    latest earlier texts that hold it among theirs: at most ``window`` × that many per text."""
    n = p.matrix.shape[0]
    held = grams.held_by(p.matrix, p.docs)  # an n-gram of one document finds no pair
    eligible = sparse.csr_matrix(p.weighted.multiply((held >= 2)[None, :]))
    eligible.eliminate_zeros()
    indptr, columns, weight = eligible.indptr, eligible.indices, eligible.data
    counts = np.diff(indptr)
    rows = np.repeat(np.arange(n), counts)
    k = np.maximum(params.top_grams, np.ceil(params.top_share * counts)).astype(np.int64)
    order = np.lexsort((columns, -weight, rows))  # each text's heaviest first
    rank = np.arange(len(order)) - np.repeat(indptr[:-1], counts)
    keep = order[rank < np.repeat(k, counts)]
    rows, columns = rows[keep], columns[keep]
    by_gram = np.lexsort((rows, columns))
    gram, text = columns[by_gram], rows[by_gram]
    codes = [np.zeros(0, dtype=np.int64)]
    for d in range(1, params.window + 1):
        if d >= len(text):
            break
        hit = gram[d:] == gram[:-d]
        codes.append(text[:-d][hit].astype(np.int64) * n + text[d:][hit])
    codes = np.unique(np.concatenate(codes))
    earlier, later = codes // n, codes % n
    keep = p.docs[earlier] != p.docs[later]
    return earlier[keep], later[keep]


@dataclass(frozen=True)
class Judged:
    """Pairs of texts (earlier, later by row) with their figures and whether they are the
    same commitment."""

    earlier: np.ndarray
    later: np.ndarray
    shared: np.ndarray
    weighted: np.ndarray
    same: np.ndarray


def judge(p: Prepared, earlier: np.ndarray, later: np.ndarray,
          params: reuse.ReuseParams, chunk: int = 200_000) -> Judged:
    """``reuse.decide``'s ``same`` for each pair, on the shared n-grams' weight and, where it
    could tip the balance, the titles' similarity; ``chunk`` pairs at a time, so memory stays
    bounded however many pairs there are."""
    shared = np.zeros(len(earlier))
    for lo in range(0, len(earlier), chunk):
        a, b = earlier[lo:lo + chunk], later[lo:lo + chunk]
        shared[lo:lo + chunk] = np.asarray(p.weighted[a].multiply(p.matrix[b]).sum(axis=1)).ravel()
    lighter = np.minimum(p.totals[earlier], p.totals[later])
    # a share of the lighter text (at most 1: sums in another order can pass it by a hair)
    weighted = np.minimum(np.divide(shared, lighter, out=np.zeros(len(shared)),
                                    where=lighter > 0), 1.0)
    fits = shared >= params.min_shared_weight
    same = fits & (weighted >= params.same_weighted)
    ask = np.flatnonzero(fits & ~same & (weighted >= params.same_with_title))
    if len(ask):
        sims = np.array([reuse.title_similarity(p.titles[a], p.titles[b]) for a, b in
                         zip(earlier[ask].tolist(), later[ask].tolist(), strict=True)])
        same[ask[sims >= params.same_title]] = True
    return Judged(earlier, later, shared, weighted, same)


def grow(p: Prepared, judged: Judged, params: reuse.ReuseParams) -> tuple[np.ndarray, Judged]:
    """Each text's family (numbered in order of the founders), document by document in the
    order they appeared, and the pairs of each text with the founders it was judged against.
    A text joins the family, among those of the earlier texts it is the same as, whose
    founder it is most the same as (then the oldest family); with none, it founds one."""
    n = len(p.docs)
    family = np.full(n, -1, dtype=np.int64)
    founders: list[int] = []
    same = np.flatnonzero(judged.same)
    by_later = same[np.argsort(judged.later[same], kind="stable")]
    later_sorted = judged.later[by_later]
    bounds = np.flatnonzero(np.diff(p.docs, prepend=-1, append=-1) != 0)
    founder_pairs = []
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        a, b = np.searchsorted(later_sorted, [lo, hi])
        if b > a:
            rows = by_later[a:b]
            text, fam = judged.later[rows], family[judged.earlier[rows]]
            pairs = np.unique(text * (len(founders) + 1) + fam)
            text, fam = pairs // (len(founders) + 1), pairs % (len(founders) + 1)
            first = np.asarray(founders, dtype=np.int64)[fam]
            checked = judge(p, first, text, params)
            founder_pairs.append(checked)
            ok = np.flatnonzero(checked.same)
            # the best founder per text: highest weighted containment, then the oldest family
            pick = ok[np.lexsort((fam[ok], -checked.weighted[ok], text[ok]))]
            firsts = np.ones(len(pick), dtype=bool)
            firsts[1:] = text[pick][1:] != text[pick][:-1]
            family[text[pick[firsts]]] = fam[pick[firsts]]
        new = np.flatnonzero(family[lo:hi] < 0) + lo
        family[new] = np.arange(len(founders), len(founders) + len(new))
        founders += new.tolist()
    checked = _concat([judged, *founder_pairs])
    return family, checked


def _concat(parts: list[Judged]) -> Judged:
    """Several sets of judged pairs as one, each pair once (the first time it was judged)."""
    earlier = np.concatenate([j.earlier for j in parts])
    later = np.concatenate([j.later for j in parts])
    n = int(max(earlier.max(initial=0), later.max(initial=0))) + 1
    _, first = np.unique(earlier * n + later, return_index=True)
    return Judged(earlier[first], later[first],
                  *(np.concatenate([getattr(j, f) for j in parts])[first]
                    for f in ("shared", "weighted", "same")))


def changed_numbers(a: reuse.Normalised, a_text: str, b: reuse.Normalised, b_text: str,
                    min_block: int) -> tuple[str, str, str]:
    """The aligned runs of two texts as spans into each (``start-end;…``), and the numbers
    that stand in one place of the aligned wording but differ ("1000→23;…", a's first)."""
    blocks = reuse._blocks(a.text, b.text, min_block)
    changed = []
    for sa, sb, length in blocks:
        for o in range(length):
            if a.text[sa + o] != "#":
                continue
            x = a_text[a.starts[sa + o]:a.ends[sa + o]]
            y = b_text[b.starts[sb + o]:b.ends[sb + o]]
            if x != y and _DIGIT.search(x) and _DIGIT.search(y):
                changed.append(f"{x}→{y}")
    spans_a = ";".join(f"{a.starts[s]}-{a.ends[s + n - 1]}" for s, _, n in blocks)
    spans_b = ";".join(f"{b.starts[s]}-{b.ends[s + n - 1]}" for _, s, n in blocks)
    return spans_a, spans_b, ";".join(changed)


@dataclass(frozen=True)
class Result:
    """What the families stage gives: ``reuse.csv``, ``families.csv`` and
    ``reuse_documents.csv`` as frames, and every text's origin."""

    reuse: pd.DataFrame
    families: pd.DataFrame
    documents: pd.DataFrame
    origins: pd.DataFrame
    weights: reuse.Weights


def build(texts: pd.DataFrame, documents: pd.DataFrame, params: reuse.ReuseParams,
          levels: tuple[str, ...], divisions: pd.DataFrame | None = None) -> Result:
    """The families of ``texts`` (``texts.comparable``, in order) and the tables that say
    them (module docstring)."""
    p = prepare(texts, params)
    family, judged = grow(p, judge(p, *candidates(p, params), params), params)
    docs = documents.set_index("doc_id")
    found = units.units(documents, divisions)
    doc_ids = texts["doc_id"].to_numpy(dtype=object)
    province = pd.Series({d: found.province(u) for d, u in docs["unit_en"].items()})
    text_province = province.reindex(doc_ids).fillna("").to_numpy(dtype=object)
    size = np.bincount(family, minlength=family.max() + 1 if len(family) else 0)
    reach = pd.DataFrame({"family": family, "province": text_province}).query("province != ''")
    n_provinces = (reach.drop_duplicates().groupby("family").size()
                   .reindex(np.arange(len(size)), fill_value=0).to_numpy())
    national = n_provinces >= params.national_provinces
    # follows: the same pair, within the family, with an earlier document of an ancestor
    ancestors = units.ancestors(documents, divisions)
    dated = texts_module.when(documents).reindex(doc_ids)
    year, date = dated["year"].to_numpy(dtype=object), dated["date"].to_numpy(dtype=object)
    e, l_ = judged.earlier, judged.later
    ok = judged.same & (family[e] == family[l_])
    pairs = pd.DataFrame({"e": e[ok], "l": l_[ok], "w": judged.weighted[ok]})
    pairs["de"], pairs["dl"] = doc_ids[pairs["e"]], doc_ids[pairs["l"]]
    is_ancestor = np.array([a in ancestors.get(b, ()) for a, b in
                            zip(pairs["de"], pairs["dl"], strict=True)], dtype=bool)
    # strictly earlier: by date when both have one, else by year
    e_, l2 = pairs["e"].to_numpy(), pairs["l"].to_numpy()
    both_dated = (date[e_] != "") & (date[l2] != "")
    earlier_date = np.where(both_dated, date[e_] < date[l2], year[e_] < year[l2])
    descent = pairs[is_ancestor & earlier_date].sort_values(["l", "w", "e"],
                                                            ascending=[True, False, True])
    best = descent.drop_duplicates("l").set_index("l")
    # the closest version of another province (either side of a pair)
    both = pd.concat([pairs[["l", "e", "w"]].set_axis(["t", "o", "w"], axis=1),
                      pairs[["e", "l", "w"]].set_axis(["t", "o", "w"], axis=1)])
    both = both[text_province[both["o"]] != text_province[both["t"]]]
    other = both.groupby("t")["w"].max()
    n = len(texts)
    follows = np.full(n, -1, dtype=np.int64)
    follows[best.index.to_numpy()] = best["e"].to_numpy()
    score = np.zeros(n)
    score[best.index.to_numpy()] = best["w"].to_numpy()
    closest_other = other.reindex(np.arange(n), fill_value=0.0).to_numpy()
    in_family = size[family] >= 2
    origin = np.where(~in_family, LOCAL, SHARED).astype(object)
    origin[in_family & national[family]] = NATIONAL
    inherited = (follows >= 0) & (~national[family] | (score > closest_other))
    origin[inherited] = INHERITED
    # spans and the changed numbers of each text against the one it follows
    spans, follows_spans, numbers = ([""] * n for _ in range(3))
    text_list = texts["text"].tolist()
    for t in np.flatnonzero(follows >= 0).tolist():
        f = int(follows[t])
        follows_spans[t], spans[t], numbers[t] = changed_numbers(
            p.norm[f], text_list[f], p.norm[t], text_list[t], params.min_block)
    ids = texts["text_id"].to_numpy(dtype=object)
    rows = np.flatnonzero(in_family)
    reuse_table = pd.DataFrame({
        "text_id": ids[rows], "doc_id": doc_ids[rows], "kind": texts["kind"].to_numpy()[rows],
        "family": family[rows], "origin": origin[rows],
        "follows": np.where(follows[rows] >= 0, ids[np.maximum(follows[rows], 0)], ""),
        "follows_doc": np.where(follows[rows] >= 0, doc_ids[np.maximum(follows[rows], 0)], ""),
        "score": score[rows], "spans": np.asarray(spans, dtype=object)[rows],
        "follows_spans": np.asarray(follows_spans, dtype=object)[rows],
        "changed_numbers": np.asarray(numbers, dtype=object)[rows]}, columns=REUSE_COLUMNS)
    reuse_table = reuse_table.sort_values(["doc_id", "text_id"]).reset_index(drop=True)
    origins = pd.DataFrame({"text_id": ids, "doc_id": doc_ids, "kind": texts["kind"].to_numpy(),
                            "domain": texts["domain"].to_numpy(),
                            "family": np.where(in_family, family, -1), "origin": origin,
                            "source": np.where(follows >= 0, ids[np.maximum(follows, 0)], "")})
    return Result(reuse_table, _families_table(family, size, national, n_provinces, doc_ids,
                                               text_province, ids, docs, levels),
                  _documents_table(origins), origins, p.weights)


def origins_of(texts: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Every text's origin as ``build`` gives it, from ``reuse.csv`` (``table``): a text it
    does not list is in no family of two, ``local`` (its family -1)."""
    listed = table.set_index("text_id")
    ids = texts["text_id"]
    return pd.DataFrame({"text_id": ids.to_numpy(), "doc_id": texts["doc_id"].to_numpy(),
                         "kind": texts["kind"].to_numpy(), "domain": texts["domain"].to_numpy(),
                         "family": ids.map(listed["family"]).fillna(-1).astype(int).to_numpy(),
                         "origin": ids.map(listed["origin"]).fillna(LOCAL).to_numpy(),
                         "source": ids.map(listed["follows"]).fillna("").to_numpy()})


def _families_table(family, size, national, n_provinces, doc_ids, text_province, ids, docs,
                    levels) -> pd.DataFrame:
    """One row per family of two or more texts."""
    frame = pd.DataFrame({"family": family, "doc_id": doc_ids, "province": text_province,
                          "text_id": ids})
    frame = frame[size[frame["family"]] >= 2]
    frame["level"] = frame["doc_id"].map(docs["level"])
    rank = {lvl: k for k, lvl in enumerate(levels)}
    grouped = frame.groupby("family", sort=True)
    first = grouped.head(1).set_index("family")  # texts are in order: the founder first
    out = pd.DataFrame({
        "family": first.index.to_numpy(), "first_text": first["text_id"].to_numpy(),
        "first_doc": first["doc_id"].to_numpy(),
        "first_date": first["doc_id"].map(docs["date"]).fillna("").astype(str).to_numpy(),
        "first_level": first["level"].to_numpy()})
    out["n_texts"] = size[out["family"]]
    out["n_documents"] = grouped["doc_id"].nunique().to_numpy()
    out["n_provinces"] = n_provinces[out["family"]]
    out["national"] = national[out["family"]]
    out["levels"] = grouped["level"].agg(
        lambda s: ";".join(sorted(set(s), key=lambda v: rank.get(v, len(rank))))).to_numpy()
    out["provinces"] = grouped["province"].agg(
        lambda s: ";".join(sorted(set(s) - {""}))).to_numpy()
    return out[FAMILY_COLUMNS].reset_index(drop=True)


def _documents_table(origins: pd.DataFrame) -> pd.DataFrame:
    """Per document: its texts and how many are of each origin."""
    counts = (origins.groupby(["doc_id", "origin"]).size().unstack(fill_value=0)
              .reindex(columns=list(ORIGINS), fill_value=0))
    out = counts.set_axis([f"n_{o}" for o in ORIGINS], axis=1)
    out.insert(0, "n_texts", counts.sum(axis=1))
    out["share_inherited"] = out["n_inherited"] / out["n_texts"]
    return out.reset_index()[DOCUMENT_COLUMNS]
