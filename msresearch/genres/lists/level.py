"""The item level: which numbering level of a document holds its items, and why.

A document often numbers several levels (一、 areas → 1. commitments → （1） details). The
items are, in this order of rules:

1. the level whose count matches a count the document declares ("十件民生实事");
2. else the level that carries responsible units (most of its entries name them);
3. else the lowest level found under most (more than half) of the entries of the level
   above it; entries of that level with nothing below them are items too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from msresearch.genres.lists.outline import Node


@dataclass(frozen=True)
class Level:
    """The chosen item level: a style of numbering, and the rule that chose it."""

    style: str
    reason: str


def _depth_of(nodes: list[Node], style: str) -> int:
    return min(n.depth for n in nodes if n.style == style)


def choose(nodes: list[Node], declared: int | None, unit_flags: dict[int, bool]) -> Level | None:
    """Choose the item level among the substantive ``nodes`` (see the module docstring).

    ``unit_flags`` says, for each node's index in ``nodes``, whether its own text names
    responsible units."""
    if not nodes:
        return None
    counts = Counter(n.style for n in nodes)
    styles = sorted(counts, key=lambda s: (_depth_of(nodes, s), s))
    if declared:
        matching = [s for s in styles if counts[s] == declared]
        if matching:
            return Level(matching[-1], f"matches the declared count ({declared})")
    shares = {s: sum(unit_flags.get(i, False) for i, n in enumerate(nodes) if n.style == s) / counts[s]
              for s in styles}
    with_units = [s for s in styles if shares[s] >= 0.5 and counts[s] >= 1]
    if with_units:
        best = max(with_units, key=lambda s: (shares[s], _depth_of(nodes, s)))
        return Level(best, f"carries responsible units ({shares[best]:.0%} of its entries)")
    parents_of: dict[str, set[int | None]] = {s: set() for s in styles}
    for n in nodes:
        parents_of[n.style].add(n.parent)
    for style in reversed(styles):
        parents = parents_of[style]
        if counts[style] < 2 and style != styles[0]:
            continue
        if None in parents:
            return Level(style, "the top numbered level (no level below it under most headings)")
        by_start = {n.marker.start: n for n in nodes}
        parent_styles = Counter(by_start[p].style for p in parents if p in by_start)
        if not parent_styles:
            return Level(style, "the top numbered level (no level below it under most headings)")
        parent_style = parent_styles.most_common(1)[0][0]
        n_parents = sum(1 for n in nodes if n.style == parent_style)
        if len(parents) / max(n_parents, 1) > 0.5:
            return Level(style, "the lowest level under the substantive headings")
    return Level(styles[0], "the top numbered level (no level below it under most headings)")
