"""Figures of keyness: signed G² bars and the Monroe plot of log-odds z-scores."""

from __future__ import annotations

import math

import matplotlib as mpl
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

from msresearch.plots.style import PERIOD_COLOURS


def keyness_bars(ax: Axes, table: pd.DataFrame, n: int = 10, lang: str = "en",
                 alpha: float = 0.05) -> Axes:
    """Top ``n`` terms of each period by G², signed: bars to the right are key for the later
    period, to the left for the earlier one, coloured by period (``PERIOD_COLOURS``). With a
    ``q_value`` column, the bars of terms whose Benjamini–Hochberg q is not below ``alpha``
    are paler. A legend says which colour is which."""
    frame = pd.concat([table[table["direction"] == "later"].head(n),
                       table[table["direction"] == "earlier"].head(n)])
    signed = frame["g2"].where(frame["direction"] == "later", -frame["g2"])
    frame = frame.assign(signed=signed).sort_values(["signed", "term"])
    weak = (frame["q_value"] >= alpha if "q_value" in frame.columns
            else pd.Series(False, index=frame.index))
    colours = [mpl.colors.to_rgba(PERIOD_COLOURS[d], 0.35 if w else 1.0)
               for d, w in zip(frame["direction"], weak, strict=True)]
    ax.barh(frame["term"], frame["signed"], color=colours)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(_period_text("g2", lang))
    ax.tick_params(axis="y", labelsize=7)
    handles = [Patch(color=PERIOD_COLOURS[k], label=_period_text(k, lang))
               for k in ("later", "earlier")]
    if weak.any():
        handles.append(Patch(color=mpl.colors.to_rgba("#7f7f7f", 0.35),
                             label=_period_text("pale", lang).format(alpha=alpha)))
    ax.legend(handles=handles, frameon=False, fontsize=7, loc="lower right")
    return ax

def _period_text(key: str, lang: str) -> str:
    """Legend and axis wording of the keyness figures."""
    return {
        "en": {"later": "more frequent later", "earlier": "more frequent earlier",
               "pale": "q ≥ {alpha:g} (BH): paler", "single": "in fewer than {k} documents"
               " (not tested)", "single1": "in one document only (not tested)",
               "crit": "z = ±{z:.2f} (two-sided p = {p:.2g}, uncorrected)", "q": "q < {alpha:g} (BH)",
               "inside": "|z| < {z:.2f}: paler",
               "x": "frequency in both periods (word tokens, log scale)",
               "y": "z-score of the log-odds, later vs earlier",
               "g2": "G² (− earlier, + later)"},
        "zh": {"later": "后期更常用", "earlier": "前期更常用",
               "pale": "q ≥ {alpha:g}（BH 校正）：浅色", "single": "出现在少于 {k} 份文件中（未检验）",
               "single1": "仅出现在一份文件中（未检验）",
               "crit": "z = ±{z:.2f}（双侧 p = {p:.2g}，未校正）", "q": "q < {alpha:g}（BH 校正）",
               "inside": "|z| < {z:.2f}：浅色",
               "x": "两期合计词频（词次，对数刻度）", "y": "对数优势比的 z 值（后期对前期）",
               "g2": "G²（− 前期，+ 后期）"},
    }[lang][key]

def keyness_monroe(ax: Axes, table: pd.DataFrame, counts: pd.DataFrame, lang: str = "en",
                   n_labels: int = 8, min_docs: int = 2, alpha: float = 0.05,
                   z_crit: float = 1.96) -> Axes:
    """Monroe-style plot of a log-odds table (``keyness.log_odds_dirichlet``): each word's
    z-score (y) against its frequency in both periods (x, word tokens, log scale).

    ``counts`` is the doc × term table the log-odds came from: it gives each word's total
    frequency and the number of documents it occurs in. Words in at least ``min_docs``
    documents are coloured by direction (``PERIOD_COLOURS``), solid beyond ``±z_crit``,
    pale inside, ringed in black when their BH q-value is below ``alpha``; words in fewer
    documents (present when the table was made with a lower ``min_docs``) are hollow grey.
    The ``n_labels`` highest and lowest z of the tested words are labelled."""
    total = counts.sum(axis=0)
    n_docs = (counts > 0).sum(axis=0)
    frame = table.assign(freq=table["term"].map(total).astype(float),
                         docs=table["term"].map(n_docs).astype(int))
    tested = frame[frame["docs"] >= min_docs]
    single = frame[frame["docs"] < min_docs]
    if len(single):
        ax.scatter(single["freq"], single["z"], s=12, facecolors="none", edgecolors="#9e9e9e",
                   linewidths=0.6, zorder=1)
    for direction in ("later", "earlier"):
        part = tested[(tested["z"] > 0) == (direction == "later")]
        strong = part["z"].abs() >= z_crit
        colour = PERIOD_COLOURS[direction]
        # pale = mixed with white, not transparent: words with the same counts share a
        # point, and stacked transparent points would look solid
        pale = [0.3 * c + 0.7 for c in mpl.colors.to_rgb(colour)]
        ax.scatter(part.loc[~strong, "freq"], part.loc[~strong, "z"], s=10, color=pale,
                   linewidths=0, zorder=2)
        ax.scatter(part.loc[strong, "freq"], part.loc[strong, "z"], s=16, color=colour,
                   linewidths=0, zorder=3)
    if "q_value" in tested.columns:
        sure = tested[tested["q_value"] < alpha]
        ax.scatter(sure["freq"], sure["z"], s=40, facecolors="none", edgecolors="black",
                   linewidths=0.8, zorder=4)
    for y in (z_crit, -z_crit):
        ax.axhline(y, color="#555555", linestyle="--", linewidth=0.7, zorder=0)
    ax.axhline(0, color="black", linewidth=0.6, zorder=0)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xlabel(_period_text("x", lang))
    ax.set_ylabel(_period_text("y", lang))
    top = tested.sort_values(["z", "term"], ascending=[False, True])
    for part, sign in ((top.head(n_labels), 1), (top.iloc[::-1].head(n_labels), -1)):
        notes = [ax.annotate(r["term"], (r["freq"], r["z"]), textcoords="offset points",
                             xytext=(3, 2 * sign), fontsize=7,
                             va="bottom" if sign > 0 else "top",
                             color=PERIOD_COLOURS["later" if sign > 0 else "earlier"],
                             path_effects=[patheffects.withStroke(linewidth=2.5,
                                                                  foreground="white")])
                 for r in part.to_dict("records")]
        _separate_labels(ax, notes, towards=-sign)
    handles = [Line2D([], [], marker="o", linestyle="", color=PERIOD_COLOURS[k], markersize=5,
                      label=_period_text(k, lang)) for k in ("later", "earlier")]
    handles.append(Line2D([], [], marker="o", linestyle="", markersize=4, markeredgewidth=0,
                          color=[0.3 * c + 0.7 for c in mpl.colors.to_rgb("#7f7f7f")],
                          label=_period_text("inside", lang).format(z=z_crit)))
    handles.append(Line2D([], [], color="#555555", linestyle="--", linewidth=0.7,
                          label=_period_text("crit", lang).format(
                              z=z_crit, p=math.erfc(z_crit / math.sqrt(2)))))
    if "q_value" in tested.columns and (tested["q_value"] < alpha).any():
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none",
                              markeredgecolor="black", markersize=7,
                              label=_period_text("q", lang).format(alpha=alpha)))
    if len(single):
        text = (_period_text("single1", lang) if min_docs == 2
                else _period_text("single", lang).format(k=min_docs))
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none",
                              markeredgecolor="#9e9e9e", markersize=5, label=text))
    ax.legend(handles=handles, frameon=False, fontsize=7, loc="upper left",
              bbox_to_anchor=(1.01, 1))
    return ax

def _separate_labels(ax: Axes, notes: list, towards: int, gap: float = 1.0,
                     pad: float = 3.0) -> None:
    """Move annotations (most extreme first) vertically, ``towards`` = +1 up or -1 down, until
    none overlaps one placed before it (boxes widened by ``pad`` pixels either side, so that
    neighbours do not read as one word); a moved label gets a thin line to its point."""
    fig = ax.figure
    fig.draw_without_rendering()
    to_points = 72 / fig.dpi
    placed = []
    for note in notes:
        extent = note.get_window_extent()
        box = Bbox.from_extents(extent.x0 - pad, extent.y0, extent.x1 + pad, extent.y1)
        moved = False
        for _ in range(len(notes) * 4):
            hit = next((b for b in placed if box.overlaps(b)), None)
            if hit is None:
                break
            shift = (hit.y1 - box.y0 + gap) if towards > 0 else -(box.y1 - hit.y0 + gap)
            x, y = note.xyann
            note.xyann = (x, y + shift * to_points)
            box = box.translated(0, shift)
            moved = True
        if moved:  # the same label again, with a line to its point
            note.remove()
            note = ax.annotate(note.get_text(), note.xy, textcoords="offset points",
                               xytext=note.xyann, fontsize=note.get_fontsize(),
                               va=note.get_va(), color=note.get_color(),
                               path_effects=note.get_path_effects(),
                               arrowprops={"arrowstyle": "-", "color": "#666666",
                                           "linewidth": 0.4, "shrinkA": 0, "shrinkB": 2,
                                           "relpos": (0, 0.5)})
        placed.append(box)

def period_title(description: pd.DataFrame, lang: str = "en") -> str:
    """A keyness panel's title from ``keyness.describe_split``: each period's years and
    number of documents, e.g. "earlier 2017–2019 (2 documents) vs later 2020–2023 (3)"."""
    def side(period: str) -> tuple[str, int]:
        row = description.loc[period]
        n = int(row["n_documents"])
        if n == 0:
            return "–", n
        first, last = int(row["first_year"]), int(row["last_year"])
        return (str(first) if first == last else f"{first}–{last}"), n

    (y_e, n_e), (y_l, n_l) = side("earlier"), side("later")
    if lang == "zh":
        return f"前期 {y_e}（{n_e} 份文件）对 后期 {y_l}（{n_l} 份文件）"
    docs = "document" if n_e == 1 else "documents"
    return f"earlier {y_e} ({n_e} {docs}) vs later {y_l} ({n_l})"
