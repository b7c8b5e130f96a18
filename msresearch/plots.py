"""Plot helpers: the project's style, a CJK font that works on a fresh machine, and drawings on an ax."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import matplotlib as mpl
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from msresearch import config

LEVEL_COLOURS = {"province": "#1b4965", "city": "#5fa8d3", "county": "#ca6702"}

LABELS = {
    "en": {
        "n_chars_raw": "Characters in the raw file",
        "n_chars_clean": "Characters after cleaning",
        "n_items": "Substantive items", "n_procedural": "Procedural items",
        "items": "Items",
        "document": "Document (year, unit)",
        "level": "Level",
        "province": "province", "city": "city", "county": "county",
    },
    "zh": {
        "n_chars_raw": "原始文件字符数",
        "n_chars_clean": "清洗后字符数",
        "n_items": "实质条目", "n_procedural": "程序性条目",
        "items": "条目数",
        "document": "文件（年份、单位）",
        "level": "层级",
        "province": "省级", "city": "市级", "county": "县级",
    },
}


@cache
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


def share_heatmap(ax: Axes, attention: pd.DataFrame, documents: pd.DataFrame, codebook,
                  measure: str = "item_share", lang: str = "en") -> Axes:
    """Domains (rows, codebook order) × documents (columns, by level then year): shares in %."""
    docs = ordered_documents(documents, lang)
    wide = attention.pivot(index="domain", columns="doc_id", values=measure)
    wide = wide.reindex(index=codebook.ids, columns=[d for d, _ in docs]) * 100
    wide.index = [domain_label(codebook, d, lang) for d in wide.index]
    wide.columns = [lab for _, lab in docs]
    sns.heatmap(wide, annot=True, fmt=".0f", cmap="Greens", cbar=False, linewidths=0.5,
                linecolor="white", ax=ax, annot_kws={"fontsize": 7})
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="both", labelsize=7)
    return ax


def share_intervals(ax: Axes, attention: pd.DataFrame, documents: pd.DataFrame, domain: str,
                    codebook, measure: str = "item_share", lang: str = "en") -> Axes:
    """One domain's share in each document (by year) with its 95% bootstrap interval, the
    points coloured by level."""
    frame = (attention[attention["domain"] == domain]
             .merge(documents[["doc_id", "year", "level"]], on="doc_id")
             .sort_values(["year", "doc_id"]).reset_index(drop=True))
    for i, r in frame.iterrows():
        ax.errorbar(i, 100 * r[measure],
                    yerr=[[100 * (r[measure] - r[f"{measure}_low"])],
                          [100 * (r[f"{measure}_high"] - r[measure])]],
                    fmt="o", color=LEVEL_COLOURS[r["level"]], markersize=3, elinewidth=1)
    ax.set_xticks(range(len(frame)), [str(y) for y in frame["year"]], fontsize=6)
    ax.set_title(domain_label(codebook, domain, lang), fontsize=8)
    ax.set_facecolor(mpl.colors.to_rgba(domain_palette(codebook)[domain], 0.12))
    ax.tick_params(axis="y", labelsize=6)
    return ax


def diversity_over_time(ax: Axes, diversity: pd.DataFrame, documents: pd.DataFrame,
                        lang: str = "en") -> Axes:
    """Normalised entropy of each document's agenda against its year, coloured by level."""
    frame = diversity.merge(documents[["doc_id", "year", "level", "unit_en", "unit_zh"]],
                            on="doc_id")
    frame = frame.sort_values(["year", "entropy_norm"], ascending=[True, False])
    frame["k"] = frame.groupby("year").cumcount()  # documents of the same year: labels stacked
    for r in frame.to_dict("records"):
        ax.scatter(r["year"], r["entropy_norm"], color=LEVEL_COLOURS[r["level"]], s=40, zorder=3)
        ax.annotate(r["unit_zh"] if lang == "zh" else r["unit_en"], (r["year"], r["entropy_norm"]),
                    textcoords="offset points", xytext=(6, 4 - 11 * r["k"]), fontsize=7)
    handles = [Patch(color=LEVEL_COLOURS[k], label=label(k, lang)) for k in config.LEVELS]
    ax.legend(handles=handles, frameon=False, fontsize=7, title=label("level", lang))
    years = sorted(frame["year"].unique())
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlim(years[0] - 0.7, years[-1] + 1)
    ax.set_xlabel("year" if lang == "en" else "年份")
    ax.set_ylabel("normalised entropy H / ln K" if lang == "en" else "归一化熵 H / ln K")
    ax.set_ylim(0, 1.05)
    return ax


def distance_matrix(ax: Axes, distances: pd.DataFrame, documents: pd.DataFrame,
                    lang: str = "en") -> Axes:
    """Jensen–Shannon distance between documents (base 2; 0 = same agenda, 1 = disjoint)."""
    docs = ordered_documents(documents, lang)
    wide = distances.pivot(index="doc_a", columns="doc_b", values="js_distance")
    wide = wide.reindex(index=[d for d, _ in docs], columns=[d for d, _ in docs])
    wide.index = wide.columns = [lab for _, lab in docs]
    sns.heatmap(wide, annot=True, fmt=".2f", cmap="Purples", vmin=0, vmax=1, cbar=False,
                square=True, ax=ax, annot_kws={"fontsize": 8})
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="both", labelsize=7)
    return ax


def keyness_bars(ax: Axes, table: pd.DataFrame, n: int = 10, lang: str = "en") -> Axes:
    """Top terms by G², signed: bars to the right are key for the later period."""
    frame = pd.concat([table[table["direction"] == "later"].head(n),
                       table[table["direction"] == "earlier"].head(n)])
    signed = frame["g2"].where(frame["direction"] == "later", -frame["g2"])
    frame = frame.assign(signed=signed).sort_values("signed")
    colours = ["#ca6702" if v > 0 else "#1b4965" for v in frame["signed"]]
    ax.barh(frame["term"], frame["signed"], color=colours)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("G² (− earlier, + later)" if lang == "en" else "G²（− 前期，+ 后期）")
    ax.tick_params(axis="y", labelsize=7)
    return ax


def level_legend(fig, lang: str = "en") -> None:
    """A figure-level legend of the administrative levels' colours."""
    handles = [Patch(color=LEVEL_COLOURS[k], label=label(k, lang)) for k in config.LEVELS]
    fig.legend(handles=handles, loc="upper right", ncols=3, frameon=False, fontsize=7,
               title=label("level", lang), title_fontsize=7)
