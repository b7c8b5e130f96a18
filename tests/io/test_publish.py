"""Publication of a build's outputs: a new version of the folder is made beside it and swapped
in whole, under a lock; leftovers of killed builds go; files of documents no longer listed go;
a build killed at any point leaves the folder wholly old or wholly new."""

from __future__ import annotations

import fcntl
import os
import stat

import pytest

from msresearch.cli import main
from msresearch.errors import InputError
from msresearch.io import publish
from msresearch.pipeline import build as build_module
from msresearch.pipeline.build import build, stale_outputs
from tests.conftest import manifest_rows, write_rows
from tests.pipeline.test_build import _change_one_document


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(raw, out, cache_dir):
    return build(raw, raw / "manifest.csv", out, cache_dir=cache_dir)


def _beside(out):
    """What lies beside the output folder, apart from it and its lock."""
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.") and p.name != f".{out.name}.lock")


def test_a_read_only_clean_folder_does_not_leave_a_mix_of_old_and_new(corpus, tmp_path):
    out = tmp_path / "out"
    _build(corpus, out, tmp_path / "cache")
    (out / "clean").chmod(stat.S_IRUSR | stat.S_IXUSR)  # as the adversarial tester did
    try:
        _change_one_document(corpus)
        _build(corpus, out, tmp_path / "cache")
        reference = tmp_path / "reference"
        _build(corpus, reference, tmp_path / "cache")
        assert _snapshot(out) == _snapshot(reference)
        assert _beside(out) == []  # the old version was removed, read-only folder and all
    finally:
        for folder in (out / "clean", *tmp_path.glob(".out.*/clean")):
            if folder.exists():
                folder.chmod(stat.S_IRWXU)


def _read_only(monkeypatch, folder):
    """Make writing anything inside ``folder`` fail as a read-only folder would, for root too
    (root ignores permission bits): file operations on a path inside it raise EACCES."""
    import builtins
    import errno
    import io as stdio

    folder = os.path.realpath(folder)

    def inside(path) -> bool:
        if isinstance(path, int):
            return False
        real = os.path.realpath(os.fsdecode(path))
        return real.startswith(folder + os.sep)

    def refusing(original, writes_at):
        def call(*args, **kwargs):
            targets = [args[k] for k in writes_at if k < len(args)]
            mode = args[1] if original in (builtins.open, stdio.open) and len(args) > 1 \
                else kwargs.get("mode", "r")
            if original in (builtins.open, stdio.open) and not set(mode) & set("wax+"):
                targets = []
            if any(inside(t) for t in targets):
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(targets[0]))
            return original(*args, **kwargs)
        return call

    for module, name, writes_at in [(os, "replace", (0, 1)), (os, "rename", (0, 1)),
                                    (os, "link", (1,)), (os, "unlink", (0,)),
                                    (os, "mkdir", (0,)), (os, "rmdir", (0,)),
                                    (builtins, "open", (0,)), (stdio, "open", (0,))]:
        monkeypatch.setattr(module, name, refusing(getattr(module, name), writes_at))


@pytest.mark.parametrize("folder", ["out/clean", "out"])
def test_a_folder_that_cannot_be_written_does_not_leave_a_mix_of_old_and_new(corpus, tmp_path,
                                                                             monkeypatch, folder):
    # as the adversarial tester found with chmod, simulated so that it bites as root too
    out = tmp_path / "out"
    _build(corpus, out, tmp_path / "cache")
    _change_one_document(corpus)
    reference = tmp_path / "reference"
    _build(corpus, reference, tmp_path / "cache")
    with monkeypatch.context() as patch:
        _read_only(patch, tmp_path / folder)
        _build(corpus, out, tmp_path / "cache")  # nothing is written inside the old folder
    assert _snapshot(out) == _snapshot(reference)
    assert _beside(out) == []


def test_files_of_a_removed_document_disappear_and_the_users_files_stay(corpus, tmp_path):
    out = tmp_path / "out"
    _build(corpus, out, tmp_path / "cache")
    (out / "README.md").write_text("my notes\n", encoding="utf-8")
    rows = manifest_rows(corpus / "manifest.csv")
    write_rows(corpus / "manifest.csv", [r for r in rows if not r.startswith("2020-taihe,")])
    _build(corpus, out, tmp_path / "cache")
    assert not (out / "clean" / "2020-taihe.txt").exists()
    assert (out / "README.md").read_text(encoding="utf-8") == "my notes\n"
    stale, *_ = stale_outputs(corpus, corpus / "manifest.csv", out, cache_dir=tmp_path / "cache")
    assert stale == []


def test_validate_reports_a_stray_output(corpus, tmp_path):
    out = tmp_path / "out"
    _build(corpus, out, tmp_path / "cache")
    (out / "clean" / "2016-gone.txt").write_text("a document no longer listed\n")
    (out / "rejected.csv").write_text("doc_id,file,reason\n")
    stale, *_ = stale_outputs(corpus, corpus / "manifest.csv", out, cache_dir=tmp_path / "cache")
    assert stale == ["clean/2016-gone.txt", "rejected.csv"]
    # and without the recorded hashes (an empty cache) too
    stale, *_ = stale_outputs(corpus, corpus / "manifest.csv", out, cache_dir=tmp_path / "new")
    assert stale == ["clean/2016-gone.txt", "rejected.csv"]


def test_leftovers_of_killed_builds_are_removed(corpus, tmp_path):
    out = tmp_path / "out"
    _build(corpus, out, tmp_path / "cache")
    (tmp_path / ".out.msresearch-k2j4x9").mkdir()  # a staging folder of a killed build
    (tmp_path / ".out.msresearch-k2j4x9" / "items.csv").write_text("half")
    (tmp_path / ".out.msresearch-8fq" / "out").mkdir(parents=True)  # an old version
    _build(corpus, out, tmp_path / "cache")
    assert _beside(out) == []


@pytest.mark.parametrize("name", ["out", "*", "[o]ut", "out.*"])
def test_the_users_folders_beside_the_output_folder_are_never_taken_for_leftovers(
        corpus, tmp_path, name):
    out = tmp_path / name
    mine = [".out.bak", ".out.msresearch", ".config.d", f".{name}.old", ".keep.me"]
    for folder in mine:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "data.txt").write_text("mine\n")
    _build(corpus, out, tmp_path / "cache")
    _build(corpus, out, tmp_path / "cache")
    for folder in mine:
        assert (tmp_path / folder / "data.txt").read_text() == "mine\n", folder
    assert (out / "items.csv").is_file()


def test_an_existing_folder_keeps_every_file_that_is_not_the_builds(corpus, tmp_path):
    out = tmp_path / "mydocs"
    (out / "drafts" / "empty").mkdir(parents=True)
    (out / "budget.csv").write_text("a,b\n")  # a table of the user's, not one a build writes
    (out / ".env").write_text("secret\n")
    (out / "drafts" / ".gitignore").write_text("*\n")
    (out / "manifest-copy.csv").write_text("doc_id\n")
    (out / "link").symlink_to("budget.csv")
    (out / "items.csv").write_text("the build's name: replaced\n")
    _build(corpus, out, tmp_path / "cache")
    assert (out / "budget.csv").read_text() == "a,b\n"
    assert (out / ".env").read_text() == "secret\n"
    assert (out / "drafts" / ".gitignore").read_text() == "*\n"
    assert (out / "drafts" / "empty").is_dir()
    assert (out / "manifest-copy.csv").read_text() == "doc_id\n"
    assert (out / "link").is_symlink() and os.readlink(out / "link") == "budget.csv"
    assert (out / "items.csv").read_text().startswith("doc_id,item_id,")
    stale, *_ = stale_outputs(corpus, corpus / "manifest.csv", out, cache_dir=tmp_path / "cache")
    assert stale == []  # the user's files are not the build's strays


def test_the_builds_files_are_its_tables_and_clean_texts():
    from msresearch import config
    from msresearch.pipeline import schemas

    assert sorted(config.TABLES) == sorted(schemas.SCHEMAS)  # every table the build writes
    assert publish.build_owned("items.csv") and publish.build_owned("clean/2020-anhui.txt")
    assert not publish.build_owned("notes.csv") and not publish.build_owned("README.md")


def test_an_output_folder_given_as_a_link_is_replaced_and_the_link_kept(corpus, tmp_path):
    real, link = tmp_path / "real", tmp_path / "link"
    _build(corpus, real, tmp_path / "cache")
    link.symlink_to("real")
    _change_one_document(corpus)
    _build(corpus, link, tmp_path / "cache")
    assert link.is_symlink() and os.readlink(link) == "real"
    reference = tmp_path / "reference"
    _build(corpus, reference, tmp_path / "cache")
    assert _snapshot(real) == _snapshot(reference)
    stale, *_ = stale_outputs(corpus, corpus / "manifest.csv", real, cache_dir=tmp_path / "cache")
    assert stale == []
    with open(tmp_path / ".real.lock", "a+b") as held:  # one lock, whatever names the folder
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(InputError, match="another build is writing it"):
            _build(corpus, link, tmp_path / "cache")


def test_a_second_build_of_one_folder_stops_with_one_line(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    _build(corpus, out, tmp_path / "cache")
    before = _snapshot(out)
    with open(tmp_path / ".out.lock", "a+b") as held:  # a build that is running
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(InputError, match="another build is writing it"):
            _build(corpus, out, tmp_path / "cache")
        code = main(["build", "--raw", str(corpus), "--manifest", str(corpus / "manifest.csv"),
                     "--out", str(out), "--cache", str(tmp_path / "cache")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("error: ")
    assert _snapshot(out) == before


def test_an_output_folder_that_cannot_be_written_beside_is_one_line(corpus, tmp_path, capsys):
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(parent, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        code = main(["build", "--raw", str(corpus), "--manifest", str(corpus / "manifest.csv"),
                     "--out", str(parent / "out"), "--cache", str(tmp_path / "cache")])
    finally:
        parent.chmod(stat.S_IRWXU)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "cannot write beside it" in err[0]


# Where a build is killed: (function of msresearch's modules or of os, its n-th call, whether
# the kill comes after the call returned). They cover the computation, the writing of the
# staging folder, the links of unchanged files, the swap and the removal of the old version.
KILLS = [
    (build_module, "document_stage", 1, False),
    (publish, "_locked", 1, False),
    (publish, "_link_or_copy", 1, False),
    (publish, "_link_or_copy", 3, False),
    (os, "chmod", 2, False),
    (os, "chmod", 6, True),
    (os, "chmod", 12, True),
    (publish, "_publish", 1, False),
    (publish, "_exchange", 1, True),
    (publish, "_remove_tree", 1, False),
]


def _killed_build(raw, out, cache_dir, module, name, nth, after) -> int:
    """Run a build in a forked child that dies (``os._exit``, no cleanup, like SIGKILL) at
    the n-th call of ``module.name``; returns the child's exit status."""
    pid = os.fork()
    if pid == 0:  # the child
        status = 0
        try:
            original, calls = getattr(module, name), []

            def dying(*args, **kwargs):
                calls.append(1)
                if len(calls) == nth and not after:
                    os._exit(137)
                result = original(*args, **kwargs)
                if len(calls) == nth and after:
                    os._exit(137)
                return result

            setattr(module, name, dying)
            _build(raw, out, cache_dir)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_a_build_killed_at_any_point_leaves_the_folder_wholly_old_or_wholly_new(corpus,
                                                                               tmp_path):
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    _build(corpus, out, cache_dir)
    (out / "README.md").write_text("notes\n")
    old = _snapshot(out)
    _change_one_document(corpus)
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "README.md").write_text("notes\n")
    _build(corpus, reference, tmp_path / "reference-cache")
    new = _snapshot(reference)
    assert old != new
    outcomes = []
    for module, name, nth, after in KILLS:
        code = _killed_build(corpus, out, tmp_path / "kill-cache", module, name, nth, after)
        now = _snapshot(out)
        assert now in (old, new), (name, nth, after)
        outcomes.append((name, code, "new" if now == new else "old"))
        if now == new:  # published: start the next kill from the old outputs again
            _restore(out, old)
    assert all(code == 137 for _, code, _ in outcomes), outcomes  # every kill point was reached
    assert ("_exchange", 137, "new") in outcomes and ("_publish", 137, "old") in outcomes
    _build(corpus, out, cache_dir)  # the next build cleans up and publishes
    assert _snapshot(out) == new and _beside(out) == []


@pytest.mark.parametrize("nth", [1, 2, 3])
def test_a_build_killed_inside_the_swap_leaves_the_folder_whole(corpus, tmp_path, nth):
    # the swap must be one step: a kill after any rename, link or removal it makes inside
    # the publication leaves the folder wholly old or wholly new (a swap file by file fails)
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    if not publish._exchange(a, b):
        pytest.skip("this file system cannot swap two folders in one step")
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    _build(corpus, out, cache_dir)
    old = _snapshot(out)
    _change_one_document(corpus)
    pid = os.fork()
    if pid == 0:  # the child: dies at the nth file operation inside _publish
        status = 0
        try:
            real_publish, calls = publish._publish, []

            def dying_publish(staging, out_dir):
                for module, name in [(os, "rename"), (os, "replace"), (os, "link"),
                                     (os, "unlink"), (os, "rmdir"), (os, "mkdir")]:
                    original = getattr(module, name)

                    def dying(*args, _original=original, **kwargs):
                        result = _original(*args, **kwargs)
                        calls.append(1)
                        if len(calls) == nth:
                            os._exit(137)
                        return result
                    setattr(module, name, dying)
                return real_publish(staging, out_dir)

            publish._publish = dying_publish
            _build(corpus, out, cache_dir)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.waitpid(pid, 0)
    reference = tmp_path / "reference"
    _build(corpus, reference, tmp_path / "reference-cache")
    assert _snapshot(out) in (old, _snapshot(reference))
    _build(corpus, out, cache_dir)
    assert _snapshot(out) == _snapshot(reference) and _beside(out) == []


def test_an_unexpected_error_is_a_traceback_not_a_user_error(corpus, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(build_module, "build", broken)
    with pytest.raises(RuntimeError, match="a bug"):  # not turned into one line and exit 2
        main(["build", "--raw", str(corpus), "--manifest", str(corpus / "manifest.csv"),
              "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")])


def _restore(out, files):
    for path in sorted(out.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
