"""The build: raw files and manifest → clean texts and the tables in data/processed/.

It runs in two stages. The *document stage* (``document_stage``: decode, clean, segment,
code, and the document's attention shares) is a pure function of a document's raw bytes,
its manifest row, the codebook and the code; its result is cached under ``build/cache`` by
a hash of all of these (``msresearch.pipeline.cache``), and it is mapped over the documents that are
not cached yet in this process, over local processes (``jobs``) or on a Dask cluster
(``dask``), in any order; its rows are checked against the schemas and cached as the CSV
lines the tables will hold. The *corpus stage* joins those lines in ``doc_id`` order and adds
what needs all documents: diversity (rarefied to the smallest document) and reuse between
documents (``reuse_stage``: cached per group of documents compared together, and brought up
to date by comparing only the changed documents' pairs). The outputs are the same bytes
however they were computed.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import pickle
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from msresearch import config
from msresearch.coding import tokenizer
from msresearch.coding.codebook import Codebook, read_codebook
from msresearch.coding.coder import code_item, code_report_sentence, code_sentence, sentences, terms
from msresearch.errors import MAX_LISTED, InputError
from msresearch.genres import REPORT_GENRES, work_reports
from msresearch.genres.lists import Segmentation, segment
from msresearch.io import atomic, inputs, publish, tables
from msresearch.link import texts
from msresearch.measure import measures, panel
from msresearch.pipeline import cache, parallel, reuse_stage, schemas
from msresearch.read.clean import clean
from msresearch.read.corpus import (
    MANIFEST_COLUMNS,
    Document,
    check_checksum,
    raw_file,
    read_document_text,
    read_manifest,
)

LIST_SEP = "; "  # how lists (units, sub-items) are written in one CSV cell
CHECK_BATCH = 250  # documents whose rows are checked against the schemas together
# the items' columns that reuse needs (texts.comparable: the lists' items are compared)
REUSE_ITEM_COLUMNS = ["doc_id", "item_id", "title", "text", "procedural", "domain"]
# the sentences' columns reuse needs: a work report's plan sentences form families too
REUSE_SENTENCE_COLUMNS = ["doc_id", "sentence_id", "text", "section", "domain"]


@dataclass(frozen=True)
class Indexed:
    """A document after cleaning and reading, with its metadata and the cleaning log: its
    items (``seg``) and, for a work report, its sections and sentences (``reading``)."""

    doc: Document
    clean_text: str
    log: list
    seg: Segmentation
    reading: work_reports.Reading | None = None


@dataclass(frozen=True)
class Report:
    """What a build saw: notices and warnings for the reader, and the files it wrote."""

    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    computed: int = 0  # documents whose document stage ran (the others came from the cache)


@dataclass(frozen=True)
class Rejected:
    """A document the build could not index, and why (``rejected.csv``)."""

    doc_id: str
    file: str
    reason: str


@dataclass(frozen=True)
class DocResult:
    """What the document stage makes of one document: its rows of each per-document table,
    as columns (column → values) and as the CSV lines the table will hold (``rows``), its
    clean text, and the problems a reader must know about."""

    doc_id: str
    tables: dict[str, dict[str, list]]
    rows: dict[str, bytes]
    clean_text: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Task:
    """One manifest row to build: its metadata, where its file is, and its cache key."""

    row: int  # 1-based data row of the manifest
    meta: dict
    path: Path
    sha256: str
    key: str


class CorpusErrors(InputError):
    """Every problem found in a corpus, one line each; raised after all documents were read."""

    def __init__(self, errors: list[InputError]):
        self.errors = errors
        super().__init__(errors[0].file, errors[0].message, errors[0].row, errors[0].field,
                         errors[0].line)

    def __str__(self) -> str:
        listed = [f"error: {e}" for e in self.errors[:MAX_LISTED]]
        if len(self.errors) > MAX_LISTED:
            listed.append(f"error: … and {len(self.errors) - MAX_LISTED:,} more: "
                          f"{len(self.errors):,} documents cannot be read")
        return "\n".join(listed).removeprefix("error: ")



NOTHING_FOUND = ("no item found: looked for numbered items (一、 （一） 1. （1） ① 第一件 一是 …), "
                 "enumerations inside paragraphs, project tables (a header with 序号, 项目名称 or "
                 "责任单位) and an unnumbered list after a declared count (\"十件民生实事：…\")")


def _document_error(err: InputError, manifest: str, line: int, file: str) -> InputError:
    """A document's problem said against the manifest line and field that name the document."""
    field = err.field if err.field in ("sha256", "file") else "file"
    message = err.message if file in err.message else f"{file}: {err.message}"
    return InputError(manifest, message, field=field, line=line)


def _raw_bytes(raw_dir: Path, meta: dict, row: int, source: str, max_bytes: int
               ) -> tuple[Path, bytes, str | None]:
    """A manifest row's raw file, contained and within the size limit (``corpus.raw_file``),
    its bytes, and a notice when the manifest records no checksum for it."""
    path = raw_file(raw_dir, meta["file"], max_bytes, source, row + 1)
    data = inputs.read_bytes(path, row=row)
    return path, data, check_checksum(data, meta["sha256"], source, row, file=meta["file"])


def load_corpus(manifest_path: Path = config.MANIFEST, raw_dir: Path = config.RAW,
                max_bytes: int = config.MAX_FILE_BYTES
                ) -> tuple[list[Document], list[str], list[tuple[InputError, dict]]]:
    """Read every document the manifest lists, checking its checksum; ordered by doc_id.
    A file outside ``raw_dir``, not a regular file or over ``max_bytes`` is not read
    (``corpus.raw_file``).

    Returns the documents, notices, and the documents that could not be read, each with its
    error (so that every problem is reported, not only the first)."""
    manifest = read_manifest(manifest_path)
    source = inputs.label(manifest_path)
    docs, notices, failed = [], [], []
    for row, meta in enumerate(manifest.to_dict("records"), start=1):
        try:
            path, data, notice = _raw_bytes(raw_dir, meta, row, source, max_bytes)
            if notice:
                notices.append(notice)
            text, encoding = read_document_text(data, inputs.label(path))
        except InputError as err:
            failed.append((_document_error(err, source, row + 1, meta["file"]), meta))
            continue
        meta = {**meta, "encoding": encoding, "manifest_row": row}
        docs.append(Document(doc_id=meta["doc_id"], meta=meta, text=text))
    return sorted(docs, key=lambda d: d.doc_id), notices, failed


def index_document(doc: Document, source: str = "") -> Indexed:
    """Clean one document and read it by its genre: a work report into sections and
    sentences (and the lists it holds into items), any other genre into items. A list in
    which no item is found, or a report in which no sentence is, is bad input."""
    text, log = clean(doc.text)
    if doc.meta.get("genre") in REPORT_GENRES:
        reading = work_reports.read(text, int(doc.meta["year"]))
        if not reading.sentences:
            row = doc.meta.get("manifest_row")
            raise InputError(source or doc.meta.get("file", doc.doc_id),
                             "no sentence found: the report has no text", field="file",
                             line=row + 1 if row else None)
        return Indexed(doc, text, log, Segmentation(reading.items), reading)
    seg = segment(text)
    if not any(not it.procedural for it in seg.items):
        row = doc.meta.get("manifest_row")
        raise InputError(source or doc.meta.get("file", doc.doc_id), NOTHING_FOUND,
                         field="file", line=row + 1 if row else None)
    return Indexed(doc, text, log, seg)


def _join(values) -> str:
    return LIST_SEP.join(values)


def _item_id(doc_id: str, position: int) -> str:
    return f"{doc_id}-{position:03d}"


def item_rows(ix: Indexed, codebook: Codebook) -> list[dict]:
    """One row per item, coded; ``text`` is exactly ``clean_text[start:end]``."""
    rows = []
    for position, it in enumerate(ix.seg.items, start=1):
        text = ix.clean_text[it.start:it.end]
        coding = code_item(it.title, text, it.procedural, codebook)
        rows.append({
            "doc_id": ix.doc.doc_id,
            "item_id": _item_id(ix.doc.doc_id, position),
            "position": position,
            "printed_number": it.printed_number,
            "section": it.section,
            "title": it.title,
            "text": text,
            "start": it.start,
            "end": it.end,
            "n_chars": it.end - it.start,
            "lead_units": _join(it.lead_units),
            "partner_units": _join(it.partner_units),
            "deadline": it.deadline,
            "procedural": it.procedural,
            "status": it.status,
            "source": it.source,
            "subitems": _join(it.subitems),
            "domain": coding.domain,
            "domain_score": coding.score,
            "domain_evidence": coding.evidence,
        })
    return rows


def sentence_rows(ix: Indexed, codebook: Codebook, items: list[dict]) -> list[dict]:
    """Every sentence of every item, coded the same way: the second unit of analysis, for
    documents whose items are long multi-topic chapters; for a work report, every sentence
    of the report with its section, coded with the genre's codebook. Offsets are into the
    clean text; ``paragraph`` is the sentence's line of the clean text (a report's
    paragraph)."""
    if ix.reading is not None:
        return _report_sentence_rows(ix, codebook.for_genre(ix.doc.meta["genre"]), items)
    rows = []
    line_starts = _line_starts(ix.clean_text)
    for it, item in zip(ix.seg.items, items, strict=True):
        item_text = item["text"]
        for k, (s, e) in enumerate(sentences(item_text), start=1):
            coding = code_sentence(item_text[s:e], it.procedural, codebook, item["domain"])
            rows.append({
                "doc_id": ix.doc.doc_id,
                "item_id": item["item_id"],
                "sentence_id": f"{item['item_id']}-{k:03d}",
                "start": it.start + s,
                "end": it.start + e,
                "n_chars": e - s,
                "text": item_text[s:e],
                "section": "",
                "paragraph": bisect.bisect_right(line_starts, it.start + s),
                "targets": False,
                "domain": coding.domain,
                "domain_score": coding.score,
                "domain_evidence": coding.evidence,
            })
    return rows


def _line_starts(text: str) -> list[int]:
    return [0] + [k + 1 for k, c in enumerate(text) if c == "\n"]


def _report_sentence_rows(ix: Indexed, codebook: Codebook, items: list[dict]) -> list[dict]:
    """A work report's sentences: each with its section and paragraph, whether it states the
    main expected targets, the item of a list it belongs to, and its own domain."""
    spans = [(item["start"], item["end"], item["item_id"]) for item in items]
    rows = []
    for k, sent in enumerate(ix.reading.sentences, start=1):
        text = ix.clean_text[sent.start:sent.end]
        coding = code_report_sentence(text, codebook)
        rows.append({
            "doc_id": ix.doc.doc_id,
            "item_id": next((i for s, e, i in spans if s < sent.end and sent.start < e), ""),
            "sentence_id": f"{ix.doc.doc_id}-s{k:04d}",
            "start": sent.start,
            "end": sent.end,
            "n_chars": sent.end - sent.start,
            "text": text,
            "section": sent.section,
            "paragraph": sent.paragraph,
            "targets": sent.targets,
            "domain": coding.domain,
            "domain_score": coding.score,
            "domain_evidence": coding.evidence,
        })
    return rows


DOCUMENT_COLUMNS = [*MANIFEST_COLUMNS, "encoding", "manifest_row", "n_chars_raw",
                    "n_chars_clean", "n_items", "n_procedural", "declared_items", "found_items",
                    "declared_match", "item_level", "item_level_reason", "numbering_gaps",
                    "n_sentences", "sections", "section_headings"]


def document_row(ix: Indexed) -> dict:
    """The document's row: the manifest's facts plus what was measured and declared."""
    total = next((d for d in ix.seg.declared if d.scope == "document"), None)
    n_sub = sum(not it.procedural for it in ix.seg.items)
    return {
        **ix.doc.meta,
        "n_chars_raw": len(ix.doc.text),
        "n_chars_clean": len(ix.clean_text),
        "n_items": n_sub,
        "n_procedural": len(ix.seg.items) - n_sub,
        "declared_items": total.declared if total else pd.NA,
        "found_items": n_sub,
        "declared_match": all(d.declared == d.found for d in ix.seg.declared)
        if ix.seg.declared else pd.NA,
        "item_level": ix.seg.item_level,
        "item_level_reason": ix.seg.item_level_reason,
        "numbering_gaps": LIST_SEP.join(ix.seg.numbering_gaps),
        "n_sentences": len(ix.reading.sentences) if ix.reading else 0,
        "sections": LIST_SEP.join(name for name, _ in ix.reading.sections_found)
        if ix.reading else "",
        "section_headings": " | ".join(f"{name}: {how}" for name, how in ix.reading.sections_found)
        if ix.reading else "",
    }


def cleaning_log_rows(ix: Indexed) -> list[dict]:
    return [{"doc_id": ix.doc.doc_id, "step": e.step, "rule": e.rule,
             "n_changes": e.n_changes, "example": e.example} for e in ix.log]


def _item_at(ix: Indexed, offset: int) -> str:
    for position, it in enumerate(ix.seg.items, start=1):
        if it.start <= offset < it.end:
            return _item_id(ix.doc.doc_id, position)
    return ""


def reference_rows(ix: Indexed) -> list[dict]:
    return [{"doc_id": ix.doc.doc_id, "item_id": _item_at(ix, r.start), "title": r.title,
             "doc_number": r.doc_number, "start": r.start, "end": r.end}
            for r in ix.seg.references]


def project_change_rows(ix: Indexed) -> list[dict]:
    ids = {it.title: _item_id(ix.doc.doc_id, p) for p, it in enumerate(ix.seg.items, start=1)}
    return [{"doc_id": ix.doc.doc_id, "order": order, "status": ch.status,
             "project": ch.project,
             "item_id": ids.get(ch.matched_title, "") if ch.matched_title else ""}
            for order, ch in enumerate(ix.seg.changes, start=1)]


def declared_count_rows(ix: Indexed) -> list[dict]:
    return [{"doc_id": ix.doc.doc_id, "scope": d.scope, "label": d.label,
             "declared": d.declared, "found": d.found, "match": d.declared == d.found}
            for d in ix.seg.declared]


def problems(indexed: list[Indexed]) -> list[str]:
    """What a reader must know about each document: declared counts that differ from what
    was found, and gaps in printed numbering (items that may have been lost)."""
    out = [f"{ix.doc.doc_id}: declares {d.declared} {'items' if d.scope == 'document' else ''}"
           f"{('in ' + d.label) if d.label else ''} but {d.found} were found"
           for ix in indexed for d in ix.seg.declared if d.declared != d.found]
    out += [f"{ix.doc.doc_id}: gaps in printed numbering: {', '.join(ix.seg.numbering_gaps)}"
            for ix in indexed if ix.seg.numbering_gaps]
    out += [f"{ix.doc.doc_id}: no plan found (sections: "
            f"{', '.join(name for name, _ in ix.reading.sections_found)})"
            for ix in indexed if ix.reading and "plan" not in {n for n, _ in ix.reading.sections_found}]
    return out


# The tables made document by document, in the order their columns are documented.
PER_DOCUMENT = {
    "documents.csv": DOCUMENT_COLUMNS,
    "items.csv": list(schemas.ITEMS.columns),
    "sentences.csv": list(schemas.SENTENCES.columns),
    "cleaning_log.csv": list(schemas.CLEANING_LOG.columns),
    "references.csv": list(schemas.REFERENCES.columns),
    "project_changes.csv": list(schemas.PROJECT_CHANGES.columns),
    "declared_counts.csv": list(schemas.DECLARED_COUNTS.columns),
    "attention.csv": measures.ATTENTION_COLUMNS,
    "panel.csv": panel.PANEL_COLUMNS,
    "panel_domains.csv": panel.DOMAIN_COLUMNS,
}


def _columns(rows: list[dict], names: list[str]) -> dict[str, list]:
    return {name: [r[name] for r in rows] for name in names}


def frame(name: str, columns: dict[str, list]) -> pd.DataFrame:
    """A per-document table from its columns' values, with the types the build writes."""
    table = pd.DataFrame(columns, columns=PER_DOCUMENT[name])
    if name == "documents.csv":
        table["declared_items"] = table["declared_items"].astype("Int64")
        table["declared_match"] = table["declared_match"].astype("boolean")
        table = table[list(schemas.DOCUMENTS.columns)]
    return table


def document_result(ix: Indexed, codebook: Codebook) -> DocResult:
    """Every per-document table's rows for one indexed document (pure)."""
    items = item_rows(ix, codebook)
    sents = sentence_rows(ix, codebook, items)
    rows = {
        "documents.csv": [document_row(ix)],
        "items.csv": items,
        "sentences.csv": sents,
        "cleaning_log.csv": cleaning_log_rows(ix),
        "references.csv": reference_rows(ix),
        "project_changes.csv": project_change_rows(ix),
        "declared_counts.csv": declared_count_rows(ix),
    }
    columns_of = {name: _columns(r, PER_DOCUMENT[name]) for name, r in rows.items()}
    shares = ("item_id", "domain", "n_chars")
    substantive = [r for r in items if r["domain"] not in measures.EXCLUDED]
    coded = [r for r in sents if r["domain"] not in measures.SENTENCE_EXCLUDED]
    # a list's attention to each domain (a work report's is measured on its plan, apart)
    columns_of["attention.csv"] = measures.document_attention(
        ix.doc.doc_id, _columns(substantive, shares), _columns(coded, shares), codebook.ids,
        seed=config.RANDOM_SEED) if substantive and ix.reading is None \
        else _columns([], measures.ATTENTION_COLUMNS)
    # a work report's priorities, measured on each of its sections (the report the unit)
    if ix.reading is not None:
        genre = codebook.for_genre(ix.doc.meta["genre"])
        columns_of["panel.csv"], columns_of["panel_domains.csv"] = panel.report_measures(
            ix.doc.doc_id, _columns(sents, ("section", "paragraph", "domain")), genre.ids,
            genre.livelihood_set("core"), genre.livelihood_set("broad"), seed=config.RANDOM_SEED)
    else:
        columns_of["panel.csv"] = _columns([], panel.PANEL_COLUMNS)
        columns_of["panel_domains.csv"] = _columns([], panel.DOMAIN_COLUMNS)
    rows = {name: tables.csv_rows(cols, schemas.kinds(name)) for name, cols in columns_of.items()}
    return DocResult(ix.doc.doc_id, columns_of, rows, ix.clean_text, tuple(problems([ix])))


def check_results(results: list[DocResult]) -> None:
    """Check the rows of several documents' results against the tables' schemas, as one
    table each (an InputError naming the table when they do not match). Results are checked
    before they are cached, so that a table joined from cached rows is a checked table: its
    keys are unique across documents because each key starts with its document's doc_id,
    and the manifest's doc_ids are unique."""
    for name, names in PER_DOCUMENT.items():
        schemas.check(name, frame(name, {col: [v for r in results for v in r.tables[name][col]]
                                         for col in names}))


def document_stage(data: bytes, meta: dict, codebook: Codebook, source: str) -> bytes:
    """The document stage for one manifest row (``meta``, with ``manifest_row``): decode,
    clean, segment, code; the pickled ``("ok", DocResult)``, or ``("error", fields of the
    InputError)`` for a document that cannot be built. Pickled here so that a worker's
    result travels and is cached as it is."""
    try:
        text, encoding = read_document_text(data, source)
        meta = {**meta, "encoding": encoding}
        ix = index_document(Document(doc_id=meta["doc_id"], meta=meta, text=text))
        result: tuple = ("ok", document_result(ix, codebook))
    except InputError as err:
        result = ("error", err.file, err.message, err.row, err.field, err.line)
    return pickle.dumps(result, protocol=cache.PICKLE_PROTOCOL)


def plan(manifest_path: Path, raw_dir: Path, codebook_bytes: bytes,
         max_bytes: int = config.MAX_FILE_BYTES
         ) -> tuple[list[Task], list[str], list[tuple[InputError, dict]]]:
    """Every manifest row with its file read and checksum checked, and its cache key: a hash
    of the file's bytes, the manifest row, the codebook and the code. Returns the tasks in
    ``doc_id`` order, notices, and the rows that cannot be read, each with its error. A file
    outside ``raw_dir``, not a regular file or over ``max_bytes`` is not read
    (``corpus.raw_file``)."""
    manifest = read_manifest(manifest_path)
    source = inputs.label(manifest_path)
    version, codebook_sha = cache.code_version(), cache.sha256(codebook_bytes)
    tasks, notices, failed = [], [], []
    named: dict[Path, int] = {}  # each raw file, by the first row that names it
    for row, meta in enumerate(manifest.to_dict("records"), start=1):
        try:
            path, data, notice = _raw_bytes(raw_dir, meta, row, source, max_bytes)
        except InputError as err:
            failed.append((_document_error(err, source, row + 1, meta["file"]), meta))
            continue
        if notice:
            notices.append(notice)
        if path in named:
            notices.append(f"{source}: lines {named[path] + 1} and {row + 1} name the same file "
                           f"({meta['file']}): two documents with one text")
        named.setdefault(path, row)
        digest = cache.sha256(data)
        # the row's position is not part of the key: adding or removing a row of the
        # manifest leaves the other documents cached (``render`` writes the positions)
        key = cache.key("document", version, codebook_sha, digest, meta)
        meta = {**meta, "manifest_row": row}
        tasks.append(Task(row, meta, path, digest, key))
    return sorted(tasks, key=lambda t: t.meta["doc_id"]), notices, failed


def _progress(iterable, total: int):
    """A progress bar on stderr for long builds; quiet when stderr is not a terminal or in CI."""
    import os

    from tqdm import tqdm

    quiet = not sys.stderr.isatty() or bool(os.environ.get("CI"))
    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this
    return tqdm(iterable, total=total, disable=quiet, delay=2.0, unit="doc", file=sys.stderr,
                desc="documents")


def _stage_inputs(stale: list[Task], codebook: Codebook) -> Iterator[tuple]:
    for task in stale:  # read again here, one at a time: never the whole corpus in memory
        data = inputs.read_bytes(task.path, row=task.row)
        if cache.sha256(data) != task.sha256:
            raise InputError(inputs.label(task.path), "changed while the build was running",
                             row=task.row, field="file")
        yield data, task.meta, codebook, inputs.label(task.path)


def run_documents(tasks: list[Task], codebook: Codebook, cache_dir: Path, source: str,
                  jobs: int = 1, dask: str | None = None
                  ) -> tuple[int, list[tuple[InputError, dict]], dict[str, DocResult]]:
    """Run the document stage for every task not in the cache, and cache the results.
    Returns how many ran, the documents that could not be built, with their errors, and the
    cached results read while they ran (by task key).

    When a few documents changed (no more than ``jobs``), they run in worker processes while
    this one reads the other documents' results from the cache for ``render``: a rebuild
    after one change takes the longer of the two, not their sum."""
    stale = [t for t in tasks if not cache.path(cache_dir, "documents", t.key).is_file()]
    by_id = {t.meta["doc_id"]: t for t in stale}
    failed, batch = [], []
    preloaded: dict[str, DocResult] = {}

    def preload() -> None:
        keys = {t.key for t in stale}
        for task in tasks:
            if task.key not in keys:
                preloaded[task.key] = _cached_result(task, codebook, cache_dir)

    def store() -> None:  # check a batch of results, then cache them
        check_results([result for _, result in batch])
        for task, result in batch:
            cache.write_entry(cache.path(cache_dir, "documents", task.key), _entry(result))
        batch.clear()

    overlap = 0 < len(stale) <= jobs and len(stale) < len(tasks) and dask is None
    results = parallel.imap(document_stage, _stage_inputs(stale, codebook), jobs=jobs, dask=dask,
                            meanwhile=preload if overlap else None)
    for (_, meta, _, _), payload in _progress(results, len(stale)):
        task = by_id[meta["doc_id"]]
        result = pickle.loads(payload)
        if result[0] == "ok":
            batch.append((task, result[1]))
            if len(batch) == CHECK_BATCH:
                store()
        else:
            err = InputError(result[1], result[2], row=result[3], field=result[4], line=result[5])
            failed.append((_document_error(err, source, task.row + 1, task.meta["file"]),
                           task.meta))
    store()
    return len(stale), failed, preloaded


# what the corpus stage reads of a document's result besides its CSV lines: the columns the
# corpus-level measures need (the others were checked before caching and are not kept)
KEPT = {"documents.csv": DOCUMENT_COLUMNS, "attention.csv": PER_DOCUMENT["attention.csv"],
        "items.csv": REUSE_ITEM_COLUMNS, "sentences.csv": REUSE_SENTENCE_COLUMNS}


def _entry(result: DocResult) -> bytes:
    """A checked result as it is cached: its CSV lines, its clean text, its problems and the
    ``KEPT`` columns."""
    kept = {name: {col: result.tables[name][col] for col in cols} for name, cols in KEPT.items()}
    rows = {name: data for name, data in result.rows.items() if name != "documents.csv"}
    return pickle.dumps(("ok", DocResult(result.doc_id, kept, rows, result.clean_text,
                                         result.problems)), protocol=cache.PICKLE_PROTOCOL)


def _cached_result(task: Task, codebook: Codebook, cache_dir: Path) -> DocResult:
    """A document's cached result; one that cannot be read is computed again here."""
    path = cache.path(cache_dir, "documents", task.key)
    entry = cache.read_pickled(path)
    if not (isinstance(entry, tuple) and entry[0] == "ok"):
        payload = document_stage(inputs.read_bytes(task.path, row=task.row), task.meta, codebook,
                                 inputs.label(task.path))
        entry = pickle.loads(payload)
        if entry[0] == "ok":
            check_results([entry[1]])
            cache.write_entry(path, _entry(entry[1]))
        else:
            raise InputError(entry[1], entry[2], row=entry[3], field=entry[4], line=entry[5])
    return entry[1]


def build_info_table(codebook: Codebook, codebook_bytes: bytes,
                     reuse_bytes: bytes = b"") -> pd.DataFrame:
    """What a reader needs to reproduce the tokens and codes: versions and hashes."""
    from msresearch import __version__

    tok = tokenizer.info(terms(codebook))
    rows = [
        ("msresearch_version", __version__),
        ("codebook_scheme", f"{codebook.scheme} v{codebook.version}"),
        ("codebook_sha256", cache.sha256(codebook_bytes)),
        ("jieba_version", tok.jieba_version),
        ("jieba_hmm", str(tok.hmm)),
        ("user_dict_sha256", tok.user_dict_sha256),
        ("codebook_terms_sha256", tok.extra_terms_sha256),
        ("reuse_params_sha256", cache.sha256(reuse_bytes)),
    ]
    return pd.DataFrame(rows, columns=list(schemas.BUILD_INFO.columns))


def rejected_table(rejected: list[Rejected]) -> pd.DataFrame:
    rows = [{"doc_id": r.doc_id, "file": r.file, "reason": r.reason} for r in rejected]
    return pd.DataFrame(rows, columns=list(schemas.REJECTED.columns))


def render(tasks: list[Task], put: publish.Put, codebook: Codebook, codebook_bytes: bytes,
           reuse_path: Path, cache_dir: Path, rejected: list[Rejected] | None = None,
           jobs: int = 1, dask: str | None = None,
           preloaded: dict[str, DocResult] | None = None) -> list[str]:
    """The corpus stage: every output file, handed to ``put(name, bytes)`` (tables checked
    against their schemas); returns the warnings. The documents' results are read from the
    cache one at a time: clean texts go out at once, the per-document tables are their
    documents' CSV lines joined, and only the columns the corpus-level measures need
    (documents, attention, and the items' texts for reuse) are gathered. Results already
    read (``preloaded``, by task key) are taken from there."""
    preloaded = {} if preloaded is None else preloaded
    columns: dict[str, dict[str, list]] = {n: {c: [] for c in cols} for n, cols in KEPT.items()}
    lines: dict[str, list[bytes]] = {name: [] for name in PER_DOCUMENT if name != "documents.csv"}
    warnings: list[str] = []
    for task in tasks:
        result = preloaded.pop(task.key, None) or _cached_result(task, codebook, cache_dir)
        for name, cols in columns.items():
            for col, values in cols.items():
                values += result.tables[name][col]
        columns["documents.csv"]["manifest_row"][-1] = task.row  # cached from another row?
        for name, data in lines.items():
            data.append(result.rows[name])
        put(f"{config.CLEAN_DIRNAME}/{result.doc_id}.txt", result.clean_text.encode("utf-8"))
        warnings += result.problems
    for name, data in lines.items():  # checked, document by document, before they were cached
        put(name, itertools.chain([tables.csv_header(schemas.kinds(name))], data))
    del lines
    documents = frame("documents.csv", columns["documents.csv"])
    put("documents.csv", tables.table_bytes(schemas.check("documents.csv", documents)))
    items = pd.DataFrame(columns["items.csv"], columns=REUSE_ITEM_COLUMNS)
    sentences = pd.DataFrame(columns["sentences.csv"], columns=REUSE_SENTENCE_COLUMNS)
    attention = frame("attention.csv", columns["attention.csv"])
    del columns
    # a document's problems in the order they are listed: declared counts, then gaps
    warnings.sort(key=lambda w: "gaps in printed numbering" in w)
    # reuse: the commitment families of the lists' items and the work reports' plan sentences
    warnings += reuse_stage.reuse_tables(put, texts.comparable(items, sentences, documents),
                                         documents, reuse_path, cache_dir)
    del sentences
    corpus_tables = {"build_info.csv": build_info_table(codebook, codebook_bytes,
                                                 inputs.read_bytes(reuse_path)),
              "diversity.csv": pd.concat([measures.diversity(attention, m)
                                          for m in ("item_share", "text_share")],
                                         ignore_index=True)}
    if rejected:
        corpus_tables["rejected.csv"] = rejected_table(rejected)
    for name in sorted(corpus_tables):
        put(name, tables.table_bytes(schemas.check(name, corpus_tables.pop(name))))
    return warnings


def _prepare(manifest_path: Path, raw_dir: Path, codebook_path: Path, cache_dir: Path,
             skip_invalid: bool, jobs: int, dask: str | None, max_bytes: int):
    """Plan, run the document stage where needed (with the cached results read meanwhile),
    and sort out the failures."""
    codebook = read_codebook(codebook_path)
    codebook_bytes = inputs.read_bytes(codebook_path)
    tasks, notices, failed = plan(manifest_path, raw_dir, codebook_bytes, max_bytes)
    source = inputs.label(manifest_path)
    computed, stage_failed, preloaded = run_documents(tasks, codebook, cache_dir, source, jobs,
                                                      dask)
    failed += stage_failed
    failed.sort(key=lambda f: f[0].line or 0)
    if failed and not skip_invalid:
        raise CorpusErrors([err for err, _ in failed])
    bad = {meta["doc_id"] for _, meta in failed}
    tasks = [t for t in tasks if t.meta["doc_id"] not in bad]
    if not tasks:
        raise CorpusErrors([err for err, _ in failed] or [InputError(source, "no document indexed")])
    rejected = [Rejected(meta["doc_id"], meta["file"], err.message) for err, meta in failed]
    return codebook, codebook_bytes, tasks, notices, rejected, computed, preloaded


def _run_key(tasks: list[Task], codebook_bytes: bytes, reuse_path: Path) -> str:
    """What a whole build's outputs depend on: every document's key, the settings, the code."""
    return cache.key("run", cache.code_version(), cache.sha256(codebook_bytes),
                     cache.sha256(inputs.read_bytes(reuse_path)), [t.key for t in tasks])


def build(raw_dir: Path = config.RAW, manifest_path: Path = config.MANIFEST,
          out_dir: Path = config.PROCESSED, codebook_path: Path = config.CODEBOOK,
          skip_invalid: bool = False, jobs: int = 1, dask: str | None = None,
          cache_dir: Path = config.CACHE, reuse_path: Path = config.REUSE_PARAMS,
          max_bytes: int = config.MAX_FILE_BYTES) -> Report:
    """Run the whole build; outputs are published only when every table passed its schema.
    The digests of what it wrote are recorded in the cache, for ``stale_outputs``. A raw
    file over ``max_bytes`` is refused."""
    with _one_blas_thread(), cache.damage_report() as damaged:
        report = _build(raw_dir, manifest_path, out_dir, codebook_path, skip_invalid, jobs, dask,
                        cache_dir, reuse_path, max_bytes)
    return replace(report, warnings=report.warnings + damaged)


def _one_blas_thread():
    """BLAS on one thread: the build's matrices are small (items × domains), and on a few
    cores OpenBLAS's threads make each product tens of times slower; parallelism comes from
    documents, not from BLAS. Forked workers inherit the setting; Dask sets it for its own."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _build(raw_dir: Path, manifest_path: Path, out_dir: Path, codebook_path: Path,
           skip_invalid: bool, jobs: int, dask: str | None, cache_dir: Path,
           reuse_path: Path, max_bytes: int) -> Report:
    codebook, codebook_bytes, tasks, notices, rejected, computed, preloaded = _prepare(
        manifest_path, raw_dir, codebook_path, cache_dir, skip_invalid, jobs, dask, max_bytes)
    digests: dict[str, str] = {}
    with publish.staged_outputs(out_dir, digests) as put:
        warnings = render(tasks, put, codebook, codebook_bytes, reuse_path, cache_dir,
                          rejected, jobs, dask, preloaded)
    if not rejected:
        run = _run_key(tasks, codebook_bytes, reuse_path)
        cache.write_pickled(cache.path(cache_dir, "runs", run),
                            {"digests": digests, "warnings": warnings})
    warnings = warnings + [f"{r.doc_id}: rejected: {r.reason}" for r in rejected]
    return Report(notices=notices, warnings=warnings, written=sorted(digests), computed=computed)


def stale_outputs(raw_dir: Path = config.RAW, manifest_path: Path = config.MANIFEST,
                  out_dir: Path = config.PROCESSED, codebook_path: Path = config.CODEBOOK,
                  jobs: int = 1, dask: str | None = None, cache_dir: Path = config.CACHE,
                  reuse_path: Path = config.REUSE_PARAMS, max_bytes: int = config.MAX_FILE_BYTES,
                  cold: bool = False) -> tuple[list[str], list[str], list[str], int]:
    """Output files that are missing or differ from what a build would write now, or that
    it would not write at all (``publish.stray_outputs``), the
    problems (declared counts not met, numbering gaps) a strict validation fails on, the
    notices, and the number of documents.

    When a build with these very inputs (the same run key) is recorded in the cache, the
    output files' hashes are compared with the recorded ones; otherwise the documents whose
    results are not cached are built, the outputs rendered and compared byte for byte. With
    ``cold``, nothing of ``cache_dir`` is read or written: every document is built afresh
    (in a temporary cache, removed after) and the outputs compared byte for byte, which
    answers "would a cold build write these bytes?" without trusting any earlier build."""
    if cold:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="msresearch-cold-") as fresh:
            return stale_outputs(raw_dir, manifest_path, out_dir, codebook_path, jobs, dask,
                                 Path(fresh), reuse_path, max_bytes)
    with _one_blas_thread(), cache.damage_report() as damaged:
        stale, problems, notices, n_docs = _stale_outputs(
            raw_dir, manifest_path, out_dir, codebook_path, jobs, dask, cache_dir, reuse_path,
            max_bytes)
    return stale, problems, notices + damaged, n_docs


def _stale_outputs(raw_dir: Path, manifest_path: Path, out_dir: Path, codebook_path: Path,
                   jobs: int, dask: str | None, cache_dir: Path, reuse_path: Path,
                   max_bytes: int) -> tuple[list[str], list[str], list[str], int]:
    codebook, codebook_bytes, tasks, notices, _, _, preloaded = _prepare(
        manifest_path, raw_dir, codebook_path, cache_dir, False, jobs, dask, max_bytes)
    run_path = cache.path(cache_dir, "runs", _run_key(tasks, codebook_bytes, reuse_path))
    recorded = cache.read_pickled(run_path)
    if isinstance(recorded, dict):
        have = publish.output_digests(out_dir)
        stale = [name for name, digest in sorted(recorded["digests"].items())
                 if have.get(name) != digest]
        stale += publish.stray_outputs(out_dir, recorded["digests"])
        return sorted(stale), recorded["warnings"], notices, len(tasks)
    stale, digests = [], {}

    def compare(name: str, data: bytes | Iterable[bytes]) -> None:
        digest = hashlib.sha256()
        for chunk in [data] if isinstance(data, bytes) else data:
            digest.update(chunk)
        digests[name] = digest.hexdigest()
        if atomic.file_digest(Path(out_dir) / name) != digests[name]:
            stale.append(name)

    warnings = render(tasks, compare, codebook, codebook_bytes, reuse_path, cache_dir,
                      jobs=jobs, dask=dask, preloaded=preloaded)
    cache.write_pickled(run_path, {"digests": digests, "warnings": warnings})
    return sorted(stale + publish.stray_outputs(out_dir, digests)), warnings, notices, len(tasks)


def index_corpus(manifest_path: Path = config.MANIFEST, raw_dir: Path = config.RAW,
                 skip_invalid: bool = False) -> tuple[list[Indexed], list[str], list[Rejected]]:
    """Read, clean and segment every document of the manifest, in this process and without
    the cache (for tests and notebooks that look inside a document's segmentation).

    Every document is tried; when any fails, all the problems are raised together
    (``CorpusErrors``), unless ``skip_invalid``, when the others are indexed and the failed
    ones returned as ``Rejected``."""
    docs, notices, failed = load_corpus(manifest_path, raw_dir)
    source = inputs.label(manifest_path)
    indexed = []
    for doc in docs:
        try:
            indexed.append(index_document(doc))
        except InputError as err:
            failed.append((_document_error(err, source, doc.meta["manifest_row"] + 1,
                                           doc.meta["file"]), doc.meta))
    failed.sort(key=lambda f: f[0].line or 0)
    if failed and not skip_invalid:
        raise CorpusErrors([err for err, _ in failed])
    if not indexed:
        raise CorpusErrors([err for err, _ in failed] or [InputError(source, "no document indexed")])
    rejected = [Rejected(meta["doc_id"], meta["file"], err.message) for err, meta in failed]
    return indexed, notices, rejected
