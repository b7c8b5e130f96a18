"""The corpus: the manifest's rules, checksums, and turning a raw file's bytes into text."""

from __future__ import annotations

import hashlib
import math
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pandas as pd

from msresearch import config
from msresearch.errors import InputError
from msresearch.io.inputs import label, read_text_csv
from msresearch.read import pages

MANIFEST_COLUMNS = (
    "doc_id", "file", "source_name", "level", "unit_zh", "unit_en", "parent_unit_en",
    "issuer", "doc_number", "genre", "genre_zh", "date", "posted", "year",
    "period_start", "period_end", "sha256", "notes", "source_url",
)
# columns a manifest may leave out (an older one), read as empty
OPTIONAL_COLUMNS = ("source_url",)
REQUIRED_CELLS = ("doc_id", "file", "level", "unit_zh", "unit_en", "issuer", "genre", "year")
INTEGER_COLUMNS = ("year", "period_start", "period_end")
DATE_COLUMNS = ("date", "posted")
# A doc_id names files (clean/<doc_id>.txt) and starts every item's id: letters, digits and
# . _ - only (no blank, no control character, no path), and short enough for a file name.
DOC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
DOC_ID_MAX = 100
SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Document:
    """One document: its manifest row (metadata travels with the text) and its text."""

    doc_id: str
    meta: dict
    text: str


def validate_manifest(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check a manifest read as strings; return it with integer columns typed.

    Raises InputError naming the file, row (1-based data row) and field of the first problem.
    """
    frame = frame.assign(**{c: "" for c in OPTIONAL_COLUMNS if c not in frame.columns})
    missing = [c for c in MANIFEST_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(source, f"missing column(s): {', '.join(missing)}", line=1, field=missing[0])
    if frame.empty:
        raise InputError(source, "the manifest lists no documents, only its header line")
    seen: dict[str, int] = {}
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        for col in REQUIRED_CELLS:
            if not str(rec[col]).strip():
                raise InputError(source, "empty cell", line=i + 1, field=col)
        doc_id = rec["doc_id"]
        if not DOC_ID.fullmatch(doc_id):
            raise InputError(source, f"doc_id {doc_id!r} is not a simple identifier (letters, "
                             f"digits, '.', '_' and '-')", line=i + 1, field="doc_id")
        if len(doc_id) > DOC_ID_MAX:
            raise InputError(source, f"doc_id of {len(doc_id)} characters: at most {DOC_ID_MAX} "
                             f"(it names the document's files)", line=i + 1, field="doc_id")
        if doc_id in seen:
            raise InputError(source, f"duplicate doc_id {doc_id!r} (also line {seen[doc_id] + 1})",
                             line=i + 1, field="doc_id")
        seen[doc_id] = i
        if rec["level"] not in config.LEVELS:
            raise InputError(source, f"unknown level {rec['level']!r} (expected one of "
                             f"{', '.join(config.LEVELS)})", line=i + 1, field="level")
        for col in INTEGER_COLUMNS:
            value = str(rec[col]).strip()
            if col != "year" and not value:
                continue
            if not re.fullmatch(r"\d{4}", value):
                raise InputError(source, f"not a four-digit year: {value!r}", line=i + 1, field=col)
        for col in DATE_COLUMNS:
            value = str(rec[col]).strip()
            if value and not _is_iso_date(value):
                raise InputError(source, f"not a YYYY-MM-DD date: {value!r}", line=i + 1, field=col)
        digest = str(rec["sha256"]).strip()
        if digest and not SHA256.fullmatch(digest):
            raise InputError(source, "not a lowercase hex SHA-256", line=i + 1, field="sha256")
    frame = frame.copy()
    frame["sha256"] = frame["sha256"].str.strip()  # blanks around a digest are not part of it
    frame["year"] = frame["year"].astype(int)
    for col in ("period_start", "period_end"):
        frame[col] = frame[col].where(frame[col].str.strip() != "", frame["year"].astype(str))
        frame[col] = frame[col].astype(int)
    return frame


MB = 2**20  # the unit of the size limit (``config.MAX_FILE_MB``) and of its messages
FILE_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
              (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
              (stat.S_ISSOCK, "a socket"))


def raw_file(raw_dir: Path, name: str, max_bytes: int = config.MAX_FILE_BYTES,
             source: str | None = None, line: int | None = None) -> Path:
    """The raw file a manifest's ``file`` cell names, checked without reading it; returns
    its resolved path.

    ``name`` must be a relative path with no ``..`` part; followed through any symlinks
    (``Path.resolve``), it must lead to a regular file inside the raw folder (resolved too),
    not to a folder, FIFO, device or socket (which could block a build or never end), of at
    most ``max_bytes``. Each refusal is an InputError naming ``source`` (the manifest) at
    ``line``, field ``file``, its message starting with ``name``.
    """
    def refuse(message: str) -> InputError:
        return InputError(source or name, f"{name}: {message}", line=line, field="file")

    if PurePosixPath(name).is_absolute():
        raise refuse("is an absolute path; the manifest names files relative to the raw folder")
    if ".." in PurePosixPath(name).parts:
        raise refuse("has a '..' part; the manifest names files inside the raw folder")
    try:
        path = (Path(raw_dir) / name).resolve(strict=True)
        outside = not path.is_relative_to(Path(raw_dir).resolve())
        info = None if outside else path.stat()  # nothing is asked of a file outside
    except FileNotFoundError:
        raise refuse("raw file not found") from None
    except RuntimeError:  # how Python < 3.13 says a loop of symlinks
        raise refuse("unreadable: a loop of symbolic links") from None
    except ValueError:  # a NUL character
        raise refuse("is not a valid file name") from None
    except OSError as err:
        raise refuse(f"unreadable: {err.strerror}") from None
    if info is None:
        raise refuse("resolves outside the raw folder")
    if not stat.S_ISREG(info.st_mode):
        kind = next((kind for test, kind in FILE_KINDS if test(info.st_mode)), "unknown kind")
        raise refuse(f"is not a regular file ({kind})")
    if info.st_size > max_bytes:
        size = math.ceil(info.st_size * 10 / MB) / 10  # rounded up: never said to be at the limit
        raise refuse(f"is {size:.1f} MB, over the {max_bytes / MB:.3g} MB limit (--max-file-mb)")
    return path


def _is_iso_date(value: str) -> bool:
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d") == value
    except ValueError:
        return False


def sha256(data: bytes) -> str:
    """Hex SHA-256 of raw bytes, as recorded in the manifest."""
    return hashlib.sha256(data).hexdigest()


def check_checksum(data: bytes, expected: str, source: str, row: int,
                   file: str = "the file") -> str | None:
    """Compare a raw file's digest with the manifest.

    Returns a notice when the manifest has no digest yet (report, don't fail); raises
    InputError when the digests differ, because the raw data must never change silently.
    """
    actual = sha256(data)
    if not expected:
        return f"{source}: line {row + 1}, field 'sha256': not yet recorded ({file} has {actual})"
    if actual != expected:
        raise InputError(source, f"checksum mismatch: {file} has {actual}, manifest says "
                         f"{expected}", line=row + 1, field="sha256")
    return None


def decode(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Bytes of a raw file → (text with LF line ends, encoding name).

    UTF-8 (with or without BOM) is accepted when the bytes are valid UTF-8, which is a
    strong test; an encoding the file's format declares (``declared``: an MHTML part's
    charset) is used when the bytes decode with it; anything else is detected by
    charset-normalizer (GB18030/GBK, Big5 …), never assumed. Raises InputError for empty
    or undecodable files.
    """
    if not data.strip():
        raise InputError(source, "empty document", field="text")
    if declared and _decodes(data, declared) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode(_superset(declared.lower())), _superset(declared.lower())
        text = text.removeprefix("\ufeff")
    elif data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode("utf-16"), "utf-16"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _detect(data, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(source, "empty document", field="text")
    return text, encoding


def _detect(data: bytes, source: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "cannot decode: encoding not recognised", field="encoding")
    encoding = _superset(best.encoding)
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as err:
        raise InputError(source, f"cannot decode as {encoding}: {err.reason} at byte {err.start}",
                         field="encoding") from None


def _superset(encoding: str) -> str:
    """GB2312 and GBK are subsets of GB18030: decode with the superset so rare characters
    survive."""
    return "gb18030" if encoding in ("gb2312", "gbk", "gb18030") else encoding


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(_superset(encoding.lower()))
    except (LookupError, UnicodeDecodeError):
        return False
    return True


def read_document_text(data: bytes, source: str) -> tuple[str, str]:
    """Raw bytes → (plain text, encoding): a page saved as one file (MHTML, a web archive)
    unwrapped, decoded, and reduced from HTML when it is a page (``pages``)."""
    page, declared, _ = pages.unwrap(data)
    text, encoding = decode(page, source, declared)
    if pages.is_html(text):
        text = pages.html_to_text(text)
        if not text.strip():
            raise InputError(source, "empty document: the page has no visible text", field="text")
    return text, encoding


def read_manifest(path: Path = config.MANIFEST) -> pd.DataFrame:
    """Read and validate the manifest; every cell is read as text, nothing guessed."""
    return validate_manifest(read_text_csv(path, "manifest"), label(path))
