"""Agreement of the coder with hand coding: accuracy, Cohen's kappa, per-domain precision and
recall, the confusion matrix and the disagreements, for a reader to judge."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.inter_rater import cohens_kappa

from msresearch.coding.codebook import Codebook
from msresearch.coding.coder import code_item, code_sentence


@dataclass(frozen=True)
class Agreement:
    """Summary agreement between gold and coder labels."""

    n: int
    accuracy: float
    kappa: float
    kappa_low: float
    kappa_high: float


def align_gold(gold: pd.DataFrame, documents: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Gold rows joined to the coded items by document (gold's ``seed_file`` is the manifest's
    ``source_name``) and position: columns ``gold`` and ``coded`` plus the item's fields."""
    frame = (gold.rename(columns={"domain": "gold", "printed_number": "gold_printed_number"})
             .merge(documents[["source_name", "doc_id"]], left_on="seed_file",
                    right_on="source_name", how="left", validate="many_to_one"))
    if frame["doc_id"].isna().any():
        missing = sorted(frame.loc[frame["doc_id"].isna(), "seed_file"].unique())
        raise ValueError(f"gold rows for documents not in the manifest: {missing}")
    frame = frame.merge(items.rename(columns={"domain": "coded"}), on=["doc_id", "position"],
                        how="left", validate="one_to_one")
    return frame.sort_values(["doc_id", "position"]).reset_index(drop=True)


def align_sentences(gold: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Gold sentences (``doc_id``, ``item_opening``, ``sentence``, ``domain``) joined to the
    build's sentences by document and exact text: columns ``gold`` and ``coded`` plus the
    sentence's fields. A text that occurs twice in a document is the same sentence to a
    coder that reads sentences alone, so the first occurrence is used. A gold sentence the
    build does not produce is an error: the two must split the text the same way."""
    built = (sentences.rename(columns={"text": "sentence", "domain": "coded"})
             .drop_duplicates(["doc_id", "sentence"]))
    frame = gold.rename(columns={"domain": "gold"}).merge(
        built, on=["doc_id", "sentence"], how="left", validate="many_to_one")
    if frame["coded"].isna().any():
        missing = frame.loc[frame["coded"].isna(), "sentence"].iloc[0]
        raise ValueError(f"a gold sentence is not among the built sentences: {missing[:30]!r}")
    return frame.sort_values(["doc_id", "sentence_id"]).reset_index(drop=True)


def confusion(aligned: pd.DataFrame) -> pd.DataFrame:
    """Square confusion matrix, gold labels in rows, coder labels in columns."""
    labels = sorted(set(aligned["gold"]) | set(aligned["coded"]))
    table = pd.crosstab(aligned["gold"], aligned["coded"])
    return table.reindex(index=labels, columns=labels, fill_value=0).rename_axis(
        index="gold", columns="coded")


def agreement(aligned: pd.DataFrame) -> Agreement:
    """Accuracy and Cohen's (1960) kappa with its asymptotic 95% interval, from statsmodels'
    ``cohens_kappa`` on the confusion matrix."""
    table = confusion(aligned)
    with np.errstate(invalid="ignore"):  # perfect agreement: the interval's variance is 0
        result = cohens_kappa(table.to_numpy())
    return Agreement(
        n=len(aligned),
        accuracy=float((aligned["gold"] == aligned["coded"]).mean()),
        kappa=float(result.kappa),
        kappa_low=float(result.kappa_low),
        kappa_high=float(result.kappa_upp),
    )


def per_domain(aligned: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall and support of each label (support = gold items with that label)."""
    table = confusion(aligned)
    hits = pd.Series([table.loc[k, k] for k in table.index], index=table.index)
    predicted = table.sum(axis=0)
    support = table.sum(axis=1)
    frame = pd.DataFrame({
        "precision": (hits / predicted).where(predicted > 0),
        "recall": (hits / support).where(support > 0),
        "support": support,
        "coded": predicted,
    })
    return frame.rename_axis("domain")


def disagreements(aligned: pd.DataFrame) -> pd.DataFrame:
    """Items where coder and gold differ, with the coder's evidence."""
    cols = ["item_id", "title", "gold", "coded", "domain_score", "domain_evidence"]
    return aligned.loc[aligned["gold"] != aligned["coded"], cols].reset_index(drop=True)


def recode(items: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Items coded again with another codebook (same columns), so a researcher can compare."""
    codings = [code_item(r["title"], r["text"], bool(r["procedural"]), codebook)
               for r in items.to_dict("records")]
    return items.assign(domain=[c.domain for c in codings],
                        domain_score=[c.score for c in codings],
                        domain_evidence=[c.evidence for c in codings])


def recode_sentences(sentences: pd.DataFrame, items: pd.DataFrame,
                     codebook: Codebook) -> pd.DataFrame:
    """Sentences coded again with another codebook, given their items coded with it."""
    item = items.set_index("item_id")
    codings = [code_sentence(r["text"], bool(item.at[r["item_id"], "procedural"]), codebook,
                             item.at[r["item_id"], "domain"])
               for r in sentences.to_dict("records")]
    return sentences.assign(domain=[c.domain for c in codings],
                            domain_score=[c.score for c in codings],
                            domain_evidence=[c.evidence for c in codings])
