"""The index and the coder on real documents of the genre that the code was not shaped on
(tests/genre/: documents from other provinces, cities and counties, hand-labelled; see its
README). Floors sit a little below the figures measured when the set was made."""

from __future__ import annotations

import pytest

from msresearch import config, io
from msresearch.evaluate import evaluate

GENRE = config.ROOT / "tests" / "genre"
KAPPA_FLOOR = 0.90
UNCLASSIFIED_CEILING = 0.03


@pytest.fixture(scope="module")
def overall():
    texts, labels = io.read_labelled(GENRE)
    summary, _ = evaluate(texts, labels, io.read_codebook(config.CODEBOOK))
    return summary.set_index("file").loc["overall"]


def test_the_development_set_is_large_and_varied():
    texts, labels = io.read_labelled(GENRE)
    assert len(texts) >= 25 and (labels["whole"] == 1).sum() >= 250


def test_items_are_found(overall):
    assert overall["item_recall"] >= 0.97
    assert overall["item_precision"] >= 0.97


def test_lead_units_are_found(overall):
    assert overall["lead_unit_recall"] >= 0.83


def test_items_are_coded(overall):
    assert overall["kappa"] >= KAPPA_FLOOR
    assert overall["unclassified"] <= UNCLASSIFIED_CEILING


def test_a_broken_segmenter_fails_the_floor(monkeypatch):
    """The floors can fail: a segmenter that drops every second item falls below them."""
    import msresearch.evaluate as evaluation
    from msresearch.segment import segment

    def halved(text):
        seg = segment(text)
        return type(seg)(items=seg.items[::2])

    monkeypatch.setattr(evaluation, "segment", halved)
    texts, labels = io.read_labelled(GENRE)
    summary, _ = evaluation.evaluate(texts, labels, io.read_codebook(config.CODEBOOK))
    assert summary.set_index("file").loc["overall", "item_recall"] < 0.97
