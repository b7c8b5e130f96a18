"""Figures of attention: shares with their intervals, diversity, distances against their null,
ranks, differences between documents and CAP topics."""

from __future__ import annotations

import matplotlib as mpl
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from msresearch import config
from msresearch.plots.style import (
    LEVEL_COLOURS,
    by_date,
    document_matrix,
    domain_label,
    domain_palette,
    label,
    measure_label,
    ordered_documents,
    short_label,
)

DOC_FIELDS = ("doc_id", "date", "year", "level", "unit_en", "unit_zh")


def share_heatmap(ax: Axes, attention: pd.DataFrame, documents: pd.DataFrame, codebook,
                  measure: str = "item_share", lang: str = "en") -> Axes:
    """Domains (rows, codebook order) × documents (columns, by level then year): shares in %,
    with a colour bar that names the measure."""
    docs = ordered_documents(documents, lang)
    wide = attention.pivot(index="domain", columns="doc_id", values=measure)
    wide = wide.reindex(index=codebook.ids, columns=[d for d, _ in docs]) * 100
    wide.index = [domain_label(codebook, d, lang) for d in wide.index]
    wide.columns = [lab for _, lab in docs]
    sns.heatmap(wide, annot=True, fmt=".0f", cmap="Greens", vmin=0, linewidths=0.5,
                linecolor="white", ax=ax, annot_kws={"fontsize": 7},
                cbar_kws={"label": measure_label(measure, lang), "shrink": 0.6})
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(measure_label(measure, lang), fontsize=9)
    ax.tick_params(axis="both", labelsize=7)
    return ax

def share_intervals(ax: Axes, attention: pd.DataFrame, documents: pd.DataFrame, domain: str,
                    codebook, measure: str = "item_share", lang: str = "en") -> Axes:
    """One domain's share in each document (by date) with its 95% interval, the points
    coloured by level. An interval at 0 is drawn as an interval: capped, from 0 up."""
    frame = (attention[attention["domain"] == domain]
             .merge(by_date(documents)[list(DOC_FIELDS)], on="doc_id")
             .sort_values(["date", "doc_id"]).reset_index(drop=True))
    for i, r in frame.iterrows():
        ax.errorbar(i, 100 * r[measure],
                    yerr=[[100 * (r[measure] - r[f"{measure}_low"])],
                          [100 * (r[f"{measure}_high"] - r[measure])]],
                    fmt="o", color=LEVEL_COLOURS[r["level"]], markersize=3, elinewidth=1,
                    capsize=2)
    ax.set_xticks(range(len(frame)), [short_label(r, lang) for r in frame.to_dict("records")],
                  fontsize=5, rotation=90)
    ax.set_xlim(-0.6, len(frame) - 0.4)
    ax.set_title(domain_label(codebook, domain, lang), fontsize=8)
    ax.set_facecolor(mpl.colors.to_rgba(domain_palette(codebook)[domain], 0.12))
    ax.tick_params(axis="y", labelsize=6)
    return ax

def diversity_panel(ax: Axes, diversity: pd.DataFrame, documents: pd.DataFrame,
                    lang: str = "en") -> Axes:
    """Effective number of domains of each document (by date): as written (filled, coloured
    by level) and rarefied to a common number of items (a ring, around the dot when the two
    are equal), with each n printed."""
    frame = diversity.merge(by_date(documents)[list(DOC_FIELDS)], on="doc_id")
    frame = frame.sort_values(["date", "doc_id"])
    frame = frame.reset_index(drop=True)
    for i, r in frame.iterrows():
        colour = LEVEL_COLOURS[r["level"]]
        ax.scatter(i, r["effective_domains"], color=colour, s=40, zorder=3)
        if pd.notna(r["effective_domains_rarefied"]):
            ax.scatter(i, r["effective_domains_rarefied"], facecolor="white", edgecolor=colour,
                       s=90, zorder=2, linewidth=1.2)
            ax.plot([i, i], [r["effective_domains_rarefied"], r["effective_domains"]],
                    color=colour, linewidth=0.8, zorder=2)
        ax.annotate(f"n = {r['n_items']}", (i, r["effective_domains"]), textcoords="offset points",
                    xytext=(0, 7), ha="center", fontsize=7)
    ax.set_xticks(range(len(frame)), [short_label(r, lang) for r in frame.to_dict("records")],
                  fontsize=7)
    common = frame["rarefied_to"].dropna()
    en = lang == "en"
    handles = [Line2D([], [], marker="o", linestyle="", color="#444444",
                      label="as written" if en else "原文"),
               Line2D([], [], marker="o", linestyle="", markerfacecolor="white",
                      color="#444444", label=(f"rarefied to {int(common.iloc[0])} items" if en
                                              else f"稀释至 {int(common.iloc[0])} 个条目"))]
    handles += [Patch(color=LEVEL_COLOURS[k], label=label(k, lang)) for k in config.LEVELS
                if k in set(frame["level"])]
    ax.legend(handles=handles, frameon=False, fontsize=7, loc="lower right")
    ax.set_ylabel("effective number of domains, exp(H)" if en else "有效领域数 exp(H)")
    ax.set_ylim(0, frame["effective_domains"].max() * 1.2)
    return ax

def distance_matrix(ax: Axes, distances: pd.DataFrame, documents: pd.DataFrame,
                    lang: str = "en") -> Axes:
    """Jensen–Shannon distance between documents (base 2; 0 = same agenda, 1 = disjoint),
    with a colour bar."""
    docs = ordered_documents(documents, lang)
    wide = distances.pivot(index="doc_a", columns="doc_b", values="js_distance")
    wide = wide.reindex(index=[d for d, _ in docs], columns=[d for d, _ in docs])
    wide.index = wide.columns = [lab for _, lab in docs]
    name = "Jensen–Shannon distance (base 2)" if lang == "en" else "詹森–香农距离（以 2 为底）"
    return document_matrix(ax, wide, ".2f", "Purples", 1, name)

def distance_null(ax: Axes, distances: pd.DataFrame, documents: pd.DataFrame,
                  lang: str = "en", alpha: float = 0.05) -> Axes:
    """Each pair's JS distance (dot) against the distances two documents of the same sizes
    drawn from one shared agenda would have (grey bar: 95% range; tick: mean). A filled dot
    lies outside the range: closer than chance (a shared template) to the left, further to
    the right; a hollow dot is within it."""
    docs = by_date(documents)
    names = {r["doc_id"]: short_label(r, lang) for r in docs.to_dict("records")}
    order = {d: i for i, d in enumerate(docs["doc_id"])}
    pairs = distances[distances["doc_a"].map(order) < distances["doc_b"].map(order)]
    pairs = pairs.sort_values("js_distance").reset_index(drop=True)
    for i, r in pairs.iterrows():
        ax.plot([r["null_low"], r["null_high"]], [i, i], color="#bbbbbb", linewidth=5,
                solid_capstyle="butt", zorder=1)
        ax.plot([r["null_mean"]] * 2, [i - 0.25, i + 0.25], color="#666666", linewidth=1)
        outside = min(r["p_closer"], r["p_further"]) < alpha / 2
        ax.scatter(r["js_distance"], i, s=30, zorder=3, color="black",
                   facecolor="black" if outside else "white", linewidth=1.2)
    ax.set_yticks(range(len(pairs)), [f"{names[a]} – {names[b]}"
                                      for a, b in zip(pairs["doc_a"], pairs["doc_b"],
                                                      strict=True)], fontsize=7)
    en = lang == "en"
    ax.set_xlabel("Jensen–Shannon distance (base 2)" if en else "詹森–香农距离（以 2 为底）")
    ax.set_xlim(0, 1)
    handles = [Line2D([], [], color="#bbbbbb", linewidth=5,
                      label="95% range if one agenda" if en else "同一议程下的 95% 范围"),
               Line2D([], [], marker="o", linestyle="", color="black",
                      label="observed, outside the range" if en else "观测值，超出范围"),
               Line2D([], [], marker="o", linestyle="", color="black", markerfacecolor="white",
                      label="observed, within the range" if en else "观测值，在范围内")]
    ax.legend(handles=handles, frameon=False, fontsize=7, loc="lower right")
    return ax

def _end_labels(ax: Axes, ends: list[tuple[float, float, str, str]], lang: str) -> None:
    """Labels at the right end of lines, (x, y, text, colour) each; lines that end at the same
    point share one label, their names joined, so that none is written over another."""
    groups: dict[tuple[float, float], list[tuple[str, str]]] = {}
    for x, y, text, colour in ends:
        groups.setdefault((x, y), []).append((text, colour))
    for (x, y), entries in groups.items():
        colour = entries[0][1] if len(entries) == 1 else "#333333"
        ax.annotate((" · " if lang == "en" else "、").join(t for t, _ in entries), (x, y),
                    textcoords="offset points", xytext=(6, 0), va="center", fontsize=7,
                    color=colour)


def bump_chart(ax: Axes, ranks: pd.DataFrame, documents: pd.DataFrame, codebook,
               lang: str = "en", top: int = 3) -> Axes:
    """Each domain's rank in each document (by date; 1 = most attention), one line per
    domain in its colour; domains never in a document's top ``top`` are grey and unlabelled.
    Tied domains share a rank and, at the end, a label."""
    docs = by_date(documents)
    x = {d: i for i, d in enumerate(docs["doc_id"])}
    frame = ranks[ranks["doc_id"].isin(x)].assign(x=lambda f: f["doc_id"].map(x))
    palette = domain_palette(codebook)
    shown = set(frame.loc[frame["rank"] <= top, "domain"])
    ends = []
    for domain, part in frame.groupby("domain", sort=False):
        part = part.sort_values("x")
        colour = palette[domain] if domain in shown else "#d9d9d9"
        ax.plot(part["x"], part["rank"], marker="o", markersize=4, color=colour,
                linewidth=2 if domain in shown else 1, zorder=3 if domain in shown else 1)
        if domain in shown:
            last = part.iloc[-1]
            ends.append((last["x"], last["rank"], domain_label(codebook, domain, lang), colour))
    _end_labels(ax, ends, lang)
    ax.set_xticks(range(len(docs)), [short_label(r, lang) for r in docs.to_dict("records")],
                  fontsize=7)
    ax.set_xlim(-0.3, len(docs) + 1.2)
    ax.invert_yaxis()
    ax.set_ylabel("rank by share (1 = most attention)" if lang == "en" else "按占比排名（1 = 最多）")
    return ax


def slope_chart(ax: Axes, change: pd.DataFrame, documents: pd.DataFrame, codebook,
                lang: str = "en") -> Axes:
    """Each domain's item share in two documents (``measures.change``), a line per domain in
    its colour, labelled at its right end (domains that end together share a label)."""
    names = {r["doc_id"]: short_label(r, lang) for r in documents.to_dict("records")}
    palette = domain_palette(codebook)
    ends = []
    for domain, r in change.iterrows():
        ax.plot([0, 1], [100 * r["first"], 100 * r["last"]], marker="o", markersize=3,
                color=palette[domain], linewidth=1.5)
        ends.append((1, round(100 * r["last"], 6), domain_label(codebook, domain, lang),
                     palette[domain]))
    _end_labels(ax, ends, lang)
    ax.set_xticks([0, 1], [names[change.attrs["first"]], names[change.attrs["last"]]])
    ax.set_xlim(-0.1, 2.2)
    ax.set_ylabel(measure_label("item_share", lang))
    return ax

def difference_intervals(ax: Axes, change: pd.DataFrame, codebook, difference: str,
                         lang: str = "en") -> Axes:
    """The difference of each domain's item share between two documents, in points, with its
    95% Newcombe interval (``measures.change``); the line at 0 is no change. ``difference``
    names it for the axis ("Bozhou 2023 − Fuyang 2017")."""
    frame = change.sort_values("change")
    palette = domain_palette(codebook)
    for i, (domain, r) in enumerate(frame.iterrows()):
        ax.plot([100 * r["change_low"], 100 * r["change_high"]], [i, i],
                color=palette[domain], linewidth=2)
        ax.scatter(100 * r["change"], i, color=palette[domain], s=20, zorder=3,
                   edgecolor="black", linewidth=0.5)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(frame)), [domain_label(codebook, d, lang) for d in frame.index],
                  fontsize=7)
    ax.set_xlabel(f"difference in item share, {difference} (percentage points, 95% CI)"
                  if lang == "en" else f"条目占比之差，{difference}（百分点，95% 置信区间）")
    return ax


def cap_heatmap(ax: Axes, cap: pd.DataFrame, documents: pd.DataFrame, measure: str = "item_share",
                lang: str = "en") -> Axes:
    """CAP major topics (rows) × documents (columns, by level then year): shares in %, the
    same colour scale as the domain heatmap."""
    docs = ordered_documents(documents, lang)
    wide = cap.pivot(index="cap_topic", columns="doc_id", values="share") * 100
    wide = wide.reindex(columns=[d for d, _ in docs])
    wide = wide.loc[sorted(wide.index, key=lambda t: int(t.split()[0]))]
    wide.columns = [lab for _, lab in docs]
    sns.heatmap(wide, annot=True, fmt=".0f", cmap="Greens", vmin=0, linewidths=0.5,
                linecolor="white", ax=ax, annot_kws={"fontsize": 7},
                cbar_kws={"label": measure_label(measure, lang), "shrink": 0.6})
    ax.set_xlabel("")
    ax.set_ylabel("CAP major topic" if lang == "en" else "CAP 主要议题")
    ax.tick_params(axis="both", labelsize=7)
    return ax
