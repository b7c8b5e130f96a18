"""Reading the project's inputs: the manifest, raw files, parameter sets, the codebook, the
reuse rule's settings, labelled data and the tables a build wrote; a missing or bad file is an
InputError that names it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from msresearch import config
from msresearch.errors import InputError
from msresearch.io.tables import unescape


def label(path: Path) -> str:
    """How a file is named in messages and outputs: relative to the project when inside it."""
    return config.relative(path)


def read_text_csv(path: Path, what: str) -> pd.DataFrame:
    """A CSV file read with every cell as text (nothing guessed); a missing or unreadable
    file is an InputError that says which ``what`` it was."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(label(path), f"{what} not found") from None
    except IsADirectoryError:
        raise InputError(label(path), f"the {what} is a folder, not a CSV file") from None
    except pd.errors.EmptyDataError:
        raise InputError(label(path), f"the {what} is empty: no header line") from None
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise InputError(label(path), f"unreadable CSV: {first}") from None


def has_content(path: Path) -> bool:
    """Whether a file holds anything but white space (and a byte-order mark)."""
    with open(path, "rb") as handle:
        first = True
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            if (chunk.removeprefix(b"\xef\xbb\xbf") if first else chunk).strip():
                return True
            first = False
    return False


def read_bytes(path: Path, row: int | None = None) -> bytes:
    """The bytes of a raw file; a missing or unreadable one is an InputError."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(label(path), "raw file not found", row=row, field="file") from None
    except OSError as err:
        raise InputError(label(path), f"unreadable: {err.strerror}", row=row, field="file") from None


def read_yaml(path: Path, what: str, kind: str) -> tuple[object, dict]:
    """A YAML file read strictly (``yamlfile``), with the line of every key; a file that is
    missing, a folder or unreadable is an InputError saying ``what`` it was (``codebook``) and
    what ``kind`` of file it should be (``codebook file``)."""
    from msresearch.io import yamlfile

    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(label(path), f"{what} not found") from None
    except IsADirectoryError:
        raise InputError(label(path), f"a folder, not a {kind}") from None
    except OSError as err:
        raise InputError(label(path), f"unreadable: {err.strerror}") from None
    return yamlfile.load_with_lines(raw, label(path))


def read_params(path: Path) -> dict:
    """A papermill parameter set: a YAML mapping of names to plain values."""
    data, lines = read_yaml(path, "parameter file", "parameter file")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(label(path), "expected a mapping of parameter names to values",
                         line=lines.get(()))
    for key in data:
        if not isinstance(key, str) or not key.isidentifier():
            raise InputError(label(path), f"parameter name {key!r} is not an identifier",
                             field=str(key), line=lines.get((key,)))
    return data


def read_table(name: str, directory: Path = config.PROCESSED) -> pd.DataFrame:
    """A table the build wrote, read back with the types and the text it was written with
    (cells escaped for spreadsheets given back, ``unescape``)."""
    path = Path(directory) / name
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""], encoding="utf-8")
    except FileNotFoundError:
        raise InputError(label(path), "not built yet: run `make build`") from None
    return unescape(frame)


def read_gold_reuse(path: Path = config.GOLD_REUSE) -> pd.DataFrame:
    """Hand-labelled item pairs (data/gold/README.md), positions as integers."""
    try:
        return pd.read_csv(path, dtype={"position_a": int, "position_b": int},
                           keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(label(path), "gold pairs not found") from None


def read_gold(path: Path = config.GOLD_DEV) -> pd.DataFrame:
    """Hand-coded development labels (data/gold/README.md), positions as integers."""
    try:
        return pd.read_csv(path, dtype={"position": int}, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(label(path), "gold labels not found") from None


def read_gold_sentences(path: Path = config.GOLD_SENTENCES) -> pd.DataFrame:
    """Hand-coded development sentences (data/gold/README.md)."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(label(path), "gold sentences not found") from None


