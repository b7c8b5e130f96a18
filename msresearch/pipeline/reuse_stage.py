"""The build's reuse stage: ``reuse.csv`` and ``reuse_documents.csv``, one group of documents
at a time (``reuse.scopes``), each group's result cached, and a group in which some documents
changed brought up to date by comparing only the pairs that involve them.

``reuse.compare`` is pairwise: whether two items are a candidate, how they align and their
label depend on those two items only. So a group's rows are the rows between its unchanged
documents, kept from the group's last result, and the rows that involve a changed or new
document, computed now; the result is the same bytes as comparing the whole group again (a
test says so). A group's rows are kept as the CSV lines ``reuse.csv`` will hold, with each
line's two documents and byte offset, so that they are filtered, merged and joined into the
table without being parsed: every field of ``reuse.csv`` is a simple identifier, a label, a
number, a level, a date or spans, so one row is one line and ``doc_a`` is never quoted.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from msresearch.io import atomic, inputs, publish, tables
from msresearch.link import reuse
from msresearch.link.reuse import read_reuse_params
from msresearch.pipeline import cache, parallel, schemas

LINK_COLUMNS = ["doc_a", "item_a", "doc_b", "item_b", "label"]

@dataclass(frozen=True)
class Lines:
    """Rows of ``reuse.csv`` as CSV lines (no header): row k is ``data[offsets[k]:offsets[k
    + 1]]``, between documents ``docs[a[k]]`` and ``docs[b[k]]``; rows in the table's order
    (doc_a, doc_b, item_a, item_b)."""

    data: bytes
    offsets: np.ndarray
    a: np.ndarray
    b: np.ndarray


@dataclass(frozen=True)
class Group:
    """A group's cached result (its lines are stored beside it, ``.csv``, as they are, to be
    read in parts, with their digest ``lines_sha256`` here, and its ``same`` and ``related``
    pairs, ``.links``): the group's documents, the key each document's rows were computed
    from, where each row lies and between which documents, and the group's rows of
    ``reuse_documents.csv`` as checked CSV lines, those of ``docs[k]`` at
    ``per_document[per_document_offsets[k]:per_document_offsets[k + 1]]``."""

    docs: tuple[str, ...]
    keys: tuple[str, ...]
    lines_sha256: str
    offsets: np.ndarray
    a: np.ndarray
    b: np.ndarray
    per_document: bytes
    per_document_offsets: np.ndarray


def group_rows(items: pd.DataFrame, documents: pd.DataFrame, params: reuse.ReuseParams,
               focus: list[str] | None = None) -> tuple[bytes, pd.DataFrame]:
    """The ``reuse.csv`` rows of one group (its items and documents), checked against the
    schema, as CSV lines without the header, and their ``LINK_COLUMNS``; only the pairs that
    involve a document of ``focus`` when it is given. Pure: run like the document stage."""
    compared = reuse.compare(items, params, focus=focus)
    pairs = reuse.pairs_table(compared[compared["label"].isin([reuse.SAME, reuse.RELATED])],
                              documents)
    lines = tables.table_bytes(schemas.check("reuse.csv", pairs)).split(b"\n", 1)[1]
    return lines, pairs[LINK_COLUMNS].reset_index(drop=True)


def _task(items: pd.DataFrame, documents: pd.DataFrame, params: reuse.ReuseParams,
          focus: list[str] | None, index: int) -> tuple[bytes, pd.DataFrame]:
    return group_rows(items, documents, params, focus)


def _lines(data: bytes, links: pd.DataFrame, docs: tuple[str, ...]) -> Lines:
    """``group_rows``' lines with their offsets and documents (codes into ``docs``)."""
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n")) + 1
    if len(ends) != len(links):
        raise ValueError("reuse.csv rows are not one line each")
    index = pd.Index(docs)
    return Lines(data, np.concatenate([[0], ends]).astype(np.int64),
                 index.get_indexer(links["doc_a"]).astype(np.int32),
                 index.get_indexer(links["doc_b"]).astype(np.int32))


def _blocks(lines: Lines, keep: np.ndarray | None, n_docs: int
            ) -> list[tuple[int, int, int, bytes]]:
    """The kept rows (all when ``keep`` is None) as blocks of consecutive rows of one pair of
    documents: (pair code a * n_docs + b, first row, end row, the data they are in)."""
    rows = np.arange(len(lines.a)) if keep is None else np.flatnonzero(keep)
    if not len(rows):
        return []
    code = lines.a[rows].astype(np.int64) * n_docs + lines.b[rows]
    cut = np.flatnonzero((np.diff(code) != 0) | (np.diff(rows) != 1)) + 1
    starts, ends = np.concatenate([[0], cut]), np.concatenate([cut, [len(rows)]])
    return [(int(code[s]), int(rows[s]), int(rows[e - 1]) + 1, lines.data)
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]


def _merge(parts: list[tuple[Lines, list[tuple[int, int, int, bytes]]]], n_docs: int) -> Lines:
    """The blocks of several line sets in table order. Blocks of one pair of documents come
    from one line set only (the kept rows are between unchanged documents, the new rows
    involve a changed one), so ordering the blocks by their pair orders the rows."""
    blocks = sorted(((code, lines, lo, hi) for lines, bl in parts for code, lo, hi, _ in bl),
                    key=lambda block: block[0])
    data = b"".join(lines.data[lines.offsets[lo]:lines.offsets[hi]]
                    for _, lines, lo, hi in blocks)
    counts = np.array([hi - lo for _, _, lo, hi in blocks], dtype=np.int64)
    codes = np.repeat(np.array([c for c, *_ in blocks], dtype=np.int64), counts)
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n")) + 1
    return Lines(data, np.concatenate([[0], ends]).astype(np.int64),
                 (codes // n_docs).astype(np.int32), (codes % n_docs).astype(np.int32))


def _update(previous: tuple[Group, Lines, pd.DataFrame] | None, docs: tuple[str, ...],
            changed: list[str] | None, data: bytes,
            links: pd.DataFrame) -> tuple[Lines, pd.DataFrame]:
    """A group's lines and links: the new rows (``data``, ``links``, which involve a document
    of ``changed``, or are all the rows when ``changed`` is None) with the previous result's
    rows between documents that did not change. What is kept is chosen by each row's own
    documents, never by its position: the previous lines are in table order, the previous
    links in the order they were gathered, and the two need not agree. The links come back
    in table order (doc_a, doc_b, item_a, item_b), however many updates made them."""
    new = _lines(data, links, docs)
    if changed is None or previous is None:
        return new, links
    group, old, old_links = previous
    same = set(docs) - set(changed)
    unchanged = np.array([d in same for d in group.docs], dtype=bool)
    keep = unchanged[old.a] & unchanged[old.b]
    index = pd.Index(docs)
    remap = index.get_indexer(list(group.docs)).astype(np.int32)
    old = Lines(old.data, old.offsets, remap[old.a], remap[old.b])
    merged = _merge([(old, _blocks(old, keep, len(docs))), (new, _blocks(new, None, len(docs)))],
                    len(docs))
    kept = old_links[old_links["doc_a"].isin(same) & old_links["doc_b"].isin(same)]
    joined = pd.concat([kept, links], ignore_index=True) if len(links) else kept
    return merged, joined.sort_values(["doc_a", "doc_b", "item_a", "item_b"],
                                      kind="stable").reset_index(drop=True)


def _changed(previous: Group | None, docs: tuple[str, ...], keys: tuple[str, ...]
             ) -> list[str] | None:
    """The documents of a group whose rows must be computed: those whose key differs from
    the previous result's, or None (all) when there is no previous result to start from or
    fewer than two documents are unchanged."""
    if previous is None:
        return None
    before = dict(zip(previous.docs, previous.keys, strict=True))
    changed = [d for d, k in zip(docs, keys, strict=True) if before.get(d) != k]
    return changed if len(docs) - len(changed) >= 2 else None


def _paths(cache_dir: Path, key: str) -> tuple[Path, Path, Path]:
    path = cache.path(cache_dir, "reuse", key)
    return path, path.with_suffix(".csv"), path.with_suffix(".links")


def _load(cache_dir: Path, key: str, whole: bool) -> tuple[Group, Lines | None,
                                                            pd.DataFrame | None] | None:
    """A cached group (with its lines and links when ``whole``), or None when any part is
    missing or damaged: every part is checked against its digest (``cache``)."""
    main, lines_path, links_path = _paths(cache_dir, key)
    group = cache.read_pickled(main)
    if not isinstance(group, Group):
        return None
    if not whole:
        return (group, None, None) if cache.file_intact(lines_path, group.lines_sha256) else None
    links = cache.read_pickled(links_path)
    try:
        data = lines_path.read_bytes()
    except OSError:
        data = None
    if data is None or cache.sha256(data) != group.lines_sha256:
        cache.file_intact(lines_path, group.lines_sha256)  # says how it is damaged
        return None
    if not isinstance(links, pd.DataFrame):
        return None
    return group, Lines(data, group.offsets, group.a, group.b), links


def _store(cache_dir: Path, key: str, latest: Path, group: Group, lines: Lines,
           links: pd.DataFrame) -> None:
    main, lines_path, links_path = _paths(cache_dir, key)
    atomic.write_bytes(lines_path, lines.data)
    cache.write_pickled(links_path, links)
    cache.write_pickled(main, group)
    cache.write_pickled(latest, key)


def reuse_tables(put: publish.Put, items: pd.DataFrame, documents: pd.DataFrame, reuse_path: Path,
                 keys: dict[str, str], cache_dir: Path, jobs: int = 1,
                 dask: str | None = None) -> None:
    """``reuse.csv`` and ``reuse_documents.csv``, handed to ``put``. Each group's result is
    cached by its documents' keys and the settings; a group not cached starts from its last
    result (found by the group's name) and compares only the pairs that involve its changed
    documents; the groups to compute run like the documents (``jobs``, ``dask``). The
    groups' lines are joined document by document from the cached files (memory-mapped),
    so the largest table of a big corpus is never in memory at once. The same bytes as
    ``reuse.pairs_table`` and ``reuse.documents_table`` over the whole corpus (a test says
    so)."""
    params_bytes = inputs.read_bytes(reuse_path)
    params = read_reuse_params(reuse_path)
    settings = (cache.code_version(), cache.sha256(params_bytes))
    groups = [(name, tuple(ids), tuple(keys[d] for d in ids))
              for name, ids in reuse.named_scopes(documents, params)]
    group_keys = [cache.key("reuse", *settings, list(k)) for _, _, k in groups]
    latest = [cache.path(cache_dir, "reuse-latest", cache.key("reuse-latest", *settings, name))
              for name, _, _ in groups]
    results: dict[int, Group] = {}
    todo = []
    for g, ((_, docs, doc_keys), key) in enumerate(zip(groups, group_keys, strict=True)):
        found = _load(cache_dir, key, whole=False)
        if found is not None:
            results[g] = found[0]
            continue
        last = cache.read_pickled(latest[g])
        previous = _load(cache_dir, last, whole=True) if isinstance(last, str) else None
        changed = _changed(previous[0] if previous else None, docs, doc_keys)
        todo.append((g, previous if changed is not None else None, changed))
    by_index = {g: (previous, changed) for g, previous, changed in todo}
    work = ((items[items["doc_id"].isin(groups[g][1])],
               documents[documents["doc_id"].isin(groups[g][1])], params, changed, g)
              for g, _, changed in todo)
    for (*_, g), (data, links) in parallel.imap(_task, work, jobs=jobs, dask=dask):
        previous, changed = by_index.pop(g)
        _, docs, doc_keys = groups[g]
        lines, all_links = _update(previous, docs, changed, data, links)
        per_document = reuse.documents_table(all_links, items[items["doc_id"].isin(docs)],
                                             documents[documents["doc_id"].isin(docs)],
                                             groups=[docs])
        results[g] = Group(docs, doc_keys, cache.sha256(lines.data), lines.offsets, lines.a, lines.b,
                           *_document_lines(per_document, docs))
        _store(cache_dir, group_keys[g], latest[g], results[g], lines, all_links)
        del previous, lines, all_links
    header = tables.csv_header(schemas.kinds("reuse.csv"))
    put("reuse.csv", itertools.chain([header], _joined(
        [(results[g], _paths(cache_dir, key)[1]) for g, key in enumerate(group_keys)])))
    runs = sorted((doc, group.per_document[group.per_document_offsets[k]:
                                           group.per_document_offsets[k + 1]])
                  for group in results.values() for k, doc in enumerate(group.docs))
    put("reuse_documents.csv", b"".join([tables.csv_header(reuse.DOCUMENT_COLUMNS)]
                                        + [lines for _, lines in runs]))


def _document_lines(per_document: pd.DataFrame, docs: tuple[str, ...]
                    ) -> tuple[bytes, np.ndarray]:
    """A group's rows of ``reuse_documents.csv`` (by ``doc_id``, then ``other``), checked, as
    the CSV lines the whole table holds, and where each document's lines begin and end
    (``docs`` sorted): groups share no document, so the table is every group's lines
    ordered by ``doc_id``, as ``reuse.documents_table`` over the whole corpus gives it (a test
    says so)."""
    checked = schemas.check("reuse_documents.csv", per_document)
    data = tables.table_bytes(checked).split(b"\n", 1)[1]
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n")) + 1
    if len(ends) != len(checked):
        raise ValueError("reuse_documents.csv rows are not one line each")
    starts = np.concatenate([[0], ends]).astype(np.int64)
    rows = np.searchsorted(checked["doc_id"].to_numpy(dtype=object), np.array(docs, dtype=object),
                           side="left") if len(checked) else np.zeros(len(docs), dtype=np.int64)
    return data, np.append(starts[rows], len(data)).astype(np.int64)


def _joined(groups: list[tuple[Group, Path]]) -> Iterator[bytes]:
    """The lines of every group in table order: groups share no document, so the lines of
    each ``doc_a`` are one run of one group's file, and the runs ordered by ``doc_a`` are
    the table's rows in order."""
    runs = []
    for group, path in groups:
        if not len(group.a):
            continue
        first = np.flatnonzero(np.diff(group.a, prepend=-1) != 0)
        ends = np.append(first[1:], len(group.a))
        runs += [(group.docs[group.a[s]], path, int(group.offsets[s]), int(group.offsets[e]))
                 for s, e in zip(first.tolist(), ends.tolist(), strict=True)]
    runs.sort(key=lambda run: run[0])
    return atomic.byte_ranges([run[1:] for run in runs])
