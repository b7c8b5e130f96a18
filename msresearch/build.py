"""The build: raw files and manifest → the tables in data/processed/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from msresearch import config, io, schemas
from msresearch.corpus import Document, check_checksum, read_document_text
from msresearch.errors import InputError


@dataclass(frozen=True)
class Report:
    """What a build saw: notices for the reader (not errors) and the files it wrote."""

    notices: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def load_corpus(manifest_path: Path = config.MANIFEST,
                raw_dir: Path = config.RAW) -> tuple[list[Document], list[str]]:
    """Read every document the manifest lists, checking its checksum; ordered by doc_id."""
    manifest = io.read_manifest(manifest_path)
    source = io.label(manifest_path)
    docs, notices = [], []
    for row, meta in enumerate(manifest.to_dict("records"), start=1):
        path = Path(raw_dir) / meta["file"]
        data = io.read_bytes(path, row=row)
        notice = check_checksum(data, meta["sha256"], source, row, file=meta["file"])
        if notice:
            notices.append(notice)
        try:
            text, encoding = read_document_text(data, io.label(path))
        except InputError as err:  # the manifest row says which document it was
            raise InputError(err.file, err.message, row=row, field=err.field) from None
        meta = {**meta, "encoding": encoding}
        docs.append(Document(doc_id=meta["doc_id"], meta=meta, text=text))
    return sorted(docs, key=lambda d: d.doc_id), notices


def documents_table(docs: list[Document]) -> pd.DataFrame:
    """One row per document: the manifest's facts plus what was measured on the file."""
    rows = [{**d.meta, "n_chars_raw": len(d.text)} for d in docs]
    frame = pd.DataFrame(rows)
    return frame[list(schemas.DOCUMENTS.columns)]


def build(raw_dir: Path = config.RAW, manifest_path: Path = config.MANIFEST,
          out_dir: Path = config.PROCESSED) -> Report:
    """Run the whole build; outputs are written only when every table passed its schema."""
    docs, notices = load_corpus(manifest_path, raw_dir)
    if not docs:
        raise InputError(io.label(manifest_path), "the manifest lists no documents")
    tables = {"documents.csv": documents_table(docs)}
    files = {name: io.table_bytes(schemas.check(name, frame)) for name, frame in tables.items()}
    io.write_outputs(out_dir, files)
    return Report(notices=notices, written=sorted(files))
