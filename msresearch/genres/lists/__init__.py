"""Segmentation: clean text → items (numbered tasks, projects, table rows), with their
outline, lead units, statuses, declared counts, numbering gaps and references.

One general reader of the genre, nothing keyed on a particular document. Each recogniser
has a module of its own, used in this order:

1. ``tables`` — project tables (delimited, one cell per line, run together);
2. ``numbering`` — printed numbers at line starts and inside paragraphs, kept only when they
   continue a sequence;
3. ``outline`` — those numbers as nested nodes with spans, titles and kinds (preamble,
   procedural, ranking, status headings), and where an attachment begins;
4. ``level`` — which level of the outline holds the items, and why;
5. ``unnumbered`` — when nothing is numbered, a list recognised by its declared count;
6. ``units``, ``declared``, ``status`` — what each item and the document say about
   themselves.

A notice that wraps an attachment (附件) takes its items from the attachment, and its own
numbered sections are procedural.
"""

from __future__ import annotations

import re
from dataclasses import replace

from msresearch.genres.lists.declared import declared_in_heading, declared_total
from msresearch.genres.lists.level import Level, choose
from msresearch.genres.lists.lines import Line, norm, split_lines
from msresearch.genres.lists.outline import RANKING_HEADING, Node, attachment_start, outline, root_titles
from msresearch.genres.lists.records import Declared, Item, ProjectChange, Reference, Segmentation
from msresearch.genres.lists.status import ORDER, match, names_in_prose
from msresearch.genres.lists.tables import attach_table, find_tables, restates, table_items
from msresearch.genres.lists.units import has_units, lead_units, split_units, strip_units, unit_spans
from msresearch.genres.lists.unnumbered import unnumbered_items

REFERENCE = re.compile(r"《(?P<title>[^《》\n]{2,100})》"
                       r"(?:（(?P<number>[^（）\n]{0,40}〔\d{4}〕[^（）\n]{0,10}号)）)?")

__all__ = ["Declared", "Item", "Line", "ProjectChange", "Reference", "Segmentation", "lead_units",
           "norm", "segment", "split_lines", "split_units", "strip_units", "unit_spans"]


def _item_nodes(nodes: list[Node], level: Level | None) -> list[Node]:
    """The nodes at the item level, and the entries of the level above it that have none
    below them (a heading whose list has no sub-entries is an item itself)."""
    if level is None:
        return []
    chosen = [n for n in nodes if n.style == level.style]
    parents = {n.parent for n in chosen}
    by_start = {n.marker.start: n for n in nodes}
    parent_styles = {by_start[p].style for p in parents if p in by_start}
    if len(parent_styles) != 1:
        return chosen
    (parent_style,) = parent_styles
    leaves = [n for n in nodes if n.style == parent_style and n.marker.start not in parents]
    return sorted(chosen + leaves, key=lambda n: n.marker.start)


def _node_item(text: str, n: Node, root_title: str, procedural: bool) -> Item:
    lead, partners = lead_units(text[n.marker.body:n.end])
    return Item(printed_number=n.marker.printed, section=root_title, title=n.title,
                start=n.marker.body, end=n.end, procedural=procedural,
                lead_units=lead, partner_units=partners)


def _procedural_items(nodes: list[Node], level: Level | None) -> list[Node]:
    """Procedural items: each procedural section's entries at the item level, else its
    direct children, else the section itself."""
    out = []
    for n in nodes:
        if n.kind != "procedural" or (n.parent is not None and any(
                p.marker.start == n.parent and p.kind == "procedural" for p in nodes)):
            continue
        below = [c for c in nodes if c.marker.start > n.marker.start and c.marker.start < n.end
                 and c.depth > n.depth and not c.marker.inline]
        at_level = [c for c in below if level and c.style == level.style]
        children = [c for c in below if c.depth == n.depth + 1]
        if level and n.style == level.style or not below:
            out.append(n)
        elif at_level:
            out.extend(at_level)
        else:
            out.extend(children)
    return out


def _unit_flags(text: str, nodes: list[Node]) -> dict[int, bool]:
    return {i: has_units(text[n.marker.body:n.own_end]) for i, n in enumerate(nodes)}


def segment(text: str) -> Segmentation:
    """Split a clean document into items; see the module docstring."""
    lines = split_lines(text)
    tables = [t for t in find_tables(lines) if t.rows]
    attach = attachment_start(lines)
    attach_at = lines[attach].start if attach is not None else len(text) + 1
    nodes, gaps = outline(text, lines, tables, attach)
    roots = root_titles(nodes)

    main = [n for n in nodes if n.marker.start < attach_at and n.kind == "substantive"]
    annex = [n for n in nodes if n.marker.start >= attach_at and n.kind == "substantive"]
    main_total = declared_total(text[:min([n.marker.start for n in main] + [attach_at, len(text)])])
    main_level = choose(main, main_total, _unit_flags(text, main))
    main_items = [_node_item(text, n, roots[n.marker.start], False)
                  for n in _item_nodes(main, main_level)]
    restating = [t for t in tables if main_items and restates(t, main_items)]
    annex_tables = [t for t in tables if lines[t.first_line].start >= attach_at and t not in restating]
    if annex or annex_tables:  # the notice's own sections are procedural
        nodes = [replace(n, kind="procedural") if n.marker.start < attach_at and n.kind == "substantive"
                 else n for n in nodes]
    substantive = [n for n in nodes if n.kind == "substantive"]
    first_at = min([n.marker.start for n in substantive] + [lines[t.first_line].start for t in tables]
                   + [len(text)])
    total = declared_total(text[:first_at])
    level = choose(substantive, total, _unit_flags(text, substantive))
    body = _item_nodes(substantive, level)
    items = [_node_item(text, n, roots[n.marker.start], False) for n in body]

    row_items: list[Item] = []
    for table in tables:
        if table in restating:
            items = attach_table(items, table)
        elif not RANKING_HEADING.search(table.title):
            row_items.extend(table_items(table))
    if row_items:
        if not items or annex_tables:
            level = Level("table", "rows of the project table")
        items = items + row_items

    if not items and not tables:
        items = unnumbered_items(text, lines, total)
        if items:
            level = Level("unnumbered", f"a list without numbers after the declared count ({total})")

    status_items, changes = _statuses(text, nodes, items)
    items = status_items
    proc_nodes = _procedural_items(nodes, level if level and level.style != "table" else None)
    procedural = [_node_item(text, n, roots[n.marker.start], True) for n in proc_nodes]

    declared = []
    if total is not None:
        declared.append(Declared("document", "", total, len(items)))
    declared += _declared_sections(nodes, items, changes)
    if not row_items:
        items = sorted(items, key=lambda it: it.start)
    items = items + sorted(procedural, key=lambda it: it.start)
    references = [Reference(m.group("title"), m.group("number") or "", m.start(), m.end())
                  for m in REFERENCE.finditer(text)]
    return Segmentation(items=items, declared=declared, changes=changes, references=references,
                        item_level=level.style if level and items else "",
                        item_level_reason=level.reason if level and items else "",
                        numbering_gaps=tuple(gaps))


def _statuses(text: str, nodes: list[Node], items: list[Item]
              ) -> tuple[list[Item], list[ProjectChange]]:
    """Statuses from the lists under 新增 / 完善 / 调整和退出 / 继续实施 headings."""
    lists: dict[str, list[str]] = {}
    for n in nodes:
        if n.depth != 0 or not n.kind.startswith("status:"):
            continue
        status = n.kind.split(":")[1]
        children = [c.title for c in nodes if c.parent == n.marker.start]
        if children:
            lists.setdefault(status, []).extend(children)
        else:
            heading_end = text.find("\n", n.marker.body)
            prose = text[heading_end + 1:n.end] if heading_end != -1 and heading_end < n.end else ""
            prose = prose.replace("\n", "")
            if prose and status not in lists:
                lists[status] = names_in_prose(prose, status)
    changes = []
    items = list(items)
    for status in ORDER:
        for name in lists.get(status, []):
            k = match(name, items) if status != "exited" else None
            if k is not None and not items[k].status:
                items[k] = replace(items[k], status=status)
            changes.append(ProjectChange(status, name, items[k].title if k is not None else ""))
    return items, changes


def _declared_sections(nodes: list[Node], items: list[Item], changes: list[ProjectChange]
                       ) -> list[Declared]:
    """Counts declared in top-level headings ("就业促进（3项）", "新增3项民生工程") against the
    items found under them (or the projects listed, under a status heading)."""
    out = []
    for n in nodes:
        if n.depth != 0 or n.kind in ("preamble", "ranking"):
            continue
        declared = declared_in_heading(n.title)
        if declared is None:
            continue
        if n.kind.startswith("status:"):
            found = sum(1 for c in changes if c.status == n.kind.split(":")[1])
        else:
            found = sum(1 for it in items if n.marker.start < it.start <= n.end)
        out.append(Declared("section", n.title, declared, found))
    return out
