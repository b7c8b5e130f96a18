"""The coded study of the livelihood lists as the notebooks read it: the build's tables (the
lists' rows), or the same recomputed in memory with another codebook, so a researcher can
rerun the analysis with a codebook of their own by a single papermill parameter."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from msresearch import config
from msresearch.coding.codebook import Codebook, read_codebook
from msresearch.coding.validation import recode, recode_sentences
from msresearch.genres import REPORT_GENRES
from msresearch.io import inputs
from msresearch.link import reuse
from msresearch.link.reuse import read_reuse_params
from msresearch.measure import measures


@dataclass(frozen=True)
class Study:
    """Documents, coded items and sentences, and attention shares under one codebook."""

    codebook: Codebook
    documents: pd.DataFrame
    items: pd.DataFrame
    sentences: pd.DataFrame
    attention: pd.DataFrame
    rebuilt: bool  # True when items were re-coded because the codebook is not the build's


def list_table(name: str) -> pd.DataFrame:
    """A table of the build with the rows of the livelihood lists only (the study's five seed
    documents and any list added since): the work reports are read and measured apart."""
    table = inputs.read_table(name)
    if "doc_id" not in table.columns:
        return table
    documents = inputs.read_table("documents.csv")
    lists = documents.loc[~documents["genre"].isin(REPORT_GENRES), "doc_id"]
    return table[table["doc_id"].isin(lists)].reset_index(drop=True)


def load(codebook_path: str | Path = config.CODEBOOK) -> Study:
    """Read the study of the livelihood lists (``list_table``); when ``codebook_path`` is not
    the codebook the build used (compared by SHA-256), re-code the items and recompute
    attention with it."""
    path = Path(codebook_path)
    path = path if path.is_absolute() else config.ROOT / path
    codebook = read_codebook(path)
    documents = list_table("documents.csv")
    items = list_table("items.csv")
    sentences = list_table("sentences.csv")
    info = inputs.read_table("build_info.csv").set_index("key")["value"]
    digest = hashlib.sha256(inputs.read_bytes(path)).hexdigest()
    if digest == info["codebook_sha256"]:
        return Study(codebook, documents, items, sentences, list_table("attention.csv"), False)
    items = recode(items, codebook)
    sentences = recode_sentences(sentences, items, codebook)
    attention = measures.attention(items, sentences, codebook, seed=config.RANDOM_SEED)
    return Study(codebook, documents, items, sentences, attention, True)


@dataclass(frozen=True)
class Reuse:
    """Pairs of items restating one commitment, per-document counts and each item's origin,
    under one setting of the reuse rule."""

    params: reuse.ReuseParams
    pairs: pd.DataFrame
    per_document: pd.DataFrame
    origins: pd.DataFrame
    rebuilt: bool  # True when recomputed because the settings are not the build's


def load_reuse(coded: Study, params_path: str | Path = config.REUSE_PARAMS) -> Reuse:
    """The build's reuse tables, or the same recomputed in memory when ``params_path`` is not
    the settings file the build used (compared by SHA-256)."""
    path = Path(params_path)
    path = path if path.is_absolute() else config.ROOT / path
    params = read_reuse_params(path)
    info = inputs.read_table("build_info.csv").set_index("key")["value"]
    documents, items = coded.documents, coded.items
    if (hashlib.sha256(inputs.read_bytes(path)).hexdigest() == info.get("reuse_params_sha256")
            and not coded.rebuilt):
        pairs, per_document = inputs.read_table("reuse.csv"), inputs.read_table("reuse_documents.csv")
        rebuilt = False
    else:
        pairs = reuse.pairs_table(reuse.compare_documents(items, documents, params), documents)
        per_document = reuse.documents_table(pairs, items, documents)
        rebuilt = True
    pairs = pairs.fillna({"spans_a": "", "spans_b": ""})
    origins = reuse.origins(items, pairs, documents, config.LEVELS)
    return Reuse(params, pairs, per_document, origins, rebuilt)
