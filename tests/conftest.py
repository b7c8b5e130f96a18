"""Shared fixtures: a copy of the seed corpus in a temporary folder, and a headless backend."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib
import pytest

from msresearch import config

matplotlib.use("Agg")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of data/raw/ (raw files + manifest); returns its folder."""
    raw = tmp_path / "raw"
    shutil.copytree(config.RAW, raw)
    return raw


def manifest_rows(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_rows(path: Path, rows: list[str]) -> None:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
