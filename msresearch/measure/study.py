"""The coded study of the livelihood lists as the notebooks read it: the build's tables (the
lists' rows), or the same recomputed in memory with another codebook, so a researcher can
rerun the analysis with a codebook of their own by a single papermill parameter."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from msresearch import config
from msresearch.coding.codebook import Codebook, read_codebook
from msresearch.coding.validation import recode, recode_sentences
from msresearch.errors import InputError
from msresearch.genres import REPORT_GENRES
from msresearch.io import inputs
from msresearch.link import families, reuse, texts
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


def reuse_weights(params: reuse.ReuseParams) -> reuse.Weights:
    """The n-gram weights the build gave reuse: rarity across every text it compares, the
    lists' items and the work reports' plan sentences (``texts.comparable``)."""
    return reuse.gram_weights(compared_texts(), params)


@dataclass(frozen=True)
class Reuse:
    """Commitment families under one setting of the reuse rule: the build's three reuse
    tables and every compared text's origin (``families.Result``)."""

    params: reuse.ReuseParams
    reuse: pd.DataFrame
    families: pd.DataFrame
    per_document: pd.DataFrame
    origins: pd.DataFrame  # every text: text_id, doc_id, kind, domain, family, origin, source
    rebuilt: bool  # True when recomputed because the settings are not the build's


COMPARED_FROM = ("items.csv", "sentences.csv", "documents.csv")


def compared_texts() -> pd.DataFrame:
    """Every text the build compares (``texts.comparable`` over the whole build), a copy of
    the frame read once for the tables as they are (their sizes and modification times)."""
    stamps = tuple((p.stat().st_size, p.stat().st_mtime_ns)
                   for p in (config.PROCESSED / name for name in COMPARED_FROM))
    return _compared(stamps).copy()


@lru_cache(maxsize=1)
def _compared(stamps: tuple) -> pd.DataFrame:
    return texts.comparable(*(inputs.read_table(name) for name in COMPARED_FROM))


def load_reuse(coded: Study, params_path: str | Path = config.REUSE_PARAMS) -> Reuse:
    """The build's families (reuse.csv, families.csv, reuse_documents.csv), or the same grown
    again in memory when ``params_path`` is not the settings file the build used (compared
    by SHA-256); each text's origin, with the lists' items' domains as ``coded`` gives them
    (its codebook's)."""
    path = Path(params_path)
    path = path if path.is_absolute() else config.ROOT / path
    params = read_reuse_params(path)
    info = inputs.read_table("build_info.csv").set_index("key")["value"]
    compared = compared_texts()
    if hashlib.sha256(inputs.read_bytes(path)).hexdigest() == info.get("reuse_params_sha256"):
        table = inputs.read_table("reuse.csv").fillna("")
        result = families.Result(table, inputs.read_table("families.csv").fillna(""),
                                 inputs.read_table("reuse_documents.csv"),
                                 families.origins_of(compared, table), None)
        rebuilt = False
    else:
        result = families.build(compared, inputs.read_table("documents.csv"), params,
                                config.LEVELS)
        rebuilt = True
    domain = coded.items.set_index("item_id")["domain"]
    origins = result.origins.assign(domain=result.origins["text_id"].map(domain)
                                    .fillna(result.origins["domain"]))
    return Reuse(params, result.reuse, result.families, result.documents, origins, rebuilt)


def pairs_between(doc_a: str, doc_b: str, params_path: str | Path = config.REUSE_PARAMS,
                  weights: reuse.Weights | None = None) -> pd.DataFrame:
    """Every candidate pair of texts of two documents with the rule's figures, label and
    shared spans (``reuse.compare``, n-grams weighted as the build weighs them, or by
    ``weights`` when given: ``families.prepare``'s): the pairwise detail behind the families,
    computed on demand, never stored."""
    path = Path(params_path)
    params = read_reuse_params(path if path.is_absolute() else config.ROOT / path)
    compared = compared_texts()
    known = set(compared["doc_id"])
    for doc in (doc_a, doc_b):
        if doc not in known:
            raise InputError("documents.csv", f"no compared texts of document {doc!r}",
                             field="doc_id")
    pair = compared[compared["doc_id"].isin([doc_a, doc_b])]
    as_items = pair.rename(columns={"text_id": "item_id"}).assign(procedural=False)
    if weights is None:
        weights = reuse.gram_weights(compared, params)
    return reuse.compare(as_items, params, weights=weights)


