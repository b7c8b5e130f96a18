"""Benchmark of the build's stages on the seed corpus, printed as a table.

Each stage is timed over ``--repeat`` runs (median reported). The coder is compared in the
same run with a baseline that counts codebook terms by plain substring search, so the cost
of tokenising with jieba is visible on this machine. Run: ``make bench``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from msresearch import config
from msresearch.coding.codebook import read_codebook
from msresearch.coding.coder import code_item, sentences, terms
from msresearch.genres import REPORT_GENRES
from msresearch.measure import measures, study
from msresearch.pipeline.build import index_document, load_corpus


def _median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _substring_baseline(items, codebook) -> list[str]:
    lexicon = terms(codebook)
    out = []
    for text in items["text"]:
        scores: dict[str, float] = {}
        for term, (domain, weight) in lexicon.items():
            n = text.count(term)
            if n:
                scores[domain] = scores.get(domain, 0) + weight * n
        out.append(max(scores, key=scores.get) if scores else "unclassified")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    codebook = read_codebook(config.CODEBOOK)
    docs, _, _ = load_corpus()
    docs = [d for d in docs if d.meta["genre"] not in REPORT_GENRES]  # the seeds
    indexed = [index_document(d) for d in docs]
    items = study.list_table("items.csv")
    sentence_table = study.list_table("sentences.csv")
    n_items, n_chars = len(items), sum(len(ix.clean_text) for ix in indexed)

    def code_all() -> None:
        for r in items.to_dict("records"):
            code_item(r["title"], r["text"], r["procedural"], codebook)

    def split_sentences() -> None:
        for text in items["text"]:
            sentences(text)

    stages = [
        ("read + decode + checksum", lambda: load_corpus()),
        ("clean + segment", lambda: [index_document(d) for d in docs]),
        ("code items (jieba tokens)", code_all),
        ("baseline: substring counts", lambda: _substring_baseline(items, codebook)),
        ("split sentences", split_sentences),
        ("attention, 2,000 draws", lambda: measures.attention(items, sentence_table, codebook)),
        ("JS distances + null, 2,000 draws", lambda: measures.js_distances(
            measures.attention(items, sentence_table, codebook))),
    ]
    print(f"{len(docs)} documents, {n_chars:,} clean characters, {n_items} items; "
          f"median of {args.repeat} runs")
    print(f"{'stage':<30} {'seconds':>9} {'items/s':>10}")
    for name, fn in stages:
        seconds = _median_seconds(fn, args.repeat)
        print(f"{name:<30} {seconds:>9.3f} {n_items / seconds:>10,.0f}")


if __name__ == "__main__":
    main()
