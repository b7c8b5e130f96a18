"""Command line: ``python -m msresearch build | validate | evaluate | notebooks | reports | panel``."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from msresearch import config
from msresearch.errors import MAX_LISTED, InputError, RunError
from msresearch.io import atomic, inputs, publish, tables


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error said in one line (exit status 2) like every other bad
    input; ``--help`` still shows the usage."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="msresearch", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)

    build = verbs.add_parser("build", help="raw files + manifest → data/processed/")
    validate = verbs.add_parser(
        "validate", help="check the manifest, checksums, raw files, and that data/processed is current")
    for sub in (build, validate):
        sub.add_argument("--raw", type=Path, default=config.RAW, help="folder of raw files")
        sub.add_argument("--manifest", type=Path, default=None,
                         help="the manifest (default: manifest.csv in the --raw folder)")
    for sub in (build, validate):
        sub.add_argument("--out", type=Path, default=config.PROCESSED)
        sub.add_argument("--codebook", type=Path, default=config.CODEBOOK,
                         help="codebook YAML (default: params/codebook.yaml)")
        sub.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                         help="processes for the documents not cached yet (default: all cores)")
        sub.add_argument("--dask", default=None, metavar="ADDRESS",
                         help="run the documents on a Dask cluster: 'local' for a LocalCluster "
                              "of --jobs workers, or a scheduler's address (tcp://host:8786)")
        sub.add_argument("--cache", type=Path, default=config.CACHE, metavar="DIR",
                         help="cache of per-document results (default: build/cache)")
        sub.add_argument("--max-file-mb", type=_megabytes, default=config.MAX_FILE_MB,
                         metavar="MB", help="refuse raw files larger than this "
                                            f"(default: {config.MAX_FILE_MB} MB)")

    build.add_argument("--skip-invalid", action="store_true",
                       help="build the documents that can be read; list the others in rejected.csv")
    validate.add_argument("--strict", action="store_true",
                          help="also fail on declared counts not met and gaps in printed numbering")
    validate.add_argument("--cold", action="store_true",
                          help="trust no earlier build: build every document afresh (the cache "
                               "is neither read nor written) and compare the outputs byte for byte")

    evaluate = verbs.add_parser(
        "evaluate", help="item recall/precision, lead units and coding on labelled documents")
    evaluate.add_argument("folder", type=Path, help="a folder with labels.csv and its documents")
    evaluate.add_argument("--codebook", type=Path, default=config.CODEBOOK)
    evaluate.add_argument("--detail", type=Path, default=None,
                          help="also write the item-by-item comparison to this CSV file")

    pairs = verbs.add_parser(
        "pairs", help="the reuse rule's figures for every candidate pair of texts of two "
                      "documents (the detail behind the families; printed as CSV, not stored)")
    pairs.add_argument("doc_a", help="a doc_id of documents.csv")
    pairs.add_argument("doc_b", help="another doc_id")
    pairs.add_argument("--params", type=Path, default=config.REUSE_PARAMS,
                       help="the reuse rule's settings (default: params/reuse/default.yaml)")
    pairs.add_argument("--all", action="store_true",
                       help="also the pairs called different (default: same and related)")

    notebooks = verbs.add_parser("notebooks", help="run the notebooks with papermill")
    notebooks.add_argument("--params", type=Path, nargs="+", default=[config.DEFAULT_PARAMS],
                           help="parameter files (YAML); the file's stem names the variant")
    notebooks.add_argument("--only", nargs="*", default=None,
                           help="notebook names to run (default: all, in reading order)")

    reports = verbs.add_parser(
        "reports", help="add government work reports of the collection to a raw folder and its "
                        "manifest (every file checked against its SHA-256)")
    panel = verbs.add_parser(
        "panel", help="obtain every city's work reports (the national city panel) and build "
                      "them into their own folder, apart from the study")
    for sub in (reports, panel):
        sub.add_argument("--from", dest="local", type=Path, default=None, metavar="DIR",
                         help="a local copy of the collection (with its SOURCES.csv); default: "
                              "fetch each file from the collection's pinned commit")
    reports.add_argument("--select", nargs="+", default=["national", "provinces", "cities"],
                         metavar="PART", help="national, provinces and/or cities (default: all three)")
    reports.add_argument("--province", default=None, metavar="NAME",
                         help="cities of this province only, with the province's own reports "
                              "(its Chinese name: 安徽)")
    reports.add_argument("--raw", type=Path, default=config.RAW, help="the raw folder to add to")
    panel.add_argument("--out", type=Path, default=config.PANEL,
                       help="the panel's folder: raw/ and processed/ go in it (default: build/panel)")
    panel.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                       help="processes for the documents not cached yet (default: all cores)")
    return parser


def _megabytes(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not number > 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of megabytes, got {value!r}")
    return number


def _max_bytes(args: argparse.Namespace) -> int:
    return int(args.max_file_mb * 2**20)


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number of processes: {value!r}")
    return int(value)


def _workers(args: argparse.Namespace) -> int:
    from msresearch.pipeline.parallel import default_jobs

    return args.jobs if args.jobs is not None else default_jobs()


def _existing(path: Path, flag: str, folder: bool = False) -> None:
    """Refuse a path given for ``flag`` that does not exist or is not what it must be."""
    path = Path(path)
    if not path.exists():
        raise InputError(config.relative(path), "not found", field=flag)
    if folder and not path.is_dir():
        raise InputError(config.relative(path), "is not a folder", field=flag)
    if not folder and path.is_dir():
        raise InputError(config.relative(path), "is a folder, not a file", field=flag)
    if not folder and not path.is_file():  # a FIFO or a device would block the build
        raise InputError(config.relative(path), "is not a regular file", field=flag)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_paths(args: argparse.Namespace) -> None:
    """Refuse, before anything is read or written, a build's or validation's paths that
    cannot be right: a raw folder, manifest or codebook that is missing or of the wrong
    kind, an empty manifest, an output folder that is a file, and an output folder or cache
    that is the raw folder (``--raw`` or the project's) or inside it, or an output folder
    that holds it: the raw data are never written to, and a build replaces its output
    folder whole."""
    _existing(args.raw, "--raw", folder=True)
    if args.manifest is None:  # the raw folder's own manifest, never the project's by default
        args.manifest = Path(args.raw) / "manifest.csv"
        if not args.manifest.exists():
            raise InputError(config.relative(args.raw), "has no manifest.csv: give the manifest "
                             "that lists these files with --manifest", field="--raw")
    _existing(args.manifest, "--manifest")
    _existing(args.codebook, "--codebook")
    try:
        empty = not inputs.has_content(args.manifest)
    except OSError as err:
        raise InputError(config.relative(args.manifest), f"unreadable: {err.strerror}",
                         field="--manifest") from None
    if empty:
        raise InputError(config.relative(args.manifest),
                         "the manifest is empty: it lists no documents")
    out, cache = Path(args.out).resolve(), Path(args.cache).resolve()
    for raw in dict.fromkeys([Path(args.raw).resolve(), config.RAW.resolve()]):
        said = config.relative(raw)
        if _inside(out, raw):
            raise InputError(config.relative(args.out), f"is the raw folder or inside it "
                             f"({said}); the raw data are never written to", field="--out")
        if out in raw.parents:
            raise InputError(config.relative(args.out), f"holds the raw folder ({said}); a "
                             f"build replaces its output folder whole", field="--out")
        if _inside(cache, raw):
            raise InputError(config.relative(args.cache), f"is the raw folder or inside it "
                             f"({said}); the raw data are never written to", field="--cache")
    if _inside(out, cache) or _inside(cache, out):
        raise InputError(config.relative(args.out), f"and the cache ({config.relative(args.cache)}) "
                         f"are one folder or one is inside the other; a build replaces its output "
                         f"folder whole, so they must be apart", field="--out")
    for flag, path in (("--out", Path(args.out)), ("--cache", Path(args.cache))):
        if path.exists() and not path.is_dir():
            raise InputError(config.relative(path), "exists and is not a folder", field=flag)
    if os.path.ismount(out):
        raise InputError(config.relative(args.out), publish.MOUNT_POINT, field="--out")


def _say(kind: str, lines: list[str]) -> None:
    """Print lines of one kind (``notice``, ``warning``) to stderr, at most ``MAX_LISTED``,
    then how many more there are."""
    for line in lines[:MAX_LISTED]:
        print(f"{kind}: {line}", file=sys.stderr)
    if len(lines) > MAX_LISTED:
        print(f"{kind}: … and {len(lines) - MAX_LISTED:,} more ({len(lines):,} in all)",
              file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from msresearch.pipeline.build import build

    _check_paths(args)
    report = build(args.raw, args.manifest, args.out, args.codebook, args.skip_invalid,
                   jobs=_workers(args), dask=args.dask, cache_dir=args.cache,
                   max_bytes=_max_bytes(args))
    _say("notice", report.notices)
    _say("warning", report.warnings)
    tables = [name for name in report.written if "/" not in name]
    print(f"built {len(report.written)} file(s) in {config.relative(args.out)} "
          f"({report.computed} document(s) computed, the others from the cache): "
          + ", ".join(tables) + f" and {len(report.written) - len(tables)} clean text(s)")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from msresearch.pipeline.build import stale_outputs

    _check_paths(args)
    stale, problems, notices, n_docs = stale_outputs(
        args.raw, args.manifest, args.out, args.codebook, jobs=_workers(args), dask=args.dask,
        cache_dir=args.cache, max_bytes=_max_bytes(args), cold=args.cold)
    _say("notice", notices)
    _say("error" if args.strict else "warning", problems)
    if stale:
        print(f"error: {config.relative(args.out)}: out of date, run `make build`: "
              + ", ".join(stale), file=sys.stderr)
        return 1
    if args.strict and problems:
        return 1
    print(f"ok: {n_docs} document(s) readable, checksums "
          + ("match" if not notices else f"match where recorded ({len(notices)} not recorded)")
          + f", {config.relative(args.out)} is current"
          + (" (every document built afresh)" if args.cold else ""))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from msresearch.coding.codebook import read_codebook
    from msresearch.evaluation.lists import evaluate, read_labelled

    if args.detail:
        _writable(Path(args.detail), "--detail")
    if (Path(args.folder) / "sections.csv").is_file():  # labelled work reports
        summary, detail = _evaluate_reports(Path(args.folder), read_codebook(args.codebook))
    else:
        texts, labels = read_labelled(args.folder)
        summary, detail = evaluate(texts, labels, read_codebook(args.codebook))
    print(summary.to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep="–"))
    if args.detail:
        try:
            atomic.write_bytes(args.detail, tables.table_bytes(detail))
        except OSError as err:
            raise InputError(config.relative(args.detail), f"cannot be written: {err.strerror}",
                             field="--detail") from None
    return 0


# a labelled folder of work reports: its sets of sentences (a set that is absent is skipped),
# with the project's shared development sentences beside them
REPORT_SETS = (("development", "sentences.csv"), ("held out", "heldout.csv"))


def _evaluate_reports(folder: Path, codebook):
    """The work-report reader and coder on a labelled folder (``evaluation.work_reports``):
    one summary row per set of sentences and stratum, then the section starts."""
    import pandas as pd

    from msresearch.evaluation import work_reports as ev

    sets = [(name, folder / file) for name, file in REPORT_SETS if (folder / file).is_file()]
    sets.append(("shared development", config.GOLD_WORK_REPORT_SENTENCES))
    labelled = {name: ev.read_labels(path, ev.SENTENCE_COLUMNS, "labelled sentences")
                for name, path in sets}
    marks = ev.read_labels(folder / "sections.csv", ev.MARK_COLUMNS, "section starts")
    labelled = {name: ev.with_levels(labels) for name, labels in labelled.items()}
    paths = [p for labels in labelled.values() for p in labels["path"]] + list(marks["path"])
    reports = ev.read_reports(paths, folder)
    details = [ev.sentences(labels, reports, codebook).assign(set=name)
               for name, labels in labelled.items()]
    summary = pd.concat([ev.summary(d).assign(set=d["set"].iloc[0]) for d in details],
                        ignore_index=True)
    starts = ev.section_starts(marks, reports)
    print(starts.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    summary = summary[["set", *[c for c in summary.columns if c != "set"]]]
    return summary, pd.concat(details, ignore_index=True)


def _writable(path: Path, flag: str) -> None:
    """Refuse, before any work, a file to write that is a folder or whose folder is missing."""
    if path.is_dir():
        raise InputError(config.relative(path), "is a folder, not a file", field=flag)
    if not path.parent.is_dir():
        raise InputError(config.relative(path), "its folder does not exist", field=flag)


def _notebooks(args: argparse.Namespace) -> int:
    from msresearch.notebook import (
        execute,
        notebook_paths,
        output_path,
        remove_variant_outputs,
        same_as_default,
    )

    paths = notebook_paths()
    if args.only is not None:
        known = {p.stem for p in paths} | {p.name for p in paths}
        unknown = [name for name in args.only if name not in known]
        if unknown or not args.only:
            said = f"no notebook {unknown[0]!r}" if unknown else "names no notebook"
            raise InputError("--only", f"{said}; the notebooks are "
                             + ", ".join(p.stem for p in paths))
        paths = [p for p in paths if p.stem in args.only or p.name in args.only]
    parameter_sets = [_parameters(params_file) for params_file in args.params]  # all, first
    default = _parameters(config.DEFAULT_PARAMS)
    for parameters in parameter_sets:
        variant = parameters["variant"]
        for path in paths:
            if variant != config.DEFAULT_VARIANT and same_as_default(path, parameters, default):
                remove_variant_outputs(path, variant)
                print(f"skipped {path.name} [{variant}]: the same parameters as the default run")
                continue
            out = execute(path, parameters, output_path(path, variant))
            print(f"ran {path.name} [{variant}] → {config.relative(out)}")
    return 0


def _parameters(params_file: Path) -> dict:
    """A parameter file's set, its variant named after the file when it names none, checked
    (``notebook.check_parameters``); a bad value is said against the file."""
    from msresearch.notebook import check_parameter_set, check_parameters

    parameters = inputs.read_params(params_file)
    named = "variant" in parameters
    parameters.setdefault("variant", Path(params_file).stem)
    try:
        check_parameters(**parameters)
        check_parameter_set(parameters, params_file)
    except InputError as err:
        told = "" if named or err.field != "variant" else "; it is the file's name: set `variant:`"
        raise InputError(inputs.label(params_file), err.message + told, field=err.field) from None
    return parameters


def _listing(local: Path | None) -> Path:
    """The collection's listing: the local copy's own, or the project's copy of it."""
    if local is None:
        return config.WORK_REPORT_SOURCES
    _existing(local, "--from", folder=True)
    return Path(local) / "SOURCES.csv"


def _add_reports(raw: Path, local: Path | None, parts: list[str], province: str | None) -> int:
    """Put the chosen reports in ``raw`` and their rows in its manifest (replacing rows of the
    same doc_id, keeping every other); returns how many."""
    import pandas as pd

    from msresearch.read import collection
    from msresearch.read.corpus import MANIFEST_COLUMNS

    sources = collection.read_sources(_listing(local))
    divisions = collection.read_divisions()
    chosen = collection.select(sources, divisions, parts, province)
    if chosen.empty:
        raise InputError("--select", "chooses no report of the collection")
    chosen = chosen.sort_values("path", kind="stable")
    texts = collection.obtain(chosen, raw, local)
    rows, notices = collection.manifest_rows(chosen, divisions, texts)
    _say("notice", notices)
    left_out = {f"{collection.RAW_SUBDIR}/{path}" for path in chosen["path"]} - set(rows["file"])
    for name in left_out:  # obtained to be compared, but not part of the corpus
        (Path(raw) / name).unlink()
    added = len(rows)
    manifest = Path(raw) / "manifest.csv"
    if manifest.is_file() and inputs.has_content(manifest):
        kept = inputs.read_text_csv(manifest, "manifest")
        kept = kept.assign(**{c: "" for c in MANIFEST_COLUMNS if c not in kept.columns})
        rows = pd.concat([kept[~kept["doc_id"].isin(rows["doc_id"])][list(MANIFEST_COLUMNS)], rows],
                         ignore_index=True)
    atomic.write_bytes(manifest, rows.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return added


def _reports(args: argparse.Namespace) -> int:
    _existing(args.raw, "--raw", folder=True)
    n = _add_reports(args.raw, args.local, args.select, args.province)
    print(f"added {n} work report(s) to {config.relative(args.raw)} and its manifest.csv")
    return 0


def _panel(args: argparse.Namespace) -> int:
    """The national city panel: every city's reports into ``out/raw``, built into
    ``out/processed`` with the project's codebook and cache."""
    from msresearch.pipeline.build import build

    raw, processed = Path(args.out) / "raw", Path(args.out) / "processed"
    raw.mkdir(parents=True, exist_ok=True)
    n = _add_reports(raw, args.local, ["cities"], None)
    print(f"obtained {n} city report(s) into {config.relative(raw)}", file=sys.stderr)
    report = build(raw, raw / "manifest.csv", processed, jobs=_workers(args))
    _say("warning", report.warnings)
    print(f"built the national city panel: {n} report(s) in {config.relative(processed)}")
    return 0


def _pairs(args: argparse.Namespace) -> int:
    """The pairs of two documents' texts, as CSV on standard output."""
    from msresearch.link import reuse
    from msresearch.measure import study

    found = study.pairs_between(args.doc_a, args.doc_b, args.params)
    if not args.all:
        found = found[found["label"].isin([reuse.SAME, reuse.RELATED])]
    sys.stdout.write(found.to_csv(index=False, float_format="%.6f", lineterminator="\n"))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run a verb; bad input is reported in one line with exit status 2, no traceback."""
    args = _parser().parse_args(argv)
    handlers = {"build": _build, "validate": _validate, "evaluate": _evaluate,
                "notebooks": _notebooks, "reports": _reports, "panel": _panel, "pairs": _pairs}
    try:
        return handlers[args.verb](args)
    except (InputError, RunError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"error: interrupted: {KEPT}", file=sys.stderr)
        return 130  # 128 + SIGINT, as the shell reports a command stopped by Ctrl-C
    except OSError as err:
        if err.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        where = config.relative(Path(err.filename)) if err.filename else "writing"
        print(f"error: {where}: no space left on the device: {KEPT}", file=sys.stderr)
        return 2


# what a stopped run leaves: every file is written whole beside its place and then renamed
# into it, and a build's output folder is swapped in whole (publish.staged_outputs)
KEPT = ("nothing half-written was kept (a build's output folder is as it was before it, the "
        "cache holds only whole entries)")
