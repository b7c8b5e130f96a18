"""The coder: an item (or a sentence) → its primary policy domain, a score, and the evidence.

A rule a reader can inspect: the item is tokenised (``msresearch.coding.tokenizer``); each distinct
codebook term found in a zone (a token that is the term, or contains it — the longest) adds
the term's weight times the zone's weight (title, first sentence, rest; counting a term once
per zone keeps long lists of measures from outweighing the item's own statement), and the
domain with the highest total wins; a tie goes to the domain with the lower precedence number
(the spec's boundary rules in order). A domain's *decisive* term in the title decides the
item outright (spec rule 1: disability services and the poverty campaign's own instruments,
whatever else the item mentions). No term → ``unclassified``, never a silent default. The
units parenthetical "（牵头单位：…）" is left out: an agency's name is not the item's subject.

A codebook is compiled once (``compile_codebook``) into the lookups the rule needs — the term
table, terms longest first, precedence and decisive terms — and a memo of which term each
distinct token holds, so coding thousands of documents costs about one tokenisation of their
text (``tokenizer.words`` cuts each block of text once).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from msresearch.coding.codebook import Codebook
from msresearch.coding.tokenizer import term_key, words
from msresearch.genres.lists import strip_units

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
    """Every term of the codebook → (domain id, weight); a neutral term → ("", 0)."""
    found = {term: ("", 0.0) for term in codebook.neutral}
    found.update({term: (d.id, weight) for d in codebook.domains for term, weight in d.patterns})
    return found


@dataclass(frozen=True)
class Matcher:
    """A codebook compiled for coding: built once, used for every text."""

    lexicon: dict[str, tuple[str, float]]  # term → (domain id, weight)
    longest: tuple[str, ...]  # terms, longest first (ties alphabetical)
    precedence: dict[str, int]
    decisive: dict[str, str]  # decisive term → its domain
    key: tuple[str, ...]  # the terms as the tokenizer's dictionary takes them
    memo: dict[str, str | None]  # token → the term it is or holds (the longest), or None

    def term_in(self, token: str) -> str | None:
        """The codebook term a token is or contains (the longest), or None."""
        try:
            return self.memo[token]
        except KeyError:
            pass
        term = token if token in self.lexicon else next(
            (t for t in self.longest if t in token), None)
        self.memo[token] = term
        return term


def compile_codebook(codebook: Codebook) -> Matcher:
    """The lookups ``code`` needs, built once for a codebook."""
    lexicon = terms(codebook)
    return Matcher(lexicon=lexicon, longest=tuple(sorted(lexicon, key=lambda t: (-len(t), t))),
                   precedence={d.id: d.precedence for d in codebook.domains},
                   decisive={t: d.id for d in codebook.domains for t in d.decisive},
                   key=term_key(lexicon), memo={})


_COMPILED: dict[int, tuple[Codebook, Matcher]] = {}


def matcher(codebook: Codebook) -> Matcher:
    """The codebook's compiled matcher, compiled on first use (a codebook is immutable; the
    codebook is kept with it so that its id is not reused while cached)."""
    hit = _COMPILED.get(id(codebook))
    if hit is None or hit[0] is not codebook:
        if len(_COMPILED) >= 16:
            _COMPILED.clear()
        hit = _COMPILED[id(codebook)] = (codebook, compile_codebook(codebook))
    return hit[1]


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
    m = matcher(codebook)
    lexicon, decisive = m.lexicon, m.decisive
    scores: dict[str, float] = defaultdict(float)
    hits: dict[str, list[str]] = defaultdict(list)
    decided: set[str] = set()
    first_zone = parts[0][0] if parts else ""
    for zone, text in parts:
        weight = zone_weights[zone]
        seen: set[str] = set()
        for token in words(text, m.key):
            term = m.term_in(token)
            if term is None:
                continue
            domain, term_weight = lexicon[term]
            if not domain:  # a neutral term: it names no field
                continue
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
    best = min(candidates, key=lambda d: (-scored[d], m.precedence[d]))
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


NONE = "none"
SENTENCE_ZONES = {"heading": 2.0, "sentence": 1.0}
# What is left of a sentence that carries no content: numbering, punctuation, digits, spaces.
_FILLER = re.compile(r"[\s\d０-９.．、，,;；:：。（）()\[\]【】〔〕“”\"'《》<>/|—\-一二三四五六七八九十]+")
_BARE_LABEL = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,12}[：:]")
_DATE = re.compile(r"\d{2,4}年(?:\d{1,2}月(?:\d{1,2}日)?)?")
_LEADING_NUMBER = re.compile(r"^[\s（(]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）.．、]\s*")
_CLAUSE_END = re.compile(r"[，,；;：:。]")
_BOOK_TITLE = re.compile(r"《[^》]*》")
# A table cell or list that names only agencies ("县教育局", "| 教育局 | 发改局、住建局 |"):
# names end like these, and at least one is a government department.
_CELL_SPLIT = re.compile(r"[|\t、，,；;\s]+")
_AGENCY = re.compile(r"(?:局|委|办|厅)(?:（[^（）]*）)?$")
_BODY = re.compile(r"(?:局|委|办|厅|街道|政府|集团|公司|镇|乡)(?:（[^（）]*）)?$")


def has_no_content(text: str) -> bool:
    """A sentence with no policy content of its own (the spec's ``none``): a units statement
    ("（牵头单位：市教育局）"), a bare label ("推进措施："), numbering alone, a date line, or a
    table cell or list of agencies' names alone ("县教育局", "| 教育局 | 发改局、住建局 |")."""
    body = _LEADING_NUMBER.sub("", strip_units(text)).strip()
    if not _FILLER.sub("", body):
        return True
    if _BARE_LABEL.fullmatch(body) or _DATE.fullmatch(body.rstrip("。.")):
        return True
    cells = [c for c in _CELL_SPLIT.split(body.strip("。.")) if c]
    return (all(_BODY.search(c) for c in cells) and any(_AGENCY.search(c) for c in cells))


def opens_procedural(text: str, codebook: Codebook) -> str | None:
    """The codebook's procedural cue in the sentence's opening clause, if any, when that
    clause names no policy domain of its own: a sentence that opens with a work arrangement
    ("加大宣传力度，…", "落实经费保障，…") is about carrying the policy out, whatever it
    arranges for (the spec's ``procedural``), while "加强义务教育经费保障" is about education.
    Titles of other documents (《…考核方案》) are not the sentence's own words."""
    body = _BOOK_TITLE.sub("", _LEADING_NUMBER.sub("", strip_units(text))).strip()
    opening = _CLAUSE_END.split(body, maxsplit=1)[0]
    cue = next((cue for cue in codebook.procedural if cue in opening), None)
    if cue and code([("sentence", opening)], codebook, SENTENCE_ZONES).domain != UNCLASSIFIED:
        return None
    return cue


def sentence_zones(text: str) -> list[tuple[str, str]]:
    """A sentence's zones: a table row's first cell is its heading, the rest one zone; any
    other sentence is one zone. Units statements are left out."""
    body = strip_units(text)
    cells = [c for c in body.split("\t") if c.strip()]
    if len(cells) > 1:
        return [("heading", cells[0]), ("sentence", "\t".join(cells[1:]))]
    return [("sentence", body)]


def code_sentence(text: str, procedural: bool, codebook: Codebook,
                  item_domain: str | None = None) -> Coding:
    """A sentence's own domain, in this order: a procedural item's sentences are
    ``procedural``; a sentence without content is ``none`` (it carries no attention and
    leaves a text share's denominator); one that opens with a procedural cue is
    ``procedural``; otherwise its own terms decide, a table row's first cell weighing as a
    heading; a sentence without any term continues its item's subject and takes
    ``item_domain`` (evidence "item"), or is ``unclassified`` when none is given."""
    if procedural:
        return Coding(PROCEDURAL, 0.0, "")
    if has_no_content(text):
        return Coding(NONE, 0.0, "")
    cue = opens_procedural(text, codebook)
    if cue:
        return Coding(PROCEDURAL, 0.0, f"opening:{cue}")
    coding = code(sentence_zones(text), codebook, SENTENCE_ZONES)
    if coding.domain == UNCLASSIFIED and item_domain and item_domain not in (PROCEDURAL,
                                                                             UNCLASSIFIED):
        return Coding(item_domain, 0.0, "item")
    return coding


# A sentence of a work report that says nothing of a field of its own (the spec's rule 13):
# the address to the congress and the request to review the report, a date line, thanks, the
# exhortation to unite and strive, and the general requirements (总体要求是：…), which state the
# guiding ideas.
REPORT_NONE = re.compile(r"^各位代表|^现在，我代表|请予审议|^——?\s*\d{4}年\d{1,2}月\d{1,2}日"
                         r"|表示(?:衷心|诚挚|崇高)|^让我们|^[^，。]{0,16}总体要求(?:是)?[：:]")
LEAD_END = re.compile(r"[，,；;：:]")


def code_report_sentence(text: str, codebook: Codebook) -> Coding:
    """A work report sentence's own domain, by the genre's codebook (``Codebook.for_genre``):
    ``none`` for a sentence without content, one of ``REPORT_NONE`` or one that names no field
    (no term, or only neutral ones: a heading that names only the year's work, praise, a
    statement of resolve; evidence "names no field"); otherwise by its terms, those of its
    first clause (up to ，；：, spec rule 6: the first measure decides) weighing
    ``zones['lead']``, the rest ``zones['sentence']``; a tie goes to precedence."""
    if has_no_content(text) or REPORT_NONE.search(text.strip()):
        return Coding(NONE, 0.0, "")
    body = _LEADING_NUMBER.sub("", strip_units(text)).strip()
    parts = LEAD_END.split(body, maxsplit=1)
    coding = code([("lead", parts[0]), ("sentence", parts[1] if len(parts) > 1 else "")],
                  codebook)
    if coding.domain == UNCLASSIFIED:
        return Coding(NONE, 0.0, "names no field")
    return coding
