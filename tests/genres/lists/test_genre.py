"""The index and the coder on real documents of the genre that the code was not shaped on
(tests/genres/lists/labelled/: documents from other provinces, cities and counties, hand-labelled; see its
README). Floors sit a little below the figures measured when the set was made."""

from __future__ import annotations

import pytest

from msresearch import config
from msresearch.coding import validation
from msresearch.coding.codebook import read_codebook
from msresearch.evaluation.lists import evaluate, read_labelled, read_sentence_labels, sentence_codes

GENRE = config.GENRE
KAPPA_FLOOR = 0.92
UNCLASSIFIED_CEILING = 0.04
SENTENCE_KAPPA_FLOOR = 0.80


@pytest.fixture(scope="module")
def overall():
    texts, labels = read_labelled(GENRE)
    summary, _ = evaluate(texts, labels, read_codebook(config.CODEBOOK))
    return summary.set_index("file").loc["overall"]


def test_the_development_set_is_large_and_varied():
    texts, labels = read_labelled(GENRE)
    assert len(texts) >= 25 and (labels["whole"] == 1).sum() >= 250


def test_items_are_found(overall):
    assert overall["item_recall"] >= 0.97
    assert overall["item_precision"] >= 0.97


def test_lead_units_are_found(overall):
    assert overall["lead_unit_recall"] >= 0.95


def test_items_are_coded(overall):
    assert overall["kappa"] >= KAPPA_FLOOR
    assert overall["unclassified"] <= UNCLASSIFIED_CEILING


def test_a_broken_segmenter_fails_the_floor(monkeypatch):
    """The floors can fail: a segmenter that drops every second item falls below them."""
    import msresearch.evaluation.lists as evaluation
    from msresearch.genres.lists import segment

    def halved(text):
        seg = segment(text)
        return type(seg)(items=seg.items[::2])

    monkeypatch.setattr(evaluation, "segment", halved)
    texts, labels = read_labelled(GENRE)
    summary, _ = evaluation.evaluate(texts, labels, read_codebook(config.CODEBOOK))
    assert summary.set_index("file").loc["overall", "item_recall"] < 0.97


def test_evaluate_command_prints_the_overall_figures(capsys):
    from msresearch.cli import main

    assert main(["evaluate", str(GENRE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["file", "item_level", "documents"]
    assert out[-1].startswith("overall") and len(out) == 1 + 46 + 1


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda rows: rows[:1] + [rows[1].rsplit(",", 1)[0] + ",yes"] + rows[2:],
     "labels.csv, row 1, field 'whole': not 0 or 1: 'yes'"),
    (lambda rows: rows[:1] + ["nowhere.txt" + rows[1][rows[1].index(","):]] + rows[2:],
     "labels.csv, row 1, field 'file': no such document: 'nowhere.txt'"),
    (lambda rows: [rows[0].replace(",whole", "")] + [r.rsplit(",", 1)[0] for r in rows[1:]],
     "labels.csv, row 0, field 'whole': missing column(s): whole"),
])
def test_bad_labels_name_the_file_row_and_field(tmp_path, edit, expected):
    import shutil

    from msresearch.errors import InputError

    shutil.copytree(GENRE, tmp_path / "genre")
    path = tmp_path / "genre" / "labels.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(rows)) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_labelled(tmp_path / "genre")
    assert str(err.value).endswith(expected)


@pytest.fixture(scope="module")
def sentences():
    texts, _ = read_labelled(GENRE)
    return sentence_codes(texts, read_sentence_labels(GENRE), read_codebook(config.CODEBOOK))


def test_sentences_are_coded(sentences):
    # 160 sentences from every document, labelled by a reader who never saw the code
    assert len(sentences) == 160 and sentences["file"].nunique() == 46
    assert validation.agreement(sentences).kappa >= SENTENCE_KAPPA_FLOOR


def test_the_sentence_floor_fails_when_none_sentences_get_a_domain(sentences):
    broken = sentences.assign(coded=sentences["coded"].replace("none", "education"))
    assert validation.agreement(broken).kappa < SENTENCE_KAPPA_FLOOR
