"""The codebook: policy domains, their labels and signalling terms, loaded and checked."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from msresearch.errors import InputError
from msresearch.io.inputs import label, read_yaml

TOP_KEYS = {"scheme", "version", "zones", "domains"}
OPTIONAL_TOP_KEYS = {"procedural", "genres"}
GENRE_KEYS = {"zones", "livelihood"}
OPTIONAL_GENRE_KEYS = {"domains", "patterns", "precedence", "neutral"}
LIVELIHOOD_SETS = ("core", "broad")
ZONE_KEYS = ("title", "first_sentence", "rest")
DOMAIN_KEYS = {"id", "zh", "en", "cap", "colour", "precedence", "patterns"}
OPTIONAL_DOMAIN_KEYS = {"decisive"}
RESERVED_IDS = {"procedural", "unclassified"}
DOMAIN_ID = re.compile(r"^[a-z][a-z0-9_]*$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Domain:
    """One policy domain of the scheme; ``patterns`` are (term, weight) pairs."""

    id: str
    zh: str
    en: str
    cap: str
    colour: str
    precedence: int
    patterns: tuple[tuple[str, float], ...]
    decisive: tuple[str, ...] = ()  # terms that decide the domain when they stand in a title


@dataclass(frozen=True)
class Codebook:
    """A whole codebook: zone weights and the domains in precedence order."""

    scheme: str
    version: int
    zones: dict[str, float]
    domains: tuple[Domain, ...]
    # Cues of the document's own work arrangements (organisation, funding, supervision,
    # publicity): a sentence that opens with one is procedural (see ``coder.code_sentence``).
    procedural: tuple[str, ...] = ()
    # The codebooks of genres that read differently (``for_genre``), and, in a genre's
    # codebook, its livelihood domains: ``core`` and ``broad`` sets of domain ids.
    genres: tuple[tuple[str, Codebook], ...] = ()
    livelihood: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # terms that name no field ("经济社会发展"): they count for nothing, and keep the terms
    # they hold (经济) from counting
    neutral: tuple[str, ...] = ()

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.domains]

    def for_genre(self, genre: str) -> Codebook:
        """The codebook a document of ``genre`` is coded with: the genre's own, built from
        this one (its domains with the genre's added ones and terms), or this one."""
        return dict(self.genres).get(genre, self)

    def livelihood_set(self, name: str) -> tuple[str, ...]:
        """The domain ids of a livelihood set (``core`` or ``broad``) of a genre's codebook."""
        return dict(self.livelihood)[name]


def _weight(value: object) -> bool:
    """Whether ``value`` is a real number: an int or a finite float, not a bool."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def parse_codebook(data: object, source: str, lines: dict[tuple, int] | None = None) -> Codebook:
    """Check a codebook read from YAML and build it.

    ``lines`` gives the line in the file of each part by its path from the top, as
    ``yamlfile.load_with_lines`` returns them (``()`` the codebook, ``("zones", "title")`` a
    zone's weight, ``("domains", 3)`` the fourth domain), so that an error names the file, the
    line and the field; an error in a domain is at the domain's line (without ``lines``, at
    the domain's number as the row). Unknown keys, duplicate ids or precedences, weights
    that are not numbers > 0, terms that are not texts, and terms claimed by two domains are
    all errors.
    """
    lines = lines or {}

    def fail_top(message: str, *path: object) -> None:
        raise InputError(source, message, field=".".join(map(str, path)) or None,
                         line=lines.get(path) or lines.get(()))

    if not isinstance(data, dict):
        fail_top("a codebook is a mapping with 'zones' and 'domains'")
    unknown = sorted(set(data) - TOP_KEYS - OPTIONAL_TOP_KEYS, key=str)
    if unknown:
        fail_top(f"unknown key '{unknown[0]}'", unknown[0])
    for key in sorted(TOP_KEYS):
        if key not in data:
            fail_top(f"missing key '{key}'", key)
    if not isinstance(data["scheme"], str) or not data["scheme"].strip():
        fail_top("scheme must be a non-empty text", "scheme")
    if not isinstance(data["version"], int) or isinstance(data["version"], bool):
        fail_top(f"version must be a whole number, not {data['version']!r}", "version")
    zones = data["zones"]
    if not isinstance(zones, dict) or set(zones) != set(ZONE_KEYS):
        fail_top(f"zones must give exactly {', '.join(ZONE_KEYS)}", "zones")
    for key, value in zones.items():
        if not _weight(value) or value < 0:
            fail_top(f"zone weight must be a number ≥ 0, not {value!r}", "zones", key)
    raw = data["domains"]
    if not isinstance(raw, list) or not raw:
        fail_top("domains must be a non-empty list", "domains")
    domains, seen_ids, seen_prec, seen_terms = [], {}, {}, {}
    for index, entry in enumerate(raw):
        line = lines.get(("domains", index))

        def fail(message: str, field: str, row: int = index + 1, line: int | None = line) -> None:
            raise InputError(source, message, row=row, field=field, line=line)

        if not isinstance(entry, dict):
            fail("a domain is a mapping", "domains")
        unknown = sorted(set(entry) - DOMAIN_KEYS - OPTIONAL_DOMAIN_KEYS, key=str)
        if unknown:
            fail(f"unknown key '{unknown[0]}'", str(unknown[0]))
        missing = sorted(DOMAIN_KEYS - set(entry))
        if missing:
            fail(f"missing key '{missing[0]}'", missing[0])
        domain_id = entry["id"]
        if not isinstance(domain_id, str) or not DOMAIN_ID.fullmatch(domain_id):
            fail(f"id {domain_id!r} is not snake_case", "id")
        if domain_id in RESERVED_IDS:
            fail(f"id '{domain_id}' is reserved", "id")
        if domain_id in seen_ids:
            fail(f"duplicate id '{domain_id}' (also {seen_ids[domain_id]})", "id")
        seen_ids[domain_id] = f"line {line}" if line is not None else f"row {index + 1}"
        for key in ("zh", "en", "cap"):
            if not isinstance(entry[key], str) or not entry[key].strip():
                fail("must be a non-empty text", key)
        if not isinstance(entry["colour"], str) or not COLOUR.fullmatch(entry["colour"]):
            fail(f"colour {entry['colour']!r} is not #rrggbb", "colour")
        precedence = entry["precedence"]
        if not isinstance(precedence, int) or isinstance(precedence, bool):
            fail("precedence must be an integer", "precedence")
        if precedence in seen_prec:
            fail(f"precedence {precedence} is also '{seen_prec[precedence]}'s", "precedence")
        seen_prec[precedence] = domain_id
        patterns = entry["patterns"]
        if not isinstance(patterns, dict) or not patterns:
            fail("patterns must be a non-empty mapping of term: weight", "patterns")
        pairs = []
        for term, weight in patterns.items():
            if not isinstance(term, str):
                fail(f"term {term!r} is not a text (quote it)", "patterns")
            if not term.strip():
                fail("empty term", "patterns")
            if not _weight(weight) or weight <= 0:
                fail(f"weight of '{term}' must be a number > 0", "patterns")
            if term in seen_terms:
                fail(f"term '{term}' is also in '{seen_terms[term]}'", "patterns")
            seen_terms[term] = domain_id
            pairs.append((term, float(weight)))
        decisive = entry.get("decisive", [])
        if not isinstance(decisive, list) or any(
                not isinstance(t, str) or t not in patterns for t in decisive):
            fail("decisive terms must be a list of the domain's own pattern terms", "decisive")
        domains.append(Domain(domain_id, entry["zh"], entry["en"], entry["cap"], entry["colour"],
                              precedence, tuple(pairs), tuple(decisive)))
    cues = data.get("procedural", [])
    if not isinstance(cues, list) or any(not isinstance(t, str) or not t.strip() for t in cues):
        fail_top("procedural must be a list of non-empty terms", "procedural")
    for term in cues:
        if term in seen_terms:
            fail_top(f"procedural cue '{term}' is also a term of '{seen_terms[term]}'",
                     "procedural")
    base = Codebook(data["scheme"], data["version"], {k: float(zones[k]) for k in ZONE_KEYS},
                    tuple(sorted(domains, key=lambda d: d.precedence)), tuple(cues))
    genres = data.get("genres", {})
    if not isinstance(genres, dict):
        fail_top("genres must map a genre to what its codebook adds", "genres")
    built = tuple((genre, _genre_codebook(base, genre, entry, source, lines))
                  for genre, entry in sorted(genres.items()))
    return Codebook(base.scheme, base.version, base.zones, base.domains, base.procedural, built)


def _genre_codebook(base: Codebook, genre: str, entry: object, source: str,
                    lines: dict[tuple, int]) -> Codebook:
    """A genre's codebook: the base domains, the genre's added domains (``domains``, as in
    the base), terms the genre adds to a domain or gives another (``patterns``: domain →
    term: weight), precedences it changes, its sentence zones (``zones``: term weights in a
    sentence's first clause, ``lead``, and in the rest, ``sentence``) and its livelihood
    sets (``livelihood``: ``core`` and ``broad`` lists of domain ids)."""
    where = ("genres", genre)

    def fail(message: str, *path: object) -> None:
        raise InputError(source, message, field=".".join(map(str, (*where, *path))),
                         line=lines.get((*where, *path)) or lines.get(where))

    if not isinstance(entry, dict):
        fail("a genre's codebook is a mapping")
    unknown = sorted(set(entry) - GENRE_KEYS - OPTIONAL_GENRE_KEYS, key=str)
    if unknown:
        fail(f"unknown key '{unknown[0]}'", unknown[0])
    for key in sorted(GENRE_KEYS - set(entry)):
        fail(f"missing key '{key}'", key)
    added = entry.get("domains") or []
    if not isinstance(added, list) or not all(isinstance(d, dict) for d in added):
        fail("domains must be a list of domains", "domains")
    # the added domains are checked as a codebook's are (ids, labels, precedences, terms)
    own = parse_codebook({"scheme": base.scheme, "version": base.version,
                          "zones": dict(base.zones), "domains": added}, source,
                         {("domains", k): lines.get((*where, "domains", k))
                          for k in range(len(added))}).domains if added else ()
    for d in own:
        if d.id in base.ids:
            fail(f"domain '{d.id}' is already the base codebook's", "domains")
        if d.precedence in {b.precedence for b in base.domains}:
            fail(f"precedence {d.precedence} is already a base domain's", "domains")
    domains = {d.id: d for d in (*base.domains, *own)}
    moves = entry.get("patterns", {}) or {}
    if not isinstance(moves, dict):
        fail("patterns must map a domain id to term: weight", "patterns")
    # a term of an added domain, or given here, is that domain's in this genre
    extra: dict[str, dict[str, float]] = {d.id: dict(d.patterns) for d in own}
    for domain_id, terms in moves.items():
        if domain_id not in domains:
            fail(f"no domain '{domain_id}'", "patterns", domain_id)
        if not isinstance(terms, dict):
            fail("terms must be a mapping of term: weight", "patterns", domain_id)
        for term, weight in terms.items():
            if not isinstance(term, str) or not term.strip():
                fail(f"term {term!r} is not a text (quote it)", "patterns", domain_id)
            if not _weight(weight) or weight <= 0:
                fail(f"weight of '{term}' must be a number > 0", "patterns", domain_id)
            if any(term in t for t in extra.values()):
                fail(f"term '{term}' is given twice", "patterns", domain_id)
            extra.setdefault(domain_id, {})[term] = float(weight)
    moved = {t for terms in extra.values() for t in terms}
    precedence = entry.get("precedence", {}) or {}
    if not isinstance(precedence, dict) or any(k not in domains or not isinstance(v, int)
                                               or isinstance(v, bool) for k, v in precedence.items()):
        fail("precedence must map domain ids to whole numbers", "precedence")
    rebuilt = []
    for d in domains.values():
        mine = extra.get(d.id, {})
        kept = tuple((t, mine.get(t, w)) for t, w in d.patterns if t not in moved or t in mine)
        new = tuple((t, w) for t, w in mine.items() if t not in dict(kept))
        # decisive terms decide an item by its title; a sentence of a genre has none
        rebuilt.append(Domain(d.id, d.zh, d.en, d.cap, d.colour, precedence.get(d.id, d.precedence),
                              kept + new))
    if len({d.precedence for d in rebuilt}) != len(rebuilt):
        fail("two domains have one precedence", "precedence")
    zones = entry["zones"]
    if not isinstance(zones, dict) or set(zones) != {"lead", "sentence"} or any(
            not _weight(v) or v < 0 for v in zones.values()):
        fail("zones must give lead and sentence, numbers ≥ 0", "zones")
    sets = entry["livelihood"]
    if not isinstance(sets, dict) or set(sets) != set(LIVELIHOOD_SETS):
        fail(f"livelihood must give {' and '.join(LIVELIHOOD_SETS)}", "livelihood")
    for name, ids in sets.items():
        if not isinstance(ids, list) or any(i not in domains for i in ids):
            fail("a livelihood set is a list of the genre's domain ids", "livelihood", name)
    if not set(sets["core"]) <= set(sets["broad"]):
        fail("the broad set must hold the core set", "livelihood", "broad")
    neutral = entry.get("neutral", []) or []
    if not isinstance(neutral, list) or any(not isinstance(t, str) or not t.strip() for t in neutral):
        fail("neutral must be a list of terms", "neutral")
    claimed = {t for d in rebuilt for t, _ in d.patterns} & set(neutral)
    if claimed:
        fail(f"neutral term '{sorted(claimed)[0]}' is also a domain's", "neutral")
    return Codebook(base.scheme, base.version, {k: float(v) for k, v in zones.items()},
                    tuple(sorted(rebuilt, key=lambda d: d.precedence)), (), (),
                    tuple((name, tuple(sets[name])) for name in LIVELIHOOD_SETS), tuple(neutral))


def _as_entry(d: Domain) -> dict:
    """A domain as its codebook entry, to be checked again with a genre's added domains."""
    entry = {"id": d.id, "zh": d.zh, "en": d.en, "cap": d.cap, "colour": d.colour,
             "precedence": d.precedence, "patterns": dict(d.patterns)}
    if d.decisive:
        entry["decisive"] = list(d.decisive)
    return entry


def read_codebook(path: Path):
    """Read and check a codebook YAML file (see ``msresearch.coding.codebook``)."""
    data, lines = read_yaml(path, "codebook", "codebook file")
    return parse_codebook(data, label(path), lines)
