"""Numbers the README quotes are the numbers the build computes."""

from __future__ import annotations

import re

import pandas as pd

from msresearch import config

ROW = re.compile(r"^\s*\| (\S+) \| (\w+) \| ([\d.]+)% \(([\d.]+)–([\d.]+)\) \| ([\d.]+)% \|$", re.M)


def test_findings_table_matches_attention_csv():
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    rows = ROW.findall(readme)
    assert len(rows) >= 4, "the findings table was not found"
    attention = pd.read_csv(config.PROCESSED / "attention.csv").set_index(["doc_id", "domain"])
    for doc_id, domain, share, low, high, text in rows:
        rec = attention.loc[(doc_id, domain)]
        quoted = [float(v) for v in (share, low, high, text)]
        actual = [round(100 * rec[c], 1) for c in
                  ("item_share", "item_share_low", "item_share_high", "text_share")]
        assert quoted == actual, (doc_id, domain)
