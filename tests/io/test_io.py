"""How tables are written: the fast float path and rows rendered document by document give
the bytes pandas gives for the whole table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from msresearch import config
from msresearch.io import atomic, inputs, publish, tables

FLOATS = [0.0, -0.0, np.nan, 1 / 3, 2.5e-7, 5e-7, 1e20, np.inf, -np.inf, 0.5, 1.0000005, 7.0]
STRINGS = ["x", "a,b", 'say "hi"', "", None, "two\nlines", "全省", " lead", "\r", "=SUM(A1)",
           "+86 555", "-1", "@home", "\tx", "'quoted", "'=already"]


def _pandas(frame: pd.DataFrame) -> bytes:
    """The bytes pandas writes for the table, its formula-like cells escaped by hand."""
    escaped = frame.copy()
    for name in escaped.columns:
        if escaped[name].dtype == object:
            escaped[name] = [("'" + v if isinstance(v, str) and v[:1] in "=+-@\t\r'" and v else v)
                             for v in escaped[name]]
    return escaped.to_csv(index=False, lineterminator="\n",
                          float_format=config.CSV_FLOAT_FORMAT).encode("utf-8")


def _frames(seed: int, count: int):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n = int(rng.integers(0, 40))
        yield pd.DataFrame({
            "share": rng.choice(FLOATS, n),
            "count": rng.integers(-5, 5, n),
            "text": pd.Series(rng.choice(np.array(STRINGS, dtype=object), n), dtype=object),
            "declared": pd.array([None if v < 0 else int(v) for v in rng.integers(-2, 9, n)],
                                 dtype="Int64"),
            "match": pd.array([None if v == 2 else bool(v) for v in rng.integers(0, 3, n)],
                              dtype="boolean"),
            "flag": rng.choice([True, False], n),
        })


@pytest.mark.parametrize("seed", range(3))
def test_table_bytes_are_the_bytes_pandas_writes(seed):
    for frame in _frames(seed, 100):
        assert tables.table_bytes(frame) == _pandas(frame)


@pytest.mark.parametrize("seed", range(3))
def test_rows_written_in_parts_join_into_the_whole_table(seed):
    for frame in _frames(seed, 60):
        kinds = {name: str(kind) for name, kind in frame.dtypes.items()}
        kinds["text"] = "str"
        cut = len(frame) // 3
        parts = [frame.iloc[:cut], frame.iloc[cut:]]
        joined = tables.csv_header(kinds) + b"".join(
            tables.csv_rows({c: part[c].tolist() for c in part.columns}, kinds) for part in parts)
        assert joined == _pandas(frame)


def test_formula_like_cells_are_escaped_and_read_back_unchanged(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b", "c", "d", "e", "f", "g"],
                          "issuer": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@x", "\tx",
                                     "'kept", "plain"]})
    data = tables.table_bytes(frame)
    assert b"'=HYPERLINK" in data and b",'+1\n" in data and b",'-2\n" in data
    assert b",'@x\n" in data and b",''kept\n" in data and b",plain\n" in data
    (tmp_path / "t.csv").write_bytes(data)
    pd.testing.assert_frame_equal(inputs.read_table("t.csv", tmp_path), frame)
    rows = tables.csv_rows({c: frame[c].tolist() for c in frame.columns},
                       {"doc_id": "str", "issuer": "str"})
    assert tables.csv_header(frame.columns) + rows == data


def test_a_float_column_of_python_ints_is_written_as_floats():
    # a column the schema types as float can hold ints (a score of 0): pandas writes them
    # with the float format, and so must the rows written document by document
    kinds = {"score": "float64"}
    assert tables.csv_rows({"score": [0, 2, 0.5]}, kinds) == b"0.000000\n2.000000\n0.500000\n"
    assert _pandas(pd.DataFrame({"score": [0, 2, 0.5]})).split(b"\n", 1)[1] == \
        b"0.000000\n2.000000\n0.500000\n"


def test_byte_ranges_join_parts_of_files_in_the_order_given(tmp_path):
    (tmp_path / "a").write_bytes(b"0123456789")
    (tmp_path / "b").write_bytes(b"abcdef")
    ranges = [(tmp_path / "b", 2, 4), (tmp_path / "a", 0, 3), (tmp_path / "b", 0, 1),
              (tmp_path / "a", 9, 10)]
    assert b"".join(atomic.byte_ranges(ranges)) == b"cd012a9"


def test_staged_outputs_publish_together_and_leave_unchanged_files_in_place(tmp_path):
    out = tmp_path / "out"
    digests: dict[str, str] = {}
    with publish.staged_outputs(out, digests) as put:
        put("a.csv", b"one\n")
        put("clean/b.txt", b"two\n")
        put("big.csv", iter([b"x,", b"y\n"]))
    before = {name: (out / name).stat().st_ino for name in digests}
    assert sorted(digests) == ["a.csv", "big.csv", "clean/b.txt"]
    with publish.staged_outputs(out, digests) as put:
        put("a.csv", b"one\n")  # the same bytes: left as it is
        put("clean/b.txt", b"changed\n")
        put("big.csv", iter([b"x,", b"y\n"]))  # streamed: always written
    assert (out / "a.csv").stat().st_ino == before["a.csv"]
    assert (out / "clean/b.txt").read_bytes() == b"changed\n"
    assert (out / "big.csv").stat().st_ino != before["big.csv"]
    assert digests["clean/b.txt"] == atomic.file_digest(out / "clean/b.txt")
    assert digests["a.csv"] == atomic.file_digest(out / "a.csv")


def test_staged_outputs_publish_nothing_when_a_write_fails(tmp_path):
    out = tmp_path / "out"
    with publish.staged_outputs(out) as put:
        put("a.csv", b"one\n")

    def broken():
        yield b"half"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        with publish.staged_outputs(out) as put:
            put("a.csv", b"two\n")
            put("b.csv", broken())
    assert (out / "a.csv").read_bytes() == b"one\n" and not (out / "b.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]  # no staging left
