"""Figures of the work-report panel: trajectories by group, model effects, closeness to a
superior's agenda, a province among provinces, power, and reviews against plans."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, PercentFormatter

from msresearch.plots.style import LEVEL_COLOURS

GROUP_COLOURS = {"centre": LEVEL_COLOURS["national"], "provinces": LEVEL_COLOURS["province"],
                 "focus": "#ee9b00", "focus_cities": LEVEL_COLOURS["city"]}
TEXT = {
    "en": {"centre": "State Council", "provinces": "all provinces (mean)",
           "focus": "{focus}", "focus_cities": "{focus}'s cities (mean)",
           "year": "year the report plans", "core": "core livelihood share of the plan",
           "broad": "broad livelihood share of the plan",
           "effect": "average marginal effect on the share (points, 95% interval)",
           "closer": "closer to the leader's agenda than to its far years (JS distance)",
           "leader_same": "same year", "leader_before": "year before",
           "provinces_centre": "provinces → State Council",
           "cities_focus": "{focus}'s cities → {focus}",
           "mean_share": "mean share over the years (95% t interval)",
           "reports": "reports per period", "mde": "smallest detectable shift (points)",
           "independent": "different reports in each period",
           "paired": "the same governments in both (the panel)",
           "difference": "review (t+1) minus plan (t), points (95% interval)"},
    "zh": {"centre": "国务院", "provinces": "各省（均值）", "focus": "{focus}",
           "focus_cities": "{focus}各市（均值）", "year": "报告所规划的年份",
           "core": "规划部分中核心民生的占比", "broad": "规划部分中广义民生的占比",
           "effect": "平均边际效应（百分点，95% 区间）",
           "closer": "与上级同期议程相比其远期议程更接近的程度（JS 距离）",
           "leader_same": "同年", "leader_before": "上一年",
           "provinces_centre": "各省 → 国务院", "cities_focus": "{focus}各市 → {focus}",
           "mean_share": "各年平均占比（95% t 区间）", "reports": "每期报告数",
           "mde": "可检测的最小变化（百分点）", "independent": "每期不同的报告",
           "paired": "两期相同的政府（本面板）",
           "difference": "回顾（t+1）减规划（t），百分点（95% 区间）"},
}


def text(key: str, lang: str = "en", **names) -> str:
    """A label of the panel's figures in the figure language."""
    return TEXT[lang][key].format(**names)


def _years_axis(ax: Axes, lang: str) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(text("year", lang))


def trajectory(ax: Axes, table: pd.DataFrame, names: dict[str, str], lang: str = "en",
               ylabel: str = "") -> Axes:
    """Each group's yearly value with its interval (``trajectories.group_years``); the groups
    are dodged a little so their intervals do not hide each other."""
    groups = [g for g in GROUP_COLOURS if g in set(table["group"])]
    for i, group in enumerate(groups):
        part = table[table["group"] == group].sort_values("year")
        x = part["year"] + (i - (len(groups) - 1) / 2) * 0.08
        ax.plot(x, 100 * part["value"], marker="o", ms=3, lw=1.2, color=GROUP_COLOURS[group],
                label=names[group])
        ax.vlines(x, 100 * part["low"], 100 * part["high"], color=GROUP_COLOURS[group], lw=0.8,
                  alpha=0.8)
    _years_axis(ax, lang)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=None))
    ax.set_ylabel(ylabel)
    return ax


def effects(ax: Axes, table: pd.DataFrame, labels: list[str]) -> Axes:
    """Average marginal effects (points) with their intervals, one row each, named
    ``labels``; a row without an interval is drawn hollow."""
    y = np.arange(len(table))[::-1]
    est = 100 * table["effect"].to_numpy()
    has = table["low"].notna().to_numpy()
    ax.hlines(y[has], 100 * table["low"][has], 100 * table["high"][has], color="#333333", lw=1)
    ax.plot(est[has], y[has], "o", color="#333333", ms=4)
    ax.plot(est[~has], y[~has], "o", mfc="white", mec="#333333", ms=4)
    ax.axvline(0, color="#999999", lw=0.8, ls="--")
    ax.set_yticks(y, labels, fontsize=7)
    return ax


def closeness(ax: Axes, table: pd.DataFrame, lang: str = "en", **names) -> Axes:
    """Closeness to the leader's same-year and year-before agendas (``following.closeness``
    with a ``pair`` column), with intervals."""
    rows = table.reset_index(drop=True)
    y = np.arange(len(rows))[::-1]
    ax.hlines(y, rows["low"], rows["high"], color="#333333", lw=1)
    ax.plot(rows["closer_by"], y, "o", color="#333333", ms=4)
    ax.axvline(0, color="#999999", lw=0.8, ls="--")
    labels = [f"{text(r['pair'], lang, **names)}: {text(r['compared'], lang)}"
              for r in rows.to_dict("records")]
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlabel(text("closer", lang), fontsize=8)
    return ax


def ranking(ax: Axes, table: pd.DataFrame, highlight: str, names: dict[str, str],
            centre: float | None = None, lang: str = "en") -> Axes:
    """Governments' mean shares with intervals, highest first, ``highlight`` in the focus
    colour; the centre's mean as a line."""
    rows = table.sort_values(["mean", "unit"], ascending=[True, True]).reset_index(drop=True)
    colours = [GROUP_COLOURS["focus"] if u == highlight else GROUP_COLOURS["provinces"]
               for u in rows["unit"]]
    y = np.arange(len(rows))
    ax.hlines(y, 100 * rows["low"], 100 * rows["high"], colors=colours, lw=1)
    ax.scatter(100 * rows["mean"], y, c=colours, s=12, zorder=3)
    if centre is not None:
        ax.axvline(100 * centre, color=GROUP_COLOURS["centre"], lw=1, ls="--",
                   label=text("centre", lang))
        ax.legend(fontsize=7, frameon=False, loc="lower right")
    ax.set_yticks(y, [names[u] for u in rows["unit"]], fontsize=6)
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_xlabel(text("mean_share", lang), fontsize=8)
    return ax


def power_curve(ax: Axes, n: np.ndarray, mde: np.ndarray, paired: tuple[int, float],
                shift: float, lang: str = "en") -> Axes:
    """The smallest detectable shift against reports per period, for different reports in
    each period, with the panel's paired design as a point and the shift of interest as a
    line."""
    ax.plot(n, 100 * mde, color="#333333", lw=1.2, label=text("independent", lang))
    ax.plot([paired[0]], [100 * paired[1]], "o", color=GROUP_COLOURS["provinces"], ms=5,
            label=text("paired", lang))
    ax.axhline(100 * shift, color="#999999", lw=0.8, ls="--")
    ax.set_xlabel(text("reports", lang))
    ax.set_ylabel(text("mde", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=7, frameon=False)
    return ax


def differences(ax: Axes, table: pd.DataFrame, labels: dict[str, str], lang: str = "en"
                ) -> Axes:
    """Per domain, review minus plan in points with intervals, largest first."""
    rows = table.sort_values(["difference", "domain"]).reset_index(drop=True)
    y = np.arange(len(rows))
    ax.hlines(y, 100 * rows["low"], 100 * rows["high"], color="#333333", lw=1)
    ax.plot(100 * rows["difference"], y, "o", color="#333333", ms=4)
    ax.axvline(0, color="#999999", lw=0.8, ls="--")
    ax.set_yticks(y, [labels[d] for d in rows["domain"]], fontsize=7)
    ax.set_xlabel(text("difference", lang), fontsize=8)
    return ax
