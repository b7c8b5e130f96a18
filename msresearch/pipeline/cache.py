"""The build's cache: keys (what a cached result depends on: inputs, settings, the code and
the libraries that compute it, hashed, so a cached result is used only where recomputing would
give the same bytes) and entries, each stored with the digest of its content and checked
against it when read, so a damaged entry is computed again and reported, never used. Where
the cache lies is ``config.CACHE``."""

from __future__ import annotations

import hashlib
import json
import pickle
import platform
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path

# Libraries whose version can change what the per-document stage or reuse computes.
PICKLE_PROTOCOL = 5  # how cached results are pickled

LIBRARIES = ("jieba", "opencc", "charset-normalizer", "beautifulsoup4", "cn2an", "numpy",
             "pandas", "scipy", "datasketch", "rapidfuzz", "regex")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def code_version() -> str:
    """A hash of the package's own files (code and resources) and the versions of the
    libraries it computes with: a change to any of them makes every cached result stale,
    without anyone having to remember to bump a number."""
    root = files("msresearch")
    digest = hashlib.sha256()
    paths = sorted(p for p in Path(str(root)).rglob("*")
                   if p.is_file() and p.suffix in (".py", ".txt", ".yaml")
                   and "__pycache__" not in p.parts)
    for path in paths:
        digest.update(path.relative_to(Path(str(root))).as_posix().encode("utf-8") + b"\0")
        digest.update(sha256(path.read_bytes()).encode("ascii"))
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    versions["python"] = ".".join(platform.python_version_tuple()[:2])
    digest.update(json.dumps(versions, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def key(*parts: object) -> str:
    """One key for the given parts (JSON-able: strings, numbers, lists, mappings)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return sha256(text.encode("utf-8"))


def path(root: Path, kind: str, key_: str) -> Path:
    """Where the result of ``kind`` with ``key_`` lies under the cache folder ``root``."""
    return Path(root) / kind / key_[:2] / f"{key_}.pickle"


# A cache entry is this line, the SHA-256 of its content (32 bytes), then the content: read
# back only when the content still has that digest, so that a truncated, edited or
# half-copied entry is computed again, never used.
ENTRY_MAGIC = b"msresearch cache entry 1\n"
_DAMAGED: ContextVar[list[str] | None] = ContextVar("damaged_cache_entries", default=None)


@contextmanager
def damage_report() -> Iterator[list[str]]:
    """The damaged entries met inside the block, one message each (the build reports them as
    warnings); outside any such block a damaged entry is a Python warning."""
    found: list[str] = []
    token = _DAMAGED.set(found)
    try:
        yield found
    finally:
        _DAMAGED.reset(token)


def _damaged(path: Path, why: str) -> None:
    message = (f"cache entry {Path(path).parent.parent.name}/{Path(path).name} is damaged "
               f"({why}); computed again")
    found = _DAMAGED.get()
    if found is None:
        warnings.warn(message, stacklevel=3)
    else:
        found.append(message)


def write_entry(path: Path, content: bytes) -> None:
    """Store ``content`` in the cache with its digest (atomically: a killed build leaves no
    half-written entry)."""
    from msresearch.io import atomic

    atomic.write_bytes(path, ENTRY_MAGIC + hashlib.sha256(content).digest() + content)


def read_entry(path: Path) -> bytes | None:
    """The content of a cache entry, or None when there is none, or when it is damaged (its
    content no longer has the digest it was stored with; reported, see ``damage_report``)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        _damaged(path, f"unreadable: {err.strerror}")
        return None
    head = len(ENTRY_MAGIC) + 32
    if not data.startswith(ENTRY_MAGIC) or len(data) < head:
        _damaged(path, "not an entry of this cache")
        return None
    content = memoryview(data)[head:]
    if hashlib.sha256(content).digest() != data[len(ENTRY_MAGIC):head]:
        _damaged(path, "its content does not have its digest")
        return None
    return bytes(content)


def write_pickled(path: Path, value: object) -> None:
    """Store a Python value in the cache (pickled, with its digest)."""
    write_entry(path, pickle.dumps(value, protocol=PICKLE_PROTOCOL))


def read_pickled(path: Path) -> object | None:
    """A value stored by ``write_pickled``, or None (missing or damaged)."""
    content = read_entry(path)
    if content is None:
        return None
    try:
        return pickle.loads(content)
    except (EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError,
            TypeError, IndexError, KeyError) as err:  # intact bytes of another code's classes
        _damaged(path, f"cannot be unpickled: {type(err).__name__}")
        return None


def file_intact(path: Path, digest: str) -> bool:
    """Whether a large cached file (kept as it is, to be read in parts) still has the digest
    recorded for it in a checked entry; a file that does not is reported as damaged."""
    from msresearch.io import atomic

    actual = atomic.file_digest(path)
    if actual == digest:
        return True
    _damaged(path, "missing" if actual is None else "its content does not have its digest")
    return False
