"""Segmentation: clean text → items (numbered tasks, projects, table rows), with their
outline, lead units, statuses, declared counts, numbering gaps and references.

One general reader of the genre, nothing keyed on a particular document. The recognisers
each have a module of their own, tried in this order:

1. ``tables`` — project tables (delimited, one cell per line, run together);
2. ``numbering`` — printed numbers at line starts and inside paragraphs, kept only when they
   continue a sequence; they make the document's outline;
3. section kinds — preamble, procedural, ranking and status headings (below);
4. ``level`` — which level of the outline holds the items, and why;
5. ``units``, ``declared``, ``status`` — what each item and the document say about
   themselves.

A notice that wraps an attachment (附件) takes its items from the attachment, and its own
numbered sections are procedural.
"""

from __future__ import annotations

import re
from dataclasses import replace

from msresearch.segment.declared import declared_in_heading, declared_total
from msresearch.segment.level import Level, Node, choose
from msresearch.segment.lines import Line, norm, split_lines
from msresearch.segment.numbering import Marker, Sequenced, inline_markers, line_marker, sequence
from msresearch.segment.records import Declared, Item, ProjectChange, Reference, Segmentation
from msresearch.segment.status import ORDER, match, names_in_prose, status_of
from msresearch.segment.tables import Table, find_tables
from msresearch.segment.units import LABEL, has_units, lead_units, split_units, strip_units

__all__ = ["Declared", "Item", "Line", "ProjectChange", "Reference", "Segmentation", "lead_units",
           "norm", "segment", "split_lines", "split_units", "strip_units"]

PREAMBLE = re.compile(r"^(?:总体要求|指导思想|基本原则|主要目标|总体目标|工作目标|总体思路|目标要求|"
                      r"(?:决策|制定|起草|出台)?(?:背景|依据)|(?:总体|整体|基本)(?:进展|情况)|工作原则)")
PROCEDURAL = re.compile(
    r"保障措施|工作要求|组织实施|组织领导|组织保障|保障机制|工作保障|实施保障|有关要求|工作机制|"
    r"督查|督导|考核评估|宣传引导|舆论宣传|加强宣传|强化宣传|工作步骤|实施步骤|进度安排|责任落实|落实责任|"
    r"提高认识|思想认识|加强领导|强化领导|具体要求|有关事项")
RANKING_HEADING = re.compile(r"排名|排序|名次|位次|考核结果|得分情况")
RANKING_ENTRY = re.compile(
    r"^[^，。；：:]{1,12}?(?:县|区|市|旗|镇|乡|街道)(?:（[^）]*）)?[：:，,\s]*\d+(?:\.\d+)?\s*(?:分|%|％)?"
    r"[，。；]?$")
ATTACHMENT_START = re.compile(r"^附件\s*\d{0,2}\s*[：:]?\s*$")
ATTACHMENT_LISTING = re.compile(r"^附件\s*\d{0,2}\s*[：:]")
LIVELIHOOD_TITLE = re.compile(r"民生|实事|为民|惠民")
CLOSING = re.compile(r"^(?:\d{4}年\d{1,2}月\d{1,2}日|[（(]此件.*[）)]|抄送[：:].*|抄报[：:].*)$"
                     r"|^[^，。；：:、\d]{2,30}(?:人民政府|人民政府办公室|人民政府办公厅|办公室|领导小组|委员会)$")
REFERENCE = re.compile(r"《(?P<title>[^《》\n]{2,100})》"
                       r"(?:（(?P<number>[^（）\n]{0,40}〔\d{4}〕[^（）\n]{0,10}号)）)?")
UNIT_LINE = re.compile(rf"^\s*[（(]?\s*(?:{LABEL.pattern})")
ORG_RUN = re.compile(r"[\u4e00-\u9fff（）]{1,14}?(?:局|委|办|厅|院|会|部|中心|政府|公司|集团|街道|管委会)")


def _title(text: str, mk: Marker, line: Line) -> str:
    """A node's title: its whole line when that is a heading, else its first clause."""
    end = line.end
    if mk.inline:  # an inline entry ends where its sentence does
        m = re.search(r"[。；;]", text[mk.body:end])
        end = mk.body + m.start() if m else end
    rest = text[mk.body:end]
    if not mk.inline and _heading_like(text, mk, line):
        return rest.strip()
    return re.split(r"[。；，：;:,]", rest, maxsplit=1)[0].strip()


def _heading_like(text: str, mk: Marker, line: Line) -> bool:
    """A title on a line of its own, whose content follows on the next lines."""
    rest = text[mk.body:line.end]
    return "。" not in rest and len(rest) <= 40 and not rest.endswith("）")


def _paragraph_end(lines: list[Line], mk: Marker, end: int, after: list[Marker], depths: list[int],
                   depth: int) -> int:
    """Where an item written as a paragraph ends: its own line, its numbered sub-entries, and
    lines right after them that only name units ("牵头单位：…"); a following unnumbered
    paragraph is the document's, not the item's."""
    last = lines[mk.line].end
    for m, d in zip(after, depths, strict=True):
        if m.start >= end or d <= depth:
            break
        last = max(last, lines[m.line].end)
    k = next(i for i, ln in enumerate(lines) if ln.end >= last) + 1
    while k < len(lines) and lines[k].start < end and UNIT_LINE.match(lines[k].text):
        last = lines[k].end
        k += 1
    return min(last, end)


def _kind(title: str, depth: int) -> str:
    """A heading's kind; below the top level only ranking entries are told apart (a task
    titled "加强义务教育经费保障" is not a safeguard section)."""
    if depth > 0:
        return "ranking" if RANKING_ENTRY.match(title) else "substantive"
    if PREAMBLE.match(title):
        return "preamble"
    if RANKING_HEADING.search(title) or RANKING_ENTRY.match(title):
        return "ranking"
    status = status_of(title)
    if status:
        return f"status:{status}"
    if PROCEDURAL.search(title):
        return "procedural"
    return "substantive"


def _attachment(lines: list[Line]) -> int | None:
    """Index of the line that begins the attachment holding the livelihood list: the first
    "附件" line (alone on its line) followed by content, preferring one whose title names
    livelihood matters when there are several."""
    starts = [i for i, ln in enumerate(lines) if ATTACHMENT_START.match(ln.text.strip())
              and any(x.text.strip() for x in lines[i + 1:i + 3])]
    if not starts:
        return None
    for i in starts:
        title = " ".join(x.text for x in lines[i + 1:i + 4])
        if LIVELIHOOD_TITLE.search(title):
            return i
    return starts[0]


def _excluded_lines(lines: list[Line], tables: list[Table], attach: int | None) -> set[int]:
    """Lines that cannot hold a printed number of the outline: table lines, and a notice's
    list of its attachments ("附件：1.… 2.…") up to the attachment itself."""
    out = {i for t in tables for i in t.lines}
    for i, ln in enumerate(lines):
        if ATTACHMENT_LISTING.match(ln.text.strip()) and not ATTACHMENT_START.match(ln.text.strip()):
            j = i
            while j < len(lines) and (j == i or re.match(r"^\d{1,2}[.．、]", lines[j].text)):
                out.add(j)
                j += 1
    return out


def _stops(lines: list[Line], tables: list[Table], attach: int | None, markers: set[int]) -> list[int]:
    """Offsets where any item's text must end: tables, attachments, closing blocks."""
    stops = [lines[t.first_line].start for t in tables]
    if attach is not None:
        stops.append(lines[attach].start)
    for i, ln in enumerate(lines):
        if i in markers:
            continue
        if ATTACHMENT_LISTING.match(ln.text.strip()) or CLOSING.match(ln.text.strip()):
            stops.append(ln.start)
    return sorted(stops)


def _outline(text: str, lines: list[Line], tables: list[Table], attach: int | None
             ) -> tuple[list[Node], list[str]]:
    """Every accepted printed number as a node of the outline, with span, title and kind."""
    excluded = _excluded_lines(lines, tables, attach)
    candidates: list[Marker] = []
    for i, line in enumerate(lines):
        if i in excluded:
            continue
        first = line_marker(line.text, line.start, i)
        if first is None and re.fullmatch(r"\d{1,3}", line.text.strip()) and i + 1 < len(lines) \
                and i + 1 not in excluded and line_marker(lines[i + 1].text, 0, 0) is None \
                and lines[i + 1].text.strip():
            # a number alone on its line, its text on the next: "1⏎新增养老床位…"
            first = Marker(line.start, lines[i + 1].start, "1⏎", int(line.text.strip()),
                           line.text.strip(), i + 1)
        if first:
            candidates.append(first)
        candidates.extend(inline_markers(line.text, line.start, i, first))
    # an attachment starts an outline of its own: its numbers are not the notice's sub-entries
    cut = lines[attach].start if attach is not None else len(text) + 1
    before = sequence([c for c in candidates if c.start < cut])
    after = sequence([c for c in candidates if c.start >= cut])
    seq = Sequenced(before.markers + after.markers, before.depths + after.depths,
                    before.gaps + after.gaps)
    marker_lines = {mk.line for mk in seq.markers if not mk.inline}
    stops = _stops(lines, tables, attach, marker_lines)
    nodes: list[Node] = []
    parents: list[int] = []  # stack of node indexes by depth
    for k, (mk, depth) in enumerate(zip(seq.markers, seq.depths, strict=True)):
        del parents[depth:]
        parent = nodes[parents[-1]] if parents else None
        end = next((m.start for m, d in zip(seq.markers[k + 1:], seq.depths[k + 1:], strict=True)
                    if d <= depth or (mk.start < cut <= m.start)), len(text))
        end = min([end] + [s for s in stops if s > mk.start])
        own_end = next((m.start for m, d in zip(seq.markers[k + 1:], seq.depths[k + 1:], strict=True)
                        if d > depth and not m.inline and m.start < end), end)
        if not mk.inline and not _heading_like(text, mk, lines[mk.line]):
            end = _paragraph_end(lines, mk, end, seq.markers[k + 1:], seq.depths[k + 1:], depth)
        while end > mk.body and text[end - 1] in " \t\n":
            end -= 1
        own_end = min(own_end, end)
        title = _title(text, mk, lines[mk.line])
        kind = parent.kind if parent and parent.kind != "substantive" else _kind(title, depth)
        nodes.append(Node(mk, depth, parent.marker.start if parent else None, end, own_end, kind,
                          title))
        parents.append(len(nodes) - 1)
    return nodes, seq.gaps


def _unit_flags(text: str, nodes: list[Node]) -> dict[int, bool]:
    return {i: has_units(text[n.marker.body:n.own_end]) for i, n in enumerate(nodes)}


def _units_of(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return lead_units(text)


def _row_units(row_text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Units at the end of a run-together table row: the organisations after its last sentence."""
    tail = re.split(r"[。；]", row_text)[-1]
    orgs = ORG_RUN.findall(tail)
    return (tuple(orgs[:1]), tuple(orgs[1:])) if orgs else ((), ())


def _table_items(table: Table) -> list[Item]:
    items = []
    for row in table.rows:
        cells = row.cells
        if "run_units" in cells:
            lead, partners = _row_units(cells.get("text", ""))
        elif "lead" in cells:
            lead, partners = split_units(cells["lead"]), split_units(cells.get("partners", ""))
        else:
            lead, partners = split_units(cells.get("units", "")), split_units(cells.get("partners", ""))
        start = row.start + len(row.number) + (1 if row.number and "run_units" not in cells
                                               and not cells.get("text", "").startswith(" ") else 0)
        items.append(Item(
            printed_number=row.number, section=table.title, title=cells.get("title", ""),
            start=min(start, row.end - 1) if "run_units" not in cells else row.start + len(row.number),
            end=row.end, procedural=False, lead_units=lead, partner_units=partners,
            deadline=cells.get("deadline", ""), source="table", subitems=row.subitems))
    return items


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
    lead, partners = _units_of(text[n.marker.body:n.end])
    return Item(printed_number=n.marker.printed, section=root_title, title=n.title,
                start=n.marker.body, end=n.end, procedural=procedural,
                lead_units=lead, partner_units=partners)


def _root_titles(nodes: list[Node]) -> dict[int, str]:
    """Each node's section: the title of its top-level ancestor (empty for a top-level node
    that is itself an item)."""
    by_start = {n.marker.start: n for n in nodes}
    out = {}
    for n in nodes:
        root = n
        while root.parent is not None:
            root = by_start[root.parent]
        out[n.marker.start] = root.title if root is not n else ""
    return out


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


def _restates(table: Table, items: list[Item]) -> bool:
    """Whether a table restates the body's items (a task-allocation table): its row titles
    are the items' titles."""
    keys = [norm(it.title) for it in items]
    titles = [norm(r.cells.get("title", "")) for r in table.rows]
    if not keys or not titles:
        return False
    hits = sum(any(t and k and (t == k or t in k or k in t) for k in keys) for t in titles)
    return hits >= 0.8 * len(titles)


def _attach_table(items: list[Item], table: Table) -> list[Item]:
    by_key = {norm(r.cells.get("title", "")): r for r in table.rows}
    out = []
    for it in items:
        row = by_key.get(norm(it.title))
        if row is None:
            out.append(it)
            continue
        if "lead" in row.cells:
            lead, partners = split_units(row.cells["lead"]), split_units(row.cells.get("partners", ""))
        else:
            units = split_units(row.cells.get("units", ""))
            lead, partners = units[:1], units[1:]
        out.append(replace(it, lead_units=it.lead_units or lead,
                           partner_units=it.partner_units or partners,
                           deadline=row.cells.get("deadline", "")))
    return out


def _unnumbered(text: str, lines: list[Line], declared: int | None) -> list[Item]:
    """A list printed without numbers, recognised by the count the document declares:

        这十件民生实事分别是：完成…道路改造；完成…棚户区改造；…      (clauses after a colon)
        中小学校舍建设工程项目⏎城市人居环境提升项目⏎…                (a run of short lines)

    the clauses after the colon of the sentence that declares the count (two to that many),
    else a run of exactly that many consecutive short lines."""
    if not declared:
        return []
    spans: list[tuple[int, int]] = []
    for line in lines:
        head, sep, rest = line.text.partition("：")
        if not sep or declared_total(head) != declared or rest.count("；") < 1:
            continue
        base, pos = line.start + len(head) + 1, 0
        for part in re.split(r"(?<=[；;])", rest):
            if part.strip("；;。 "):
                spans.append((base + pos, base + pos + len(part.rstrip("；;。 "))))
            pos += len(part)
        if 2 <= len(spans) <= declared:
            break
        spans = []
    if not spans:
        run: list[Line] = []
        for line in lines + [Line(len(text), len(text), "")]:
            t = line.text.strip()
            if t and len(t) <= 40 and "。" not in t and not t.startswith(("（", "(", "【", "[")) \
                    and declared_total(t) is None and not CLOSING.match(t) \
                    and not re.search(r"[：:]$|\d{1,2}:\d{2}", t):
                run.append(line)
                continue
            if len(run) == declared:
                spans = [(ln.start, ln.end) for ln in run]
                break
            run = []
    return [Item(printed_number="", section="", title=re.split(r"[，。；：,;:]", text[s:e])[0],
                 start=s, end=e, procedural=False, lead_units=lead_units(text[s:e])[0],
                 partner_units=lead_units(text[s:e])[1]) for s, e in spans]


def segment(text: str) -> Segmentation:
    """Split a clean document into items; see the module docstring."""
    lines = split_lines(text)
    tables = [t for t in find_tables(lines) if t.rows]
    attach = _attachment(lines)
    attach_at = lines[attach].start if attach is not None else len(text) + 1
    nodes, gaps = _outline(text, lines, tables, attach)
    roots = _root_titles(nodes)

    main = [n for n in nodes if n.marker.start < attach_at and n.kind == "substantive"]
    annex = [n for n in nodes if n.marker.start >= attach_at and n.kind == "substantive"]
    main_total = declared_total(text[:min([n.marker.start for n in main] + [attach_at, len(text)])])
    main_level = choose(main, main_total, _unit_flags(text, main))
    main_items = [_node_item(text, n, roots[n.marker.start], False) for n in main
                  if main_level and n.style == main_level.style]
    restating = [t for t in tables if main_items and _restates(t, main_items)]
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

    table_items: list[Item] = []
    for table in tables:
        if table in restating:
            items = _attach_table(items, table)
        elif not RANKING_HEADING.search(table.title):
            table_items.extend(_table_items(table))
    if table_items:
        if not items or annex_tables:
            level = Level("table", "rows of the project table")
        items = items + table_items

    if not items and not tables:
        items = _unnumbered(text, lines, total)
        if items:
            level = Level("unnumbered", f"a list without numbers after the declared count ({total})")

    status_items, changes = _statuses(text, lines, nodes, items)
    items = status_items
    proc_nodes = _procedural_items(nodes, level if level and level.style != "table" else None)
    procedural = [_node_item(text, n, roots[n.marker.start], True) for n in proc_nodes]

    declared = []
    if total is not None:
        declared.append(Declared("document", "", total, len(items)))
    declared += _declared_sections(nodes, items, changes)
    if not table_items:
        items = sorted(items, key=lambda it: it.start)
    items = items + sorted(procedural, key=lambda it: it.start)
    references = [Reference(m.group("title"), m.group("number") or "", m.start(), m.end())
                  for m in REFERENCE.finditer(text)]
    return Segmentation(items=items, declared=declared, changes=changes, references=references,
                        item_level=level.style if level and items else "",
                        item_level_reason=level.reason if level and items else "",
                        numbering_gaps=tuple(gaps))


def _statuses(text: str, lines: list[Line], nodes: list[Node], items: list[Item]
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
