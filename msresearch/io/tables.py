"""Tables as the project writes them: UTF-8 CSV, LF line ends, a fixed float format, cells a
spreadsheet would run as formulas escaped; rows rendered document by document with the bytes
they have in the whole table."""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Iterable

import numpy as np
import pandas as pd

from msresearch import config


def _fixed(values: np.ndarray) -> np.ndarray:
    """Floats as the tables write them (``config.CSV_FLOAT_FORMAT``; NaN empty), each distinct
    value formatted once: pandas formats a float column value by value in Python, and reuse
    tables have millions of them with few distinct values. Distinct by bits, so that 0.0 and
    -0.0 keep their own texts."""
    bits, inverse = np.unique(np.ascontiguousarray(values, dtype=np.float64).view(np.uint64),
                              return_inverse=True)
    texts = np.array([_float_text(v) for v in bits.view(np.float64).tolist()], dtype=object)
    return texts[inverse.reshape(-1)]


def _float_text(value: float) -> str:
    return "" if value != value else config.CSV_FLOAT_FORMAT % value


# A cell that begins with one of these is read as a formula by spreadsheets (OWASP, "CSV
# injection"); it is written with a "'" before it, and so is a cell that begins with "'", so
# that ``unescape`` gives every cell back exactly.
UNSAFE_START = ("=", "+", "-", "@", "\t", "\r", "'")


def _safe(value: object) -> object:
    """A cell as written: text that a spreadsheet would run as a formula gets a "'" first."""
    return "'" + value if isinstance(value, str) and value.startswith(UNSAFE_START) else value


def _safe_column(column: pd.Series) -> pd.Series | None:
    """A text column with its unsafe cells escaped (``_safe``), or None when it has none."""
    values = column.tolist()
    hits = [k for k, v in enumerate(values) if isinstance(v, str) and v.startswith(UNSAFE_START)]
    if not hits:
        return None
    for k in hits:
        values[k] = "'" + values[k]
    return pd.Series(values, index=column.index, dtype=column.dtype, name=column.name)


def unescape(frame: pd.DataFrame) -> pd.DataFrame:
    """A table read back from CSV with the cells ``_safe`` escaped given back as they were."""
    for name, kind in frame.dtypes.items():
        column = frame[name]
        if isinstance(kind, pd.StringDtype):
            escaped = column.str.startswith("'", na=False).astype(bool)
            if escaped.any():
                frame[name] = column.where(~escaped, column.str[1:])
        elif pd.api.types.is_object_dtype(kind):
            frame[name] = column.map(
                lambda v: v[1:] if isinstance(v, str) and v.startswith("'") else v)
    return frame


def table_bytes(frame: pd.DataFrame) -> bytes:
    """A table as the project writes it: UTF-8 CSV, LF line ends, fixed float format, text
    that a spreadsheet would take for a formula escaped (``UNSAFE_START``): the bytes of
    ``frame.to_csv(index=False, lineterminator="\\n", float_format=...)`` of the escaped
    table, with the float columns formatted faster (``_fixed``)."""
    changed = {name: _fixed(frame[name].to_numpy()) for name, kind in frame.dtypes.items()
               if kind == np.float64}
    for name, kind in frame.dtypes.items():
        if pd.api.types.is_object_dtype(kind) or isinstance(kind, pd.StringDtype):
            safe = _safe_column(frame[name])
            if safe is not None:
                changed[name] = safe
    if changed:
        frame = frame.assign(**changed)
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _cells(values: list, kind: str) -> list:
    """One column's values as ``table_bytes`` writes a column of this (pandas) dtype."""
    if kind == "float64":
        return [_float_text(v) if v is not None else "" for v in values]
    if kind in ("int64", "bool"):
        return values
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else _safe(v)
            for v in values]


def csv_rows(columns: dict[str, list], kinds: dict[str, str]) -> bytes:
    """Rows of a table, without its header, in the bytes ``table_bytes`` gives them in a
    whole table whose columns have the dtypes ``kinds`` (column → pandas dtype name, in the
    table's order): so that rows rendered document by document can be joined into the table
    without building it."""
    buffer = _io.StringIO()
    cells = [_cells(list(columns[name]), kind) for name, kind in kinds.items()]
    csv.writer(buffer, lineterminator="\n").writerows(zip(*cells, strict=True))
    return buffer.getvalue().encode("utf-8")


def csv_header(names: Iterable[str]) -> bytes:
    """A table's header line, as ``table_bytes`` writes it."""
    buffer = _io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(list(names))
    return buffer.getvalue().encode("utf-8")
