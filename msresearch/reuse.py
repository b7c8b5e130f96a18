"""Reuse between documents: which items of one document restate a commitment of another
(``same``), share its area (``related``) or neither — candidates from MinHash LSH over
character shingles, an alignment of each candidate pair, and a rule a reader can check.

The unit is the numbered commitment, not the passage (cf. text-reuse tools such as R
``textreuse`` and passim, which align passages). Both texts are first *normalised*: unit
statements are dropped, digits become one placeholder, "全省/全市/全县" and "省级/市级" lose
their level, and punctuation and spaces go, so that "为全省80000名…" and "为全市3264名…"
align. Candidates come from locality-sensitive hashing (Broder 1997; Leskovec, Rajaraman &
Ullman 2014, ch. 3) of the normalised texts and of the titles, never from all pairs. Each
candidate is aligned (rapidfuzz's LCS opcodes); runs of at least ``min_block`` characters
are the shared spans. The decision uses three figures — the title similarity, the share of
the shorter text that the spans cover (containment) and whether the coder gave both items
one domain — against thresholds in ``params/reuse.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from msresearch.segment import unit_spans

SAME, RELATED, DIFFERENT = "same", "related", "different"
# Level words: 全省/全市/全县/全区 and 省级/市级/县级/区级, 省本级/市本级
_LEVEL = re.compile(r"(?<=全)[省市县区]|[省市县区](?=级|本级)")
_DROP = re.compile(r"[\s\W_]", re.UNICODE)


@dataclass(frozen=True)
class ReuseParams:
    """The reuse rule's settings (``params/reuse.yaml``)."""

    shingle: int = 3  # characters per shingle of an item's text
    title_shingle: int = 2  # characters per shingle of a title (titles are short)
    num_perm: int = 128  # MinHash permutations
    lsh_threshold: float = 0.15  # Jaccard similarity above which LSH proposes a pair
    min_block: int = 4  # aligned runs shorter than this are chance
    same_title: float = 85.0  # title similarity (0–100) that alone makes a pair the same
    same_containment: float = 0.4  # containment that, with one domain, makes a pair the same
    same_title_with_text: float = 65.0  # a title this similar, one domain and
    min_containment: float = 0.1  # this much shared text also make a pair the same
    related_title: float = 30.0  # with one domain, a title this similar or
    related_containment: float = 0.05  # this much shared text makes a pair related
    seed: int = 1  # MinHash seed


def params_from(data: dict) -> ReuseParams:
    """Settings from a mapping (unknown keys are an error, as in every parameter file)."""
    names = {f.name for f in fields(ReuseParams)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"unknown reuse parameter '{unknown[0]}'")
    return ReuseParams(**data)


@dataclass(frozen=True)
class Normalised:
    """A text as compared, and where each of its characters came from in the original."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def normalise(text: str) -> Normalised:
    """The text as the comparison sees it (see the module docstring), with each character's
    span in the original text, so that aligned spans can be given as original offsets."""
    skip = np.zeros(len(text) + 1, dtype=bool)
    for s, e in unit_spans(text):
        skip[s:e] = True
    mapped = [unicodedata.normalize("NFKC", c) for c in text]
    digit = [m.isascii() and m.isdigit() for m in mapped]
    chars, starts, ends = [], [], []
    i = 0
    while i < len(text):
        if skip[i]:
            i += 1
        elif digit[i]:  # a number, decimals included, is one placeholder
            j = i + 1
            while j < len(text) and (digit[j] or (mapped[j] == "." and j + 1 < len(text)
                                                  and digit[j + 1])):
                j += 1
            chars.append("#")
            starts.append(i)
            ends.append(j)
            i = j
        else:
            if not _DROP.match(mapped[i]):
                chars.append(mapped[i])
                starts.append(i)
                ends.append(i + 1)
            i += 1
    norm = "".join(chars)
    norm = _LEVEL.sub("#", norm)  # one character for one: offsets stay aligned
    return Normalised(norm, tuple(starts), tuple(ends))


def shingles(text: str, k: int) -> set[bytes]:
    """The text's character k-grams (the whole text when shorter)."""
    if len(text) <= k:
        return {text.encode("utf-8")} if text else set()
    return {text[i:i + k].encode("utf-8") for i in range(len(text) - k + 1)}


def candidates(keys: list[str], docs: list[str], texts: list[str], titles: list[str],
               params: ReuseParams) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of items from different documents whose normalised texts or titles
    LSH puts in one bucket (Jaccard of shingles above about ``lsh_threshold``), sorted."""
    pairs: set[tuple[int, int]] = set()
    for field, k in ((texts, params.shingle), (titles, params.title_shingle)):
        lsh = MinHashLSH(threshold=params.lsh_threshold, num_perm=params.num_perm)
        sets = [shingles(t, k) for t in field]
        hashes = MinHash.bulk([list(s) for s in sets], num_perm=params.num_perm,
                              seed=params.seed)
        indexed = [k for k, s in enumerate(sets) if s]
        with lsh.insertion_session() as session:
            for k in indexed:
                session.insert(keys[k], hashes[k])
        position = {key: k for k, key in enumerate(keys)}
        for k in indexed:
            for other in lsh.query(hashes[k]):
                j = position[other]
                if j != k and docs[j] != docs[k]:
                    pairs.add((min(j, k), max(j, k)))
    return sorted(pairs)


@dataclass(frozen=True)
class Alignment:
    """Shared runs of two normalised texts, as original offsets into each."""

    shared_chars: int  # normalised characters in runs of at least min_block
    containment: float  # shared_chars / the shorter normalised text
    spans_a: str  # "start-end;…" into item a's text
    spans_b: str


def align(a: Normalised, b: Normalised, min_block: int) -> Alignment:
    """The longest-common-subsequence alignment of two normalised texts (rapidfuzz
    ``Indel.opcodes``), keeping equal runs of at least ``min_block`` characters."""
    blocks = [op for op in Indel.opcodes(a.text, b.text)
              if op.tag == "equal" and op.src_end - op.src_start >= min_block]
    shared = sum(op.src_end - op.src_start for op in blocks)
    shorter = min(len(a.text), len(b.text))
    return Alignment(
        shared_chars=shared,
        containment=shared / shorter if shorter else 0.0,
        spans_a=";".join(f"{a.starts[op.src_start]}-{a.ends[op.src_end - 1]}" for op in blocks),
        spans_b=";".join(f"{b.starts[op.dest_start]}-{b.ends[op.dest_end - 1]}"
                         for op in blocks),
    )


def title_similarity(a: str, b: str) -> float:
    """How far the shorter normalised title is found in the longer (rapidfuzz
    ``partial_ratio``, 0–100): "贫困残疾人康复" in "推进贫困残疾人康复" is 100."""
    if not a or not b:
        return 0.0
    return float(fuzz.partial_ratio(a, b))


def decide(title_sim: float, containment: float, same_domain: bool,
           params: ReuseParams) -> str:
    """The rule, in order. ``same``: the shorter title found in the other's
    (``same_title``); or, under one domain, most of the shorter text restated
    (``same_containment``), or a similar title (``same_title_with_text``) with some text shared
    (``min_containment``). ``related``: one domain and a somewhat similar title
    (``related_title``) or a little shared text (``related_containment``). Else
    ``different``."""
    if title_sim >= params.same_title:
        return SAME
    if same_domain and (containment >= params.same_containment
                        or (title_sim >= params.same_title_with_text
                            and containment >= params.min_containment)):
        return SAME
    if same_domain and (title_sim >= params.related_title
                        or containment >= params.related_containment):
        return RELATED
    return DIFFERENT


PAIR_COLUMNS = ["doc_a", "item_a", "doc_b", "item_b", "label", "score", "title_similarity",
                "containment", "shared_chars", "spans_a", "spans_b"]


def compare(items: pd.DataFrame, params: ReuseParams) -> pd.DataFrame:
    """Every candidate pair of substantive items from different documents with its figures
    and label (``different`` included), items in ``item_id`` order within a pair."""
    items = items[~items["procedural"]].sort_values("item_id").reset_index(drop=True)
    texts = [normalise(t) for t in items["text"]]
    titles = [normalise(t).text for t in items["title"]]
    keys, docs = items["item_id"].tolist(), items["doc_id"].tolist()
    domains = items["domain"].tolist()
    rows = []
    for i, j in candidates(keys, docs, [t.text for t in texts], titles, params):
        al = align(texts[i], texts[j], params.min_block)
        sim = title_similarity(titles[i], titles[j])
        same_domain = domains[i] == domains[j]
        label = decide(sim, al.containment, same_domain, params)
        rows.append({"doc_a": docs[i], "item_a": keys[i], "doc_b": docs[j], "item_b": keys[j],
                     "label": label, "score": max(sim / 100, al.containment),
                     "title_similarity": sim, "containment": al.containment,
                     "shared_chars": al.shared_chars, "spans_a": al.spans_a,
                     "spans_b": al.spans_b})
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


REUSE_COLUMNS = ["doc_a", "item_a", "doc_b", "item_b", "label", "score", "title_similarity",
                 "containment", "shared_chars", "spans_a", "spans_b", "level_a", "level_b",
                 "date_a", "date_b", "direction"]


def pairs_table(compared: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The ``same`` and ``related`` pairs (reuse.csv), each oriented from the earlier document
    to the later (by date, then doc_id), with both documents' levels and dates. ``direction``
    is ``earlier→later`` or ``same_date``: a date order, not evidence of who copied whom."""
    docs = documents.set_index("doc_id")
    kept = compared[compared["label"].isin([SAME, RELATED])]
    rows = []
    for r in kept.to_dict("records"):
        key_a = (docs.at[r["doc_a"], "date"], r["doc_a"])
        key_b = (docs.at[r["doc_b"], "date"], r["doc_b"])
        if key_b < key_a:  # orient earlier → later, spans travel with their items
            r = {**r, "doc_a": r["doc_b"], "item_a": r["item_b"], "spans_a": r["spans_b"],
                 "doc_b": r["doc_a"], "item_b": r["item_a"], "spans_b": r["spans_a"]}
        date_a, date_b = docs.at[r["doc_a"], "date"], docs.at[r["doc_b"], "date"]
        rows.append({**r, "level_a": docs.at[r["doc_a"], "level"],
                     "level_b": docs.at[r["doc_b"], "level"], "date_a": date_a,
                     "date_b": date_b,
                     "direction": "same_date" if date_a == date_b else "earlier→later"})
    frame = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    return frame.sort_values(["doc_a", "doc_b", "item_a", "item_b"]).reset_index(drop=True)


def documents_table(pairs: pd.DataFrame, items: pd.DataFrame,
                    documents: pd.DataFrame) -> pd.DataFrame:
    """Per ordered pair of documents (reuse_documents.csv): how many of ``doc_id``'s
    substantive items have a ``same`` counterpart in ``other``, and their share."""
    substantive = items[~items["procedural"]]
    totals = substantive.groupby("doc_id").size()
    same = pairs[pairs["label"] == SAME]
    links = pd.concat([same[["doc_a", "item_a", "doc_b"]].set_axis(["doc_id", "item_id", "other"],
                                                                    axis=1),
                       same[["doc_b", "item_b", "doc_a"]].set_axis(["doc_id", "item_id", "other"],
                                                                    axis=1)])
    counts = links.drop_duplicates().groupby(["doc_id", "other"]).size()
    rows = []
    ids = sorted(documents["doc_id"])
    for doc in ids:
        for other in ids:
            if doc == other:
                continue
            n = int(counts.get((doc, other), 0))
            total = int(totals.get(doc, 0))
            rows.append({"doc_id": doc, "other": other, "n_items": total, "n_same": n,
                         "share_same": n / total if total else 0.0})
    return pd.DataFrame(rows, columns=["doc_id", "other", "n_items", "n_same", "share_same"])


def origins(items: pd.DataFrame, pairs: pd.DataFrame, documents: pd.DataFrame,
            levels: tuple[str, ...]) -> pd.DataFrame:
    """Each substantive item's origin as the corpus can tell it: ``inherited`` when it is the
    ``same`` as an item of an earlier document of a higher level (``levels`` lists the levels
    from the top); ``shared`` when it has a ``same`` counterpart that is not that; ``local``
    when it has none. Columns item_id, doc_id, domain, origin, source (the item it inherits
    from, the earliest and highest)."""
    docs = documents.set_index("doc_id")
    rank = {lvl: k for k, lvl in enumerate(levels)}
    same = pairs[pairs["label"] == SAME]
    parents: dict[str, list[tuple]] = {}
    partners: set[str] = set()
    for r in same.to_dict("records"):
        partners.update((r["item_a"], r["item_b"]))
        # pairs run earlier → later; a same-date pair is not a line of descent
        if r["direction"] == "earlier→later" and rank[r["level_a"]] < rank[r["level_b"]]:
            parents.setdefault(r["item_b"], []).append((r["date_a"], rank[r["level_a"]],
                                                        r["item_a"]))
    rows = []
    for r in items[~items["procedural"]].sort_values("item_id").to_dict("records"):
        if r["item_id"] in parents:
            origin, source = "inherited", min(parents[r["item_id"]])[2]
        elif r["item_id"] in partners:
            origin, source = "shared", ""
        else:
            origin, source = "local", ""
        rows.append({"item_id": r["item_id"], "doc_id": r["doc_id"], "domain": r["domain"],
                     "level": docs.at[r["doc_id"], "level"], "origin": origin, "source": source})
    return pd.DataFrame(rows)


def align_gold(gold: pd.DataFrame, documents: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Gold pairs with the item ids of both sides (gold names documents by ``seed_file``,
    the manifest's ``source_name``, and items by position)."""
    doc = documents.set_index("source_name")["doc_id"]
    item = items.set_index(["doc_id", "position"])["item_id"]
    frame = gold.copy()
    for side in ("a", "b"):
        docs = frame[f"seed_file_{side}"].map(doc)
        if docs.isna().any():
            raise ValueError(f"gold pairs name a document not in the manifest: "
                             f"{frame.loc[docs.isna(), f'seed_file_{side}'].iloc[0]}")
        frame[f"item_{side}"] = [item.get((d, int(p))) for d, p in
                                 zip(docs, frame[f"position_{side}"], strict=True)]
    return frame


def predicted(gold: pd.DataFrame, compared: pd.DataFrame) -> pd.Series:
    """The rule's label for each gold pair (``align_gold``); a pair LSH never proposed is
    ``different``, as the rule would have it."""
    lookup = {tuple(sorted(k)): label for *k, label in
              compared[["item_a", "item_b", "label"]].itertuples(index=False)}
    return pd.Series([lookup.get(tuple(sorted((a, b))), DIFFERENT)
                      for a, b in zip(gold["item_a"], gold["item_b"], strict=True)],
                     index=gold.index, name="predicted")


def scores(gold: pd.Series, predicted_: pd.Series, label: str = SAME) -> dict[str, float]:
    """Precision, recall and F1 of one label."""
    tp = int(((predicted_ == label) & (gold == label)).sum())
    n_pred, n_gold = int((predicted_ == label).sum()), int((gold == label).sum())
    precision = tp / n_pred if n_pred else float("nan")
    recall = tp / n_gold if n_gold else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_gold": n_gold,
            "n_predicted": n_pred}
