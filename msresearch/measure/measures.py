"""Measures of attention: domain shares per document with intervals that are right at 0 and
1, agenda diversity with its sample-size baseline, and the Jensen–Shannon distance between
documents' agendas."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy

from msresearch.coding.codebook import Codebook
from msresearch.coding.coder import NONE, PROCEDURAL, UNCLASSIFIED
from msresearch.measure import inference

EXCLUDED = (PROCEDURAL, UNCLASSIFIED)
SENTENCE_EXCLUDED = (PROCEDURAL, UNCLASSIFIED, NONE)
N_BOOT = 2000


def substantive(items: pd.DataFrame) -> pd.DataFrame:
    """Items that count towards shares: not procedural, and coded to a policy domain."""
    return items[~items["domain"].isin(EXCLUDED)]


def item_chars(sentences: pd.DataFrame, domains: list[str]) -> pd.DataFrame:
    """Characters of each item's sentences under each domain (item_id × domain), sentences
    that are ``none``, procedural or unclassified left out: an item's text by what its own
    sentences are about, so a chapter-length item can be several domains at once."""
    coded = sentences[~sentences["domain"].isin(SENTENCE_EXCLUDED)]
    table = coded.pivot_table(index="item_id", columns="domain", values="n_chars",
                              aggfunc="sum", fill_value=0)
    return table.reindex(columns=domains, fill_value=0).astype(float)


def text_share_draws(chars: np.ndarray, n_draws: int, rng: np.random.Generator) -> np.ndarray:
    """Draws of each domain's share of characters (n_draws × domains) by a Bayesian bootstrap
    over items (Rubin 1981), with Jeffreys' prior of half an average item for and half
    against each domain. ``chars`` is items × domains. When every item has the same length
    and one domain, a domain's draws follow Beta(k + ½, n − k + ½): the Jeffreys posterior
    of the item share, so the two measures' intervals mean the same thing."""
    n, k = chars.shape
    totals = chars.sum(axis=1)
    mean = totals.mean()
    # Dirichlet(1, …, 1) up to a common scale: Gamma(1) draws, i.e. exponential ones
    weights = rng.standard_exponential(size=(n_draws, n))
    # Dirichlet(½, ½) mass for and against: Gamma(½) draws, drawn as Z²/2 for a standard
    # normal Z (the same distribution; normals are several times faster to draw)
    prior = np.square(rng.standard_normal(size=(n_draws, k, 2))) / 2
    numerator = weights @ chars + prior[..., 0] * mean
    denominator = (weights @ totals)[:, None] + prior.sum(axis=-1) * mean
    return numerator / denominator


def document_rng(seed: int, doc_id: str) -> np.random.Generator:
    """A random generator for one document: from the seed and the document's id, so adding,
    removing or changing another document never changes this one's draws."""
    digest = hashlib.sha256(doc_id.encode("utf-8")).digest()
    return np.random.default_rng([seed, int.from_bytes(digest[:8], "big")])


def attention(items: pd.DataFrame, sentences: pd.DataFrame, codebook: Codebook,
              n_boot: int = N_BOOT, seed: int = 0) -> pd.DataFrame:
    """One row per document × codebook domain: item share and text share with 95% intervals.

    *Item share* = the domain's items / the document's items coded to a domain (procedural
    and unclassified items are in neither), with the Jeffreys interval (Brown, Cai &
    DasGupta 2001), which is right at 0 and 1: 0 of 9 items has the upper limit 0.22, not 0.
    *Text share* = characters of the document's sentences coded to the domain / characters
    of all its sentences coded to a domain (``none``, procedural and unclassified sentences
    are in neither), with the interval of ``text_share_draws`` (``n_boot`` draws, fixed
    seed, and a generator of its own for each document, drawn from the seed and the
    ``doc_id``, so that a document's intervals do not depend on the other documents). A
    zero share's interval starts at 0 and a share of 1 ends at 1, as Jeffreys'
    does. Both intervals are about the items one document happened to write, not about
    other documents. Domains a document never mentions get share 0, so shares sum to 1. A
    document none of whose sentences names a domain (a list of bare titles) counts each item's
    characters under the item's domain.
    """
    subs = substantive(items)
    coded = sentences[~sentences["domain"].isin(SENTENCE_EXCLUDED)]
    # a sentence belongs to its item's document
    sentence_groups = coded.groupby(coded["item_id"].map(dict(zip(subs["item_id"],
                                                                  subs["doc_id"], strict=True))),
                                    sort=True).indices
    item_columns = {c: subs[c].tolist() for c in ("item_id", "domain", "n_chars")}
    sentence_columns = {c: coded[c].tolist() for c in ("item_id", "domain", "n_chars")}
    rows: dict[str, list] = {c: [] for c in ATTENTION_COLUMNS}
    for doc_id, at in subs.groupby("doc_id", sort=True).indices.items():
        found = sentence_groups.get(doc_id, np.zeros(0, dtype=int))
        shares = document_attention(
            doc_id, {c: [v[i] for i in at] for c, v in item_columns.items()},
            {c: [v[i] for i in found] for c, v in sentence_columns.items()},
            codebook.ids, n_boot, seed)
        for c in ATTENTION_COLUMNS:
            rows[c] += shares[c]
    return pd.DataFrame(rows, columns=ATTENTION_COLUMNS)


ATTENTION_COLUMNS = ["doc_id", "domain", "n_items", "n_items_total", "item_share",
                     "item_share_low", "item_share_high", "n_chars", "text_share",
                     "text_share_low", "text_share_high"]


def document_attention(doc_id: str, items: dict[str, list], sentences: dict[str, list],
                       domains: list[str], n_boot: int = N_BOOT, seed: int = 0
                       ) -> dict[str, list]:
    """``attention``'s rows for one document (column → values), from the ``item_id``,
    ``domain`` and ``n_chars`` of its substantive items and of its sentences coded to a
    domain: what the build computes document by document."""
    k = len(domains)
    column = {d: j for j, d in enumerate(domains)}
    row = {item_id: i for i, item_id in enumerate(items["item_id"])}
    domain_of = np.array([column.get(d, -1) for d in items["domain"]], dtype=int)
    counts = np.bincount(domain_of[domain_of >= 0], minlength=k)
    n = int(counts.sum())
    low, high = inference.proportion_interval(counts, n)
    chars = np.zeros((len(row), k))
    for item_id, domain, n_chars in zip(sentences["item_id"], sentences["domain"],
                                        sentences["n_chars"], strict=True):
        if item_id in row and domain in column:
            chars[row[item_id], column[domain]] += n_chars
    chars = chars[chars.sum(axis=1) > 0]
    if not len(chars):  # no sentence names a domain: each item's length under its own
        chars = (np.array(items["n_chars"], dtype=float)[:, None]
                 * (domain_of[:, None] == np.arange(k)))
    char_totals = chars.sum(axis=0)
    text = char_totals / char_totals.sum()
    draws = text_share_draws(chars, n_boot, document_rng(seed, doc_id))
    bounds = np.percentile(draws, [2.5, 97.5], axis=0)
    return {
        "doc_id": [doc_id] * k, "domain": list(domains), "n_items": counts.tolist(),
        "n_items_total": [n] * k, "item_share": (counts / n).tolist(),
        "item_share_low": low.tolist(), "item_share_high": high.tolist(),
        "n_chars": char_totals.astype(int).tolist(), "text_share": text.tolist(),
        "text_share_low": np.where(text == 0, 0.0, np.minimum(bounds[0], text)).tolist(),
        "text_share_high": np.where(text == 1, 1.0, np.maximum(bounds[1], text)).tolist(),
    }


DIVERSITY_COLUMNS = ["doc_id", "measure", "n_items", "entropy", "entropy_norm", "effective_domains",
                     "rarefied_to", "effective_domains_rarefied"]


def diversity(attention_table: pd.DataFrame, measure: str = "item_share",
              rarefy_to: int | None = None) -> pd.DataFrame:
    """Agenda diversity of each document: Shannon entropy H of its domain shares (natural
    log), H normalised by log of the number of domains, and the effective number of domains
    exp(H) (Boydstun, Bevan & Thomas 2014 on entropy as agenda diversity).

    Diversity grows with the number of items: 9 items can name at most 9 domains. So each
    document's items are also *rarefied* to a common number (``rarefy_to``, default the
    smallest document's): the effective number of domains exp(E[H]) of that many items
    drawn without replacement (``inference.rarefied_entropies``), comparable across
    documents of any size. Rarefaction needs counts, so it is given for item shares only."""
    rows = []
    totals = attention_table.groupby("doc_id")["n_items"].sum()
    if totals.empty:  # no list in the corpus (work reports only)
        return pd.DataFrame([], columns=DIVERSITY_COLUMNS).astype(
            {"n_items": int, "entropy": float, "entropy_norm": float, "effective_domains": float,
             "rarefied_to": "Int64", "effective_domains_rarefied": float})
    common = int(rarefy_to if rarefy_to is not None else totals.min())
    values = attention_table[measure].to_numpy()
    counts = attention_table["n_items"].to_numpy()
    positions = attention_table.groupby("doc_id", sort=True).indices
    entropies = _entropies(values, positions)
    rarefied_h = (dict(zip(positions, inference.rarefied_entropies(
        [counts[at] for at in positions.values()], common), strict=True))
        if measure == "item_share" else {})
    for doc_id, at in positions.items():
        shares = values[at]
        h = entropies[doc_id]
        rarefied = float(np.exp(rarefied_h[doc_id])) if measure == "item_share" else float("nan")
        rows.append({"doc_id": doc_id, "measure": measure, "n_items": int(totals[doc_id]),
                     "entropy": h, "entropy_norm": h / np.log(len(shares)),
                     "effective_domains": float(np.exp(h)),
                     "rarefied_to": common if measure == "item_share" else pd.NA,
                     "effective_domains_rarefied": rarefied})
    frame = pd.DataFrame(rows)
    frame["rarefied_to"] = frame["rarefied_to"].astype("Int64")
    return frame


def _entropies(values: np.ndarray, positions: dict[str, np.ndarray]) -> dict[str, float]:
    """Shannon entropy of each document's shares (``positions``: its rows of ``values``),
    one ``scipy.stats.entropy`` call over the documents with as many rows (documents list
    every domain, so usually one call for all)."""
    by_size: dict[int, list[str]] = {}
    for doc_id, at in positions.items():
        by_size.setdefault(len(at), []).append(doc_id)
    out = {}
    for docs in by_size.values():
        grid = values[np.stack([positions[d] for d in docs])]
        out.update(zip(docs, entropy(grid, axis=1).tolist(), strict=True))
    return out


def js_distances(attention_table: pd.DataFrame, measure: str = "item_share",
                 n_draws: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Jensen–Shannon *distance* (base 2, in [0, 1]) between every pair of documents' domain
    shares: scipy's ``jensenshannon`` returns the distance, the square root of the
    divergence; both are given. Each pair also gets the distance's null distribution when
    both documents draw their items from one agenda, the pair's pooled item counts
    (``inference.js_null``): its mean and 95% range, and the one-sided p-values for "closer
    than chance" (a shared template) and "further than chance". Only items can be drawn, so
    the null is given for item shares only (empty for another measure)."""
    wide = attention_table.pivot(index="doc_id", columns="domain", values=measure)
    counts = attention_table.pivot(index="doc_id", columns="domain", values="n_items")
    rows = []
    for a in wide.index:
        for b in wide.index:
            d = float(jensenshannon(wide.loc[a], wide.loc[b], base=2))
            row = {"doc_a": a, "doc_b": b, "js_distance": d, "js_divergence": d * d}
            if a != b and measure == "item_share":
                null = inference.js_null(counts.loc[a].to_numpy(), counts.loc[b].to_numpy(),
                                         n_draws=n_draws, seed=seed)
                row.update(null_mean=null.null_mean, null_low=null.null_low,
                           null_high=null.null_high, p_closer=null.p_closer,
                           p_further=null.p_further)
            rows.append(row)
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


def change(attention_table: pd.DataFrame, documents: pd.DataFrame, first: str | None = None,
           last: str | None = None) -> pd.DataFrame:
    """Each domain's item share in two documents (default: the earliest and the latest by
    date, then doc_id) and the difference last − first with Newcombe's (1998) hybrid score
    95% interval (``inference.difference_interval``), largest gains first. The interval
    is about the items each document happened to write; two documents are two documents,
    not two periods, and the table says nothing about any other pair."""
    order = documents.sort_values(["date", "doc_id"])["doc_id"]
    first = first or order.iloc[0]
    last = last or order.iloc[-1]
    wide = attention_table.set_index(["domain", "doc_id"])
    a, b = wide.xs(first, level="doc_id"), wide.xs(last, level="doc_id")
    diff, low, high = inference.difference_interval(a["n_items"], a["n_items_total"],
                                                    b["n_items"], b["n_items_total"])
    frame = pd.DataFrame({"first": a["item_share"], "last": b["item_share"],
                          "change": np.asarray(diff), "change_low": np.asarray(low),
                          "change_high": np.asarray(high)}, index=a.index)
    frame.attrs.update(first=first, last=last)
    return frame.sort_values(["change", "last"], ascending=[False, False])


def char_share(items: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Each document's share of characters per domain, every item's characters under its
    one label (doc_id, domain, char_share): the crude text measure, for sensitivity only —
    a chapter-length item counts wholly for its first domain."""
    sub = substantive(items)
    table = sub.pivot_table(index="doc_id", columns="domain", values="n_chars", aggfunc="sum",
                            fill_value=0).reindex(columns=codebook.ids, fill_value=0)
    shares = table.div(table.sum(axis=1), axis=0)
    return shares.stack().rename("char_share").reset_index()


def share_dispersion(shares: pd.DataFrame, groups: pd.Series) -> float:
    """Between-group sum of squares of documents' shares, each document weighing one:
    Σ_groups n_g ‖mean_g − grand mean‖² (the numerator of Anderson's (2001) pseudo-F with
    Euclidean distances). ``shares`` is doc_id × domain. A statistic for
    ``inference.permutation_test``: it asks whether documents of one period (or level) are
    more alike than documents drawn at random, with documents as the unit."""
    labels = groups.reindex(shares.index)
    keep = labels.notna()
    values, labels = shares[keep], labels[keep]
    grand = values.mean(axis=0)
    means = values.groupby(labels).mean()
    sizes = labels.value_counts().reindex(means.index)
    return float((((means - grand) ** 2).sum(axis=1) * sizes).sum())


def split(documents: pd.DataFrame, cut: int) -> pd.Series:
    """doc_id → "earlier" or "later": documents of ``cut`` and after are later."""
    years = documents.set_index("doc_id")["year"]
    return years.map(lambda y: "later" if y >= cut else "earlier").rename("period")


def period_difference(shares: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Each domain's mean share in the earlier and the later documents (each document
    weighing one) and the difference later − earlier. ``shares`` is doc_id × domain."""
    means = shares.groupby(groups.reindex(shares.index)).mean().T
    frame = means.reindex(columns=["earlier", "later"])
    frame["difference"] = frame["later"] - frame["earlier"]
    return frame.rename_axis("domain")


def sensitivity(shares: pd.DataFrame, documents: pd.DataFrame, cuts: list[int],
                samples: dict[str, list[str]], seed: int = 0) -> pd.DataFrame:
    """The earlier-vs-later comparison under every specification: each measure (a column of
    ``shares``, a long table with doc_id and domain), each sample (a name → the genres it
    leaves out) and each cut year. One row per specification × domain: the two period means,
    their difference, and the specification's document-level permutation p
    (``share_dispersion``) with the smallest p its design can reach. Specifications with
    fewer than two documents in a period are left out."""
    measures_ = [c for c in shares.columns if c not in ("doc_id", "domain")]
    rows = []
    for sample, excluded in samples.items():
        docs = documents[~documents["genre"].isin(excluded)]
        for cut in sorted(cuts):
            groups = split(docs, cut)
            if groups.value_counts().reindex(["earlier", "later"]).fillna(0).min() < 1:
                continue
            for measure in measures_:
                wide = (shares[shares["doc_id"].isin(docs["doc_id"])]
                        .pivot(index="doc_id", columns="domain", values=measure))
                test = inference.permutation_test(wide, groups, statistic=share_dispersion,
                                                  seed=seed)
                diff = period_difference(wide, groups).reset_index()
                rows.append(diff.assign(measure=measure, sample=sample, cut=cut,
                                        n_earlier=int((groups == "earlier").sum()),
                                        n_later=int((groups == "later").sum()),
                                        p_value=test.p_value, min_p=test.min_p))
    columns = ["measure", "sample", "cut", "n_earlier", "n_later", "domain", "earlier", "later",
               "difference", "p_value", "min_p"]
    return pd.concat(rows, ignore_index=True)[columns]


def ranks(attention_table: pd.DataFrame, measure: str = "item_share") -> pd.DataFrame:
    """Each domain's rank in each document by share (1 = most attention; ties share the best
    rank), for a bump chart: doc_id, domain, share, rank."""
    frame = attention_table[["doc_id", "domain", measure]].rename(columns={measure: "share"})
    frame = frame.assign(rank=frame.groupby("doc_id")["share"].rank(method="min",
                                                                    ascending=False).astype(int))
    return frame.sort_values(["doc_id", "rank", "domain"]).reset_index(drop=True)


def cap_topic(cap: str) -> str:
    """A codebook ``cap`` field's primary Comparative Agendas Project major topic: the first
    listed ("13 Social Welfare / 3 Health" → "13 Social Welfare")."""
    return cap.split("/")[0].strip()


def cap_shares(attention_table: pd.DataFrame, codebook: Codebook,
               measure: str = "item_share") -> pd.DataFrame:
    """Shares aggregated to CAP major topics (Baumgartner, Breunig & Grossman 2019), each
    domain under its primary topic (``cap_topic``), so results compare with CAP studies:
    doc_id, cap_topic, share. A domain listed under two topics counts wholly for the first."""
    topic = {d.id: cap_topic(d.cap) for d in codebook.domains}
    frame = attention_table.assign(cap_topic=attention_table["domain"].map(topic))
    out = frame.groupby(["doc_id", "cap_topic"], as_index=False)[measure].sum()
    return out.rename(columns={measure: "share"})


CONTRAST_FIELDS = {"year": "year", "level": "level", "genre": "genre", "place": "unit_en"}


def contrasts(documents: pd.DataFrame) -> pd.DataFrame:
    """Which comparisons the corpus can make: every pair of documents, what differs between
    them (year, level, genre, place) and so what their difference could be due to. A pair
    that differs in one of year, level or genre is a like-with-like contrast of that factor
    (with place, which differs between any two governments); a pair that differs in more
    confounds them, and no analysis of these two documents can tell them apart."""
    docs = documents.sort_values(["date", "doc_id"]).to_dict("records")
    rows = []
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            differs = [name for name, col in CONTRAST_FIELDS.items() if a[col] != b[col]]
            factors = [d for d in differs if d != "place"]
            if len(factors) == 1:
                reading = f"{factors[0]}" + (" (and place)" if "place" in differs else "")
            elif not factors:
                reading = "place only" if differs else "nothing: the same document kind"
            else:
                reading = "confounded: " + " + ".join(factors)
            rows.append({"doc_a": a["doc_id"], "doc_b": b["doc_id"],
                         "differs_in": ", ".join(differs), "n_factors": len(factors),
                         "contrast_of": reading})
    return pd.DataFrame(rows).sort_values(["n_factors", "doc_a", "doc_b"]).reset_index(drop=True)
