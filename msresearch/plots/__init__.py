"""Plot helpers: each takes an ``ax``, draws and returns it (saving is ``figures.save_figure``'s
job). ``style`` holds the colours, fonts and labels; the figures are grouped by what they show."""

from msresearch.plots.attention import (
                                        bump_chart,
                                        cap_heatmap,
                                        difference_intervals,
                                        distance_matrix,
                                        distance_null,
                                        diversity_panel,
                                        share_heatmap,
                                        share_intervals,
                                        slope_chart,
)
from msresearch.plots.corpus import confusion_heatmap, document_lengths, item_counts
from msresearch.plots.keyness import keyness_bars, keyness_monroe, period_title
from msresearch.plots.reuse import (
                                        highlighted,
                                        numbers_in,
                                        origin_bars,
                                        origin_legend,
                                        vertical_lines,
)
from msresearch.plots.style import (
                                        LABELS,
                                        LEVEL_COLOURS,
                                        MEASURES,
                                        PERIOD_COLOURS,
                                        by_date,
                                        document_label,
                                        domain_label,
                                        domain_palette,
                                        label,
                                        level_legend,
                                        measure_label,
                                        ordered_documents,
                                        register_cjk_font,
                                        short_label,
                                        use_style,
)

__all__ = [
    "LABELS", "LEVEL_COLOURS", "MEASURES", "PERIOD_COLOURS", "bump_chart", "by_date",
    "cap_heatmap", "confusion_heatmap", "difference_intervals", "distance_matrix",
    "distance_null", "diversity_panel", "highlighted", "numbers_in", "origin_bars",
    "origin_legend", "vertical_lines", "document_label", "document_lengths", "domain_label",
    "domain_palette", "item_counts", "keyness_bars", "keyness_monroe", "label", "level_legend",
    "measure_label", "ordered_documents", "period_title", "register_cjk_font", "share_heatmap",
    "share_intervals", "short_label", "slope_chart", "use_style",
]
