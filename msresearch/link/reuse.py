"""Reuse between documents: which items of one document restate a commitment of another
(``same``), share its area (``related``) or neither — candidates from MinHash LSH over
character shingles, an alignment of each candidate pair, and a rule a reader can check.

The unit is the numbered commitment, not the passage (cf. text-reuse tools such as R
``textreuse`` and passim, which align passages). Both texts are first *normalised*: unit
statements are dropped, digits become one placeholder, "全省/全市/全县" and "省级/市级" lose
their level, and punctuation and spaces go, so that "为全省80000名…" and "为全市3264名…"
align. Candidates come from locality-sensitive hashing (Broder 1997; Leskovec, Rajaraman &
Ullman 2014, ch. 3) of the normalised texts and of the titles, never from all pairs. Each
candidate is aligned (rapidfuzz's longest-common-subsequence alignment); equal runs of at
least ``min_block`` characters are the shared spans. The decision rests on text: the
character n-grams two items share, each weighted by how rare it is across the documents
compared (``grams``; text-reuse studies of legislation weight shared text the same way,
Wilkerson, Smith & Stramp 2015), as a share of the lighter text (``weighted_containment``).
A similar title supports a pair that shares somewhat less text, never decides alone; the
thresholds are in ``params/reuse/*.yaml``.
"""

from __future__ import annotations

import hashlib
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH
from datasketch.hashfunc import sha1_hash32
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from msresearch import config
from msresearch.errors import InputError
from msresearch.genres import REPORT_GENRES
from msresearch.genres.lists import unit_spans
from msresearch.io.inputs import label, read_params
from msresearch.link import grams, units

SAME, RELATED, DIFFERENT = "same", "related", "different"
SCOPES = ("tree", "all")
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
    same_weighted: float = 0.2   # share of the lighter text's n-gram weight shared: the same
    same_title: float = 75.0  # a title this similar (0–100) supports a pair that shares
    same_with_title: float = 0.03  # this much weighted text
    min_shared_weight: float = 15.0  # below this shared weight two texts share a phrase only
    related_title: float = 30.0  # with one domain, a title this similar or
    related_containment: float = 0.05  # this much shared text makes a pair related
    seed: int = 1  # MinHash seed
    top_grams: int = 6  # a text's heaviest n-grams that find its earlier candidates (families),
    top_share: float = 0.2  # or this share of its n-grams, if more
    window: int = 8  # per n-gram, the latest earlier texts a text is compared with
    national_provinces: int = 3  # provinces a family reaches that make it a national programme
    scope: str = "tree"  # "tree": compare documents under one top unit (province); "all": any two


def params_from(data: dict) -> ReuseParams:
    """Settings from a mapping (unknown keys are an error, as in every parameter file)."""
    names = {f.name for f in fields(ReuseParams)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"unknown reuse parameter '{unknown[0]}'")
    if data.get("scope", "tree") not in SCOPES:
        raise ValueError(f"'scope' must be one of {', '.join(SCOPES)}")
    return ReuseParams(**data)


@dataclass(frozen=True)
class Normalised:
    """A text as compared, and where each of its characters came from in the original."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


_CHARS: dict[str, tuple[str, bool, int]] = {}


def _char(c: str) -> tuple[str, bool, int]:
    """A character's NFKC form, whether that is an ASCII digit, and how many characters it
    keeps (0 if dropped; cached: ``normalise`` looks each character up once per run, not
    once per use)."""
    m = unicodedata.normalize("NFKC", c)
    _CHARS[c] = out = (m, m.isascii() and m.isdigit(), 0 if _DROP.match(m) else len(m))
    return out


def normalise(text: str) -> Normalised:
    """The text as the comparison sees it (see the module docstring), with each character's
    span in the original text, so that aligned spans can be given as original offsets."""
    n = len(text)
    skip = [False] * (n + 1)
    for s, e in unit_spans(text):
        skip[s:e] = [True] * len(skip[s:e])
    info = [_CHARS.get(c) or _char(c) for c in text]
    chars, starts, ends = [], [], []
    i = 0
    while i < n:
        if skip[i]:
            i += 1
            continue
        mapped, digit, kept = info[i]
        if digit:  # a number, decimals included, is one placeholder
            j = i + 1
            while j < n and (info[j][1] or (info[j][0] == "." and j + 1 < n and info[j + 1][1])):
                j += 1
            chars.append("#")
            starts.append(i)
            ends.append(j)
            i = j
        else:
            if kept:
                chars.append(mapped)
                starts.append(i)
                ends.append(i + 1)
                if kept > 1:  # NFKC gave several characters ("㎡" → "m2"): one span each
                    starts += [i] * (kept - 1)
                    ends += [i + 1] * (kept - 1)
            i += 1
    norm = "".join(chars)
    norm = _LEVEL.sub("#", norm)  # one character for one: offsets stay aligned
    return Normalised(norm, tuple(starts), tuple(ends))


def shingles(text: str, k: int) -> set[bytes]:
    """The text's character k-grams (the whole text when shorter)."""
    if len(text) <= k:
        return {text.encode("utf-8")} if text else set()
    return {text[i:i + k].encode("utf-8") for i in range(len(text) - k + 1)}


def _unique(codes: np.ndarray) -> np.ndarray:
    """The distinct codes, sorted (by a sort: numpy's hash table is slow and large for tens of
    millions of codes)."""
    codes = np.sort(codes)
    keep = np.empty(len(codes), dtype=bool)
    keep[:1] = True
    np.not_equal(codes[1:], codes[:-1], out=keep[1:])
    return codes[keep]


def _distinct(values: list) -> tuple[list, np.ndarray]:
    """The distinct values in first-seen order, and each value's index among them."""
    index: dict = {}
    ids = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64,
                      count=len(values))
    return list(index), ids


def _equal_codes(values: list) -> np.ndarray:
    """Codes that are equal where the values are (``==``); a value unequal to itself (NaN)
    equals nothing and has a code of its own."""
    index: dict = {}
    return np.fromiter((index.setdefault(v, len(index)) if v == v else -1 - k
                        for k, v in enumerate(values)), dtype=np.int64, count=len(values))


def _ragged(lengths: np.ndarray) -> np.ndarray:
    """0, 1, …, l - 1 for each length l, concatenated."""
    return np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)


def _bucket_pairs(strings: list[str], k: int, params: ReuseParams,
                  bands: tuple[tuple[int, int], ...],
                  focus: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct strings that have shingles (``live``), and codes a * m + b (a < b) of the
    pairs of them that share an LSH bucket in some band (only the pairs with a string where
    the boolean ``focus`` is true, when it is given). Each string is MinHashed once (each
    shingle hashed once); two strings share a bucket when their MinHash values over the band
    are equal, as in ``MinHashLSH`` with the same bands."""
    m = len(strings)
    sets = [shingles(s, k) for s in strings]
    live = np.array([a for a, s in enumerate(sets) if s], dtype=np.int64)
    if len(live) < 2:
        return live, np.zeros(0, dtype=np.int64)
    # each distinct shingle hashed once, with MinHash's default hash function
    hashed = {shingle: sha1_hash32(shingle) for shingle in set().union(*sets)}
    hashes = MinHash.bulk([list(sets[a]) for a in live], num_perm=params.num_perm,
                          seed=params.seed, hashfunc=hashed.__getitem__)
    values = np.vstack([h.hashvalues for h in hashes])
    codes = [np.zeros(0, dtype=np.int64)]
    for start, end in bands:
        band = np.ascontiguousarray(values[:, start:end])
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * (end - start)))).ravel()
        bucket = np.unique(keys, return_inverse=True)[1]
        order = np.argsort(bucket, kind="stable")
        sorted_bucket, members = bucket[order], live[order]
        pos, d = np.arange(len(order) - 1), 1
        while len(pos):  # members d apart in one bucket, for d = 1, 2, …
            pos = pos[sorted_bucket[pos] == sorted_bucket[pos + d]]
            a, b = members[pos], members[pos + d]
            if focus is not None:
                touched = focus[a] | focus[b]
                a, b = a[touched], b[touched]
            codes.append(np.minimum(a, b) * m + np.maximum(a, b))
            d += 1
            pos = pos[pos + d < len(order)]
    return live, _unique(np.concatenate(codes))


def _expand(pairs: np.ndarray, live: np.ndarray, m: int, ids: np.ndarray,
            doc_codes: np.ndarray, chunk: int = 1 << 22) -> np.ndarray:
    """Codes i * n + j (i < j), unsorted and each once, of the items of different documents
    whose strings (``ids``: each item's index among m distinct strings) are one string of
    ``live`` or a pair in ``pairs`` (codes a * m + b, a < b)."""
    n = len(ids)
    order = np.argsort(ids, kind="stable")  # items grouped by string
    ids_sorted, docs_sorted = ids[order], doc_codes[order]
    count = np.bincount(ids, minlength=m)
    first = np.cumsum(count) - count
    out = [np.zeros(0, dtype=np.int64)]
    in_live = np.zeros(m, dtype=bool)
    in_live[live] = True
    # items of one string: positions p and p + d of the grouped order, for d = 1, 2, …
    pos, d = np.flatnonzero(in_live[ids_sorted[:-1]] & (ids_sorted[:-1] == ids_sorted[1:])), 1
    while len(pos):
        q = pos + d
        keep = docs_sorted[pos] != docs_sorted[q]
        i, j = order[pos[keep]], order[q[keep]]
        out.append(np.minimum(i, j) * n + np.maximum(i, j))
        d += 1
        pos = pos[pos + d < n]
        pos = pos[ids_sorted[pos] == ids_sorted[pos + d]]
    # items of two strings: every item of one with every item of the other, in chunks
    a, b = pairs // m, pairs % m
    ends = np.cumsum(count[a] * count[b])
    lo = 0
    while lo < len(a):
        hi = max(lo + 1, int(np.searchsorted(ends, (ends[lo - 1] if lo else 0) + chunk,
                                             side="right")))
        pa, pb = a[lo:hi], b[lo:hi]
        block = np.repeat(np.arange(hi - lo), count[pa])  # one block per item of string a
        length = count[pb][block]
        p = np.repeat(first[pa][block] + _ragged(count[pa]), length)
        q = np.repeat(first[pb][block], length) + _ragged(length)
        keep = docs_sorted[p] != docs_sorted[q]
        i, j = order[p[keep]], order[q[keep]]
        out.append(np.minimum(i, j) * n + np.maximum(i, j))
        lo = hi
    return np.concatenate(out)


@lru_cache
def _bands(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """The (start, end) of each band of MinHash values, as ``MinHashLSH`` chooses them for the
    threshold (cached: datasketch finds them by numerical integration, some 15 ms, and
    ``compare`` runs once per group of documents)."""
    return tuple(MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges)


def _field_candidates(doc_codes: np.ndarray, fields: list[tuple[list[str], np.ndarray, int]],
                      params: ReuseParams, focus: np.ndarray | None = None) -> list[np.ndarray]:
    """For each field (distinct normalised strings, each item's index among them, shingle
    size): codes i * n + j (i < j, unsorted) of the items of different documents that LSH
    puts in one bucket. Items with one normalised string share every bucket. With ``focus``
    (a boolean per item), every pair with a focus item is among them, and pairs between
    other items only where they share a string with a focus item (``compare`` drops them):
    a pair with a focus item has that item's string, so only pairs of strings that include
    a focus item's string need be formed."""
    bands = _bands(params.lsh_threshold, params.num_perm)
    out = []
    for strings, ids, k in fields:
        hit = None
        if focus is not None:
            hit = np.zeros(len(strings), dtype=bool)
            hit[ids[focus]] = True
        live, pairs = _bucket_pairs(strings, k, params, bands, hit)
        if hit is not None:
            live = live[hit[live]]
        out.append(_expand(pairs, live, len(strings), ids, doc_codes))
    return out


@dataclass(frozen=True)
class Alignment:
    """Shared runs of two normalised texts, as original offsets into each."""

    shared_chars: int  # normalised characters in runs of at least min_block
    containment: float  # shared_chars / the shorter normalised text
    spans_a: str  # "start-end;…" into item a's text
    spans_b: str


def _blocks(a: str, b: str, min_block: int) -> list[Sequence[int]]:
    """(start in a, start in b, length) of the equal runs of at least ``min_block`` characters
    in the longest-common-subsequence alignment of a and b: the ``equal`` opcodes of
    rapidfuzz's ``Indel.opcodes``, read as the matching blocks of ``LCSseq.editops`` (the same
    runs, as the tests check, without building the opcodes, which is faster). Two equal texts
    are one run, found without aligning them."""
    floor = max(min_block, 1)  # the matching blocks end with an empty one
    if a == b:
        return [(0, 0, len(a))] if len(a) >= floor else []
    return [run for run in LCSseq.editops(a, b).as_matching_blocks() if run[2] >= floor]


def align(a: Normalised, b: Normalised, min_block: int) -> Alignment:
    """The longest-common-subsequence alignment of two normalised texts (rapidfuzz), keeping
    equal runs of at least ``min_block`` characters (``_blocks``)."""
    blocks = _blocks(a.text, b.text, min_block)
    shared = sum(n for _, _, n in blocks)
    shorter = min(len(a.text), len(b.text))
    return Alignment(
        shared_chars=shared,
        containment=shared / shorter if shorter else 0.0,
        spans_a=";".join(f"{a.starts[s]}-{a.ends[s + n - 1]}" for s, _, n in blocks),
        spans_b=";".join(f"{b.starts[s]}-{b.ends[s + n - 1]}" for _, s, n in blocks),
    )


def _recoded(texts: list[str]) -> list[str]:
    """The texts with their characters renumbered, the commonest first. An alignment depends
    only on which characters are equal, and rapidfuzz looks the first 256 characters up in a
    table rather than a hash map: Chinese texts align in about a quarter less time."""
    commonest = Counter(chain.from_iterable(texts)).most_common()
    table = {ord(c): k for k, (c, _) in enumerate(commonest)}
    return [t.translate(table) for t in texts]


def _align_all(texts: list[str], left: np.ndarray, right: np.ndarray,
               min_block: int) -> tuple[np.ndarray, np.ndarray]:
    """``_blocks`` of each pair of texts (texts[left[k]], texts[right[k]]): all the runs as
    rows (start in the left text, start in the right, length), pair after pair, and how many
    runs each pair has. A pair with no ``min_block`` characters in a row in common has no run
    and is not aligned (about half the candidates, in the seeds and the synthetic corpus); the
    others are aligned ``_recoded``."""
    k = max(min_block, 1)
    used = np.unique(np.concatenate([left, right])).tolist()  # a focus uses a few texts
    grams = dict.fromkeys(used)
    for u in used:
        grams[u] = {texts[u][s:s + k] for s in range(len(texts[u]) - k + 1)}
    coded = dict(zip(used, _recoded([texts[u] for u in used]), strict=True))
    found = [[] if grams[u].isdisjoint(grams[v]) else _blocks(coded[u], coded[v], min_block)
             for u, v in zip(left.tolist(), right.tolist(), strict=True)]
    count = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    runs = np.fromiter(chain.from_iterable(chain.from_iterable(found)), dtype=np.int64,
                       count=3 * int(count.sum()))
    return runs.reshape(-1, 3), count


@dataclass(frozen=True)
class Weights:
    """Each character n-gram's weight by its rarity across the documents compared: the
    n-grams' codes (``grams.gram_matrix``, sorted) and their inverse document frequencies
    (``grams.inverse_frequency``); an n-gram no document holds weighs as the rarest."""

    codes: np.ndarray
    weights: np.ndarray
    n_docs: int

    def of(self, codes: np.ndarray) -> np.ndarray:
        """The weights of n-grams given by their codes."""
        at = np.minimum(np.searchsorted(self.codes, codes), max(len(self.codes) - 1, 0))
        found = self.codes[at] == codes if len(self.codes) else np.zeros(len(codes), bool)
        rarest = np.log(1 + self.n_docs) + 1.0
        return np.where(found, self.weights[at] if len(self.codes) else rarest, rarest)

    def digest(self) -> str:
        """What the weights are, as a key for the cache."""
        h = hashlib.sha256(np.int64(self.n_docs).tobytes())
        h.update(self.codes.tobytes())
        h.update(np.round(self.weights, 12).tobytes())
        return h.hexdigest()


def gram_weights(items: pd.DataFrame, params: ReuseParams) -> Weights:
    """The weights of the n-grams of texts' normalised forms (``doc_id`` and ``text``: the
    substantive items, or every text ``texts.comparable`` gives), by how many of their
    documents hold each: a phrase every document writes ("进一步完善", "机制") weighs little,
    a programme's name found in few documents weighs much."""
    if "procedural" in items:
        items = items[~items["procedural"].astype(bool)]
    texts, text_ids = _distinct([normalise(t).text for t in items["text"].tolist()])
    matrix, keys = grams.gram_matrix(texts, params.shingle)
    doc_codes = pd.factorize(items["doc_id"])[0].astype(np.int64)
    pairs = np.unique(doc_codes * max(len(texts), 1) + text_ids)  # each text once per document
    per_doc = matrix[pairs % max(len(texts), 1)]
    n_docs = int(doc_codes.max()) + 1 if len(doc_codes) else 0
    weights = grams.inverse_frequency(per_doc, pairs // max(len(texts), 1))
    return Weights(keys, weights, n_docs)


def title_similarity(a: str, b: str) -> float:
    """How far the shorter normalised title is found in the longer (rapidfuzz
    ``partial_ratio``, 0–100): "贫困残疾人康复" in "推进贫困残疾人康复" is 100."""
    if not a or not b:
        return 0.0
    return float(fuzz.partial_ratio(a, b))


def decide(title_sim: float, containment: float, weighted: float, shared_weight: float,
           same_domain: bool, params: ReuseParams) -> str:
    """The rule, in order. ``same``: rare text shared (``min_shared_weight``) that is a good
    share of the lighter text's weight (``same_weighted``), or a smaller share
    (``same_with_title``) under a similar title (``same_title``): a title supports, never
    decides. ``related``: one domain and a somewhat similar title (``related_title``) or a
    little shared text (``related_containment``). Else ``different``."""
    if shared_weight >= params.min_shared_weight and (
            weighted >= params.same_weighted
            or (title_sim >= params.same_title and weighted >= params.same_with_title)):
        return SAME
    if same_domain and (title_sim >= params.related_title
                        or containment >= params.related_containment):
        return RELATED
    return DIFFERENT


PAIR_COLUMNS = ["doc_a", "item_a", "doc_b", "item_b", "label", "score", "title_similarity",
                "containment", "weighted_containment", "shared_weight", "shared_chars",
                "spans_a", "spans_b"]


@dataclass(frozen=True)
class _Prepared:
    """The substantive items in ``item_id`` order, each distinct text and title normalised
    once: each item's index among the distinct original texts and normalised strings."""

    keys: np.ndarray  # item_id (object)
    docs: np.ndarray  # doc_id (object)
    doc_codes: np.ndarray
    domain_codes: np.ndarray
    original_ids: np.ndarray
    # each normalised character's span in its original text (``Normalised``), the distinct
    # original texts one after another, and where each text's characters begin
    starts: np.ndarray
    ends: np.ndarray
    first: np.ndarray
    texts: list[str]  # the distinct normalised texts
    text_ids: np.ndarray
    titles: list[str]  # the distinct normalised titles
    title_ids: np.ndarray

    def fields(self, params: ReuseParams) -> list[tuple[list[str], np.ndarray, int]]:
        return [(self.texts, self.text_ids, params.shingle),
                (self.titles, self.title_ids, params.title_shingle)]


def _prepare(items: pd.DataFrame) -> _Prepared:
    """``compare``'s first stage: the items it compares, normalised."""
    items = items[~items["procedural"]].sort_values("item_id").reset_index(drop=True)
    originals, original_ids = _distinct(items["text"].tolist())
    originals = [normalise(t) for t in originals]
    sizes = np.array([len(o.starts) for o in originals], dtype=np.int64)
    starts = np.fromiter(chain.from_iterable(o.starts for o in originals), dtype=np.int64,
                         count=int(sizes.sum()))
    ends = np.fromiter(chain.from_iterable(o.ends for o in originals), dtype=np.int64,
                       count=int(sizes.sum()))
    texts, text_ids = _distinct([originals[k].text for k in original_ids.tolist()])
    raw_titles, raw_title_ids = _distinct(items["title"].tolist())
    normalised_titles = [normalise(t).text for t in raw_titles]
    titles, title_ids = _distinct([normalised_titles[k] for k in raw_title_ids.tolist()])
    return _Prepared(keys=np.array(items["item_id"].tolist(), dtype=object),
                     docs=np.array(items["doc_id"].tolist(), dtype=object),
                     doc_codes=_equal_codes(items["doc_id"].tolist()),
                     domain_codes=_equal_codes(items["domain"].tolist()),
                     original_ids=original_ids, starts=starts, ends=ends,
                     first=np.cumsum(sizes) - sizes, texts=texts,
                     text_ids=text_ids, titles=titles, title_ids=title_ids)


def _candidates(prepared: _Prepared, params: ReuseParams,
                focus: np.ndarray | None = None) -> np.ndarray:
    """``compare``'s second stage: the candidate pairs as sorted codes i * n + j (i < j); with
    ``focus`` (a boolean per item), only those with a focus item."""
    codes = _unique(np.concatenate(_field_candidates(prepared.doc_codes, prepared.fields(params),
                                                     params, focus)))
    if focus is None:
        return codes
    n = len(prepared.keys)
    return codes[focus[codes // n] | focus[codes % n]]


def _codes(left: np.ndarray, right: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ordered pairs (left, right), as codes left * m + right, and each row's."""
    return np.unique(left * m + right, return_inverse=True)


def _spans(prepared: _Prepared, items: np.ndarray, text_pair: np.ndarray, runs: np.ndarray,
           count: np.ndarray, side: int) -> np.ndarray:
    """The spans ("start-end;…", offsets into the item's original text) of each row's item
    (``items``) given the row's pair of normalised texts (``text_pair``, indexing ``count``,
    the number of runs of each pair, whose runs follow one another in ``runs``; ``side``: the
    column of ``runs`` that starts a run in this item's text). Each distinct (original text,
    pair) is formatted once."""
    p, n_pairs = prepared, len(count)
    combos, combo = _codes(p.original_ids[items], text_pair, n_pairs)
    original, pair = combos // n_pairs, combos % n_pairs
    per_combo = count[pair]
    rows = np.repeat((np.cumsum(count) - count)[pair], per_combo) + _ragged(per_combo)
    at = p.first[np.repeat(original, per_combo)] + runs[rows, side]
    spans = [f"{s}-{e}" for s, e in zip(p.starts[at].tolist(),
                                        p.ends[at + runs[rows, 2] - 1].tolist(), strict=True)]
    strings = np.full(len(combos), "", dtype=object)
    last = np.cumsum(per_combo)
    some = np.flatnonzero(per_combo)
    strings[some] = [";".join(spans[lo:hi]) for lo, hi in
                     zip((last - per_combo)[some].tolist(), last[some].tolist(), strict=True)]
    return strings[combo]


def _labelled(prepared: _Prepared, codes: np.ndarray, params: ReuseParams, weights: Weights,
              timings: dict[str, float] | None = None) -> pd.DataFrame:
    """``compare``'s third stage: the figures, label and spans of the candidate pairs (codes
    i * n + j). Each distinct ordered pair of normalised texts is aligned at most once
    (``_align_all``), each of titles compared once, each distinct (original text, alignment)
    given its spans once and the rule applied once per distinct set of figures. ``timings``
    (optional) gets the seconds of each step."""
    if not len(codes):
        return pd.DataFrame([], columns=PAIR_COLUMNS)
    clock = time.perf_counter()
    p = prepared
    i, j = codes // len(p.keys), codes % len(p.keys)
    m = len(p.texts)
    text_pairs, text_pair = _codes(p.text_ids[i], p.text_ids[j], m)
    n_pairs = len(text_pairs)
    runs, count = _align_all(p.texts, text_pairs // m, text_pairs % m, params.min_block)
    shared = np.bincount(np.repeat(np.arange(n_pairs), count), weights=runs[:, 2],
                         minlength=n_pairs).astype(np.int64)
    lengths = np.array([len(t) for t in p.texts], dtype=np.int64)
    shorter = np.minimum(lengths[text_pairs // m], lengths[text_pairs % m])
    contained = np.divide(shared, shorter, out=np.zeros(n_pairs), where=shorter > 0)
    steps = {"align": time.perf_counter() - clock}
    clock = time.perf_counter()
    matrix, keys = grams.gram_matrix(p.texts, params.shingle)
    gram_weight = weights.of(keys)
    totals = grams.total_weight(matrix, gram_weight)
    common = grams.shared_weight(matrix, gram_weight, text_pairs // m, text_pairs % m)
    lighter = np.minimum(totals[text_pairs // m], totals[text_pairs % m])
    weighted = np.minimum(np.divide(common, lighter, out=np.zeros(n_pairs), where=lighter > 0),
                          1.0)
    steps["weights"] = time.perf_counter() - clock
    clock = time.perf_counter()
    spans = {column: _spans(p, rows, text_pair, runs, count, side)
             for column, rows, side in (("spans_a", i, 0), ("spans_b", j, 1))}
    steps["spans"] = time.perf_counter() - clock
    clock = time.perf_counter()
    m = len(p.titles)
    title_pairs, title_pair = _codes(p.title_ids[i], p.title_ids[j], m)
    sims = np.array([title_similarity(p.titles[u], p.titles[v]) for u, v in
                     zip((title_pairs // m).tolist(), (title_pairs % m).tolist(), strict=True)],
                    dtype=np.float64)
    steps["titles"] = time.perf_counter() - clock
    clock = time.perf_counter()
    same_domain = p.domain_codes[i] == p.domain_codes[j]
    rules, rule = np.unique((title_pair * n_pairs + text_pair) * 2 + same_domain,
                            return_inverse=True)
    text_of = rules // 2 % n_pairs
    labels = np.array([decide(t, c, w, s, d, params) for t, c, w, s, d in zip(
        sims[rules // 2 // n_pairs].tolist(), contained[text_of].tolist(),
        weighted[text_of].tolist(), common[text_of].tolist(), (rules % 2 == 1).tolist(),
        strict=True)], dtype=object)
    frame = pd.DataFrame({"doc_a": p.docs[i], "item_a": p.keys[i], "doc_b": p.docs[j],
                          "item_b": p.keys[j], "label": labels[rule],
                          "score": weighted[text_pair], "title_similarity": sims[title_pair],
                          "containment": contained[text_pair],
                          "weighted_containment": weighted[text_pair],
                          "shared_weight": common[text_pair], "shared_chars": shared[text_pair],
                          **spans}, columns=PAIR_COLUMNS)
    steps["decide"] = time.perf_counter() - clock
    if timings is not None:
        timings.update(steps, text_pairs=n_pairs, title_pairs=len(title_pairs))
    return frame


def compare(items: pd.DataFrame, params: ReuseParams, focus: Sequence[str] | None = None,
            weights: Weights | None = None) -> pd.DataFrame:
    """Every candidate pair of substantive items from different documents with its figures
    and label (``different`` included), items in ``item_id`` order within a pair, pairs in
    item order; only the pairs with an item of a ``focus`` document, when it is given. The
    n-grams weigh by their rarity across ``weights``' documents (those of ``items`` when
    None). The work is done once per distinct string or pair of strings (normalised texts
    and titles repeat across documents); with the weights fixed, the result is that of each
    pair on its own, so the pairs of a focus are the rows of the whole comparison that
    involve it."""
    weights = gram_weights(items, params) if weights is None else weights
    prepared = _prepare(items)
    inside = None if focus is None else pd.Index(list(focus)).get_indexer(prepared.docs) >= 0
    return _labelled(prepared, _candidates(prepared, params, inside), params, weights)


def trees(documents: pd.DataFrame, divisions: pd.DataFrame | None = None) -> dict[str, str]:
    """Each document's top unit: the last of its chain of units (``units``: the manifest's
    ``parent_unit_en``, through a level with no document by the table of divisions)."""
    found = units.units(documents, divisions)
    return {doc_id: ([unit, *found.chain(unit)])[-1]
            for doc_id, unit in zip(documents["doc_id"], documents["unit_en"], strict=True)}


def scopes(documents: pd.DataFrame, params: ReuseParams) -> list[list[str]]:
    """The groups of documents compared with each other (``doc_id`` lists, sorted): with
    ``scope: tree`` the documents under each top unit (vertical reuse, province → city →
    county, and between the cities and counties of one province), so the work grows with
    the provinces' sizes, not with the square of the corpus; with ``scope: all``, one group."""
    return [ids for _, ids in named_scopes(documents, params)]


def named_scopes(documents: pd.DataFrame, params: ReuseParams) -> list[tuple[str, list[str]]]:
    """``scopes`` with each group's name: its top unit (``unit_en``), or "" for ``scope:
    all``."""
    if params.scope == "all":
        return [("", sorted(documents["doc_id"]))]
    groups: dict[str, list[str]] = {}
    for doc_id, top in trees(documents).items():
        groups.setdefault(top, []).append(doc_id)
    return [(top, sorted(groups[top])) for top in sorted(groups)]


def combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The comparisons of several groups as one table, pairs in item order."""
    frames = [f for f in frames if len(f)]  # an empty frame's object columns would spread
    if not frames:
        return pd.DataFrame([], columns=PAIR_COLUMNS)
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values(["item_a", "item_b"], kind="stable").reset_index(drop=True)


def compare_documents(items: pd.DataFrame, documents: pd.DataFrame, params: ReuseParams,
                      weights: Weights | None = None) -> pd.DataFrame:
    """``compare`` within each group of documents the settings' scope names (``scopes``), the
    n-grams weighted by ``weights`` (across all the lists' items when None; the build weighs
    them across every text it compares, ``texts.comparable``)."""
    items, documents = lists(items, documents)
    weights = gram_weights(items, params) if weights is None else weights
    return combine([compare(items[items["doc_id"].isin(ids)], params, weights=weights)
                    for ids in scopes(documents, params)])


def lists(items: pd.DataFrame, documents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The items and documents reuse compares: the livelihood lists' (the lists a work report
    holds are not compared yet; documents without a genre are all taken)."""
    if "genre" not in documents:
        return items, documents
    kept = documents[~documents["genre"].isin(REPORT_GENRES)]
    return items[items["doc_id"].isin(kept["doc_id"])], kept


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


def read_reuse_params(path: Path = config.REUSE_PARAMS):
    """The reuse rule's settings (``params/reuse/*.yaml``), checked: unknown names and values
    that are not numbers are errors naming the field."""
    data = read_params(path)
    for key, value in data.items():
        default = getattr(ReuseParams, key, None)
        if isinstance(default, int | float) and (isinstance(value, bool)
                                                 or not isinstance(value, int | float)):
            raise InputError(label(path), f"not a number: {value!r}", field=key)
    try:
        return params_from(data)
    except ValueError as err:
        raise InputError(label(path), str(err), field=str(err).split("'")[1]) from None
