"""The coder: an item (or a sentence) → its primary policy domain, a score, and the evidence.

A rule a reader can inspect: the item is tokenised (``msresearch.tokenizer``); each distinct
codebook term found in a zone (a token that is the term, or contains it — the longest) adds
the term's weight times the zone's weight (title, first sentence, rest; counting a term once
per zone keeps long lists of measures from outweighing the item's own statement), and the
domain with the highest total wins; a tie goes to the domain with the lower precedence number
(the spec's boundary rules in order). A domain's *decisive* term in the title decides the
item outright (spec rule 1: disability services and the poverty campaign's own instruments,
whatever else the item mentions). No term → ``unclassified``, never a silent default. The
units parenthetical "（牵头单位：…）" is left out: an agency's name is not the item's subject.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from msresearch.codebook import Codebook
from msresearch.segment import strip_units
from msresearch.tokenizer import tokenize

UNCLASSIFIED = "unclassified"
PROCEDURAL = "procedural"
SENTENCE_END = re.compile(r"(?<=[。；！？])|\n")


@dataclass(frozen=True)
class Coding:
    """The coder's decision for one text."""

    domain: str
    score: float
    evidence: str  # "zone:term" entries of the winning domain, in reading order


def terms(codebook: Codebook) -> dict[str, tuple[str, float]]:
    """Every term of the codebook → (domain id, weight)."""
    return {term: (d.id, weight) for d in codebook.domains for term, weight in d.patterns}


def _term_in(token: str, lexicon: dict[str, tuple[str, float]], longest: list[str]) -> str | None:
    if token in lexicon:
        return token
    return next((t for t in longest if t in token), None)


def zones(title: str, text: str) -> list[tuple[str, str]]:
    """An item's zones: its title, the rest of its first sentence, and everything after.

    When the text begins with the title, the title is not counted twice."""
    body = strip_units(text)
    if title and body.startswith(title):
        body = body[len(title):].lstrip("。，；：、\t\n ")
    else:
        title = ""
    first, _, rest = body.partition("。")
    return [("title", title), ("first_sentence", first), ("rest", rest)]


def code(parts: list[tuple[str, str]], codebook: Codebook,
         zone_weights: dict[str, float] | None = None) -> Coding:
    """Code zoned text; see the module docstring. ``zone_weights`` defaults to the codebook's."""
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
        for token in tokenize(text, extra_terms=lexicon):
            term = _term_in(token, lexicon, longest)
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
        return Coding(UNCLASSIFIED, 0.0, "")
    candidates = decided or set(scored)
    best = min(candidates, key=lambda d: (-scored[d], precedence[d]))
    return Coding(best, round(scored[best], 6), "; ".join(_counted(hits[best])))


def _counted(entries: list[str]) -> list[str]:
    counts: dict[str, int] = {}
    for e in entries:
        counts[e] = counts.get(e, 0) + 1
    return [e if n == 1 else f"{e}×{n}" for e, n in counts.items()]


def code_item(title: str, text: str, procedural: bool, codebook: Codebook) -> Coding:
    """An item's primary domain: ``procedural`` for organisational items, else by its terms."""
    if procedural:
        return Coding(PROCEDURAL, 0.0, "")
    return code(zones(title, text), codebook)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of a text: split after 。；！？ and at line ends;
    table cells stay in their row's sentence. Spans of whitespace only are dropped."""
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        end = m.start()
        if end > start:
            spans.append((start, end))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def code_sentence(text: str, procedural: bool, codebook: Codebook) -> Coding:
    """A sentence coded the same way as an item, the whole sentence as one zone of weight 1
    (a sentence has no title), so that its own terms decide."""
    if procedural:
        return Coding(PROCEDURAL, 0.0, "")
    return code([("sentence", text)], codebook, {"sentence": 1.0})
