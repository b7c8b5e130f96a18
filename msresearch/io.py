"""All reading and writing of files: raw data, tables, figures; writes are atomic."""

from __future__ import annotations

import csv
import errno
import io as _io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from msresearch import config
from msresearch.corpus import validate_manifest
from msresearch.errors import InputError


def label(path: Path) -> str:
    """How a file is named in messages and outputs: relative to the project when inside it."""
    return config.relative(path)


def read_manifest(path: Path = config.MANIFEST) -> pd.DataFrame:
    """Read and validate the manifest; every cell is read as text, nothing guessed."""
    return validate_manifest(_read_text_csv(path, "manifest"), label(path))


def _read_text_csv(path: Path, what: str) -> pd.DataFrame:
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic_write(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as err:
        raise _naming(err, path) from None
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _naming(err: OSError, path: Path) -> OSError:
    """The error with the file it was writing named, when the system did not name one (a
    write to an open file that fills the disk names none)."""
    if err.filename is None and err.errno is not None:
        err.filename = str(path)
    return err


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


def write_bytes(path: Path, data: bytes) -> None:
    """Write bytes atomically (temporary file, then rename)."""
    _atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))


WRITERS = 2  # threads writing a build's files: a large table and the small files at once
# ``put(name, data)``: how the build hands a file to ``staged_outputs`` (or to a comparison)
Put = Callable[[str, bytes | Iterable[bytes]], None]


def build_owned(name: str) -> bool:
    """Whether an output folder's file (a path relative to it) is the build's: one of the
    tables a build writes (``config.TABLES``) or anything under ``clean/``. The others
    (``README.md``, a user's own ``notes.csv``) are the user's, and are carried from one
    version of the folder to the next."""
    return name in config.TABLES or Path(name).parts[:1] == (config.CLEAN_DIRNAME,)


def _files(folder: Path, hidden: bool = False) -> list[str]:
    """The files under a folder, relative to it (hidden ones left out unless ``hidden``)."""
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if (p.is_file() or p.is_symlink())
                  and (hidden or not any(s.startswith(".") for s in p.relative_to(folder).parts)))


@contextmanager
def _locked(out_dir: Path, said: str) -> Iterator[None]:
    """Hold the output folder's lock (``.<name>.lock`` beside it) while a build publishes it:
    a second build of the same folder stops with a one-line error instead of mixing its
    files with the first's. The lock is the operating system's (``flock``): a killed build
    releases it."""
    import fcntl

    lock = out_dir.parent / f".{out_dir.name}.lock"
    try:
        handle = open(lock, "a+b")
    except OSError as err:
        raise InputError(said, f"cannot write beside it: {err.strerror}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(said, f"another build is writing it (its lock "
                             f"{lock.name} is held); run one build at a time") from None
        yield


def _beside_prefix(out_dir: Path) -> str:
    """The start of the names of the folders a build makes beside its output folder (a new
    version being staged, an old one being removed): ``.<name>.msresearch-``, so that no
    folder of the user's (``.<name>.bak``) is ever taken for one."""
    return f".{out_dir.name}.msresearch-"


def _remove_leftovers(out_dir: Path) -> None:
    """Remove what killed builds left beside the output folder: staging folders and
    replaced versions (named ``_beside_prefix``; matched as text, never as a pattern, so an
    output folder named ``*`` matches nothing else). Under the lock, so never a running
    build's."""
    prefix = _beside_prefix(out_dir)
    for name in sorted(os.listdir(out_dir.parent)):
        path = out_dir.parent / name
        if not name.startswith(prefix):
            continue
        if path.is_symlink():
            path.unlink()
        elif path.is_dir():
            _remove_tree(path)


def _remove_tree(path: Path) -> None:
    """Remove a folder of a build's files, even one a user made read-only; what cannot be
    removed is left for the next build to try again."""
    import shutil
    import stat

    def writable_and_retry(function, name, _):
        try:
            parent = os.path.dirname(name)
            os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR)
            function(name)
        except OSError:
            pass

    shutil.rmtree(path, onerror=writable_and_retry)


RENAME_EXCHANGE = 2  # linux/fs.h
MOUNT_POINT = ("is a mount point (a Docker volume?): a build makes a new version of its output "
               "folder beside it and swaps the two in one step, so that no reader and no killed "
               "build ever sees a mix of old and new files, and a mount point cannot be swapped; "
               "give a folder inside it (--out <mount>/processed)")


def _exchange(new: Path, current: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2(RENAME_EXCHANGE)``): a reader sees
    the old folder or the new one, never a mix nor nothing. False where the system cannot."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd = -100
    if renameat2(at_cwd, os.fsencode(new), at_cwd, os.fsencode(current), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # not on this file system
        return False
    raise OSError(code, os.strerror(code), str(current))


def _publish(staging: Path, out_dir: Path) -> None:
    """Make the staged folder the output folder in one rename; the old one is removed after
    (what cannot be removed now, a later build removes)."""
    if not out_dir.exists() and not out_dir.is_symlink():
        os.rename(staging, out_dir)
        return
    try:
        exchanged = _exchange(staging, out_dir)
    except OSError as err:
        if err.errno in (errno.EBUSY, errno.EXDEV):
            raise InputError(label(out_dir), MOUNT_POINT, field="--out") from None
        raise
    if not exchanged:  # elsewhere: two renames, the folder briefly absent
        old = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=_beside_prefix(out_dir)))
        os.rename(out_dir, old / "out")
        os.rename(staging, out_dir)
        staging = old
    _remove_tree(staging)


@contextmanager
def staged_outputs(out_dir: Path, digests: dict[str, str] | None = None
                   ) -> Iterator[Put]:
    """Build a new version of the output folder beside it and make it current whole.

    Yields ``put(name, data)``, which hands a file (bytes, or chunks of bytes for a file too
    large to hold at once) to a writer thread (``WRITERS``) that writes it into a staging
    folder beside ``out_dir`` while the build goes on (writing and hashing release the GIL);
    its SHA-256 goes into ``digests``. A file given whole that the current folder already
    holds with these very bytes is linked, not written again (after one changed document,
    thousands of clean texts). The user's files (not ``build_owned``, e.g. ``README.md``)
    are linked over; the build's files of the old version that this build did not make
    (the clean text of a document no longer in the manifest) are not.

    When the block ends without error and every file is written, the staging folder and
    ``out_dir`` are swapped in one step (``_exchange``), so a reader, or a build killed at
    any point, sees all the old files or all the new, and the old version is removed. All
    of it under the folder's lock (``_locked``); leftovers of killed builds are removed
    first."""
    import hashlib
    from concurrent.futures import ThreadPoolExecutor

    said = label(out_dir)
    out_dir = _real(Path(out_dir))
    digests = {} if digests is None else digests
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(said, f"cannot create its folder: {err.strerror}") from None
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(said, "exists and is not a folder")
    with _locked(out_dir, said):
        _remove_leftovers(out_dir)
        try:
            staging = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=_beside_prefix(out_dir)))
        except OSError as err:
            raise InputError(said, f"cannot write beside it: {err.strerror}") from None
        try:
            mode = out_dir.stat().st_mode & 0o7777 if out_dir.is_dir() else 0o777 & ~_umask()
            os.chmod(staging, mode)
            for name in _user_entries(out_dir):
                _link_or_copy(out_dir / name, staging / name)

            def write(name: str, data: bytes | Iterable[bytes]) -> None:
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.is_symlink() or target.exists():  # a file put is the build's
                    target.unlink()
                if isinstance(data, bytes) and _same_file(out_dir / name, data):
                    _link_or_copy(out_dir / name, target)
                    digests[name] = hashlib.sha256(data).hexdigest()
                    return
                digest = hashlib.sha256()
                try:
                    with open(target, "wb") as handle:
                        for chunk in [data] if isinstance(data, bytes) else data:
                            digest.update(chunk)
                            handle.write(chunk)
                except OSError as err:
                    raise _naming(err, out_dir / name) from None
                os.chmod(target, 0o666 & ~_umask())
                digests[name] = digest.hexdigest()

            writer = ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="outputs")
            pending = []

            def put(name: str, data: bytes | Iterable[bytes]) -> None:
                pending.append(writer.submit(write, name, data))

            try:
                yield put
                for done in pending:
                    done.result()  # a write that failed fails the build here
            finally:
                writer.shutdown(wait=True, cancel_futures=True)
            _publish(staging, out_dir)
        except BaseException:
            _remove_tree(staging)
            raise


def _real(out_dir: Path) -> Path:
    """The output folder itself: through a symbolic link (``--out`` may be a link to the
    folder, which is then what is replaced, the link kept) and whatever path names it, so
    that one lock guards one folder."""
    return Path(os.path.realpath(out_dir))


def _user_entries(out_dir: Path) -> list[str]:
    """What of the output folder is the user's and goes into each new version: every file,
    link and empty folder that is not the build's (``build_owned``), hidden ones included
    (``README.md``, a ``.gitignore``, the user's own ``notes.csv``)."""
    entries = [name for name in _files(out_dir, hidden=True) if not build_owned(name)]
    if out_dir.is_dir():
        entries += sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*")
                          if p.is_dir() and not p.is_symlink() and not any(p.iterdir())
                          and not build_owned(p.relative_to(out_dir).as_posix()))
    return entries


def _link_or_copy(source: Path, target: Path) -> None:
    """An entry of the current output folder into the staging one: a file as a hard link
    (no bytes copied; files are never modified in place, only replaced), or a copy where
    links fail; a symbolic link as itself; an empty folder as a new empty folder."""
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir() and not source.is_symlink():
        target.mkdir(exist_ok=True)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def stray_outputs(out_dir: Path, expected: Iterable[str]) -> list[str]:
    """The build's files in an output folder that a build would not write now (the clean
    text of a document no longer in the manifest, a ``rejected.csv`` of an earlier run)."""
    expected = set(expected)
    return [name for name in _files(Path(out_dir)) if build_owned(name) and name not in expected]


def _same_file(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data`` (its size first, then its bytes)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def byte_ranges(ranges: list[tuple[Path, int, int]]) -> Iterator[bytes]:
    """The bytes ``start:end`` of each (file, start, end), in the order given, each file
    opened once: joining parts of large cached files without reading them whole."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        handles: dict[Path, object] = {}
        for path, start, end in ranges:
            if path not in handles:
                handles[path] = stack.enter_context(open(path, "rb"))
            yield os.pread(handles[path].fileno(), end - start, start)


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file, read in blocks, or None when there is no such file."""
    import hashlib

    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except (FileNotFoundError, IsADirectoryError):
        return None
    return digest.hexdigest()


def output_digests(out_dir: Path) -> dict[str, str]:
    """SHA-256 of every file under an output folder, by its path relative to the folder
    (hidden files and folders, such as a build's staging area, left out)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return {}
    return {p.relative_to(out_dir).as_posix(): file_digest(p)
            for p in sorted(out_dir.rglob("*")) if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(out_dir).parts)}


def provenance(notebook: str, parameters: dict, inputs: tuple[str, ...] = ()) -> dict:
    """Where a figure came from: notebook, parameter set, package version and the SHA-256 of
    the processed tables it read (all of data/processed/*.csv when ``inputs`` is empty)."""
    import hashlib

    from msresearch import __version__

    names = inputs or tuple(sorted(p.name for p in config.PROCESSED.glob("*.csv")))
    return {
        "notebook": notebook,
        "parameters": dict(sorted(parameters.items())),
        "msresearch_version": __version__,
        "inputs": {f"data/processed/{n}": hashlib.sha256((config.PROCESSED / n).read_bytes())
                   .hexdigest() for n in names},
    }


def save_figure(fig, name: str, directory: Path = config.FIGURES,
                provenance: dict | None = None) -> list[Path]:
    """Save a figure as PNG and SVG with no volatile metadata, so reruns give the same bytes;
    with ``provenance``, also a ``<name>.json`` sidecar saying where it came from."""
    import json

    import matplotlib

    directory = Path(directory)
    paths = []
    if provenance is not None:
        sidecar = directory / f"{name}.json"
        write_bytes(sidecar, (json.dumps(provenance, ensure_ascii=False, indent=1, sort_keys=True)
                              + "\n").encode("utf-8"))
        paths.append(sidecar)
    with matplotlib.rc_context({"svg.hashsalt": config.SVG_HASHSALT, "svg.id": name}):
        for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None})):
            path = directory / f"{name}.{ext}"

            def write(tmp: Path, ext=ext, metadata=metadata) -> None:
                fig.savefig(tmp, format=ext, metadata=metadata, dpi=150, bbox_inches="tight")

            _atomic_write(path, write)
            paths.append(path)
    return paths


def read_params(path: Path) -> dict:
    """A papermill parameter set: a YAML mapping of names to plain values."""
    from msresearch import yamlfile

    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(label(path), "parameter file not found") from None
    except IsADirectoryError:
        raise InputError(label(path), "a folder, not a parameter file") from None
    except OSError as err:
        raise InputError(label(path), f"unreadable: {err.strerror}") from None
    data, lines = yamlfile.load_with_lines(raw, label(path))
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


def read_reuse_params(path: Path = config.REUSE_PARAMS):
    """The reuse rule's settings (``params/reuse/*.yaml``), checked: unknown names and values
    that are not numbers are errors naming the field."""
    from msresearch.reuse import ReuseParams, params_from

    data = read_params(path)
    for key, value in data.items():
        default = getattr(ReuseParams, key, None)
        if isinstance(default, int | float) and (isinstance(value, bool)
                                                 or not isinstance(value, int | float)):
            raise InputError(label(path), f"not a number: {value!r}", field=key)
    try:
        return params_from(data)
    except ValueError as err:
        raise InputError(label(path), str(err), field=str(err).split("'")[1]) from None


def read_gold_reuse(path: Path = config.GOLD_REUSE) -> pd.DataFrame:
    """Hand-labelled item pairs (data/gold/README.md), positions as integers."""
    try:
        return pd.read_csv(path, dtype={"position_a": int, "position_b": int},
                           keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(label(path), "gold pairs not found") from None


def read_codebook(path: Path):
    """Read and check a codebook YAML file (see ``msresearch.codebook``)."""
    from msresearch import yamlfile
    from msresearch.codebook import parse_codebook

    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(label(path), "codebook not found") from None
    except IsADirectoryError:
        raise InputError(label(path), "a folder, not a codebook file") from None
    except OSError as err:
        raise InputError(label(path), f"unreadable: {err.strerror}") from None
    data, lines = yamlfile.load_with_lines(raw, label(path))
    return parse_codebook(data, label(path), lines)


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


def read_sentence_labels(directory: Path) -> pd.DataFrame:
    """A labelled folder's hand-coded sentences (``sentences.csv``: file, sentence, domain)."""
    path = Path(directory) / "sentences.csv"
    labels = _read_text_csv(path, "sentence labels")
    for field in ("file", "sentence", "domain"):
        if field not in labels.columns:
            raise InputError(label(path), "missing column", row=0, field=field)
    return labels


def read_labelled(directory: Path) -> tuple[dict[str, str], pd.DataFrame]:
    """A folder of labelled documents (``labels.csv`` and the files it names, under ``docs/``
    or beside it): their decoded texts and the labels, checked row by row."""
    from msresearch.corpus import read_document_text
    from msresearch.evaluate import LABEL_COLUMNS

    directory = Path(directory)
    path = directory / "labels.csv"
    labels = _read_text_csv(path, "labels")
    missing = [c for c in LABEL_COLUMNS if c not in labels.columns]
    if missing:
        raise InputError(label(path), f"missing column(s): {', '.join(missing)}", row=0,
                         field=missing[0])
    texts: dict[str, str] = {}
    for row, rec in enumerate(labels.to_dict("records"), start=1):
        if rec["whole"] not in ("0", "1"):
            raise InputError(label(path), f"not 0 or 1: {rec['whole']!r}", row=row, field="whole")
        if not rec["position"].isdigit():
            raise InputError(label(path), f"not a position: {rec['position']!r}", row=row,
                             field="position")
        name = rec["file"]
        if name in texts:
            continue
        doc = next((p for p in (directory / "docs" / name, directory / name) if p.is_file()), None)
        if doc is None or Path(name).name != name:
            raise InputError(label(path), f"no such document: {name!r}", row=row, field="file")
        texts[name], _ = read_document_text(read_bytes(doc, row=row), label(doc))
    labels["position"] = labels["position"].astype(int)
    labels["whole"] = labels["whole"].astype(int)
    return texts, labels
