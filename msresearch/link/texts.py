"""The texts reuse compares, in the order they appeared: the substantive items of the
livelihood lists and the coded sentences of the work reports' plans."""

from __future__ import annotations

import pandas as pd

from msresearch.genres import REPORT_GENRES

ITEM, SENTENCE = "item", "sentence"
PLAN = "plan"  # the section of a work report whose sentences commit to the year ahead
COLUMNS = ["text_id", "doc_id", "kind", "title", "text", "domain"]


def comparable(items: pd.DataFrame, sentences: pd.DataFrame | None,
               documents: pd.DataFrame) -> pd.DataFrame:
    """One row per text (``COLUMNS``): each substantive item of a list, and each sentence of a
    work report's plan coded with a domain (not ``none``); documents in the order they
    appeared (date, then ``doc_id``), texts in document order."""
    genre = documents.set_index("doc_id")["genre"] if "genre" in documents else None
    is_report = (items["doc_id"].map(genre).isin(REPORT_GENRES) if genre is not None
                 else pd.Series(False, index=items.index))
    kept = items[~items["procedural"].astype(bool) & ~is_report]
    parts = [pd.DataFrame({"text_id": kept["item_id"], "doc_id": kept["doc_id"], "kind": ITEM,
                           "title": kept["title"].fillna(""), "text": kept["text"],
                           "domain": kept["domain"]})]
    if sentences is not None and genre is not None and len(sentences):
        plan = sentences[sentences["doc_id"].map(genre).isin(REPORT_GENRES)
                         & sentences["section"].eq(PLAN) & sentences["domain"].ne("none")]
        parts.append(pd.DataFrame({"text_id": plan["sentence_id"], "doc_id": plan["doc_id"],
                                   "kind": SENTENCE, "title": "", "text": plan["text"],
                                   "domain": plan["domain"]}))
    frame = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    return in_order(frame, documents)[COLUMNS]


def when(documents: pd.DataFrame) -> pd.DataFrame:
    """Each document's ``year`` and ``date`` ("" when the manifest gives none), by
    ``doc_id``, and the key that orders them: the date, or "<year>-00" for a document known
    only by its year (before the dated documents of that year)."""
    docs = documents.set_index("doc_id")
    date = (docs["date"].astype("string").fillna("") if "date" in docs
            else pd.Series("", index=docs.index, dtype="string"))
    year = (docs["year"].astype("string").fillna("") if "year" in docs
            else date.str.slice(0, 4))
    key = date.where(date != "", year + "-00")
    return pd.DataFrame({"year": year, "date": date, "key": key})


def in_order(frame: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Rows by their document's date (``when``), then ``doc_id``, then ``text_id``."""
    key = frame["doc_id"].map(when(documents)["key"]).fillna("")
    return (frame.assign(_when=key).sort_values(["_when", "doc_id", "text_id"], kind="stable")
            .drop(columns="_when").reset_index(drop=True))
