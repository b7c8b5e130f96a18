"""The build: raw files and manifest → clean texts and the tables in data/processed/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from msresearch import config, io, measures, reuse, schemas, tokenizer
from msresearch.clean import clean
from msresearch.codebook import Codebook
from msresearch.coder import code_item, code_sentence, sentences, terms
from msresearch.corpus import MANIFEST_COLUMNS, Document, check_checksum, read_document_text
from msresearch.errors import InputError
from msresearch.segment import Segmentation, segment

LIST_SEP = "; "  # how lists (units, sub-items) are written in one CSV cell


@dataclass(frozen=True)
class Indexed:
    """A document after cleaning and segmentation, with its metadata and the cleaning log."""

    doc: Document
    clean_text: str
    log: list
    seg: Segmentation


@dataclass(frozen=True)
class Report:
    """What a build saw: notices and warnings for the reader, and the files it wrote."""

    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Rejected:
    """A document the build could not index, and why (``rejected.csv``)."""

    doc_id: str
    file: str
    reason: str


class CorpusErrors(InputError):
    """Every problem found in a corpus, one line each; raised after all documents were read."""

    def __init__(self, errors: list[InputError]):
        self.errors = errors
        super().__init__(errors[0].file, errors[0].message, errors[0].row, errors[0].field,
                         errors[0].line)

    def __str__(self) -> str:
        return "\n".join(f"error: {e}" for e in self.errors).removeprefix("error: ")


NOTHING_FOUND = ("no item found: looked for numbered items (一、 （一） 1. （1） ① 第一件 一是 …), "
                 "enumerations inside paragraphs, project tables (a header with 序号, 项目名称 or "
                 "责任单位) and an unnumbered list after a declared count (\"十件民生实事：…\")")


def _document_error(err: InputError, manifest: str, line: int, file: str) -> InputError:
    """A document's problem said against the manifest line and field that name the document."""
    field = err.field if err.field in ("sha256", "file") else "file"
    message = err.message if file in err.message else f"{file}: {err.message}"
    return InputError(manifest, message, field=field, line=line)


def load_corpus(manifest_path: Path = config.MANIFEST, raw_dir: Path = config.RAW
                ) -> tuple[list[Document], list[str], list[tuple[InputError, dict]]]:
    """Read every document the manifest lists, checking its checksum; ordered by doc_id.

    Returns the documents, notices, and the documents that could not be read, each with its
    error (so that every problem is reported, not only the first)."""
    manifest = io.read_manifest(manifest_path)
    source = io.label(manifest_path)
    docs, notices, failed = [], [], []
    for row, meta in enumerate(manifest.to_dict("records"), start=1):
        try:
            path = Path(raw_dir) / meta["file"]
            data = io.read_bytes(path, row=row)
            notice = check_checksum(data, meta["sha256"], source, row, file=meta["file"])
            if notice:
                notices.append(notice)
            text, encoding = read_document_text(data, io.label(path))
        except InputError as err:
            failed.append((_document_error(err, source, row + 1, meta["file"]), meta))
            continue
        meta = {**meta, "encoding": encoding, "manifest_row": row}
        docs.append(Document(doc_id=meta["doc_id"], meta=meta, text=text))
    return sorted(docs, key=lambda d: d.doc_id), notices, failed


def index_document(doc: Document, source: str = "") -> Indexed:
    """Clean and segment one document; a document in which no item is found is bad input."""
    text, log = clean(doc.text)
    seg = segment(text)
    if not any(not it.procedural for it in seg.items):
        row = doc.meta.get("manifest_row")
        raise InputError(source or doc.meta.get("file", doc.doc_id), NOTHING_FOUND,
                         field="file", line=row + 1 if row else None)
    return Indexed(doc, text, log, seg)


def _join(values) -> str:
    return LIST_SEP.join(values)


def items_table(indexed: list[Indexed], codebook: Codebook) -> pd.DataFrame:
    """One row per item, coded; ``text`` is exactly ``clean_text[start:end]``."""
    rows = []
    for ix in indexed:
        for position, it in enumerate(ix.seg.items, start=1):
            coding = code_item(it.title, ix.clean_text[it.start:it.end], it.procedural, codebook)
            rows.append({
                "doc_id": ix.doc.doc_id,
                "item_id": f"{ix.doc.doc_id}-{position:03d}",
                "position": position,
                "printed_number": it.printed_number,
                "section": it.section,
                "title": it.title,
                "text": ix.clean_text[it.start:it.end],
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
    return pd.DataFrame(rows, columns=list(schemas.ITEMS.columns))


def sentences_table(indexed: list[Indexed], codebook: Codebook,
                    items: pd.DataFrame) -> pd.DataFrame:
    """Every sentence of every item, coded the same way: the second unit of analysis, for
    documents whose items are long multi-topic chapters. Offsets are into the clean text."""
    item_domain = items.set_index("item_id")["domain"].to_dict()
    rows = []
    for ix in indexed:
        for position, it in enumerate(ix.seg.items, start=1):
            item_text = ix.clean_text[it.start:it.end]
            item_id = f"{ix.doc.doc_id}-{position:03d}"
            for k, (s, e) in enumerate(sentences(item_text), start=1):
                coding = code_sentence(item_text[s:e], it.procedural, codebook,
                                       item_domain.get(item_id))
                rows.append({
                    "doc_id": ix.doc.doc_id,
                    "item_id": item_id,
                    "sentence_id": f"{ix.doc.doc_id}-{position:03d}-{k:03d}",
                    "start": it.start + s,
                    "end": it.start + e,
                    "n_chars": e - s,
                    "text": item_text[s:e],
                    "domain": coding.domain,
                    "domain_score": coding.score,
                    "domain_evidence": coding.evidence,
                })
    return pd.DataFrame(rows, columns=list(schemas.SENTENCES.columns))


def build_info_table(codebook: Codebook, codebook_bytes: bytes,
                     reuse_bytes: bytes = b"") -> pd.DataFrame:
    """What a reader needs to reproduce the tokens and codes: versions and hashes."""
    import hashlib

    from msresearch import __version__

    tok = tokenizer.info(terms(codebook))
    rows = [
        ("msresearch_version", __version__),
        ("codebook_scheme", f"{codebook.scheme} v{codebook.version}"),
        ("codebook_sha256", hashlib.sha256(codebook_bytes).hexdigest()),
        ("jieba_version", tok.jieba_version),
        ("jieba_hmm", str(tok.hmm)),
        ("user_dict_sha256", tok.user_dict_sha256),
        ("codebook_terms_sha256", tok.extra_terms_sha256),
        ("reuse_params_sha256", hashlib.sha256(reuse_bytes).hexdigest()),
    ]
    return pd.DataFrame(rows, columns=list(schemas.BUILD_INFO.columns))


def documents_table(indexed: list[Indexed]) -> pd.DataFrame:
    """One row per document: the manifest's facts plus what was measured and declared."""
    rows = []
    for ix in indexed:
        total = next((d for d in ix.seg.declared if d.scope == "document"), None)
        n_sub = sum(not it.procedural for it in ix.seg.items)
        rows.append({
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
        })
    frame = pd.DataFrame(rows, columns=[*MANIFEST_COLUMNS, "encoding", "manifest_row", "n_chars_raw",
                                        "n_chars_clean", "n_items", "n_procedural", "declared_items",
                                        "found_items", "declared_match", "item_level",
                                        "item_level_reason", "numbering_gaps"])
    frame["declared_items"] = frame["declared_items"].astype("Int64")
    frame["declared_match"] = frame["declared_match"].astype("boolean")
    return frame[list(schemas.DOCUMENTS.columns)]


def cleaning_log_table(indexed: list[Indexed]) -> pd.DataFrame:
    rows = [{"doc_id": ix.doc.doc_id, "step": e.step, "rule": e.rule,
             "n_changes": e.n_changes, "example": e.example}
            for ix in indexed for e in ix.log]
    return pd.DataFrame(rows, columns=list(schemas.CLEANING_LOG.columns))


def _item_at(ix: Indexed, offset: int) -> str:
    for position, it in enumerate(ix.seg.items, start=1):
        if it.start <= offset < it.end:
            return f"{ix.doc.doc_id}-{position:03d}"
    return ""


def references_table(indexed: list[Indexed]) -> pd.DataFrame:
    rows = [{"doc_id": ix.doc.doc_id, "item_id": _item_at(ix, r.start), "title": r.title,
             "doc_number": r.doc_number, "start": r.start, "end": r.end}
            for ix in indexed for r in ix.seg.references]
    return pd.DataFrame(rows, columns=list(schemas.REFERENCES.columns))


def project_changes_table(indexed: list[Indexed]) -> pd.DataFrame:
    rows = []
    for ix in indexed:
        ids = {it.title: f"{ix.doc.doc_id}-{p:03d}" for p, it in enumerate(ix.seg.items, start=1)}
        for order, ch in enumerate(ix.seg.changes, start=1):
            rows.append({"doc_id": ix.doc.doc_id, "order": order, "status": ch.status,
                         "project": ch.project, "item_id": ids.get(ch.matched_title, "")
                         if ch.matched_title else ""})
    return pd.DataFrame(rows, columns=list(schemas.PROJECT_CHANGES.columns))


def declared_counts_table(indexed: list[Indexed]) -> pd.DataFrame:
    rows = [{"doc_id": ix.doc.doc_id, "scope": d.scope, "label": d.label,
             "declared": d.declared, "found": d.found, "match": d.declared == d.found}
            for ix in indexed for d in ix.seg.declared]
    return pd.DataFrame(rows, columns=list(schemas.DECLARED_COUNTS.columns))


def index_corpus(manifest_path: Path = config.MANIFEST, raw_dir: Path = config.RAW,
                 skip_invalid: bool = False) -> tuple[list[Indexed], list[str], list[Rejected]]:
    """Read, clean and segment every document of the manifest.

    Every document is tried; when any fails, all the problems are raised together
    (``CorpusErrors``), unless ``skip_invalid``, when the others are indexed and the failed
    ones returned as ``Rejected``."""
    docs, notices, failed = load_corpus(manifest_path, raw_dir)
    source = io.label(manifest_path)
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


def rejected_table(rejected: list[Rejected]) -> pd.DataFrame:
    rows = [{"doc_id": r.doc_id, "file": r.file, "reason": r.reason} for r in rejected]
    return pd.DataFrame(rows, columns=list(schemas.REJECTED.columns))


def problems(indexed: list[Indexed]) -> list[str]:
    """What a reader must know about each document: declared counts that differ from what
    was found, and gaps in printed numbering (items that may have been lost)."""
    out = [f"{ix.doc.doc_id}: declares {d.declared} {'items' if d.scope == 'document' else ''}"
           f"{('in ' + d.label) if d.label else ''} but {d.found} were found"
           for ix in indexed for d in ix.seg.declared if d.declared != d.found]
    out += [f"{ix.doc.doc_id}: gaps in printed numbering: {', '.join(ix.seg.numbering_gaps)}"
            for ix in indexed if ix.seg.numbering_gaps]
    return out


def render(indexed: list[Indexed], codebook_path: Path = config.CODEBOOK,
           rejected: list[Rejected] | None = None, reuse_path: Path = config.REUSE_PARAMS
           ) -> tuple[dict[str, bytes], list[str]]:
    """Every output file's bytes (tables checked against their schemas), and the warnings."""
    codebook = io.read_codebook(codebook_path)
    warnings = problems(indexed)
    tables = {
        "documents.csv": documents_table(indexed),
        "items.csv": items_table(indexed, codebook),
        "build_info.csv": build_info_table(codebook, io.read_bytes(codebook_path),
                                           io.read_bytes(reuse_path)),
        "cleaning_log.csv": cleaning_log_table(indexed),
        "references.csv": references_table(indexed),
        "project_changes.csv": project_changes_table(indexed),
        "declared_counts.csv": declared_counts_table(indexed),
    }
    items = tables["items.csv"]
    tables["sentences.csv"] = sentences_table(indexed, codebook, items)
    attention = measures.attention(items, tables["sentences.csv"], codebook,
                                   seed=config.RANDOM_SEED)
    tables["attention.csv"] = attention
    tables["diversity.csv"] = pd.concat(
        [measures.diversity(attention, m) for m in ("item_share", "text_share")], ignore_index=True)
    compared = reuse.compare_documents(items, tables["documents.csv"],
                                       io.read_reuse_params(reuse_path))
    pairs = reuse.pairs_table(compared, tables["documents.csv"])
    tables["reuse.csv"] = pairs
    tables["reuse_documents.csv"] = reuse.documents_table(pairs, items, tables["documents.csv"])
    if rejected:
        tables["rejected.csv"] = rejected_table(rejected)
    files = {name: io.table_bytes(schemas.check(name, frame)) for name, frame in tables.items()}
    files.update({f"{config.CLEAN_DIRNAME}/{ix.doc.doc_id}.txt": ix.clean_text.encode("utf-8")
                  for ix in indexed})
    return files, warnings


def build(raw_dir: Path = config.RAW, manifest_path: Path = config.MANIFEST,
          out_dir: Path = config.PROCESSED, codebook_path: Path = config.CODEBOOK,
          skip_invalid: bool = False) -> Report:
    """Run the whole build; outputs are written only when every table passed its schema."""
    indexed, notices, rejected = index_corpus(manifest_path, raw_dir, skip_invalid)
    files, warnings = render(indexed, codebook_path, rejected)
    warnings += [f"{r.doc_id}: rejected: {r.reason}" for r in rejected]
    io.write_outputs(out_dir, files)
    return Report(notices=notices, warnings=warnings, written=sorted(files))


def stale_outputs(raw_dir: Path = config.RAW, manifest_path: Path = config.MANIFEST,
                  out_dir: Path = config.PROCESSED, codebook_path: Path = config.CODEBOOK
                  ) -> tuple[list[str], list[str]]:
    """Output files that are missing or differ from what a build would write now, and the
    problems (declared counts not met, numbering gaps) a strict validation fails on."""
    indexed, _, _ = index_corpus(manifest_path, raw_dir)
    files, warnings = render(indexed, codebook_path)
    return [name for name, data in sorted(files.items())
            if io.read_bytes_or_none(Path(out_dir) / name) != data], warnings
