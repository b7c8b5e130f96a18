"""Evaluation on labelled real documents: how general the index and the coder are.

For a folder of documents with a ``labels.csv`` (``file, position, printed_number, opening,
lead_units, domain, whole``; see ``tests/genres/lists/labelled/README.md``), every document is read, cleaned,
segmented and coded exactly as the build does, and compared with the hand labels:

- item recall and precision: a labelled item is found when a segmented item's text begins
  with its opening (both cleaned by the same rules and reduced to characters, without spaces
  or table separators); matching is one-to-one, in reading order;
- lead-unit recall: of the units labelled as leading whole items that were found, the share
  that the segmentation gives as lead units;
- domain agreement: Cohen's (1960) kappa of the coder against the hand labels on whole,
  found items (statsmodels), and the share of found substantive items left ``unclassified``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from msresearch.coding.codebook import Codebook
from msresearch.coding.coder import UNCLASSIFIED, code_item, code_sentence
from msresearch.coding.validation import agreement
from msresearch.errors import InputError
from msresearch.genres.lists import Segmentation, segment
from msresearch.io.inputs import label, read_bytes, read_text_csv
from msresearch.read.clean import clean
from msresearch.read.corpus import read_document_text

LABEL_COLUMNS = ("file", "position", "printed_number", "opening", "lead_units", "domain", "whole")


def squash(text: str) -> str:
    """Text reduced for matching: cleaned, width-normalised, without spaces or separators."""
    text = clean(text)[0] if text.strip() else ""
    text = re.sub(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{0,8}\s*$", "", text)  # pinyin cut off
    return re.sub(r"[\s|]", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class DocumentResult:
    """A document's segmentation and coding, item by item, as the build would make them."""

    file: str
    clean_text: str
    seg: Segmentation
    domains: list[str]


def run_document(file: str, text: str, codebook: Codebook) -> DocumentResult:
    """Clean, segment and code one document's text (already decoded)."""
    clean_text, _ = clean(text)
    seg = segment(clean_text)
    domains = [code_item(it.title, clean_text[it.start:it.end], it.procedural, codebook).domain
               for it in seg.items]
    return DocumentResult(file, clean_text, seg, domains)


def match_items(result: DocumentResult, labels: pd.DataFrame) -> dict[int, int]:
    """Labelled row index → found item index, one-to-one, in reading order."""
    found = [squash(result.clean_text[it.start:it.end]) for it in result.seg.items]
    order = sorted(range(len(found)), key=lambda k: result.seg.items[k].start)
    used: set[int] = set()
    out: dict[int, int] = {}
    for idx, opening in zip(labels.index, labels["opening"], strict=True):
        key = squash(opening)
        if not key:
            continue
        hit = next((k for k in order if k not in used and found[k].startswith(key)), None)
        if hit is not None:
            used.add(hit)
            out[idx] = hit
    return out


def _units(cell: str) -> list[str]:
    return [squash(u) for u in str(cell).split(";") if squash(u)]


def evaluate_document(result: DocumentResult, labels: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """Per-document figures, and one row per labelled item with what was found for it."""
    matched = match_items(result, labels)
    rows = []
    for idx, rec in labels.iterrows():
        k = matched.get(idx)
        item = result.seg.items[k] if k is not None else None
        lead = [squash(u) for u in item.lead_units] if item else []
        gold_units = _units(rec["lead_units"])
        rows.append({
            "file": result.file, "position": rec["position"], "opening": rec["opening"],
            "whole": int(rec["whole"]), "found": k is not None,
            "found_number": item.printed_number if item else "",
            "gold_units": len(gold_units),
            "units_found": sum(u in lead for u in gold_units),
            "gold": rec["domain"], "coded": result.domains[k] if k is not None else "",
        })
    detail = pd.DataFrame(rows)
    n_found = len(result.seg.items)
    summary = {
        "file": result.file,
        "labelled": len(labels),
        "found": n_found,
        "matched": len(matched),
        "item_level": result.seg.item_level,
    }
    return summary, detail


def summarise(summaries: list[dict], detail: pd.DataFrame) -> pd.DataFrame:
    """Per-document and overall figures: recall, precision, lead-unit recall, kappa,
    accuracy and the unclassified rate."""
    per_doc = pd.DataFrame(summaries)
    rows = []
    for file, group in [*detail.groupby("file", sort=True), ("overall", detail)]:
        docs = per_doc if file == "overall" else per_doc[per_doc["file"] == file]
        coded = group[group["found"] & (group["whole"] == 1) & (group["gold"] != "")]
        substantive = group[group["found"] & (group["coded"] != "procedural")]
        units = group[group["found"] & (group["whole"] == 1)]
        # kappa is undefined when gold and coder use one label between them
        kappa = agreement(coded).kappa if len(set(coded["gold"]) | set(coded["coded"])) > 1 \
            else float("nan")
        rows.append({
            "file": file,
            "item_level": docs["item_level"].iloc[0] if file != "overall" else "",
            "documents": len(docs),
            "labelled": int(docs["labelled"].sum()),
            "found": int(docs["found"].sum()),
            "matched": int(docs["matched"].sum()),
            "item_recall": docs["matched"].sum() / max(docs["labelled"].sum(), 1),
            "item_precision": docs["matched"].sum() / max(docs["found"].sum(), 1),
            "lead_units": int(units["gold_units"].sum()),
            "lead_unit_recall": units["units_found"].sum() / units["gold_units"].sum()
            if units["gold_units"].sum() else float("nan"),
            "coded": len(coded),
            "accuracy": float((coded["gold"] == coded["coded"]).mean()) if len(coded) else float("nan"),
            "kappa": kappa,
            "unclassified": float((substantive["coded"] == UNCLASSIFIED).mean())
            if len(substantive) else float("nan"),
        })
    return pd.DataFrame(rows)


def sentence_codes(texts: dict[str, str], sentence_labels: pd.DataFrame,
                   codebook: Codebook) -> pd.DataFrame:
    """Hand-labelled sentences (``file``, ``sentence``, ``domain``) beside the sentence coder's
    decision, made as the build makes it: the document is cleaned and segmented, and the
    sentence is coded within the first item whose text holds it (its item's domain is the
    fallback of ``code_sentence``). Columns ``gold`` and ``coded`` plus the evidence; a
    sentence no item holds is an error, since it cannot be what the build would code."""
    results = {file: run_document(file, texts[file], codebook)
               for file in sorted(set(sentence_labels["file"]))}
    rows = []
    for rec in sentence_labels.to_dict("records"):
        result = results[rec["file"]]
        k = next((k for k, it in enumerate(result.seg.items)
                  if rec["sentence"] in result.clean_text[it.start:it.end]), None)
        if k is None:
            raise ValueError(f"{rec['file']}: no item holds the sentence {rec['sentence'][:20]!r}")
        item = result.seg.items[k]
        coding = code_sentence(rec["sentence"], item.procedural, codebook, result.domains[k])
        rows.append({"file": rec["file"], "sentence": rec["sentence"], "gold": rec["domain"],
                     "coded": coding.domain, "domain_evidence": coding.evidence})
    return pd.DataFrame(rows)


def evaluate(texts: dict[str, str], labels: pd.DataFrame, codebook: Codebook
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Evaluate every labelled document: (figures per document and overall, item detail)."""
    summaries, details = [], []
    for file in sorted(texts):
        result = run_document(file, texts[file], codebook)
        summary, detail = evaluate_document(result, labels[labels["file"] == file])
        summaries.append(summary)
        details.append(detail)
    detail = pd.concat(details, ignore_index=True) if details else pd.DataFrame()
    return summarise(summaries, detail), detail


def read_sentence_labels(directory: Path) -> pd.DataFrame:
    """A labelled folder's hand-coded sentences (``sentences.csv``: file, sentence, domain)."""
    path = Path(directory) / "sentences.csv"
    labels = read_text_csv(path, "sentence labels")
    for field in ("file", "sentence", "domain"):
        if field not in labels.columns:
            raise InputError(label(path), "missing column", row=0, field=field)
    return labels


def read_labelled(directory: Path) -> tuple[dict[str, str], pd.DataFrame]:
    """A folder of labelled documents (``labels.csv`` and the files it names, under ``docs/``
    or beside it): their decoded texts and the labels, checked row by row."""
    directory = Path(directory)
    path = directory / "labels.csv"
    labels = read_text_csv(path, "labels")
    missing = [c for c in LABEL_COLUMNS if c not in labels.columns]
    if missing:
        raise InputError(label(path), f"missing column(s): {', '.join(missing)}", row=0,
                         field=missing[0])
    texts: dict[str, str] = {}
    for row, rec in enumerate(labels.to_dict("records"), start=1):
        if rec["whole"] not in ("0", "1"):
            raise InputError(label(path), f"not 0 or 1: {rec['whole']!r}", row=row, field="whole")
        if not rec["position"].isdigit():
            raise InputError(label(path), f"not a position: {rec['position']!r}", row=row,
                             field="position")
        name = rec["file"]
        if name in texts:
            continue
        doc = next((p for p in (directory / "docs" / name, directory / name) if p.is_file()), None)
        if doc is None or Path(name).name != name:
            raise InputError(label(path), f"no such document: {name!r}", row=row, field="file")
        texts[name], _ = read_document_text(read_bytes(doc, row=row), label(doc))
    labels["position"] = labels["position"].astype(int)
    labels["whole"] = labels["whole"].astype(int)
    return texts, labels


SOURCE_COLUMNS = ("file", "level", "province")


def read_sources(directory: Path) -> pd.DataFrame:
    """The table of ``SOURCES.md`` in a folder of labelled documents: each file's level and
    province (its Chinese name, a note such as "(inferred)" dropped), one row per file. A
    later cell that holds a "|" of its own (a layout written "`|`-separated") leaves the
    columns before it as they are."""
    path = Path(directory) / "SOURCES.md"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(label(path), "not found") from None
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in lines if line.startswith("|")]
    if len(rows) < 2:
        raise InputError(label(path), "no table of sources", row=0)
    header = [h.split(" (")[0] for h in rows[0]]
    missing = [c for c in SOURCE_COLUMNS if c not in header]
    if missing:
        raise InputError(label(path), f"missing column(s): {', '.join(missing)}", row=0,
                         field=missing[0])
    table = pd.DataFrame([r[:len(header)] for r in rows[2:] if len(r) >= len(header)],
                         columns=header)
    table["province"] = table["province"].str.replace(r"\s*\(.*\)$", "", regex=True)
    return table[list(SOURCE_COLUMNS)].reset_index(drop=True)


def substantive_items(texts: dict[str, str], codebook: Codebook) -> pd.DataFrame:
    """Each document's substantive items as the build reads them (``run_document``):
    ``item_id`` (file:position), ``doc_id`` (the file), ``title``, ``text``, ``domain``."""
    rows = []
    for file in sorted(texts):
        result = run_document(file, texts[file], codebook)
        for k, (item, domain) in enumerate(zip(result.seg.items, result.domains, strict=True), 1):
            if not item.procedural:
                rows.append((f"{file}:{k:03d}", file, item.title or "",
                             result.clean_text[item.start:item.end], domain))
    return pd.DataFrame(rows, columns=["item_id", "doc_id", "title", "text", "domain"])
