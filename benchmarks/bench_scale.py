"""Benchmark of the whole build at scale, on a synthetic RAW corpus of ``--n`` documents
(``benchmarks/synthetic_corpus.py``, generated once into ``build/bench-scale/<N>/`` and again
only when absent), printed as one table:

* the corpus: documents, items and clean characters (from the first build's tables);
* the build serially (``--jobs 1``) and with ``--jobs J`` (default: all cores), each with a
  cold cache (its cache folder removed first), and, with ``--dask``, with ``--dask local``:
  wall time and peak resident memory of the process tree of each build, run as a subprocess;
* the floor: one plain ``jieba.lcut(text, HMM=False)`` pass over the same clean texts, in a
  fresh subprocess, timed from ``import jieba`` (dictionary load included) to the last cut;
  and the ratio serial build / floor;
* a rebuild after one document changed (a sentence appended to one item of a copy of the
  corpus, its manifest sha256 updated), with the warm cache of the ``--jobs`` build;
* ``msresearch validate`` on the unchanged corpus after a build, with that cache;
* whether the outputs of the serial, ``--jobs`` (and ``--dask``) builds are byte-identical,
  every file under their out folders compared;
* ``msresearch.read.clean.clean`` in-process on a 0.5 MB and a 50 MB text (the corpus' raw
  texts repeated) and the ratio of their times (about 100 when cleaning is linear); a timing
  still running after ``--clean-limit`` seconds is stopped and shown as a lower bound.

The build options ``--jobs``, ``--cache`` and ``--dask`` and ``validate --cache`` are
detected from ``python -m msresearch build --help``; a build without them runs without them
(and its "cold cache" is whatever the build does by default). ``--code DIR`` runs another
checkout's ``msresearch`` (e.g. a ``git archive`` of HEAD) on the same corpus. Nothing is
written outside ``build/bench-scale/`` (and the cache folders under it). No figure is
asserted. Run: ``make bench-scale N=2000``.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
EXTRA_SENTENCE = "同时加强项目资金监管，确保资金安全。"
FLOOR_SCRIPT = """
import json, sys, time
from pathlib import Path
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
start = time.perf_counter()
import jieba
jieba.setLogLevel(60)
jieba.initialize()
loaded = time.perf_counter()
tokens = sum(len(jieba.lcut(t, HMM=False)) for t in texts)
end = time.perf_counter()
print(json.dumps({"seconds": end - start, "load": loaded - start, "tokens": tokens,
                  "chars": sum(map(len, texts))}))
"""


@dataclass
class Run:
    """One subprocess: its wall time, peak memory of its process tree, exit status, stderr."""

    seconds: float
    peak_mb: float
    status: int
    stderr: str = ""
    stdout: str = ""


@dataclass
class Options:
    """Which of the build's new options the checked-out msresearch has."""

    jobs: bool = False
    cache: bool = False
    dask: bool = False
    validate_cache: bool = False
    missing: list[str] = field(default_factory=list)


def _env(code: Path) -> dict[str, str]:
    """This environment with ``code`` first on PYTHONPATH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH", "")]))
    return env


def _tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (psutil), 0 once it is gone."""
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(args: list[str], code: Path, interval: float = 0.05) -> Run:
    """Run a command as a subprocess (cwd and PYTHONPATH: ``code``); its wall time, and the
    peak of the summed resident memory of it and its children, polled every ``interval`` s."""
    start = time.perf_counter()
    child = subprocess.Popen(args, cwd=code, env=_env(code), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def poll() -> None:
        """Sample the tree's memory until the command ends."""
        nonlocal peak
        proc = psutil.Process(child.pid)
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc))
            stop.wait(interval)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    stdout, stderr = child.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    watcher.join()
    return Run(seconds, peak / 2**20, child.returncode, stderr, stdout)


def detect_options(code: Path) -> Options:
    """The build's and validate's options, read from their ``--help``."""
    def helptext(verb: str) -> str:
        """The verb's --help."""
        out = subprocess.run([sys.executable, "-m", "msresearch", verb, "--help"], cwd=code,
                             env=_env(code), capture_output=True, text=True, check=True)
        return out.stdout

    build, validate = helptext("build"), helptext("validate")
    opts = Options(jobs="--jobs" in build, cache="--cache" in build, dask="--dask" in build,
                   validate_cache="--cache" in validate)
    opts.missing = [name for name, ok in (("build --jobs", opts.jobs), ("build --cache", opts.cache),
                                          ("build --dask", opts.dask),
                                          ("validate --cache", opts.validate_cache)) if not ok]
    return opts


def build_command(raw: Path, out: Path, opts: Options, jobs: int | None = None,
                  cache: Path | None = None, dask: str | None = None) -> list[str]:
    """``python -m msresearch build`` with the options the build has."""
    args = [sys.executable, "-m", "msresearch", "build", "--raw", str(raw), "--manifest",
            str(raw / "manifest.csv"), "--out", str(out)]
    if jobs is not None and opts.jobs:
        args += ["--jobs", str(jobs)]
    if cache is not None and opts.cache:
        args += ["--cache", str(cache)]
    if dask is not None and opts.dask:
        args += ["--dask", dask]
    return args


def cold_build(raw: Path, out: Path, cache: Path, opts: Options, code: Path, **kw) -> Run:
    """A build into an empty out folder with its cache folder removed first."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    result = run(build_command(raw, out, opts, cache=cache, **kw), code)
    if result.status != 0:
        raise SystemExit(f"build failed ({' '.join(build_command(raw, out, opts, cache=cache, **kw))}):\n"
                         + result.stderr[-3000:])
    return result


def identical(a: Path, b: Path) -> tuple[bool, int, list[str]]:
    """Whether two out folders hold the same files with the same bytes: (same, files
    compared, the files that differ or exist in one only)."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    differ = sorted(files_a ^ files_b)
    differ += sorted(f for f in files_a & files_b if not filecmp.cmp(a / f, b / f, shallow=False))
    return not differ, len(files_a | files_b), differ


def corpus_figures(out: Path) -> dict:
    """Documents, items (substantive and all), sentences, clean characters and the reuse
    tables' rows of a build's tables."""
    documents = pd.read_csv(out / "documents.csv")
    items = pd.read_csv(out / "items.csv", usecols=["procedural"])

    def rows(name: str) -> int:
        path = out / name
        return sum(1 for _ in path.open("rb")) - 1 if path.exists() else 0

    return {"documents": len(documents), "items": int((~items["procedural"].astype(bool)).sum()),
            "items_all": len(items), "sentences": rows("sentences.csv"),
            "clean_chars": int(documents["n_chars_clean"].sum()),
            "reuse_rows": rows("reuse.csv"), "families_rows": rows("families.csv"),
            "reuse_mb": (out / "reuse.csv").stat().st_size / 2**20}


def floor(clean_dir: Path, code: Path) -> tuple[Run, dict]:
    """One plain jieba pass over the clean texts, in a fresh subprocess."""
    result = run([sys.executable, "-c", FLOOR_SCRIPT, str(clean_dir)], code)
    if result.status != 0:
        raise SystemExit("the jieba floor failed:\n" + result.stderr[-2000:])
    return result, json.loads(result.stdout.strip().splitlines()[-1])


def changed_copy(raw: Path, dest: Path, expected: Path) -> str:
    """A copy of the raw folder in which one document has a sentence appended to one of its
    items' sentences (a real corpus, without ``expected``: to the sentence at the middle of
    the middle document), and the manifest its new sha256; returns that document's doc_id."""
    import hashlib

    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(raw, dest)
    manifest = pd.read_csv(dest / "manifest.csv", dtype=str, keep_default_na=False)
    middle = len(manifest) // 2
    if not expected.exists():
        file = manifest.at[middle, "file"]
        text = (dest / file).read_bytes().decode("utf-8")
        stop = text.find("。", len(text) // 2)
        data = (text[:stop + 1] + EXTRA_SENTENCE + text[stop + 1:]).encode("utf-8")
        (dest / file).write_bytes(data)
        manifest.at[middle, "sha256"] = hashlib.sha256(data).hexdigest()
        (dest / "manifest.csv").write_bytes(
            manifest.to_csv(index=False, lineterminator="\n").encode("utf-8"))
        return manifest.at[middle, "doc_id"]
    titles = pd.read_csv(expected).groupby("doc_id")["title"].apply(list).to_dict()
    for k in list(range(middle, len(manifest))) + list(range(middle)):
        doc_id, file = manifest.at[k, "doc_id"], manifest.at[k, "file"]
        text = (dest / file).read_bytes().decode("utf-8")
        for title in titles.get(doc_id, []):
            at = text.find(title)
            stop = text.find("。", at + len(title)) if at >= 0 else -1
            if stop < 0 or "\n" in text[at:stop]:
                continue
            data = (text[:stop + 1] + EXTRA_SENTENCE + text[stop + 1:]).encode("utf-8")
            (dest / file).write_bytes(data)
            manifest.at[k, "sha256"] = hashlib.sha256(data).hexdigest()
            (dest / "manifest.csv").write_bytes(
                manifest.to_csv(index=False, lineterminator="\n").encode("utf-8"))
            return doc_id
    raise SystemExit("no item found to change in the corpus")


def _timed(fn: Callable[[str], object], arg: str, limit: int) -> float | None:
    """Seconds ``fn(arg)`` takes, or None when it is still running after ``limit`` seconds."""
    def stop(signum: int, frame: object) -> None:
        """Interrupt the timed call."""
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(limit)
    try:
        start = time.perf_counter()
        fn(arg)
        return time.perf_counter() - start
    except TimeoutError:
        return None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def clean_times(raw: Path, code: Path, limit: int, small_mb: float = 0.5, factor: int = 100) -> dict:
    """``msresearch.read.clean.clean`` on a ``small_mb`` MB text made of the corpus' raw texts and
    on that text repeated ``factor`` times, in this process (best of three for the small one);
    a run still going after ``limit`` seconds is stopped and reported as such."""
    sys.path.insert(0, str(code))
    from msresearch.read.clean import clean
    from msresearch.read.corpus import read_document_text

    target = int(small_mb * 2**20)
    parts, size = [], 0
    for path in sorted(raw.glob("*.txt")):
        text, _ = read_document_text(path.read_bytes(), path.name)
        parts.append(text)
        size += len(text.encode("utf-8"))
        if size >= target:
            break
    small = "".join(parts).encode("utf-8")[:target].decode("utf-8", errors="ignore")
    small = small[:small.rfind("\n") + 1] or small
    big = small * factor
    times = [_timed(clean, small, limit) for _ in range(3)]
    small_s = min((t for t in times if t is not None), default=None)
    big_s = _timed(clean, big, limit) if small_s is not None else None
    return {"small_mb": len(small.encode("utf-8")) / 2**20, "big_mb": len(big.encode("utf-8")) / 2**20,
            "small_s": small_s, "big_s": big_s, "limit": limit}


def ensure_collection(corpus: Path, base: Path) -> Path:
    """A raw folder and manifest for a collection of work reports (a folder with its
    ``SOURCES.csv``, such as ``../shared/corpus/work-reports``), made once with
    ``msresearch reports --from``."""
    folder = base / corpus.resolve().name
    if not (folder / "raw" / "manifest.csv").exists():
        shutil.rmtree(folder / "raw", ignore_errors=True)
        (folder / "raw").mkdir(parents=True)
        subprocess.run([sys.executable, "-m", "msresearch", "reports", "--from", str(corpus),
                        "--raw", str(folder / "raw")], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    return folder


def ensure_corpus(n: int, seed: int, base: Path) -> Path:
    """The corpus folder for n documents, generated (in a subprocess, with this checkout's
    msresearch) when its manifest is absent."""
    folder = base / str(n)
    if not (folder / "raw" / "manifest.csv").exists() or not (folder / "expected_items.csv").exists():
        shutil.rmtree(folder / "raw", ignore_errors=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "synthetic_corpus.py"), "--n", str(n), "--seed",
                        str(seed), "--out", str(folder)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        print(f"generated {n} documents into {folder} in {time.perf_counter() - start:.1f} s",
              file=sys.stderr)
    return folder


def _fmt_s(seconds: float) -> str:
    """Seconds as "12.3 s", or "456 ms" under a second."""
    return f"{seconds:,.1f} s" if seconds >= 1 else f"{seconds * 1000:,.0f} ms"


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="documents (default 2000)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="a collection of work reports (a folder with SOURCES.csv) to build "
                             "instead of a synthetic corpus")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes of the parallel build (default: all cores)")
    parser.add_argument("--dask", action="store_true", help="also build with --dask local")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="the checkout whose msresearch runs (default: this one)")
    parser.add_argument("--clean-limit", type=int, default=600,
                        help="seconds after which a clean() timing is stopped (default 600)")
    parser.add_argument("--base", type=Path, default=ROOT / "build" / "bench-scale",
                        help="where corpora and outputs go (default build/bench-scale)")
    args = parser.parse_args()
    code = args.code.resolve()
    folder = (ensure_collection(args.corpus, args.base.resolve()) if args.corpus
              else ensure_corpus(args.n, args.seed, args.base.resolve()))
    raw, work = folder / "raw", folder / "runs"
    opts = detect_options(code)
    rows: list[tuple[str, str]] = []
    notes: list[str] = []
    if opts.missing:
        notes.append(f"not in this msresearch (run without): {', '.join(opts.missing)}")

    serial = cold_build(raw, work / "out-serial", work / "cache-serial", opts, code, jobs=1)
    figures = corpus_figures(work / "out-serial")
    rows += [("documents", f"{figures['documents']:,}"),
             ("items (substantive; all)", f"{figures['items']:,}; {figures['items_all']:,}"),
             ("sentences", f"{figures['sentences']:,}"),
             ("clean characters", f"{figures['clean_chars']:,} ({figures['clean_chars'] / 1e6:.2f} M)"),
             ("reuse.csv rows (per document)", f"{figures['reuse_rows']:,} "
              f"({figures['reuse_rows'] / figures['documents']:.1f}; {figures['reuse_mb']:.1f} MB)"),
             ("families.csv rows (per document)", f"{figures['families_rows']:,} "
              f"({figures['families_rows'] / figures['documents']:.1f})"),
             ("build, serial (--jobs 1), cold cache" if opts.jobs and opts.cache
              else "build (as it runs by default)", _fmt_s(serial.seconds)),
             ("  peak RSS", f"{serial.peak_mb:,.0f} MB"),
             ("  per document", _fmt_s(serial.seconds / figures["documents"]))]

    parallel = None
    if opts.jobs:
        parallel = cold_build(raw, work / "out-jobs", work / "cache-jobs", opts, code, jobs=args.jobs)
        rows += [(f"build, --jobs {args.jobs}, cold cache", _fmt_s(parallel.seconds)),
                 ("  peak RSS", f"{parallel.peak_mb:,.0f} MB"),
                 ("  speed-up over serial", f"{serial.seconds / parallel.seconds:.2f}x")]
    else:
        rows.append((f"build, --jobs {args.jobs}", "n/a (no --jobs)"))
    dask = None
    if args.dask:
        if opts.dask:
            dask = cold_build(raw, work / "out-dask", work / "cache-dask", opts, code, jobs=args.jobs,
                              dask="local")
            rows += [(f"build, --dask local ({args.jobs} workers), cold cache", _fmt_s(dask.seconds)),
                     ("  peak RSS", f"{dask.peak_mb:,.0f} MB")]
        else:
            rows.append(("build, --dask local", "n/a (no --dask)"))

    jieba_run, jieba = floor(work / "out-serial" / "clean", code)
    rows += [("floor: jieba.lcut(HMM=False) over clean texts", _fmt_s(jieba["seconds"])),
             ("  of which dictionary load", _fmt_s(jieba["load"])),
             ("  subprocess wall (with interpreter start)", _fmt_s(jieba_run.seconds)),
             ("  tokens", f"{jieba['tokens']:,}"),
             ("serial build / floor", f"{serial.seconds / jieba['seconds']:.1f}x")]

    # validate an unchanged corpus against the build that has a warm cache
    built_out, built_cache = ((work / "out-jobs", work / "cache-jobs") if parallel
                              else (work / "out-serial", work / "cache-serial"))
    validate_args = [sys.executable, "-m", "msresearch", "validate", "--raw", str(raw), "--manifest",
                     str(raw / "manifest.csv"), "--out", str(built_out)]
    if opts.validate_cache:
        validate_args += ["--cache", str(built_cache)]
    checked = run(validate_args, code)
    verdict = "current" if checked.status == 0 else f"exit {checked.status}"
    rows += [("validate, unchanged corpus" + (", warm cache" if opts.validate_cache else ""),
              f"{_fmt_s(checked.seconds)} ({verdict})"),
             ("  peak RSS", f"{checked.peak_mb:,.0f} MB")]
    if checked.status != 0:
        notes.append("validate: " + " | ".join(checked.stderr.strip().splitlines()[-3:])[:400])

    # one document changed, in a copy of the corpus; rebuilt on a copy of the built outputs
    changed_raw, changed_out = work / "raw-changed", work / "out-changed"
    doc_id = changed_copy(raw, changed_raw, folder / "expected_items.csv")
    shutil.rmtree(changed_out, ignore_errors=True)
    shutil.copytree(built_out, changed_out)
    rebuild = run(build_command(changed_raw, changed_out, opts, jobs=args.jobs if parallel else 1,
                                cache=built_cache), code)
    if rebuild.status != 0:
        raise SystemExit("rebuild failed:\n" + rebuild.stderr[-3000:])
    same, _, differ = identical(built_out, changed_out)
    rows += [(f"rebuild, 1 document changed ({doc_id})" + (", warm cache" if opts.cache else ""),
              _fmt_s(rebuild.seconds)),
             ("  peak RSS", f"{rebuild.peak_mb:,.0f} MB"),
             ("  output files changed", f"{len(differ)}")]
    notes.append(f"rebuild changed: {', '.join(differ)}")

    # byte-identity of the outputs
    if parallel:
        same, n_files, differ = identical(work / "out-serial", work / "out-jobs")
        rows.append((f"serial = --jobs {args.jobs}, byte for byte",
                     f"{'yes' if same else 'NO'} ({n_files:,} files)"))
        if not same:
            notes.append(f"serial vs --jobs differ in: {', '.join(differ[:8])}")
    if dask:
        same, n_files, differ = identical(work / "out-serial", work / "out-dask")
        rows.append(("serial = --dask local, byte for byte",
                     f"{'yes' if same else 'NO'} ({n_files:,} files)"))
        if not same:
            notes.append(f"serial vs --dask differ in: {', '.join(differ[:8])}")

    cleaned = clean_times(raw, code, args.clean_limit)
    small_s, big_s = cleaned["small_s"], cleaned["big_s"]
    stopped = f"> {cleaned['limit']} s (stopped)"
    rows += [(f"clean() on {cleaned['small_mb']:.1f} MB", _fmt_s(small_s) if small_s else stopped),
             (f"clean() on {cleaned['big_mb']:.1f} MB", _fmt_s(big_s) if big_s else stopped),
             ("  ratio (100 when linear)",
              f"{big_s / small_s:.1f}" if big_s and small_s
              else (f"> {cleaned['limit'] / small_s:.0f}" if small_s else "n/a"))]

    warnings = len(re.findall(r"^warning:", serial.stderr, re.M))
    what = (f"the collection {args.corpus}" if args.corpus
            else f"a synthetic corpus of N={args.n} (seed {args.seed})")
    print(f"msresearch build on {what}, {os.cpu_count()} cores, code: {code}")
    print(f"peak RSS: psutil, resident memory of the build's process and all its children summed, "
          f"polled every 0.05 s; {warnings} build warnings")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>22}")
    for note in notes:
        print(f"note: {note}")


if __name__ == "__main__":
    main()
