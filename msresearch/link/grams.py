"""Texts as sets of character n-grams, weighted by how rare each n-gram is across groups of
texts, and the shared weight of two texts: the measure reuse decisions rest on.

A shared n-gram counts by its rarity: an n-gram in most of the groups (documents) is
boilerplate ("进一步完善", "机制") and weighs little, one in few of them
carries a programme's name and weighs much. Weights are inverse group frequencies (Sparck
Jones 1972; Salton & Buckley 1988), log((1 + G) / (1 + g)) + 1 for an n-gram in g of G
groups, the smoothed form scikit-learn uses."""

from __future__ import annotations

import numpy as np
from scipy import sparse

_BITS = 21  # a Unicode code point fits in 21 bits: three of them in one int64, exactly


def gram_matrix(texts: list[str], k: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Texts × distinct n-grams (k characters; a text shorter than k is one n-gram of its own),
    1 where the text holds the n-gram: rows in the order of ``texts``, columns in order of the
    n-grams' codes; and the codes (sorted). Up to three characters an n-gram's code is exact;
    longer ones are hashed to 64 bits."""
    n = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    chars = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    first = np.cumsum(lengths) - lengths
    # n-grams start at every position with k characters of its own text after it
    spans = np.maximum(lengths - k + 1, 0)
    rows = np.repeat(np.arange(n), spans)
    starts = np.repeat(first, spans) + (np.arange(int(spans.sum())) - np.repeat(np.cumsum(spans)
                                                                              - spans, spans))
    codes = np.zeros(len(starts), dtype=np.int64)
    for offset in range(k):
        if k <= 3:
            codes = (codes << _BITS) | chars[starts + offset]
        else:
            codes = codes * np.int64(1_000_003) + chars[starts + offset]  # wraps: a hash
    short = np.flatnonzero((lengths < k) & (lengths > 0))
    if len(short):  # the whole short text as one n-gram, apart from every k-gram
        short_codes = np.array([hash_short(texts[s]) for s in short.tolist()], dtype=np.int64)
        rows = np.concatenate([rows, short])
        codes = np.concatenate([codes, short_codes])
    keys, columns = np.unique(codes, return_inverse=True)
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, columns)),
                               shape=(n, len(keys)))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix, keys


def hash_short(text: str) -> int:
    """A negative code for a text shorter than k (k-grams' codes are not negative)."""
    code = 0
    for c in text:
        code = (code * 1_000_003 + ord(c)) % (1 << 62)
    return -1 - code


def held_by(matrix: sparse.csr_matrix, groups: np.ndarray) -> np.ndarray:
    """How many groups (``groups``: each text's group code) have a text holding each n-gram."""
    coo = matrix.tocoo()
    pairs = np.unique(groups[coo.row].astype(np.int64) * matrix.shape[1] + coo.col)
    return np.bincount(pairs % matrix.shape[1], minlength=matrix.shape[1])


def inverse_frequency(matrix: sparse.csr_matrix, groups: np.ndarray) -> np.ndarray:
    """Each n-gram's weight, log((1 + G) / (1 + g)) + 1, g the number of the G groups
    (``groups``: each text's group code, 0 … G − 1) with a text that holds it."""
    n_groups = int(groups.max()) + 1 if len(groups) else 0
    return np.log((1 + n_groups) / (1 + held_by(matrix, groups))) + 1.0


def shared_weight(matrix: sparse.csr_matrix, weights: np.ndarray, left: np.ndarray,
                  right: np.ndarray, chunk: int = 200_000) -> np.ndarray:
    """The weight of the n-grams each pair of texts (left[p], right[p]) both hold."""
    weighted = sparse.csr_matrix(matrix.multiply(weights[None, :]))
    out = np.empty(len(left), dtype=np.float64)
    for lo in range(0, len(left), chunk):
        a, b = left[lo:lo + chunk], right[lo:lo + chunk]
        out[lo:lo + chunk] = np.asarray(weighted[a].multiply(matrix[b]).sum(axis=1)).ravel()
    return out


def total_weight(matrix: sparse.csr_matrix, weights: np.ndarray) -> np.ndarray:
    """Each text's weight: the sum of its n-grams' weights."""
    return np.asarray(matrix @ weights).ravel()
