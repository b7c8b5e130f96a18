"""The hand-coded development labels point at the items the segmentation finds: same
document, same position, same printed number, same opening characters."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from msresearch import config


def _squash(text: str) -> str:
    """Whitespace removed and punctuation width unified, as the gold's openings were taken."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def _number(printed: str) -> str:
    return _squash(printed).removeprefix("row").strip("().、")


def test_every_gold_row_aligns_with_a_segmented_item():
    gold = pd.read_csv(config.GOLD_DEV, dtype=str, keep_default_na=False)
    docs = pd.read_csv(config.PROCESSED / "documents.csv", dtype=str, keep_default_na=False)
    items = pd.read_csv(config.PROCESSED / "items.csv", dtype=str, keep_default_na=False)
    gold = gold.merge(docs[["source_name", "doc_id"]], left_on="seed_file", right_on="source_name")
    assert len(gold) == 104
    merged = gold.merge(items, on=["doc_id", "position"], how="left", suffixes=("_gold", ""))
    assert merged["item_id"].ne("").all() and merged["item_id"].notna().all()
    for rec in merged.to_dict("records"):
        assert _number(rec["printed_number"]) == _number(rec["printed_number_gold"]), rec["item_id"]
        assert _squash(rec["text"]).startswith(_squash(rec["opening"])), rec["item_id"]
        assert (rec["domain"] == "procedural") == (rec["procedural"] == "True"), rec["item_id"]
