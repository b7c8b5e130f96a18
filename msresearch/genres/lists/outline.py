"""The outline of a document: its accepted printed numbers as nested nodes, each with its
span, title and kind (substantive, preamble, procedural, ranking, status, or a notice's own
section), and where an attachment (附件) begins.

Reads, for example::

    一、总体要求            → preamble: not items
    二、主要任务
    （一）促进就业。…        → substantive
    三、保障措施            → procedural
    …
    附件                    → the attachment: an outline of its own
    2024年民生实事项目
    1.新建幼儿园5所。…

A heading (a short line of its own) spans the lines below it up to the next entry of its
level; an entry written as a paragraph spans its own line, its numbered sub-entries and lines
that only name its units, not a following unnumbered paragraph.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from msresearch.genres.lists.lines import Line
from msresearch.genres.lists.numbering import Marker, Sequenced, inline_markers, line_marker, sequence
from msresearch.genres.lists.status import status_of
from msresearch.genres.lists.tables import Table
from msresearch.genres.lists.units import LABEL, has_units

PREAMBLE = re.compile(r"^(?:总体要求|指导思想|基本原则|主要目标|总体目标|工作目标|总体思路|目标要求|"
                      r"(?:决策|制定|起草|出台)?(?:背景|依据)|(?:总体|整体|基本)(?:进展|情况)|工作原则)")
PROCEDURAL = re.compile(
    r"保障措施|工作要求|组织实施|组织领导|组织保障|保障机制|工作保障|实施保障|有关要求|工作机制|"
    r"督查|督导|考核评估|宣传引导|舆论宣传|加强宣传|强化宣传|工作步骤|实施步骤|进度安排|责任落实|落实责任|"
    r"提高认识|思想认识|加强领导|强化领导|具体要求|有关事项|各负其责|密切配合|协调配合|通力合作")
RANKING_HEADING = re.compile(r"排名|排序|名次|位次|考核结果|得分情况")
RANKING_ENTRY = re.compile(
    r"^[^，。；：:]{1,12}?(?:县|区|市|旗|镇|乡|街道)(?:（[^）]*）)?[：:，,\s]*\d+(?:\.\d+)?\s*(?:分|%|％)?"
    r"[，。；]?$")
ATTACHMENT_START = re.compile(r"^附件\s*\d{0,2}\s*[：:]?\s*$")
ATTACHMENT_LISTING = re.compile(r"^附件\s*\d{0,2}\s*[：:]")
LIVELIHOOD_TITLE = re.compile(r"民生|实事|为民|惠民")
CLOSING = re.compile(r"^(?:\d{4}年\d{1,2}月\d{1,2}日|[（(]此件.*[）)]|抄送[：:].*|抄报[：:].*)$"
                     r"|^[^，。；：:、\d]{2,30}(?:人民政府|人民政府办公室|人民政府办公厅|办公室|领导小组|委员会)$")
UNIT_LINE = re.compile(rf"^\s*[（(]?\s*(?:{LABEL.pattern})")


@dataclass(frozen=True)
class Node:
    """An accepted printed number in the document's outline, with its span and kind."""

    marker: Marker
    depth: int
    parent: int | None  # the start offset of its parent's printed number
    end: int  # end of the node's whole span
    own_end: int  # where its first child on a line of its own starts (else ``end``)
    kind: str  # substantive | preamble | procedural | ranking | status:<status> | notice
    title: str

    @property
    def style(self) -> str:
        return self.marker.style


def _title(text: str, mk: Marker, line: Line, stop: int | None = None) -> str:
    """A node's title: its whole line when that is a heading, else its first clause; never
    past the node's own end (``stop``: an inline entry followed by the next one's number
    with no punctuation between, "①新建幼儿园②改造老旧小区")."""
    end = line.end if stop is None else min(line.end, stop)
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
    return "。" not in rest and len(rest) <= 40 and not (rest.endswith("）") and has_units(rest))


def _paragraph_end(lines: list[Line], mk: Marker, end: int, markers: list[Marker],
                   depths: list[int], k: int) -> int:
    """Where item ``k`` of ``markers``, written as a paragraph, ends: its own line, its
    numbered sub-entries, and lines right after them that only name units ("牵头单位：…"); a
    following unnumbered paragraph is the document's, not the item's."""
    last, depth = mk.line, depths[k]
    for j in range(k + 1, len(markers)):
        if markers[j].start >= end or depths[j] <= depth:
            break
        last = max(last, markers[j].line)
    while last + 1 < len(lines) and lines[last + 1].start < end and UNIT_LINE.match(lines[last + 1].text):
        last += 1
    return min(lines[last].end, end)


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


def attachment_start(lines: list[Line]) -> int | None:
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


def outline(text: str, lines: list[Line], tables: list[Table], attach: int | None
             ) -> tuple[list[Node], list[str]]:
    """Every accepted printed number as a node of the outline, with span, title and kind."""
    excluded = _excluded_lines(lines, tables, attach)
    candidates: list[Marker] = []
    for i, line in enumerate(lines):
        if i in excluded:
            continue
        first = line_marker(line.text, line.start, i)
        if first is None and re.fullmatch(r"\d+", line.text.strip()) and i + 1 < len(lines) \
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
    markers, depths = seq.markers, seq.depths
    later = range(len(markers))  # the markers after k are later[k + 1:], never copied
    for k, (mk, depth) in enumerate(zip(markers, depths, strict=True)):
        del parents[depth:]
        parent = nodes[parents[-1]] if parents else None
        end = next((markers[j].start for j in later[k + 1:]
                    if depths[j] <= depth or (mk.start < cut <= markers[j].start)), len(text))
        first_stop = bisect.bisect_right(stops, mk.start)
        end = min(end, stops[first_stop]) if first_stop < len(stops) else end
        own_end = end  # where its first numbered sub-entry begins (markers are in text order)
        for j in later[k + 1:]:
            if markers[j].start >= end:
                break
            if depths[j] > depth and not markers[j].inline:
                own_end = markers[j].start
                break
        if not mk.inline and not _heading_like(text, mk, lines[mk.line]):
            end = _paragraph_end(lines, mk, end, markers, depths, k)
        while end > mk.body and text[end - 1] in " \t\n":
            end -= 1
        own_end = min(own_end, end)
        title = _title(text, mk, lines[mk.line], end)
        kind = parent.kind if parent and parent.kind != "substantive" else _kind(title, depth)
        nodes.append(Node(mk, depth, parent.marker.start if parent else None, end, own_end, kind,
                          title))
        parents.append(len(nodes) - 1)
    return nodes, seq.gaps


def root_titles(nodes: list[Node]) -> dict[int, str]:
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
