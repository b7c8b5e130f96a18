"""Publishing a build's output folder: a new version is staged beside it by writer threads
and swapped in whole, under a lock, so that no reader and no killed build sees a mix of old and
new files; the user's own files in it are kept."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from msresearch import config
from msresearch.errors import InputError
from msresearch.io.atomic import _naming, _umask, file_digest
from msresearch.io.inputs import label

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


def output_digests(out_dir: Path) -> dict[str, str]:
    """SHA-256 of every file under an output folder, by its path relative to the folder
    (hidden files and folders, such as a build's staging area, left out)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return {}
    return {p.relative_to(out_dir).as_posix(): file_digest(p)
            for p in sorted(out_dir.rglob("*")) if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(out_dir).parts)}
