"""A synthetic corpus for scaling the reuse alignment (``msresearch.link.reuse``), built from the
seed documents' substantive items (``data/processed/items.csv``).

"Realistic" means here what the reuse rule is meant to find in a real corpus of livelihood
documents, at a size the seeds cannot give:

* a tree of units — provinces, about ten cities under each, about eight counties under each
  city — with one document per unit, ``n_documents`` in all;
* a province's items are *local*: seed items with heavy edits (see below);
* a city restates many of its province's items (40–70 %), and adds local items;
* a county of the provincial 民生工程 kind (60 % of counties, like the seed 2020-taihe)
  restates most of its province's project list (70–95 %); any other county restates some of
  its city's items (30–60 %); both add local items;
* a *restated* item keeps its parent's text with light edits: every number replaced by
  another (targets differ by level), level words and unit names moved to the item's level
  (全省 → 全县, 省人社厅 → 县人社厅), and, each with probability 0.3, a leading verb
  (推进/实施/加强/…) added or dropped and one clause dropped;
* a *local* item is a seed item drawn at random with heavier edits: numbers replaced, the
  verb toggled with probability 0.5, 20–50 % of its clauses dropped, and with probability 0.5
  one or two clauses of another seed item of its domain spliced in;
* dates: a child's document follows its parent's by 10–120 days in 85 % of cases and
  precedes it by up to 200 days otherwise; provinces' years run from 2017 to 2023.

Items keep their seed's domain (no coding error) and are all substantive. Everything is drawn
from one ``numpy`` generator with a fixed seed: the same arguments give the same frames.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from msresearch.genres.lists import unit_spans
from msresearch.io import inputs

VERBS = ("推进", "实施", "加强", "开展", "推动", "深化", "完善", "落实")
LEVEL_CHAR = {"province": "省", "city": "市", "county": "县"}
_DIGITS = re.compile(r"\d+")
_LEVEL_WORDS = re.compile(r"(?<=全)[省市县]|[省市县](?=级|本级)")
_UNIT_LEVEL = re.compile(r"(?<=[：:、，,])[省市县](?=[\u4e00-\u9fff])")
_SEPARATOR = re.compile(r"^(.{1,40}?)([。\n\t，])")
CITIES_PER_PROVINCE = 10
COUNTIES_PER_CITY = 8


@dataclass
class _Item:
    title: str
    body: str  # the text after the title and its separator, unit statements excluded
    units: str  # the unit statement(s), kept whole
    sep: str
    domain: str

    def text(self) -> str:
        return f"{self.title}{self.sep}{self.body}{self.units}"


def _parse(title: str, text: str, domain: str) -> _Item:
    spans = unit_spans(text)
    units = "".join(text[s:e] for s, e in spans)
    rest, pos = [], 0
    for s, e in spans:
        rest.append(text[pos:s])
        pos = e
    rest.append(text[pos:])
    body = "".join(rest)
    sep = ""
    if title and body.startswith(title):
        body = body[len(title):]
        if body[:1] in ("。", "\n", "\t", "，"):
            sep, body = body[0], body[1:]
    return _Item(title, body, units, sep, domain)


def _clauses(body: str) -> list[str]:
    """The body cut after each "，；。" or line end outside brackets (delimiters kept)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif ch in "，；。\n" and depth == 0:
            out.append(body[start:i + 1])
            start = i + 1
    if start < len(body):
        out.append(body[start:])
    return out


def _renumber(text: str, rng: np.random.Generator, year: int) -> str:
    """Every digit run replaced: a year by one near the document's, any other number by one
    of about its size (a 0.1–2 times scaled target)."""
    def repl(m: re.Match) -> str:
        value = int(m.group())
        if len(m.group()) == 4 and 2010 <= value <= 2035:
            return str(year + int(rng.integers(0, 3)))
        return str(max(1, round(value * float(rng.uniform(0.1, 2.0)))))
    return _DIGITS.sub(repl, text)


def _relevel(text: str, level: str) -> str:
    char = LEVEL_CHAR[level]
    return _UNIT_LEVEL.sub(char, _LEVEL_WORDS.sub(char, text))


def _toggle_verb(item: _Item, rng: np.random.Generator) -> None:
    verb = next((v for v in VERBS if item.title.startswith(v)), None)
    if verb and len(item.title) > len(verb) + 1:
        item.title = item.title[len(verb):]
    elif verb is None:
        item.title = VERBS[int(rng.integers(len(VERBS)))] + item.title


def _drop_clauses(item: _Item, share: float, rng: np.random.Generator) -> None:
    parts = _clauses(item.body)
    n_drop = min(len(parts) - 1, max(1, round(share * len(parts))))
    if n_drop <= 0:
        return
    drop = set(rng.choice(len(parts), size=n_drop, replace=False).tolist())
    item.body = "".join(p for k, p in enumerate(parts) if k not in drop)


def _restate(parent: _Item, level: str, year: int, rng: np.random.Generator) -> _Item:
    item = _Item(parent.title, parent.body, parent.units, parent.sep, parent.domain)
    if rng.random() < 0.3:
        _toggle_verb(item, rng)
    if rng.random() < 0.3:
        _drop_clauses(item, 0.0, rng)  # one clause
    item.body = _relevel(_renumber(item.body, rng, year), level)
    item.title = _relevel(_renumber(item.title, rng, year), level)
    item.units = _relevel(item.units, level)
    return item


def _local(seed: _Item, pool: list[_Item], by_domain: dict[str, list[int]], level: str,
           year: int, rng: np.random.Generator) -> _Item:
    item = _Item(seed.title, seed.body, seed.units, seed.sep, seed.domain)
    if rng.random() < 0.5:
        _toggle_verb(item, rng)
    _drop_clauses(item, float(rng.uniform(0.2, 0.5)), rng)
    if rng.random() < 0.5:
        other = pool[int(rng.choice(by_domain[seed.domain]))]
        parts = _clauses(other.body)
        k = int(rng.integers(1, 3))
        start = int(rng.integers(0, max(1, len(parts) - k + 1)))
        item.body += "".join(parts[start:start + k])
    return _restate(item, level, year, np.random.default_rng(rng.integers(2**32)))


def _tree(n: int, rng: np.random.Generator) -> list[tuple[str, str, str]]:
    """(unit, level, parent unit) for n units: provinces first, then cities, then counties."""
    per_province = 1 + CITIES_PER_PROVINCE * (1 + COUNTIES_PER_CITY)
    n_prov = max(1, min(n, round(n / per_province)))
    n_city = min(n - n_prov, n_prov * CITIES_PER_PROVINCE)
    n_county = n - n_prov - n_city
    units = [(f"P{p:02d}", "province", "") for p in range(n_prov)]
    cities = [(f"P{c % n_prov:02d}C{c // n_prov:02d}", "city", f"P{c % n_prov:02d}")
              for c in range(n_city)]
    units += cities
    if n_city:
        homes = np.sort(rng.integers(0, n_city, size=n_county))
        counts: dict[int, int] = {}
        for h in homes.tolist():
            k = counts[h] = counts.get(h, -1) + 1
            units.append((f"{cities[h][0]}K{k:02d}", "county", cities[h][0]))
    else:  # too few documents for cities: counties directly under provinces
        units += [(f"P{c % n_prov:02d}K{c // n_prov:02d}", "county", f"P{c % n_prov:02d}")
                  for c in range(n_county)]
    return units


def generate(n_documents: int = 2000, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(documents, items) of a synthetic corpus of ``n_documents`` (module docstring).

    documents: doc_id, level, unit_en, parent_unit_en, date, year, genre, n_items.
    items: doc_id, item_id, position, title, text, n_chars, domain, procedural."""
    rng = np.random.default_rng(seed)
    seeds = inputs.read_table("items.csv")
    seeds = seeds[~seeds["procedural"].astype(bool)].sort_values("item_id")
    pool = [_parse(t, x, d) for t, x, d in zip(seeds["title"], seeds["text"], seeds["domain"],
                                               strict=True)]
    by_domain: dict[str, list[int]] = {}
    for k, it in enumerate(pool):
        by_domain.setdefault(it.domain, []).append(k)
    docs: dict[str, dict] = {}  # unit → its document's row and items
    doc_rows, item_rows = [], []
    for unit, level, parent in _tree(n_documents, rng):
        if level == "province":
            date = pd.Timestamp(int(rng.integers(2017, 2024)), int(rng.integers(2, 5)),
                                int(rng.integers(1, 29)))
            n_items, source, share, genre = int(rng.integers(30, 56)), None, 0.0, "work_priorities"
        else:
            up = docs[parent]
            days = int(rng.integers(10, 121)) if rng.random() < 0.85 else -int(rng.integers(1, 201))
            date = up["date"] + pd.Timedelta(days=days)
            if level == "city":
                n_items, source = int(rng.integers(20, 51)), up
                share, genre = float(rng.uniform(0.4, 0.7)), "work_priorities"
            elif rng.random() < 0.6 and up["level"] != "province":
                n_items, source = int(rng.integers(25, 45)), docs[up["parent"]]
                share, genre = float(rng.uniform(0.7, 0.95)), "projects_notice"
            else:
                n_items, source = int(rng.integers(15, 41)), up
                share, genre = float(rng.uniform(0.3, 0.6)), "work_priorities"
        year = date.year
        items: list[_Item] = []
        if source is not None:
            n_inherit = min(len(source["items"]), round(share * n_items))
            picked = np.sort(rng.choice(len(source["items"]), size=n_inherit, replace=False))
            items = [_restate(source["items"][k], level, year, rng) for k in picked.tolist()]
        for k in rng.choice(len(pool), size=n_items - len(items), replace=False).tolist():
            local = _local(pool[k], pool, by_domain, level, year, rng)
            items.insert(int(rng.integers(0, len(items) + 1)), local)
        doc_id = f"{year}-{unit.lower()}"
        docs[unit] = {"date": date, "level": level, "parent": parent, "items": items}
        doc_rows.append({"doc_id": doc_id, "level": level, "unit_en": unit,
                         "parent_unit_en": parent or None, "date": date.strftime("%Y-%m-%d"),
                         "year": year, "genre": genre, "n_items": len(items)})
        for pos, it in enumerate(items, start=1):
            text = it.text()
            item_rows.append({"doc_id": doc_id, "item_id": f"{doc_id}-{pos:03d}", "position": pos,
                              "title": it.title, "text": text, "n_chars": len(text),
                              "domain": it.domain, "procedural": False})
    return pd.DataFrame(doc_rows), pd.DataFrame(item_rows)


if __name__ == "__main__":
    documents, items = generate(200)
    print(documents.head(12).to_string())
    print(items.head(6).to_string())
    print(len(documents), "documents,", len(items), "items")
