"""Benchmark of the reuse alignment (``msresearch.link.reuse.compare``) on synthetic corpora
(``benchmarks/synthetic_reuse.py``), printed as one table: the corpus of ``--n`` documents and,
as a baseline in the same run, one of ``--baseline`` documents, so that the scaling shows.

For each size: documents, items, all cross-document item pairs, the candidate pairs LSH
proposes (from the texts, from the titles, and how many fall within one province's tree),
their labels, the wall time of ``compare``'s three stages — normalise; MinHash + LSH;
align + decide (alignment of each distinct pair of normalised texts, spans, title
similarities, the rule and the frame) — and the peak resident memory. Each size runs in a
child process, so that its peak memory is its own.

When there are more than ``--full-limit`` candidates, align + decide is not run on all of them
(its output alone would not fit in memory): it runs on an evenly spaced sample of about
``--sample`` candidates, and its time and labels are scaled up and marked ``~``: the alignment
by the distinct text pairs of all candidates, the title similarities by the distinct title
pairs, the rest by the candidates. No figure is asserted. Run: ``make bench-reuse N=2000``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_reuse import generate  # noqa: E402

from msresearch.link import reuse
from msresearch.link.reuse import read_reuse_params


def _roots(documents) -> dict[str, str]:
    """Each document's top unit (its province), up the parent_unit_en chain."""
    parent = dict(zip(documents["unit_en"], documents["parent_unit_en"], strict=True))
    roots = {}
    for doc, unit in zip(documents["doc_id"], documents["unit_en"], strict=True):
        seen = {unit}
        while isinstance(parent.get(unit), str) and parent[unit] in parent and parent[unit] not in seen:
            unit = parent[unit]
            seen.add(unit)
        roots[doc] = unit
    return roots


def _distinct_pairs(codes: np.ndarray, n: int, ids: np.ndarray, m: int,
                    chunk: int = 1 << 24) -> int:
    """How many distinct ordered pairs of strings (``ids``: each item's among m) the pairs
    (codes i * n + j) hold."""
    keys = np.concatenate([ids[c // n] * m + ids[c % n]
                           for c in np.array_split(codes, max(1, len(codes) // chunk))])
    return len(reuse._unique(keys))


def _frame_bytes(frame) -> int:
    """A frame's memory: its arrays, and each distinct string object once (ids, documents
    and labels are shared between rows; spans are mostly one per row)."""
    seen: dict[int, int] = {}
    for column in frame.columns:
        if frame[column].dtype.kind in "OT":
            for value in frame[column].to_numpy(dtype=object):
                seen.setdefault(id(value), sys.getsizeof(value))
    return int(frame.memory_usage(deep=False).sum()) + sum(seen.values())


def run_one(n_documents: int, seed: int, full_limit: int, sample: int) -> dict:
    params = read_reuse_params()
    start = time.perf_counter()
    documents, items = generate(n_documents, seed)
    out: dict = {"N": n_documents, "generate": time.perf_counter() - start,
                 "documents": len(documents)}
    substantive = items[~items["procedural"]]
    out["items"] = len(substantive)
    per_doc = substantive.groupby("doc_id").size().to_numpy(dtype=np.int64)
    out["all_pairs"] = int((per_doc.sum() ** 2 - (per_doc ** 2).sum()) // 2)

    start = time.perf_counter()
    prepared = reuse._prepare(items)
    out["normalise"] = time.perf_counter() - start
    start = time.perf_counter()
    by_field = reuse._field_candidates(prepared.doc_codes, prepared.fields(params), params)
    codes = reuse._unique(np.concatenate(by_field))
    out["lsh"] = time.perf_counter() - start
    out["text_lsh"], out["title_lsh"] = (len(c) for c in by_field)
    del by_field
    n = len(prepared.keys)
    out["candidates"] = len(codes)
    roots = _roots(documents)
    root_of_doc = reuse._distinct([roots[d] for d in prepared.docs.tolist()])[1]
    out["within_tree"] = int(sum(int((root_of_doc[c // n] == root_of_doc[c % n]).sum())
                                 for c in np.array_split(codes, max(1, len(codes) // (1 << 24)))))

    timings: dict = {}
    if len(codes) <= full_limit:
        start = time.perf_counter()
        frame = reuse._labelled(prepared, codes, params, timings)
        out["align_decide"] = time.perf_counter() - start
        out["estimated"] = False
        out["labels"] = frame["label"].value_counts().to_dict()
        del frame
        start = time.perf_counter()
        whole = reuse.compare(items, params)  # the same work in one call, for the total
        out["compare"] = time.perf_counter() - start
        del whole
    else:
        step = -(-len(codes) // sample)
        part = codes[::step]
        start = time.perf_counter()
        frame = reuse._labelled(prepared, part, params, timings)
        measured = time.perf_counter() - start
        text_pairs = _distinct_pairs(codes, n, prepared.text_ids, len(prepared.texts))
        title_pairs = _distinct_pairs(codes, n, prepared.title_ids, len(prepared.titles))
        rows = len(codes) / len(part)
        scaled = {"align": timings["align"] * text_pairs / timings["text_pairs"],
                  "spans": timings["spans"] * rows,
                  "titles": timings["titles"] * title_pairs / timings["title_pairs"],
                  "decide": timings["decide"] * rows}
        out.update(estimated=True, sample=len(part), sample_seconds=measured,
                   frame_gb=_frame_bytes(frame) * rows / 2**30,
                   labels={k: v * rows for k, v in frame["label"].value_counts().items()})
        timings.update(scaled, text_pairs=text_pairs, title_pairs=title_pairs)
        out["align_decide"] = sum(scaled.values())
        out["compare"] = out["normalise"] + out["lsh"] + out["align_decide"]
        del frame
    # what the build runs: compare_documents, within one province's tree (scope: tree)
    start = time.perf_counter()
    scoped = reuse.compare_documents(items, documents, dataclasses.replace(params, scope="tree"))
    out["tree_compare"] = time.perf_counter() - start
    out["tree_pairs"] = len(scoped)
    out["tree_labels"] = scoped["label"].value_counts().to_dict()
    del scoped
    out["steps"] = {k: timings[k] for k in ("align", "spans", "titles", "decide")}
    out["text_pairs"], out["title_pairs"] = timings["text_pairs"], timings["title_pairs"]
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _table(results: list[dict]) -> str:
    def count(r, key):
        return f"{r[key]:,}"

    def est(r, text):
        return f"~{text}" if r["estimated"] else text

    rows = [
        ("documents", lambda r: count(r, "documents")),
        ("items (substantive)", lambda r: count(r, "items")),
        ("all cross-document pairs", lambda r: count(r, "all_pairs")),
        ("candidate pairs (LSH)", lambda r: count(r, "candidates")),
        ("  share of all pairs", lambda r: f"{r['candidates'] / r['all_pairs']:.2%}"),
        ("  from text LSH", lambda r: count(r, "text_lsh")),
        ("  from title LSH", lambda r: count(r, "title_lsh")),
        ("  within one province's tree", lambda r: count(r, "within_tree")),
        ("distinct text pairs aligned", lambda r: count(r, "text_pairs")),
        ("distinct title pairs", lambda r: count(r, "title_pairs")),
        *[(f"pairs labelled {label}",
           lambda r, label=label: est(r, f"{round(r['labels'].get(label, 0)):,}"))
          for label in (reuse.SAME, reuse.RELATED, reuse.DIFFERENT)],
        ("generate corpus (s, not compare)", lambda r: f"{r['generate']:.1f}"),
        ("normalise (s)", lambda r: f"{r['normalise']:.1f}"),
        ("minhash + LSH (s)", lambda r: f"{r['lsh']:.1f}"),
        ("align + decide (s)", lambda r: est(r, f"{r['align_decide']:.1f}")),
        *[(f"  {step}", lambda r, step=step: est(r, f"{r['steps'][step]:.1f}"))
          for step in ("align", "spans", "titles", "decide")],
        ("reuse.compare, scope all (s)", lambda r: est(r, f"{r['compare']:.1f}")),
        ("compare_documents, scope tree:", lambda r: ""),
        ("  candidate pairs", lambda r: count(r, "tree_pairs")),
        ("  pairs labelled same", lambda r: f"{r['tree_labels'].get(reuse.SAME, 0):,}"),
        ("  wall time (s)", lambda r: f"{r['tree_compare']:.1f}"),
        ("peak RSS (MB)", lambda r: f"{r['peak_mb']:,.0f}"),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{'':<{width}}" + "".join(f"{'N=' + str(r['N']):>16}" for r in results)]
    lines += [f"{name:<{width}}" + "".join(f"{fn(r):>16}" for r in results) for name, fn in rows]
    for r in results:
        if r["estimated"]:
            lines.append(f"~ N={r['N']}: align + decide run on {r['sample']:,} of "
                         f"{r['candidates']:,} candidates ({r['sample_seconds']:.1f} s) and scaled "
                         f"up; its output frame alone would take ~{r['frame_gb']:.1f} GB")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="documents (default 2000)")
    parser.add_argument("--baseline", type=int, default=200, help="documents of the baseline")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--full-limit", type=int, default=20_000_000,
                        help="most candidates for which align + decide runs on all")
    parser.add_argument("--sample", type=int, default=1_000_000,
                        help="candidates aligned when there are more than --full-limit")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.n, args.seed, args.full_limit, args.sample)))
        return
    results = []
    for n in dict.fromkeys([args.baseline, args.n]):  # the baseline first
        child = subprocess.run([sys.executable, __file__, "--one", "--n", str(n), "--seed",
                                str(args.seed), "--full-limit", str(args.full_limit),
                                "--sample", str(args.sample)],
                               check=True, stdout=subprocess.PIPE, text=True)
        results.append(json.loads(child.stdout))
    print(f"reuse.compare on synthetic corpora (seed {args.seed}), {os.cpu_count()} cores, "
          f"params/reuse/default.yaml")
    print(_table(results))


if __name__ == "__main__":
    main()
