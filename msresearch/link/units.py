"""The chain of units above each document, up to its province and beyond: from the
manifest's ``parent_unit_en``, and where a unit has no document to say so, from the table of
divisions (a city's province), so that a level missing from the corpus does not break it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from msresearch.errors import MAX_LISTED
from msresearch.read.collection import read_divisions


@dataclass(frozen=True)
class Units:
    """Each unit's parent and level (``unit_en`` names), and which units have documents."""

    parent: dict[str, str]
    level: dict[str, str]
    documents: dict[str, list[str]]

    def chain(self, unit: str) -> list[str]:
        """The units above ``unit``, nearest first (a loop ends it)."""
        out, seen = [], {unit}
        while (up := self.parent.get(unit)) and up not in seen:
            out.append(up)
            seen.add(up)
            unit = up
        return out

    def province(self, unit: str) -> str:
        """The province ``unit`` lies in (itself for a province), or "" when its chain
        reaches none (the State Council)."""
        return next((u for u in [unit, *self.chain(unit)] if self.level.get(u) == "province"),
                    "")


def units(documents: pd.DataFrame, divisions: pd.DataFrame | None = None) -> Units:
    """The units of ``documents`` and of the divisions table (``data/reference/divisions.csv``
    when None). A unit's parent is what its documents' manifest rows give (the first by
    ``doc_id`` that gives one); a unit no document describes takes its parent from the
    divisions (a city's province). An English name two divisions share (Jilin, the province
    and its city) is ambiguous there and gives no parent."""
    divisions = read_divisions() if divisions is None else divisions
    named = divisions[~divisions["unit_en"].duplicated(keep=False)]
    province_of = divisions[divisions["level"] == "province"].set_index("adcode")["unit_en"]
    parent = {r["unit_en"]: province_of.get(r["province_adcode"], "")
              for r in named.to_dict("records") if r["level"] != "province"}
    level = dict(zip(named["unit_en"], named["level"], strict=True))
    rows = documents.sort_values("doc_id")
    given = rows[rows["parent_unit_en"].fillna("").astype(str).ne("")]
    parent.update(given.drop_duplicates("unit_en").set_index("unit_en")["parent_unit_en"])
    if "level" in rows:
        level.update(rows.drop_duplicates("unit_en").set_index("unit_en")["level"])
    return Units({u: p for u, p in parent.items() if p and p != u}, level,
                 rows.groupby("unit_en")["doc_id"].apply(list).to_dict())


def ancestors(documents: pd.DataFrame, divisions: pd.DataFrame | None = None
              ) -> dict[str, set[str]]:
    """Each document's ancestors: the documents of every unit in its chain (its parent
    unit, that unit's parent and so on, county → city → province → the State Council), a
    level with no document passed through (a county whose city is absent still reaches its
    province)."""
    found = units(documents, divisions)
    return {doc_id: {d for u in found.chain(unit) for d in found.documents.get(u, [])}
            for doc_id, unit in zip(documents["doc_id"], documents["unit_en"], strict=True)}


def gaps(documents: pd.DataFrame, found: Units) -> list[str]:
    """A warning for each unit between a document and a unit above it with documents that has
    no document itself: the chain goes on through it (from the divisions), and the reader is
    told which level is missing."""
    below: dict[tuple[str, str], list[str]] = {}
    for doc_id, unit in zip(documents["doc_id"], documents["unit_en"], strict=True):
        chain = found.chain(unit)
        covered = [k for k, u in enumerate(chain) if u in found.documents]
        for k, u in enumerate(chain[:covered[-1]] if covered else []):
            if u not in found.documents:
                nxt = next(chain[j] for j in covered if j > k)
                below.setdefault((u, nxt), []).append(doc_id)
    out = []
    for (unit, above), docs in sorted(below.items()):
        docs = sorted(docs)
        named = ", ".join(docs[:MAX_LISTED]) + (f" and {len(docs) - MAX_LISTED} more"
                                                if len(docs) > MAX_LISTED else "")
        out.append(f"no document of {unit} ({found.level.get(unit, 'unit')}) in the corpus: "
                   f"{named} reach{'es' if len(docs) == 1 else ''} {above} through it")
    return out
