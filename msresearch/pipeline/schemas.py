"""Schemas of the tables the build writes, checked before anything is written."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from msresearch.config import LEVELS
from msresearch.errors import InputError
from msresearch.genres import REPORT_GENRES
from msresearch.genres.work_reports.sections import SECTIONS
from msresearch.measure.panel import MEASURED

_str = pa.Column(str)
_opt_str = pa.Column(str, nullable=True)
_count = pa.Column(int, pa.Check.ge(0))

DOCUMENTS = pa.DataFrameSchema(
    {
        "doc_id": pa.Column(str, unique=True),
        "file": _str,
        "source_name": _str,
        "level": pa.Column(str, pa.Check.isin(LEVELS)),
        "unit_zh": _str,
        "unit_en": _str,
        "parent_unit_en": _str,
        "issuer": _str,
        "doc_number": _str,
        "genre": _str,
        "genre_zh": _str,
        "date": _str,
        "posted": _str,
        "year": pa.Column(int, pa.Check.in_range(1949, 2100)),
        "period_start": pa.Column(int),
        "period_end": pa.Column(int),
        "sha256": _str,
        "notes": _str,
        "source_url": _str,
        "encoding": _str,
        "n_chars_raw": _count,
        "n_chars_clean": _count,
        "n_items": _count,
        "n_procedural": _count,
        "declared_items": pa.Column("Int64", nullable=True),
        "found_items": _count,
        "declared_match": pa.Column("boolean", nullable=True),
        "item_level": _str,
        "item_level_reason": _str,
        "numbering_gaps": _str,
        "n_sentences": _count,
        "sections": _str,
        "section_headings": _str,
    },
    strict=True,
    ordered=True,
    checks=[pa.Check(lambda df: (df["period_end"] >= df["period_start"]).all(),
                     error="period_end before period_start"),
            pa.Check(lambda df: ((df["n_items"] > 0) | df["genre"].isin(REPORT_GENRES)).all(),
                     error="a list with no item"),
            pa.Check(lambda df: ((df["n_sentences"] > 0) | ~df["genre"].isin(REPORT_GENRES)).all(),
                     error="a work report with no sentence")],
)

ITEMS = pa.DataFrameSchema(
    {
        "doc_id": _str,
        "item_id": pa.Column(str, unique=True),
        "position": pa.Column(int, pa.Check.gt(0)),
        "printed_number": _str,
        "section": _str,
        "title": _str,
        "text": pa.Column(str, pa.Check.str_length(min_value=1)),
        "start": _count,
        "end": _count,
        "n_chars": pa.Column(int, pa.Check.gt(0)),
        "lead_units": _str,
        "partner_units": _str,
        "deadline": _str,
        "procedural": pa.Column(bool),
        "status": pa.Column(str, pa.Check.isin(["", "new", "improved", "continued"])),
        "source": pa.Column(str, pa.Check.isin(["body", "table"])),
        "subitems": _str,
        "domain": _str,
        "domain_score": pa.Column(float, pa.Check.ge(0)),
        "domain_evidence": _str,
    },
    strict=True,
    ordered=True,
    unique=["doc_id", "position"],
    checks=[pa.Check(lambda df: (df["end"] - df["start"] == df["n_chars"]).all(),
                     error="n_chars is not end - start"),
            pa.Check(lambda df: (df["text"].str.len() == df["n_chars"]).all(),
                     error="text length is not n_chars")],
)

SENTENCES = pa.DataFrameSchema(
    {"doc_id": _str, "item_id": _str, "sentence_id": pa.Column(str, unique=True),
     "start": _count, "end": _count, "n_chars": pa.Column(int, pa.Check.gt(0)),
     "text": _str, "section": pa.Column(str, pa.Check.isin(["", *SECTIONS])),
     "paragraph": pa.Column(int, pa.Check.ge(1)), "targets": pa.Column(bool),
     "domain": _str, "domain_score": pa.Column(float, pa.Check.ge(0)),
     "domain_evidence": _str},
    strict=True, ordered=True,
    checks=pa.Check(lambda df: (df["text"].str.len() == df["n_chars"]).all(),
                    error="text length is not n_chars"),
)

_share = pa.Column(float, pa.Check.in_range(0, 1))


def _shares_sum_to_one(df: pd.DataFrame) -> bool:
    sums = df.groupby("doc_id")[["item_share", "text_share"]].sum()
    return bool(((sums - 1).abs() < 1e-9).all().all())


ATTENTION = pa.DataFrameSchema(
    {"doc_id": _str, "domain": _str, "n_items": _count, "n_items_total": _count,
     "item_share": _share, "item_share_low": _share, "item_share_high": _share,
     "n_chars": _count, "text_share": _share, "text_share_low": _share,
     "text_share_high": _share},
    strict=True, ordered=True, unique=["doc_id", "domain"],
    checks=[pa.Check(_shares_sum_to_one, error="shares do not sum to 1 per document"),
            pa.Check(lambda df: ((df["item_share_low"] <= df["item_share"] + 1e-12)
                                 & (df["item_share"] <= df["item_share_high"] + 1e-12)).all(),
                     error="item share outside its interval"),
            pa.Check(lambda df: ((df["text_share_low"] <= df["text_share"] + 1e-12)
                                 & (df["text_share"] <= df["text_share_high"] + 1e-12)).all(),
                     error="text share outside its interval")],
)

DIVERSITY = pa.DataFrameSchema(
    {"doc_id": _str, "measure": pa.Column(str, pa.Check.isin(["item_share", "text_share"])),
     "n_items": pa.Column(int, pa.Check.gt(0)),
     "entropy": pa.Column(float, pa.Check.ge(0)), "entropy_norm": _share,
     "effective_domains": pa.Column(float, pa.Check.ge(1)),
     "rarefied_to": pa.Column("Int64", pa.Check.gt(0), nullable=True),
     "effective_domains_rarefied": pa.Column(float, pa.Check.ge(1), nullable=True)},
    strict=True, ordered=True, unique=["doc_id", "measure"],
)

_spans = pa.Column(str, pa.Check.str_matches(r"^(\d+-\d+(;\d+-\d+)*)?$"), nullable=True)
_level = pa.Column(str, pa.Check.isin(list(LEVELS)))
_unit = pa.Column(float, pa.Check.in_range(0, 1))

_ORIGIN = pa.Column(str, pa.Check.isin(["inherited", "national", "shared", "local"]))

REUSE = pa.DataFrameSchema(
    {"text_id": pa.Column(str, unique=True), "doc_id": _str,
     "kind": pa.Column(str, pa.Check.isin(["item", "sentence"])), "family": _count,
     "origin": pa.Column(str, pa.Check.isin(["inherited", "national", "shared"])),
     "follows": _opt_str, "follows_doc": _opt_str, "score": _unit, "spans": _spans,
     "follows_spans": _spans, "changed_numbers": _opt_str},
    strict=True, ordered=True,
    checks=[pa.Check(lambda df: (df["follows"].fillna("").eq("")
                                 == df["follows_doc"].fillna("").eq("")).all(),
                     error="a text that follows another without its document"),
            pa.Check(lambda df: (df["doc_id"] != df["follows_doc"]).all(),
                     error="a text that follows a text of its own document"),
            pa.Check(lambda df: (df["origin"].ne("inherited")
                                 | df["follows"].fillna("").ne("")).all(),
                     error="an inherited text that follows nothing"),
            # a family has two or more texts, and only such texts are listed
            pa.Check(lambda df: (df.groupby("family")["text_id"].transform("size") >= 2).all(),
                     error="a family of one text")],
)

FAMILIES = pa.DataFrameSchema(
    {"family": pa.Column(int, pa.Check.ge(0), unique=True), "first_text": _str,
     "first_doc": _str, "first_date": _opt_str, "first_level": _level,
     "n_texts": pa.Column(int, pa.Check.ge(2)), "n_documents": pa.Column(int, pa.Check.ge(2)),
     "n_provinces": _count, "national": pa.Column(bool), "levels": _str,
     "provinces": _opt_str},
    strict=True, ordered=True,
    checks=pa.Check(lambda df: (df["n_documents"] <= df["n_texts"]).all(),
                    error="more documents than texts in a family"),
)

REUSE_DOCUMENTS = pa.DataFrameSchema(
    {"doc_id": pa.Column(str, unique=True), "n_texts": _count, "n_inherited": _count,
     "n_national": _count, "n_shared": _count, "n_local": _count, "share_inherited": _unit},
    strict=True, ordered=True,
    checks=pa.Check(lambda df: (df[["n_inherited", "n_national", "n_shared", "n_local"]]
                                .sum(axis=1) == df["n_texts"]).all(),
                    error="origins that do not add up to the texts"),
)

BUILD_INFO = pa.DataFrameSchema({"key": pa.Column(str, unique=True), "value": _str},
                                strict=True, ordered=True)

CLEANING_LOG = pa.DataFrameSchema(
    {"doc_id": _str, "step": pa.Column(int, pa.Check.gt(0)), "rule": _str,
     "n_changes": _count, "example": _str},
    strict=True, ordered=True, unique=["doc_id", "step"],
)

REFERENCES = pa.DataFrameSchema(
    {"doc_id": _str, "item_id": _str, "title": _str, "doc_number": _str,
     "start": _count, "end": _count},
    strict=True, ordered=True,
)

PROJECT_CHANGES = pa.DataFrameSchema(
    {"doc_id": _str, "order": pa.Column(int, pa.Check.gt(0)),
     "status": pa.Column(str, pa.Check.isin(["new", "improved", "exited", "continued"])),
     "project": _str, "item_id": _str},
    strict=True, ordered=True, unique=["doc_id", "order"],
)

DECLARED_COUNTS = pa.DataFrameSchema(
    {"doc_id": _str, "scope": pa.Column(str, pa.Check.isin(["document", "section"])),
     "label": _str, "declared": _count, "found": _count, "match": pa.Column(bool)},
    strict=True, ordered=True,
)

_share_or_none = pa.Column(float, pa.Check.in_range(0, 1), nullable=True)


def _within_interval(df: pd.DataFrame, share: str, low: str, high: str) -> bool:
    share, low, high = df[share], df[low], df[high]
    known = share.notna()
    return bool(((low[known] <= share[known] + 1e-12) & (share[known] <= high[known] + 1e-12)).all())


PANEL = pa.DataFrameSchema(
    {"doc_id": _str, "section": pa.Column(str, pa.Check.isin(list(MEASURED))),
     "n_paragraphs": pa.Column(int, pa.Check.gt(0)), "n_sentences": pa.Column(int, pa.Check.gt(0)),
     "n_coded": _count, "n_core": _count, "core_share": _share_or_none,
     "core_low": _share_or_none, "core_high": _share_or_none, "n_broad": _count,
     "broad_share": _share_or_none, "broad_low": _share_or_none, "broad_high": _share_or_none},
    strict=True, ordered=True, unique=["doc_id", "section"],
    checks=[pa.Check(lambda df: ((df["n_core"] <= df["n_broad"])
                                 & (df["n_broad"] <= df["n_coded"])
                                 & (df["n_coded"] <= df["n_sentences"])).all(),
                     error="counts out of order (core ⊆ broad ⊆ coded ⊆ sentences)"),
            pa.Check(lambda df: all(_within_interval(df, f"{s}_share", f"{s}_low", f"{s}_high")
                                         for s in ("core", "broad")),
                     error="a share outside its interval")],
)

PANEL_DOMAINS = pa.DataFrameSchema(
    {"doc_id": _str, "section": pa.Column(str, pa.Check.isin(list(MEASURED))), "domain": _str,
     "n_sentences": _count, "share": _share_or_none, "share_low": _share_or_none,
     "share_high": _share_or_none, "livelihood_share": _share_or_none},
    strict=True, ordered=True, unique=["doc_id", "section", "domain"],
    checks=[pa.Check(lambda df: _within_interval(df, "share", "share_low", "share_high"),
                     error="a share outside its interval")],
)

REJECTED = pa.DataFrameSchema(
    {"doc_id": pa.Column(str, unique=True), "file": _str, "reason": _str},
    strict=True, ordered=True,
)

SCHEMAS = {
    "rejected.csv": REJECTED,
    "documents.csv": DOCUMENTS,
    "items.csv": ITEMS,
    "sentences.csv": SENTENCES,
    "build_info.csv": BUILD_INFO,
    "attention.csv": ATTENTION,
    "diversity.csv": DIVERSITY,
    "reuse.csv": REUSE,
    "families.csv": FAMILIES,
    "reuse_documents.csv": REUSE_DOCUMENTS,
    "cleaning_log.csv": CLEANING_LOG,
    "references.csv": REFERENCES,
    "project_changes.csv": PROJECT_CHANGES,
    "declared_counts.csv": DECLARED_COUNTS,
    "panel.csv": PANEL,
    "panel_domains.csv": PANEL_DOMAINS,
}


def kinds(name: str) -> dict[str, str]:
    """A table's columns, in order, each with the pandas dtype its rows are written as
    (``tables.csv_rows``): float64, int64, bool, Int64, boolean, or str."""
    def kind(dtype) -> str:
        text = str(dtype)
        return text if text in ("float64", "int64", "bool", "Int64", "boolean") else "str"

    return {col: kind(spec.dtype) for col, spec in SCHEMAS[name].columns.items()}


def check(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate an output table against its schema; a failure is an InputError naming it."""
    try:
        if frame.empty:  # an empty table keeps its columns and their types
            frame = frame.astype({col: spec.dtype.type for col, spec in SCHEMAS[name].columns.items()})
        return SCHEMAS[name].validate(frame, lazy=False)
    except (pa.errors.SchemaError, pa.errors.SchemaErrors) as err:
        first = str(err).strip().splitlines()[0]
        raise InputError(name, f"does not match its schema: {first}") from None
