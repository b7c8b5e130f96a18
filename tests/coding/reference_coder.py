"""The coder as it was before it was compiled (msresearch 0.1.0 at 78b6913): the codebook's
lookups rebuilt on every call, the whole text cut by jieba in one call, every token scanned
against every term. Kept only to check that the compiled coder gives the same results."""

from __future__ import annotations

from collections import defaultdict

from msresearch.coding import tokenizer
from msresearch.coding.coder import Coding, _counted, terms


def plain_words(text: str, extra_terms) -> list[str]:
    """jieba's ``cut`` of the whole text, without the block memo."""
    tk = tokenizer._tokenizer(tuple(sorted(set(extra_terms))))
    return [w for w in tk.cut(text, HMM=tokenizer.HMM) if tokenizer.WORD.search(w)]


def code(parts, codebook, zone_weights=None) -> Coding:
    zone_weights = zone_weights or codebook.zones
    lexicon = terms(codebook)
    longest = sorted(lexicon, key=lambda t: (-len(t), t))
    precedence = {d.id: d.precedence for d in codebook.domains}
    decisive = {t: d.id for d in codebook.domains for t in d.decisive}
    scores: dict[str, float] = defaultdict(float)
    hits: dict[str, list[str]] = defaultdict(list)
    decided: set[str] = set()
    first_zone = parts[0][0] if parts else ""
    for zone, text in parts:
        weight = zone_weights[zone]
        seen: set[str] = set()
        for token in plain_words(text, lexicon):
            term = token if token in lexicon else next((t for t in longest if t in token), None)
            if term is None:
                continue
            domain, term_weight = lexicon[term]
            hits[domain].append(f"{zone}:{term}")
            if term in decisive and zone == first_zone:
                decided.add(domain)
            if term not in seen:
                seen.add(term)
                scores[domain] += term_weight * weight
    scored = {d: s for d, s in scores.items() if s > 0}
    if not scored:
        return Coding("unclassified", 0.0, "")
    candidates = decided or set(scored)
    best = min(candidates, key=lambda d: (-scored[d], precedence[d]))
    return Coding(best, round(scored[best], 6), "; ".join(_counted(hits[best])))
