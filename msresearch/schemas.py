"""Schemas of the tables the build writes, checked before anything is written."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from msresearch.config import LEVELS
from msresearch.errors import InputError

_str = pa.Column(str)
_opt_str = pa.Column(str, nullable=True)
_count = pa.Column(int, pa.Check.ge(0))

DOCUMENTS = pa.DataFrameSchema(
    {
        "doc_id": pa.Column(str, unique=True),
        "file": _str,
        "source_name": _str,
        "level": pa.Column(str, pa.Check.isin(LEVELS)),
        "unit_zh": _str,
        "unit_en": _str,
        "parent_unit_en": _str,
        "issuer": _str,
        "doc_number": _str,
        "genre": _str,
        "genre_zh": _str,
        "date": _str,
        "posted": _str,
        "year": pa.Column(int, pa.Check.in_range(1949, 2100)),
        "period_start": pa.Column(int),
        "period_end": pa.Column(int),
        "sha256": _str,
        "encoding": _str,
        "n_chars_raw": _count,
    },
    strict=True,
    ordered=True,
    checks=pa.Check(lambda df: (df["period_end"] >= df["period_start"]).all(),
                    error="period_end before period_start"),
)

SCHEMAS = {"documents.csv": DOCUMENTS}


def check(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate an output table against its schema; a failure is an InputError naming it."""
    try:
        return SCHEMAS[name].validate(frame, lazy=False)
    except (pa.errors.SchemaError, pa.errors.SchemaErrors) as err:
        first = str(err).strip().splitlines()[0]
        raise InputError(name, f"does not match its schema: {first}") from None
