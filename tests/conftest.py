"""Shared fixtures: a copy of the seed corpus in a temporary folder, and a headless backend.

The project's raw folder holds the five seed documents (livelihood lists) and the work
reports; most tests build the seeds alone, whose outputs they know, in a folder of their own
(``corpus``, ``seed_raw``)."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from functools import cache
from pathlib import Path

import matplotlib
import pytest

from msresearch import config
from msresearch.genres import REPORT_GENRES

matplotlib.use("Agg")


def _seed_manifest() -> str:
    """The project's manifest with its seed rows only (every genre but the work reports)."""
    text = config.MANIFEST.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(r for r in rows if r["genre"] not in REPORT_GENRES)
    return out.getvalue()


def _write_seeds(raw: Path) -> Path:
    raw.mkdir(parents=True)
    manifest = _seed_manifest()
    for rec in csv.DictReader(io.StringIO(manifest)):
        shutil.copyfile(config.RAW / rec["file"], raw / rec["file"])
    (raw / "manifest.csv").write_text(manifest, encoding="utf-8")
    return raw


@cache
def seed_raw() -> Path:
    """A raw folder of the seeds alone (their files and manifest rows), made once per run."""
    return _write_seeds(Path(tempfile.mkdtemp(prefix="msresearch-seeds-")) / "raw")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the seeds (raw files + their manifest rows); returns its folder."""
    raw = tmp_path / "raw"
    shutil.copytree(seed_raw(), raw)
    return raw


def manifest_rows(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_rows(path: Path, rows: list[str]) -> None:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


@cache
def seed_ids() -> frozenset[str]:
    """The doc_ids of the seeds (the project's documents that are not work reports)."""
    return frozenset(r["doc_id"] for r in csv.DictReader(io.StringIO(_seed_manifest())))
