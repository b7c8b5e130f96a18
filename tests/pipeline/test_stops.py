"""A run stopped from outside — the disk full for the outputs or the cache, an output folder
that is a mount point, a worker process killed, Ctrl-C — is said in one line, and the output
folder is as it was before the run."""

from __future__ import annotations

import builtins
import errno
import io as stdio
import os
import signal
import subprocess
import sys
import time

import pytest

from msresearch import config
from msresearch.cli import main
from msresearch.io import publish
from msresearch.pipeline import build as build_module
from tests.pipeline.test_build import _change_one_document


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _args(raw, out, cache_dir, *extra):
    return ["build", "--raw", str(raw), "--manifest", str(raw / "manifest.csv"), "--out", str(out),
            "--cache", str(cache_dir), *extra]


def _left_beside(out):
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.") and p.name != f".{out.name}.lock")


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err[-3000:]
    return lines[0]


class _FullDisk:
    """A file opened for writing under ``folder`` that refuses its bytes as a full disk does
    (ENOSPC from ``write``, which names no file)."""

    def __init__(self, handle):
        self._handle = handle

    def write(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


def _disk_full(monkeypatch, folder):
    """Make every file written under ``folder`` fail as on a full disk (for root too)."""
    folder = os.path.realpath(folder)

    def full(original):
        def call(file, mode="r", *args, **kwargs):
            handle = original(file, mode, *args, **kwargs)
            inside = not isinstance(file, int) and os.path.realpath(os.fsdecode(file)).startswith(
                folder + os.sep)
            return _FullDisk(handle) if inside and set(mode) & set("wax+") else handle
        return call

    monkeypatch.setattr(builtins, "open", full(builtins.open))
    monkeypatch.setattr(stdio, "open", full(stdio.open))


@pytest.mark.parametrize("full", ["outputs", "cache"])
def test_a_full_disk_is_one_line_and_the_outputs_stay_as_they_were(corpus, tmp_path, capsys,
                                                                   monkeypatch, full):
    out, cache_dir = tmp_path / "outputs" / "out", tmp_path / "cache"
    assert main(_args(corpus, out, cache_dir)) == 0
    before = _snapshot(out)
    _change_one_document(corpus)  # a document to compute and cache, outputs to write
    capsys.readouterr()
    with monkeypatch.context() as patch:
        _disk_full(patch, out.parent if full == "outputs" else cache_dir)
        assert main(_args(corpus, out, cache_dir)) == 2
    line = _one_line(capsys)
    assert "no space left on the device" in line and "nothing half-written was kept" in line
    assert _snapshot(out) == before
    assert _left_beside(out) == []
    assert main(_args(corpus, out, cache_dir)) == 0  # with room again, the build goes through


def test_an_output_folder_on_a_mount_point_is_refused_before_any_work(corpus, tmp_path, capsys,
                                                                      monkeypatch):
    out = tmp_path / "volume"
    out.mkdir()
    ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: os.fspath(p) == str(out) or ismount(p))
    ran = []
    monkeypatch.setattr(build_module, "run_documents", lambda *a, **k: ran.append(a))
    assert main(_args(corpus, out, tmp_path / "cache")) == 2
    line = _one_line(capsys)
    assert "volume, field '--out': is a mount point" in line and "--out <mount>/processed" in line
    assert ran == []


@pytest.mark.parametrize("code", [errno.EBUSY, errno.EXDEV])
def test_a_folder_that_cannot_be_swapped_is_one_line_and_stays_as_it_was(corpus, tmp_path, capsys,
                                                                         monkeypatch, code):
    """What the swap meets on a mount point the check did not see (EBUSY, or EXDEV across
    file systems)."""
    out = tmp_path / "out"
    assert main(_args(corpus, out, tmp_path / "cache")) == 0
    before = _snapshot(out)
    _change_one_document(corpus)
    capsys.readouterr()

    def refused(new, current):
        raise OSError(code, os.strerror(code), str(current))

    monkeypatch.setattr(publish, "_exchange", refused)
    assert main(_args(corpus, out, tmp_path / "cache")) == 2
    assert "field '--out': is a mount point" in _one_line(capsys)
    assert _snapshot(out) == before
    assert _left_beside(out) == []


def _killed(*args):
    """A document stage whose worker is killed (SIGKILL, as the out-of-memory killer does)."""
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_killed_worker_is_one_line_and_the_outputs_stay_as_they_were(corpus, tmp_path, capsys,
                                                                        monkeypatch):
    out = tmp_path / "out"
    assert main(_args(corpus, out, tmp_path / "cache")) == 0
    before = _snapshot(out)
    capsys.readouterr()
    monkeypatch.setattr(build_module, "document_stage", _killed)  # workers are forked after
    assert main(_args(corpus, out, tmp_path / "fresh-cache", "--jobs", "2")) == 2
    line = _one_line(capsys)
    assert line.startswith("error: a worker process died while the build ran (killed, or out of "
                           "memory?); nothing was published")
    assert _snapshot(out) == before


def test_an_interrupt_is_one_line_exit_130_and_the_outputs_stay_as_they_were(corpus, tmp_path,
                                                                              capsys, monkeypatch):
    out = tmp_path / "out"
    assert main(_args(corpus, out, tmp_path / "cache")) == 0
    before = _snapshot(out)
    _change_one_document(corpus)
    capsys.readouterr()

    def interrupted(*args, **kwargs):  # Ctrl-C while the outputs are being written
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module.reuse_stage, "reuse_tables", interrupted)
    assert main(_args(corpus, out, tmp_path / "cache")) == 130
    assert _one_line(capsys).startswith("error: interrupted: nothing half-written was kept")
    assert _snapshot(out) == before
    assert _left_beside(out) == []


def _children(pid: int) -> list[int]:
    try:
        text = open(f"/proc/{pid}/task/{pid}/children").read()
    except OSError:
        return []
    return [int(p) for p in text.split()]


@pytest.mark.skipif(not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"),
                    reason="needs /proc to see the build's worker processes")
def test_ctrl_c_in_a_terminal_stops_the_build_and_its_workers_in_one_line(tmp_path):
    """Ctrl-C as a terminal sends it: SIGINT to the build and to every worker process. One
    line from the build, none from the workers, and the output folder as it was."""
    sys.path.insert(0, str(config.ROOT / "benchmarks"))
    import synthetic_corpus

    raw = synthetic_corpus.write_corpus(60, tmp_path / "corpus", seed=11)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.md").write_text("mine\n")
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "msresearch",
                             *_args(raw, out, tmp_path / "cache", "--jobs", "2")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while not _children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # the workers at work
    assert proc.poll() is None, "the build ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err[-3000:]
    assert err.strip().splitlines() == ["error: interrupted: nothing half-written was kept (a "
                                        "build's output folder is as it was before it, the "
                                        "cache holds only whole entries)"]
    assert _snapshot(out) == {"notes.md": b"mine\n"}
    assert _left_beside(out) == []
