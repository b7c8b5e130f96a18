"""Figures of reuse between documents: the matrix of shared commitments, documents by level and
date joined by what they share, inherited and local items by domain, and aligned texts."""

from __future__ import annotations

import html
import re

import matplotlib as mpl
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from msresearch import config
from msresearch.plots.style import (
    LEVEL_COLOURS,
    by_date,
    document_matrix,
    domain_label,
    domain_palette,
    label,
    short_label,
)

ORIGINS = ("inherited", "shared", "local")
ORIGIN_TEXT = {
    "en": {"inherited": "inherited (same as an earlier, higher document's item)",
           "shared": "shared (a same item elsewhere, not from above)",
           "local": "local (no same item anywhere)"},
    "zh": {"inherited": "承接（与更早、更高层级文件的条目相同）",
           "shared": "共有（他处有相同条目，但非来自上级）",
           "local": "本地（无相同条目）"},
}


def shared_matrix(ax: Axes, per_document: pd.DataFrame, documents: pd.DataFrame,
                  lang: str = "en") -> Axes:
    """Rows: a document; columns: another; cell: the share of the row document's items that
    have a ``same`` item in the column document (%), with a colour bar."""
    docs = by_date(documents)
    names = [short_label(r, lang) for r in docs.to_dict("records")]
    wide = per_document.pivot(index="doc_id", columns="other", values="share_same") * 100
    wide = wide.reindex(index=docs["doc_id"], columns=docs["doc_id"])
    wide.index, wide.columns = names, names
    name = ("items with a same item in the column's document (%)" if lang == "en"
            else "在列文件中有相同条目的条目占比（%）")
    return document_matrix(ax, wide, ".0f", "Greys", 100, name)


def reuse_network(ax: Axes, per_document: pd.DataFrame, documents: pd.DataFrame,
                  lang: str = "en") -> Axes:
    """Documents placed by level (rows, the province on top) and date (x), joined by lines as
    thick as the number of items they share (``same``, the larger of the two directions)."""
    docs = by_date(documents).copy()
    rows = {lvl: k for k, lvl in enumerate(reversed(config.LEVELS))}
    docs["x"] = pd.to_datetime(docs["date"])
    docs["y"] = docs["level"].map(rows).astype(float)
    # documents of one level and date would sit on one point: spread them a little
    docs["y"] += docs.groupby(["level", "date"]).cumcount() * 0.15
    where = docs.set_index("doc_id")[["x", "y"]]
    pairs = per_document.assign(pair=[tuple(sorted(p)) for p in
                                      zip(per_document["doc_id"], per_document["other"],
                                          strict=True)])
    weights = pairs.groupby("pair")["n_same"].max()
    top = max(weights.max(), 1)
    for (a, b), n in weights.items():
        if n == 0:
            continue
        ax.plot([where.at[a, "x"], where.at[b, "x"]], [where.at[a, "y"], where.at[b, "y"]],
                color="#555555", linewidth=0.5 + 6 * n / top, alpha=0.6, zorder=1)
        mid = (where.at[a, "x"] + (where.at[b, "x"] - where.at[a, "x"]) / 2,
               (where.at[a, "y"] + where.at[b, "y"]) / 2)
        ax.annotate(str(n), mid, fontsize=7, ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})
    for r in docs.to_dict("records"):
        ax.scatter(r["x"], r["y"], s=120, color=LEVEL_COLOURS[r["level"]], zorder=3,
                   edgecolor="white")
        ax.annotate(short_label(r, lang), (r["x"], r["y"]), textcoords="offset points",
                    xytext=(0, 10), ha="center", fontsize=8)
    ax.set_yticks(list(rows.values()), [label(lvl, lang) for lvl in rows])
    ax.set_ylim(-0.6, len(rows) - 0.2)
    ax.set_xlabel("date of the document" if lang == "en" else "文件日期")
    ax.margins(x=0.12)
    return ax


def origin_bars(ax: Axes, origins: pd.DataFrame, codebook, doc_id: str, title: str,
                lang: str = "en") -> Axes:
    """One document's item share of each domain (codebook order, in %), each bar split into
    its inherited, shared and local items (solid, pale, outlined in the domain's colour)."""
    part = origins[origins["doc_id"] == doc_id]
    counts = part.groupby(["domain", "origin"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=codebook.ids, columns=list(ORIGINS), fill_value=0)
    shares = 100 * counts / max(len(part), 1)
    palette = domain_palette(codebook)
    left = pd.Series(0.0, index=shares.index)
    for origin in ORIGINS:
        colours = [palette[d] for d in shares.index]
        face = {"inherited": colours,
                "shared": [mpl.colors.to_rgba(c, 0.45) for c in colours],
                "local": ["white"] * len(colours)}[origin]
        ax.barh(range(len(shares)), shares[origin], left=left, color=face, edgecolor=colours,
                linewidth=0.8)
        left += shares[origin]
    ax.set_yticks(range(len(shares)), [domain_label(codebook, d, lang) for d in shares.index],
                  fontsize=6)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=8)
    ax.tick_params(axis="x", labelsize=6)
    return ax


def origin_legend(fig, lang: str = "en") -> None:
    """A figure-level legend of the three origins' drawing (grey stands for any domain)."""
    grey = "#666666"
    handles = [Patch(facecolor=grey, edgecolor=grey, label=ORIGIN_TEXT[lang]["inherited"]),
               Patch(facecolor=mpl.colors.to_rgba(grey, 0.45), edgecolor=grey,
                     label=ORIGIN_TEXT[lang]["shared"]),
               Patch(facecolor="white", edgecolor=grey, label=ORIGIN_TEXT[lang]["local"])]
    fig.legend(handles=handles, loc="upper center", ncols=3, frameon=False, fontsize=7)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def highlighted(text: str, spans: str, other_numbers: set[str] | None = None) -> str:
    """HTML of an item's text with its aligned spans (``"start-end;…"``) highlighted and the
    numbers the other item does not have marked, so a reader sees what was restated and
    which targets changed."""
    marks = sorted((int(s), int(e)) for s, e in (p.split("-") for p in spans.split(";") if p))
    out, pos = [], 0
    for s, e in marks:
        out.append(_numbers(text[pos:s], other_numbers))
        out.append(f"<mark>{_numbers(text[s:e], other_numbers)}</mark>")
        pos = e
    out.append(_numbers(text[pos:], other_numbers))
    return "".join(out).replace("\n", "<br>")


def _numbers(text: str, other: set[str] | None) -> str:
    if other is None:
        return html.escape(text)
    out, pos = [], 0
    for m in _NUMBER.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        number = m.group()
        out.append(number if number in other else f"<b><u>{number}</u></b>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def numbers_in(text: str) -> set[str]:
    """The numbers written in a text (for ``highlighted``)."""
    return set(_NUMBER.findall(text))
