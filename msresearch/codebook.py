"""The codebook: policy domains, their labels and signalling terms, loaded and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from msresearch.errors import InputError

TOP_KEYS = {"scheme", "version", "zones", "domains"}
OPTIONAL_TOP_KEYS = {"procedural"}
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

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.domains]


def parse_codebook(data: object, source: str, lines: dict[int, int] | None = None) -> Codebook:
    """Check a codebook read from YAML and build it.

    ``lines`` maps a domain's index to its line in the file, so that an error names the
    file, the line (as the row) and the field. Unknown keys, duplicate ids or precedences,
    empty or non-positive patterns and terms claimed by two domains are all errors.
    """
    lines = lines or {}
    if not isinstance(data, dict):
        raise InputError(source, "a codebook is a mapping with 'zones' and 'domains'")
    unknown = sorted(set(data) - TOP_KEYS - OPTIONAL_TOP_KEYS)
    if unknown:
        raise InputError(source, f"unknown key '{unknown[0]}'", field=unknown[0])
    for key in TOP_KEYS:
        if key not in data:
            raise InputError(source, f"missing key '{key}'", field=key)
    zones = data["zones"]
    if not isinstance(zones, dict) or set(zones) != set(ZONE_KEYS):
        raise InputError(source, f"zones must give exactly {', '.join(ZONE_KEYS)}", field="zones")
    for key, value in zones.items():
        if not isinstance(value, int | float) or value < 0:
            raise InputError(source, f"zone weight must be a number ≥ 0, not {value!r}",
                             field=f"zones.{key}")
    raw = data["domains"]
    if not isinstance(raw, list) or not raw:
        raise InputError(source, "domains must be a non-empty list", field="domains")
    domains, seen_ids, seen_prec, seen_terms = [], {}, {}, {}
    for index, entry in enumerate(raw):
        row = lines.get(index, index + 1)

        def fail(message: str, field: str, row: int = row) -> None:
            raise InputError(source, message, row=row, field=field)

        if not isinstance(entry, dict):
            fail("a domain is a mapping", "domains")
        unknown = sorted(set(entry) - DOMAIN_KEYS - OPTIONAL_DOMAIN_KEYS)
        if unknown:
            fail(f"unknown key '{unknown[0]}'", unknown[0])
        missing = sorted(DOMAIN_KEYS - set(entry))
        if missing:
            fail(f"missing key '{missing[0]}'", missing[0])
        domain_id = entry["id"]
        if not isinstance(domain_id, str) or not DOMAIN_ID.match(domain_id):
            fail(f"id {domain_id!r} is not snake_case", "id")
        if domain_id in RESERVED_IDS:
            fail(f"id '{domain_id}' is reserved", "id")
        if domain_id in seen_ids:
            fail(f"duplicate id '{domain_id}' (also row {seen_ids[domain_id]})", "id")
        seen_ids[domain_id] = row
        for key in ("zh", "en", "cap"):
            if not isinstance(entry[key], str) or not entry[key].strip():
                fail("must be a non-empty text", key)
        if not isinstance(entry["colour"], str) or not COLOUR.match(entry["colour"]):
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
            term = str(term)
            if not term.strip():
                fail("empty term", "patterns")
            if not isinstance(weight, int | float) or isinstance(weight, bool) or weight <= 0:
                fail(f"weight of '{term}' must be a number > 0", "patterns")
            if term in seen_terms:
                fail(f"term '{term}' is also in '{seen_terms[term]}'", "patterns")
            seen_terms[term] = domain_id
            pairs.append((term, float(weight)))
        decisive = entry.get("decisive", [])
        if not isinstance(decisive, list) or any(str(t) not in patterns for t in decisive):
            fail("decisive terms must be a list of the domain's own pattern terms", "decisive")
        domains.append(Domain(domain_id, entry["zh"], entry["en"], entry["cap"], entry["colour"],
                              precedence, tuple(pairs), tuple(str(t) for t in decisive)))
    cues = data.get("procedural", [])
    if not isinstance(cues, list) or any(not isinstance(t, str) or not t.strip() for t in cues):
        raise InputError(source, "procedural must be a list of non-empty terms", field="procedural")
    for term in cues:
        if term in seen_terms:
            raise InputError(source, f"procedural cue '{term}' is also a term of "
                             f"'{seen_terms[term]}'", field="procedural")
    return Codebook(str(data["scheme"]), int(data["version"]),
                    {k: float(zones[k]) for k in ZONE_KEYS},
                    tuple(sorted(domains, key=lambda d: d.precedence)), tuple(cues))
