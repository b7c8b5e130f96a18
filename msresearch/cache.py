"""Cache keys: what a cached result depends on (inputs, settings, the code and the libraries
that compute it), hashed, so a cached result is used only where recomputing would give the
same bytes. Where the results lie is ``config.CACHE``; reading and writing them is ``io``'s."""

from __future__ import annotations

import hashlib
import json
import platform
from functools import cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path

# Libraries whose version can change what the per-document stage or reuse computes.
PICKLE_PROTOCOL = 5  # how cached results are pickled

LIBRARIES = ("jieba", "opencc", "charset-normalizer", "beautifulsoup4", "cn2an", "numpy",
             "pandas", "scipy", "datasketch", "rapidfuzz")


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
