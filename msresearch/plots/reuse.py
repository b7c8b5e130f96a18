"""Figures of reuse: inherited, national, shared and local items by domain, vertical reuse
in the work reports against its placebo, and aligned texts."""

from __future__ import annotations

import html
import re

import matplotlib as mpl
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from msresearch.link.families import ORIGINS
from msresearch.plots.style import LEVEL_COLOURS, domain_label, domain_palette, label

ORIGIN_TEXT = {
    "en": {"inherited": "inherited (follows an earlier document above it)",
           "national": "national programme (its family reaches several provinces)",
           "shared": "shared (restated elsewhere, not from above)",
           "local": "local (restated nowhere in the corpus)"},
    "zh": {"inherited": "承接（沿用上级更早文件的表述）",
           "national": "全国性项目（同一承诺见于多个省份）",
           "shared": "共有（他处有相同承诺，但非来自上级）",
           "local": "本地（语料中无相同承诺）"},
}
RELATION_TEXT = {"en": {"superior": "its superior's plan", "other_province": "another province's plan"},
                 "zh": {"superior": "上级的年度计划", "other_province": "其他省份的年度计划"}}


def _face(origin: str, colour) -> tuple[object, str | None]:
    """How an origin is drawn in a domain's colour: solid, hatched, pale or outlined."""
    return {"inherited": (colour, None), "national": ("white", "////"),
            "shared": (mpl.colors.to_rgba(colour, 0.45), None),
            "local": ("white", None)}[origin]


def origin_bars(ax: Axes, origins: pd.DataFrame, codebook, doc_id: str, title: str,
                lang: str = "en") -> Axes:
    """One document's item share of each domain (codebook order, in %), each bar split into
    its inherited, national, shared and local items (solid, hatched, pale, outlined in the
    domain's colour)."""
    part = origins[origins["doc_id"] == doc_id]
    counts = part.groupby(["domain", "origin"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=codebook.ids, columns=list(ORIGINS), fill_value=0)
    shares = 100 * counts / max(len(part), 1)
    palette = domain_palette(codebook)
    left = pd.Series(0.0, index=shares.index)
    colours = [palette[d] for d in shares.index]
    for origin in ORIGINS:
        faces = [_face(origin, c) for c in colours]
        bars = ax.barh(range(len(shares)), shares[origin], left=left,
                       color=[f for f, _ in faces], edgecolor=colours, linewidth=0.8)
        for bar, (_, hatch) in zip(bars, faces, strict=True):
            bar.set_hatch(hatch)
        left += shares[origin]
    ax.set_yticks(range(len(shares)), [domain_label(codebook, d, lang) for d in shares.index],
                  fontsize=6)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=8)
    ax.tick_params(axis="x", labelsize=6)
    return ax


def origin_legend(fig, lang: str = "en", top: float = 0.94) -> None:
    """A figure-level legend of the four origins' drawing (grey stands for any domain), its
    top at ``top`` (a share of the figure's height, below a title)."""
    grey = "#666666"
    handles = []
    for origin in ORIGINS:
        face, hatch = _face(origin, grey)
        handles.append(Patch(facecolor=face, edgecolor=grey, hatch=hatch,
                             label=ORIGIN_TEXT[lang][origin]))
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, top), ncols=2,
               frameon=False, fontsize=7)


def vertical_lines(ax: Axes, summary: pd.DataFrame, level: str, lang: str = "en") -> Axes:
    """For one level, by year: the mean share of the plan's sentences that restate the
    superior's plan of the same year, and the placebo's (another province's), with 95%
    intervals over governments (``vertical.by_level_year``)."""
    part = summary[summary["level"] == level]
    styles = {"superior": ("-", LEVEL_COLOURS[level]), "other_province": ("--", "#888888")}
    for relation, (line, colour) in styles.items():
        rows = part[part["relation"] == relation].sort_values("year")
        if rows.empty:
            continue
        ax.plot(rows["year"], 100 * rows["share"], line, marker="o", color=colour,
                label=RELATION_TEXT[lang][relation])
        ax.fill_between(rows["year"], 100 * rows["low"], 100 * rows["high"], color=colour,
                        alpha=0.15, linewidth=0)
    ax.set_title(label(level, lang), fontsize=9)
    ax.set_xlabel("year" if lang == "en" else "年份")
    ax.set_ylabel("plan sentences restated (%)" if lang == "en" else "计划中被沿用的句子（%）")
    ax.legend(fontsize=7, frameon=False)
    return ax


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
