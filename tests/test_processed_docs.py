"""Every column of every processed table is documented in data/processed/README.md."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from msresearch import config
from msresearch.pipeline.schemas import SCHEMAS

README = (config.PROCESSED / "README.md").read_text(encoding="utf-8")


def _documented(table: str) -> list[str]:
    section = re.search(rf"^## {re.escape(table)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert section, f"data/processed/README.md has no section for {table}"
    return re.findall(r"^\| `([a-z0-9_]+)` \|", section.group(1), re.M)


OPTIONAL = {"rejected.csv"}  # written only by `build --skip-invalid` when a document fails


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_columns_are_documented_in_schema_order(table):
    path = config.PROCESSED / table
    if table in OPTIONAL and not path.exists():
        written = list(SCHEMAS[table].columns)
    else:
        written = pd.read_csv(path, nrows=0).columns.tolist()
    assert written == list(SCHEMAS[table].columns)
    assert _documented(table) == written


def test_every_written_table_has_a_schema():
    written = {p.name for p in config.PROCESSED.glob("*.csv")}
    assert written <= set(SCHEMAS) and set(SCHEMAS) - written <= OPTIONAL
