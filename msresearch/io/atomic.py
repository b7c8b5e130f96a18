"""Writing files atomically (a temporary file beside, then a rename), and reading them back in
blocks or parts."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


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


def write_bytes(path: Path, data: bytes) -> None:
    """Write bytes atomically (temporary file, then rename)."""
    _atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))


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
