"""The work-report reader and coder against hand-labelled reports: every labelled sentence's
section and domain against what the build gives it, per stratum (level, section), and the
hand-marked section starts of whole reports against the section the reader gives each of
their sentences (how much of the plan is found, and how much of what is called plan is)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from msresearch import config
from msresearch.coding.codebook import Codebook
from msresearch.coding.coder import UNCLASSIFIED, code_report_sentence
from msresearch.coding.validation import agreement
from msresearch.errors import InputError
from msresearch.genres import work_reports
from msresearch.io.inputs import label, read_bytes, read_text_csv
from msresearch.read import collection
from msresearch.read.clean import clean
from msresearch.read.corpus import read_document_text

GENRE = "work_report"
SENTENCE_COLUMNS = ("path", "sentence", "section", "domain")  # the level from the listing
MARK_COLUMNS = ("path", "line", "mark")
LEVELS = ("national", "province", "city")
STRATA_SECTIONS = ("review", "plan")


@dataclass(frozen=True)
class Report:
    """A labelled report as the build reads it: its decoded raw text, clean text and reading."""

    raw: str
    clean_text: str
    reading: work_reports.Reading


def _normal(text: str) -> str:
    """A sentence reduced to what two splits of it share: letters, digits and characters."""
    return re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", unicodedata.normalize("NFKC", text))


def report_file(path: str, folder: Path) -> Path:
    """A labelled report's file: the study's copy (``data/raw/work-reports/``), or the
    labelled folder's own (``docs/``) for a report the study does not hold."""
    own = config.WORK_REPORTS / path
    return own if own.is_file() else Path(folder) / "docs" / path


def read_reports(paths: list[str], folder: Path) -> dict[str, Report]:
    """Each labelled report read as the build reads it, for the year it plans (its date line,
    else the collection's listing)."""
    listing = collection.read_sources(config.WORK_REPORT_SOURCES).set_index("path")
    out = {}
    for path in sorted(set(paths)):
        if path not in listing.index:
            raise InputError(label(config.WORK_REPORT_SOURCES), f"no report {path!r}", field="path")
        file = report_file(path, folder)
        text, _ = read_document_text(read_bytes(file), label(file))
        clean_text, _ = clean(text)
        year = collection.plan_year(collection.delivery_date(text, listing.at[path, "title"]),
                                    listing.at[path, "year"])
        out[path] = Report(text, clean_text, work_reports.read(clean_text, year))
    return out


def _match(report: Report, sentence: str) -> work_reports.Sentence | None:
    """The build's sentence that is the labelled one (or holds it, or is held by it)."""
    wanted = _normal(sentence)
    spans = [(_normal(report.clean_text[s.start:s.end]), s) for s in report.reading.sentences]
    exact = next((s for text, s in spans if text == wanted), None)
    return exact or next((s for text, s in spans if wanted and len(text) > 3
                          and (wanted in text or text in wanted)), None)


def sentences(labels: pd.DataFrame, reports: dict[str, Report], codebook: Codebook
              ) -> pd.DataFrame:
    """Each labelled sentence with the section and domain the build gives it (``found``
    False when no sentence of the build is it)."""
    genre = codebook.for_genre(GENRE)
    rows = []
    for rec in labels.to_dict("records"):
        report = reports[rec["path"]]
        found = _match(report, rec["sentence"])
        coded = code_report_sentence(report.clean_text[found.start:found.end], genre).domain \
            if found else ""
        rows.append({"path": rec["path"], "level": rec["level"], "sentence": rec["sentence"],
                     "found": found is not None, "gold_section": rec["section"],
                     "section": found.section if found else "", "gold": rec["domain"],
                     "coded": coded})
    return pd.DataFrame(rows)


def summary(detail: pd.DataFrame) -> pd.DataFrame:
    """Section accuracy and domain agreement (Cohen's kappa with its 95% interval) over all
    labelled sentences and in each stratum: a level, and the gold section review or plan;
    with how many are ``none`` by hand and by the coder, and unclassified."""
    rows = []
    found = detail[detail["found"]]
    strata = [("all", found)] + [(level, found[found["level"] == level]) for level in LEVELS] \
        + [(section, found[found["gold_section"] == section]) for section in STRATA_SECTIONS]
    for name, part in strata:
        if part.empty:
            continue
        kappa = agreement(part)
        rows.append({"stratum": name, "n": len(part),
                     "section_accuracy": float((part["section"] == part["gold_section"]).mean()),
                     "accuracy": kappa.accuracy, "kappa": kappa.kappa,
                     "kappa_low": kappa.kappa_low, "kappa_high": kappa.kappa_high,
                     "none_gold": int((part["gold"] == "none").sum()),
                     "none_coded": int((part["coded"] == "none").sum()),
                     "unclassified": int((part["coded"] == UNCLASSIFIED).sum())})
    return pd.DataFrame(rows)


def _gold_lines(raw: str, marks: pd.DataFrame) -> list[str]:
    """The section of every line of a raw file, from the marks of its section starts."""
    starts = sorted((int(line), mark) for line, mark in zip(marks["line"], marks["mark"],
                                                            strict=True) if mark != "targets")
    lines = raw.split("\n")
    out, current, k = [], "front", 0
    for number in range(1, len(lines) + 1):
        while k < len(starts) and starts[k][0] <= number:
            current, k = starts[k][1], k + 1
        out.append(current)
    return out


def section_starts(marks: pd.DataFrame, reports: dict[str, Report]) -> pd.DataFrame:
    """For each hand-marked report: its sentences, the share whose section the reader gives
    right, the share of the plan's sentences it calls plan (recall) and of those it calls
    plan that are (precision); and a row ``all`` over every sentence. A sentence is placed
    on the raw line that holds it."""
    rows, totals = [], {"n": 0, "right": 0, "plan": 0, "called": 0, "both": 0}
    for path, part in marks.groupby("path", sort=True):
        report = reports[path]
        gold = _gold_lines(report.raw, part)
        raw_lines = [_normal(line) for line in report.raw.split("\n")]
        counts = dict.fromkeys(totals, 0)
        at = 0
        for sent in report.reading.sentences:
            text = _normal(report.clean_text[sent.start:sent.end])
            if not text:
                continue
            line = next((k for k in range(at, len(raw_lines)) if text in raw_lines[k]), None)
            if line is None:
                line = next((k for k in range(len(raw_lines)) if text in raw_lines[k]), None)
            if line is None:
                continue
            at = line
            truth = gold[line]
            counts["n"] += 1
            counts["right"] += truth == sent.section
            counts["plan"] += truth == "plan"
            counts["called"] += sent.section == "plan"
            counts["both"] += truth == "plan" and sent.section == "plan"
        rows.append({"path": path, **_rates(counts)})
        for key in totals:
            totals[key] += counts[key]
    rows.append({"path": "all", **_rates(totals)})
    return pd.DataFrame(rows)


def _rates(counts: dict[str, int]) -> dict:
    return {"sentences": counts["n"], "section_accuracy": counts["right"] / max(counts["n"], 1),
            "plan_recall": counts["both"] / max(counts["plan"], 1),
            "plan_precision": counts["both"] / max(counts["called"], 1)}


def with_levels(labels: pd.DataFrame) -> pd.DataFrame:
    """Labelled sentences with each report's level, from the collection's listing when the
    labels do not carry it."""
    if "level" in labels.columns and not (labels["level"] == "").any():
        return labels
    levels = pd.read_csv(config.WORK_REPORT_SOURCES, usecols=["path", "level"], dtype=str)
    return labels.drop(columns="level", errors="ignore").merge(levels, on="path")


def livelihood_agreement(detail: pd.DataFrame, members: tuple[str, ...]) -> dict:
    """How the coder's livelihood share compares with the hand coding's on the same sentences:
    each share among the sentences it codes to a domain (``none`` left out, as the panel's
    shares), and the coder's recall and precision of the sentences in ``members``."""
    found = detail[detail["found"]]
    gold, coded = found["gold"], found["coded"]
    in_gold, in_coded = gold.isin(members), coded.isin(members)
    return {"n": len(found),
            "n_gold": int(in_gold.sum()), "gold_share": float(in_gold.sum() / (gold != "none").sum()),
            "n_coded": int(in_coded.sum()),
            "coded_share": float(in_coded.sum() / (coded != "none").sum()),
            "recall": float((in_gold & in_coded).sum() / in_gold.sum()),
            "precision": float((in_gold & in_coded).sum() / in_coded.sum())}


def read_labels(path: Path, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    """A labelled folder's table, every cell as text, its columns checked."""
    labels = read_text_csv(path, what)
    for field in columns:
        if field not in labels.columns:
            raise InputError(label(path), "missing column", row=0, field=field)
    return labels
