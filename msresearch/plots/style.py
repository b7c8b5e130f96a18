"""The project's figure style: colours with one meaning each, a CJK font that works on a fresh
machine, labels in English and Chinese, and the document and domain names every figure uses."""

from __future__ import annotations

from importlib.resources import files

import matplotlib as mpl
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.patches import Patch

from msresearch import config

LEVEL_COLOURS = {"national": "#9b2226", "province": "#1b4965", "city": "#5fa8d3",
                 "county": "#ca6702"}
# Periods of a comparison: a colour per meaning, none shared with levels or domains.
PERIOD_COLOURS = {"earlier": "#3a0ca3", "later": "#9d0208"}

LABELS = {
    "en": {
        "n_chars_raw": "Characters in the raw file",
        "n_chars_clean": "Characters after cleaning",
        "n_items": "Substantive items", "n_procedural": "Procedural items",
        "items": "Items",
        "document": "Document (year, unit)",
        "level": "Level",
        "national": "national", "province": "province", "city": "city", "county": "county",
    },
    "zh": {
        "n_chars_raw": "原始文件字符数",
        "n_chars_clean": "清洗后字符数",
        "n_items": "实质条目", "n_procedural": "程序性条目",
        "items": "条目数",
        "document": "文件（年份、单位）",
        "level": "层级",
        "national": "国家", "province": "省级", "city": "市级", "county": "县级",
    },
}


def register_cjk_font() -> str:
    """Register the Noto Sans CJK SC font shipped by a PyPI package with matplotlib.

    No system font or root access is needed; returns the family name to use.
    """
    path = files(config.CJK_FONT_PACKAGE).joinpath(config.CJK_FONT_FILE)
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()

def use_style(lang: str = "en") -> None:
    """Set the project's figure style: Latin text in DejaVu Sans, Chinese in Noto Sans CJK SC
    (matplotlib falls back per glyph along ``font.family``), fixed sizes and no clutter."""
    if lang not in LABELS:
        raise ValueError(f"unknown figure language {lang!r}; expected one of {sorted(LABELS)}")
    cjk = register_cjk_font()
    sns.set_theme(style="whitegrid", context="paper")
    mpl.rcParams.update({
        "font.family": [config.LATIN_FONT_FAMILY, cjk] if lang == "en"
        else [cjk, config.LATIN_FONT_FAMILY],
        "axes.unicode_minus": False,
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "svg.hashsalt": config.SVG_HASHSALT,
    })

def label(key: str, lang: str = "en") -> str:
    """A figure label in the chosen language."""
    return LABELS[lang][key]

def document_label(row: pd.Series | dict, lang: str = "en") -> str:
    """Short name of a document in figures: its year and unit."""
    unit = row["unit_zh"] if lang == "zh" else row["unit_en"]
    return f"{row['year']}\n{unit}"

def domain_palette(codebook) -> dict[str, str]:
    """Each domain's fixed colour, from the codebook."""
    return {d.id: d.colour for d in codebook.domains}

def domain_label(codebook, domain: str, lang: str = "en") -> str:
    """A domain's label in the figure language."""
    for d in codebook.domains:
        if d.id == domain:
            return d.zh if lang == "zh" else d.en
    return domain

def ordered_documents(documents: pd.DataFrame, lang: str = "en") -> list[tuple[str, str]]:
    """(doc_id, label) ordered by level (province, city, county), then year."""
    rank = {lvl: i for i, lvl in enumerate(config.LEVELS)}
    frame = documents.assign(_r=documents["level"].map(rank)).sort_values(["_r", "year", "doc_id"])
    return [(r["doc_id"], document_label(r, lang).replace("\n", " "))
            for r in frame.to_dict("records")]

def level_legend(fig, lang: str = "en", levels=("province", "city", "county")) -> None:
    """A figure-level legend of the colours of the administrative ``levels`` it shows."""
    handles = [Patch(color=LEVEL_COLOURS[k], label=label(k, lang)) for k in config.LEVELS
               if k in set(levels)]
    fig.legend(handles=handles, loc="upper right", ncols=3, frameon=False, fontsize=7,
               title=label("level", lang), title_fontsize=7)


MEASURES = {
    "en": {"item_share": "share of items (%)", "text_share": "share of text, by sentence (%)",
           "char_share": "share of characters, by item (%)"},
    "zh": {"item_share": "条目占比（%）", "text_share": "文本占比，按句（%）",
           "char_share": "字符占比，按条目（%）"},
}

def measure_label(measure: str, lang: str = "en") -> str:
    """The axis and colour-bar label of an attention measure, with its unit."""
    return MEASURES[lang][measure]

def short_label(row: pd.Series | dict, lang: str = "en") -> str:
    """A document's place and year on one line ("Taihe 2020"): two documents of one year
    stay apart."""
    unit = row["unit_zh"] if lang == "zh" else row["unit_en"]
    return f"{unit} {row['year']}"

def by_date(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents in date order (then doc_id), the x order of every figure over time."""
    return documents.sort_values(["date", "doc_id"]).reset_index(drop=True)


def document_matrix(ax, wide: pd.DataFrame, fmt: str, cmap: str, vmax: float,
                    name: str):
    """A square document × document heatmap, annotated, with a colour bar named ``name``:
    the drawing shared by the distance and the reuse matrices."""
    sns.heatmap(wide, annot=True, fmt=fmt, cmap=cmap, vmin=0, vmax=vmax, square=True, ax=ax,
                annot_kws={"fontsize": 8}, cbar_kws={"label": name, "shrink": 0.7})
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="both", labelsize=7)
    return ax
