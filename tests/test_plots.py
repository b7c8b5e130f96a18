"""Figures: Chinese renders with a real font, and saved files are the same bytes every time."""

from __future__ import annotations

import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest

from msresearch import config, plots
from msresearch.coding.codebook import read_codebook
from msresearch.io import figures

CHINESE = "民生工作要点 就业创业 养老托育 亳州市"


def _draw_chinese(tmp_path) -> list[str]:
    fig, ax = plt.subplots()
    ax.set_title(CHINESE)
    ax.set_xlabel("年份")
    ax.bar(["省级", "市级", "县级"], [1, 2, 3])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp_path / "zh.png")
        fig.savefig(tmp_path / "zh.svg")
    plt.close(fig)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_chinese_labels_have_real_glyphs(tmp_path, lang):
    plots.use_style(lang)
    assert _draw_chinese(tmp_path) == []


def test_the_glyph_check_fails_without_the_cjk_font(tmp_path):
    # Proves the test above can fail: with only the Latin font, every Chinese glyph is missing.
    plots.use_style("en")
    with mpl.rc_context({"font.family": ["DejaVu Sans"]}):
        assert _draw_chinese(tmp_path)


def test_saved_figures_are_byte_identical_and_carry_no_software_or_date(tmp_path):
    plots.use_style("zh")
    contents = []
    for run in ("a", "b"):
        fig, ax = plt.subplots()
        ax.plot([2017, 2019, 2023], [1, 3, 2], label="就业")
        ax.legend()
        paths = figures.save_figure(fig, "fig", tmp_path / run)
        plt.close(fig)
        contents.append([p.read_bytes() for p in paths])
    assert contents[0] == contents[1]
    png, svg = contents[0]
    assert b"Software" not in png and b"matplotlib version" not in png
    assert b"<dc:date>" not in svg


def test_document_lengths_draws_one_bar_per_document_in_year_order():
    import pandas as pd

    docs = pd.DataFrame({
        "doc_id": ["b", "a", "c"], "year": [2023, 2017, 2020], "level": ["city", "city", "county"],
        "unit_en": ["B", "A", "C"], "unit_zh": ["乙", "甲", "丙"], "n_chars_raw": [30, 10, 20],
    })
    fig, ax = plt.subplots()
    plots.document_lengths(ax, docs, lang="zh")
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["2017\n甲", "2020\n丙", "2023\n乙"]
    heights = sorted(p.get_height() for p in ax.patches if p.get_height() > 0)
    assert heights == [10, 20, 30]
    plt.close(fig)


def test_item_counts_stacks_procedural_on_substantive_and_marks_declared_counts():
    import pandas as pd

    docs = pd.DataFrame({
        "doc_id": ["b", "a"], "year": [2023, 2017], "level": ["city", "county"],
        "unit_en": ["B", "A"], "unit_zh": ["乙", "甲"], "n_items": [50, 9],
        "n_procedural": [0, 6], "declared_items": pd.array([50, pd.NA], dtype="Int64"),
    })
    fig, ax = plt.subplots()
    plots.item_counts(ax, docs)
    bars = [(p.get_x(), p.get_y(), p.get_height()) for p in ax.patches]
    assert [b[2] for b in bars] == [9, 50, 6, 0]  # substantive (year order), then procedural
    assert bars[2][1] == 9  # procedural stacked on substantive
    (declared,) = ax.collections
    assert declared.get_offsets().tolist() == [[1.0, 50.0]]
    plt.close(fig)


def test_figures_carry_a_provenance_sidecar_without_machine_paths(tmp_path):
    import json

    record = figures.provenance("03_priorities", {"variant": "x", "lang": "en"},
                           inputs=("attention.csv",))
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    paths = figures.save_figure(fig, "f", tmp_path, record)
    plt.close(fig)
    sidecar = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert [p.suffix for p in paths] == [".json", ".png", ".svg"]
    assert sidecar["notebook"] == "03_priorities" and sidecar["parameters"]["variant"] == "x"
    assert list(sidecar["inputs"]) == ["data/processed/attention.csv"]
    assert len(sidecar["inputs"]["data/processed/attention.csv"]) == 64
    assert "/work" not in json.dumps(sidecar) and "/tmp" not in json.dumps(sidecar)


def _attention_fixture():
    from msresearch.measure import study

    documents = study.list_table("documents.csv")
    return study.list_table("attention.csv"), documents, read_codebook(config.CODEBOOK)


def test_an_interval_at_zero_is_drawn_as_an_interval():
    attention, documents, codebook = _attention_fixture()
    fig, ax = plt.subplots()
    plots.share_intervals(ax, attention, documents, "disability", codebook)
    # Fuyang 2017 has no disability item; its interval still spans 0 to the Jeffreys limit
    first = attention[(attention["doc_id"] == "2017-fuyang") & (attention["domain"] == "disability")]
    segments = [c for c in ax.collections if len(c.get_segments())]
    lengths = [abs(s[1][1] - s[0][1]) for c in segments for s in c.get_segments()]
    assert max(lengths) > 0 and any(
        abs(length - 100 * first["item_share_high"].iloc[0]) < 1e-6 for length in lengths)
    # documents of one year are told apart by place
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(set(labels)) == len(documents) and "Taihe 2020" in labels
    plt.close(fig)


def test_heatmaps_carry_a_colour_bar_named_for_their_measure():
    attention, documents, codebook = _attention_fixture()
    for measure in ("item_share", "text_share"):
        fig, ax = plt.subplots()
        plots.share_heatmap(ax, attention, documents, codebook, measure=measure)
        bars = [a for a in fig.axes if a is not ax]
        assert len(bars) == 1 and bars[0].get_ylabel() == plots.measure_label(measure)
        plt.close(fig)


def test_colours_keep_one_meaning_each():
    codebook = read_codebook(config.CODEBOOK)
    level, period = set(plots.LEVEL_COLOURS.values()), set(plots.PERIOD_COLOURS.values())
    domain = set(plots.domain_palette(codebook).values())
    assert not (level & period) and not (level & domain) and not (period & domain)
