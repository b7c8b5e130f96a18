"""Figures of the corpus and the coding: document lengths, items per document, the confusion matrix."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from msresearch import config
from msresearch.plots.style import LEVEL_COLOURS, document_label, label


def document_lengths(ax: Axes, documents: pd.DataFrame, lang: str = "en",
                     value: str = "n_chars_raw") -> Axes:
    """Bar per document, ordered by year, coloured by administrative level."""
    frame = documents.sort_values(["year", "doc_id"]).assign(
        document=lambda d: [document_label(r, lang) for r in d.to_dict("records")],
        level_label=lambda d: [label(v, lang) for v in d["level"]],
    )
    palette = {label(k, lang): v for k, v in LEVEL_COLOURS.items()}
    hue_order = [label(k, lang) for k in config.LEVELS if k in set(frame["level"])]
    sns.barplot(data=frame, x="document", y=value, hue="level_label", hue_order=hue_order,
                palette=palette, dodge=False, ax=ax)
    ax.set_xlabel(label("document", lang))
    ax.set_ylabel(label(value, lang))
    ax.legend(title=label("level", lang), frameon=False)
    for container in ax.containers:
        ax.bar_label(container, fmt="{:,.0f}", fontsize=7, padding=2)
    return ax

def item_counts(ax: Axes, documents: pd.DataFrame, lang: str = "en") -> Axes:
    """Stacked bars of substantive and procedural items per document, ordered by year, with
    the count the document declares (when it declares one) marked by a black tick."""
    frame = documents.sort_values(["year", "doc_id"]).reset_index(drop=True)
    names = [document_label(r, lang) for r in frame.to_dict("records")]
    x = range(len(frame))
    ax.bar(x, frame["n_items"], color=[LEVEL_COLOURS[v] for v in frame["level"]])
    ax.bar(x, frame["n_procedural"], bottom=frame["n_items"], color="#cccccc")
    declared = frame["declared_items"]
    has = declared.notna()
    ax.scatter([i for i, h in zip(x, has, strict=True) if h], declared[has], marker="_", s=400,
               color="black", zorder=3)
    for i, n in zip(x, frame["n_items"], strict=True):
        ax.text(i, n / 2, str(n), ha="center", va="center", color="white", fontsize=8)
    ax.set_xticks(list(x), names)
    ax.set_xlabel(label("document", lang))
    ax.set_ylabel(label("items", lang))
    ax.set_ylim(0, (frame["n_items"] + frame["n_procedural"]).max() * 1.1)
    handles = [Patch(color=LEVEL_COLOURS[k], label=f"{label('n_items', lang)}: {label(k, lang)}")
               for k in config.LEVELS if k in set(frame["level"])]
    handles += [Patch(color="#cccccc", label=label("n_procedural", lang)),
                Line2D([], [], color="black", marker="_", linestyle="", markersize=14,
                       label="declared count" if lang == "en" else "文件声明数")]
    ax.legend(handles=handles, frameon=False, fontsize=7, loc="upper left",
              bbox_to_anchor=(1.01, 1))
    return ax

def confusion_heatmap(ax: Axes, table: pd.DataFrame, lang: str = "en") -> Axes:
    """Confusion matrix of gold (rows) against coder (columns) labels, counts annotated."""
    sns.heatmap(table, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5,
                linecolor="white", square=True, ax=ax, annot_kws={"fontsize": 7})
    ax.set_xlabel("coder" if lang == "en" else "自动编码")
    ax.set_ylabel("hand coding (gold)" if lang == "en" else "人工编码")
    ax.tick_params(axis="both", labelsize=7)
    return ax
