"""Segmentation: clean text → items (numbered tasks, projects, annex-table rows), with
their hierarchy, lead units, statuses, declared counts and references.

One general parser of Chinese official-document numbering (一、 / （一） / 1. / （1） / ①)
and of annex tables; nothing here is keyed on a particular document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from msresearch.clean import HAN

CN_NUM = "一二三四五六七八九十百"
# Numbering styles, from the top of the hierarchy down (GB/T 9704 order).
STYLES = (
    re.compile(rf"^([{CN_NUM}]+)、"),
    re.compile(rf"^（([{CN_NUM}]+)）"),
    re.compile(r"^(\d+)[.．、](?!\d)"),
    re.compile(r"^（(\d+)）"),
    re.compile(r"^([①-⑳])"),
)
PREAMBLE = re.compile(r"^(总体要求|指导思想|基本原则|主要目标|总体目标|工作目标|总体思路)")
PROCEDURAL = re.compile(
    r"(保障措施|工作要求|组织实施|组织领导|组织保障|保障机制|工作保障|实施保障|有关要求|工作机制)")
STATUS_HEADINGS = (  # the order matters: "调整和退出" is an exit, not an adjustment to keep
    ("exited", re.compile(r"^(?:调整和|调整)?退出|^调整")),
    ("new", re.compile(r"^新增")),
    ("improved", re.compile(r"^完善|^提升|^扩面")),
    ("continued", re.compile(r"^继续")),
)
DECLARED_IN_HEADING = re.compile(r"(\d+)\s*项")
DECLARED_TOTAL = re.compile(r"(\d+)项民生(?:工程|实事|项目|工作)")
QUOTED = re.compile(r"《[^》]*》")
UNITS = re.compile(
    r"（(?P<lead_key>牵头(?:责任)?单位|责任单位|牵头部门)：(?P<lead>[^（）]*?)"
    r"(?:[，；,;]\s*(?P<partner_key>协同(?:责任)?单位|配合单位|参与单位|责任单位|协办单位)："
    r"(?P<partners>[^（）]*?))?）"
)
REFERENCE = re.compile(r"《(?P<title>[^《》\n]{2,100})》"
                       r"(?:（(?P<number>[^（）\n]{0,40}〔\d{4}〕[^（）\n]{0,10}号)）)?")
TABLE_HEADER_CELL = "序号"
ROLE_OF_HEADER = (
    ("title", re.compile(r"项目|工作任务|任务|事项|名称")),
    ("units", re.compile(r"负责单位|责任单位|牵头单位|单位")),
    ("deadline", re.compile(r"时限|时间|期限")),
    ("text", re.compile(r"目标|内容|要求")),
)


@dataclass(frozen=True)
class Line:
    """One line of clean text with its offsets and, if it is numbered, its style and number."""

    start: int
    end: int
    text: str
    style: int | None = None
    number: str = ""
    body: int = 0  # offset where the text after the printed number begins

    @property
    def heading_like(self) -> bool:
        """A title on a line of its own, whose content follows on the next lines."""
        rest = self.text[self.body - self.start:]
        return "。" not in rest and len(rest) <= 40 and not rest.endswith("）")


@dataclass(frozen=True)
class Item:
    """One item of a document; ``start``/``end`` are offsets into the clean text."""

    printed_number: str
    section: str
    title: str
    start: int
    end: int
    procedural: bool
    lead_units: tuple[str, ...] = ()
    partner_units: tuple[str, ...] = ()
    deadline: str = ""
    status: str = ""
    source: str = "body"  # body | table
    subitems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Declared:
    """A count the document declares ("50项民生实事", "就业促进（3项）") and what was found."""

    scope: str  # document | section
    label: str
    declared: int
    found: int


@dataclass(frozen=True)
class ProjectChange:
    """A project named in the body's lists of new / improved / exited / continued projects."""

    status: str
    project: str
    matched_title: str  # the item it was matched to; empty when it has no row


@dataclass(frozen=True)
class Reference:
    """A reference to another document by title, with its document number when printed."""

    title: str
    doc_number: str
    start: int
    end: int


@dataclass(frozen=True)
class Segmentation:
    items: list[Item]
    declared: list[Declared] = field(default_factory=list)
    changes: list[ProjectChange] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)


def split_lines(text: str) -> list[Line]:
    """Lines with offsets, each recognised as numbered (style 0–4) or not."""
    lines, pos = [], 0
    for raw in text.split("\n"):
        line = Line(pos, pos + len(raw), raw, body=pos)
        for style, pattern in enumerate(STYLES):
            m = pattern.match(raw)
            if m:
                line = replace(line, style=style, number=m.group(0), body=pos + m.end())
                break
        lines.append(line)
        pos += len(raw) + 1
    return lines


def norm(name: str) -> str:
    """A project or task name reduced to its Chinese characters, letters and digits."""
    return "".join(re.findall(rf"{HAN}|[A-Za-z0-9]", name))


# ---------------------------------------------------------------------------- annex tables

@dataclass(frozen=True)
class Row:
    number: str
    cells: dict[str, str]
    start: int
    end: int
    subitems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    title: str
    rows: list[Row]
    first_line: int  # index of its first line (the header or the table's title)


def _roles(header: list[str]) -> list[str]:
    roles = []
    for cell in header:
        if cell.strip() == TABLE_HEADER_CELL:
            roles.append("number")
            continue
        role = next((r for r, p in ROLE_OF_HEADER if p.search(cell)), "")
        roles.append(role if role not in roles else "")
    return roles


def _table_title(lines: list[Line], index: int) -> str:
    for line in reversed(lines[max(0, index - 3):index]):
        if line.text and line.text != "附件" and not line.text.startswith("附件："):
            return line.text
    return ""


def _tab_tables(lines: list[Line]) -> list[Table]:
    """Tables whose rows are tab-separated lines, with the header repeated on every page and
    unnumbered continuation rows that belong to the numbered row above them."""
    tables: list[Table] = []
    rows: list[Row] = []
    roles: list[str] = []
    first = None
    for i, line in enumerate(lines):
        if "\t" not in line.text:
            if rows and line.text and not re.fullmatch(r"\d+", line.text):
                tables.append(Table(_table_title(lines, first), rows, first))
                rows, first = [], None
            continue
        cells = line.text.split("\t")
        if TABLE_HEADER_CELL in [c.strip() for c in cells]:
            roles = _roles(cells)
            first = i if first is None else first
            continue
        if not roles:
            continue
        number = cells[0].strip()
        if re.fullmatch(r"\d+", number):
            row_cells = _assign(roles[1:], cells[1:])
            rows.append(Row(number, row_cells, line.start, line.end))
        elif rows:  # continuation row of the row above: its first non-empty cell names it
            name = next((c for c in cells if c.strip()), "")
            last = rows[-1]
            rows[-1] = replace(last, end=line.end, subitems=last.subitems + (name,))
    if rows:
        tables.append(Table(_table_title(lines, first), rows, first))
    return tables


def _assign(roles: list[str], cells: list[str]) -> dict[str, str]:
    """Map a row's cells to header roles; extra cells (a sub-project column) go to the text."""
    named = {}
    non_empty = [c for c in cells if c.strip()]
    if not roles:
        return {"title": non_empty[0] if non_empty else ""}
    if "title" in roles and non_empty:
        named["title"] = non_empty[0]
    rest = non_empty[1:]
    for role in [r for r in roles if r not in ("title", "number", "")]:
        if role == "text":
            named["text"] = "".join(rest)
            rest = []
        elif rest:
            named[role] = rest.pop(0)
    return named


def _vertical_tables(lines: list[Line]) -> list[Table]:
    """Tables laid out one cell per line: "序号", the other header cells, then for each row
    its number on a line of its own followed by its cells; extra lines continue the last cell."""
    tables = []
    for i, line in enumerate(lines):
        if line.text.strip() != TABLE_HEADER_CELL:
            continue
        header = [TABLE_HEADER_CELL]
        j = i + 1
        while j < len(lines) and not re.fullmatch(r"\d+", lines[j].text) and len(lines[j].text) <= 8:
            header.append(lines[j].text)
            j += 1
        roles = _roles(header)
        if len(header) < 2 or j >= len(lines) or lines[j].text != "1":
            continue
        rows: list[Row] = []
        expected = 1
        cells: list[str] = []
        start = end = 0
        number = ""
        for line2 in lines[j:]:
            if line2.text == str(expected):
                if number:
                    rows.append(Row(number, _cells(roles[1:], cells), start, end))
                number, cells, start, end = line2.text, [], line2.start, line2.end
                expected += 1
            else:
                cells.append(line2.text)
                end = line2.end
        if number:
            rows.append(Row(number, _cells(roles[1:], cells), start, end))
        tables.append(Table(_table_title(lines, i), rows, i))
    return tables


def _cells(roles: list[str], cells: list[str]) -> dict[str, str]:
    width = len(roles)
    if len(cells) > width:  # a cell broken over several lines continues the last column
        cells = cells[:width - 1] + ["".join(cells[width - 1:])]
    return {role: cell for role, cell in zip(roles, cells, strict=False) if role}


# ------------------------------------------------------------------------------- the body

def _section_kind(title: str) -> str:
    if PREAMBLE.match(title):
        return "preamble"
    if PROCEDURAL.search(title):
        return "procedural"
    for status, pattern in STATUS_HEADINGS:
        if pattern.search(title) and DECLARED_IN_HEADING.search(title):
            return f"status:{status}"
    return "substantive"


def _title(line: Line, text: str) -> str:
    rest = text[line.body:line.end]
    if line.heading_like:
        return rest.strip()
    return re.split(r"[。；，：]", rest, maxsplit=1)[0].strip()


def split_units(text: str) -> tuple[str, ...]:
    """"市民政局、市医保局等" → ("市民政局", "市医保局")."""
    parts = re.split(r"[、，,；;]", text)
    return tuple(p.strip().removesuffix("等").strip() for p in parts if p.strip())


def lead_units(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Lead and partner units from the last "（牵头…单位：…，协同…单位：…）" of an item."""
    found = list(UNITS.finditer(text))
    if not found:
        return (), ()
    m = found[-1]
    return split_units(m.group("lead")), split_units(m.group("partners") or "")


def _body_items(lines: list[Line], text: str, stop: int) -> list[tuple[Item, str, Line]]:
    """Items of the body (lines before ``stop``): the children of the chapters (一、), or the
    top numbered level when there are no chapters. Returns (item, section kind, line)."""
    body = lines[:stop]
    chapters = [i for i, ln in enumerate(body) if ln.style == 0]
    spans = ([(c, chapters[k + 1] if k + 1 < len(chapters) else len(body))
              for k, c in enumerate(chapters)] or [(-1, len(body))])
    out = []
    for head, end in spans:
        section = body[head].text[body[head].body - body[head].start:] if head >= 0 else ""
        kind = _section_kind(section) if head >= 0 else "substantive"
        inner = body[head + 1:end]
        styles = [ln.style for ln in inner if ln.style is not None]
        if not styles:
            continue
        level = styles[0] if head >= 0 else min(styles)
        starts = [k for k, ln in enumerate(inner) if ln.style == level]
        for n, k in enumerate(starts):
            region = inner[k:starts[n + 1] if n + 1 < len(starts) else len(inner)]
            region = [ln for ln in region if ln.style is None or ln.style >= level]
            first = region[0]
            if first.heading_like:
                last = next((ln for ln in reversed(region) if ln.text), first)
            else:
                deeper = [ln for ln in region[1:] if ln.style is not None and ln.style > level]
                last = deeper[-1] if deeper else first
            units = lead_units(text[first.body:last.end])
            item = Item(
                printed_number=first.number, section=section, title=_title(first, text),
                start=first.body, end=last.end, procedural=kind == "procedural",
                lead_units=units[0], partner_units=units[1],
            )
            out.append((item, kind, first))
    return out


# ------------------------------------------------------------------------ status lists

def _status_lists(lines: list[Line], stop: int,
                  body: list[tuple[Item, str, Line]]) -> dict[str, list[str]]:
    """Project names listed under status headings (新增 / 完善 / 调整和退出 / 继续实施)."""
    lists: dict[str, list[str]] = {}
    for item, kind, _ in body:
        if kind.startswith("status:"):
            lists.setdefault(kind.split(":")[1], []).append(item.title)
    chapters = [i for i, ln in enumerate(lines[:stop]) if ln.style == 0]
    for k, c in enumerate(chapters):
        title = lines[c].text[lines[c].body - lines[c].start:]
        kind = _section_kind(title)
        if not kind.startswith("status:"):
            continue
        status = kind.split(":")[1]
        end = chapters[k + 1] if k + 1 < len(chapters) else stop
        prose = "".join(ln.text for ln in lines[c + 1:end] if ln.style is None)
        if status in lists or not prose:
            continue
        lists[status] = _names_in_prose(prose, status)
    return lists


def _names_in_prose(prose: str, status: str) -> list[str]:
    prose = re.sub(r"（[^（）]*）", "", prose)
    if status == "exited":
        names = []
        for sentence in filter(None, re.split(r"[。；]", prose)):
            clauses = [c for c in re.split(r"[，,]", sentence) if c]
            marked = next((c for c in clauses if re.search(r"不再单列|退出|取消", c)), "")
            name = re.sub(r"(不再单列|退出民生工程|退出|取消).*$", "", marked).strip()
            if not name:
                name = re.split(r"机制|已|纳入|转为|不再", clauses[0])[0].strip()
            if name:
                names.append(name)
        return names
    prose = re.sub(r"^(继续实施|继续|实施)", "", prose.strip())
    prose = re.split(r"等?\d+项", prose)[0]
    return [p.strip() for p in re.split(r"[、，]", prose) if p.strip()]


def _match(name: str, items: list[Item]) -> int | None:
    """Index of the item a listed project name refers to: same name, one name containing the
    other, a sub-project of the same name, or failing that the closest name (ratio ≥ 0.6)."""
    key = norm(name)
    titles = [norm(it.title) for it in items]
    for i, t in enumerate(titles):
        if t == key:
            return i
    for i, t in enumerate(titles):
        if t and key and (t in key or key in t):
            return i
    for i, it in enumerate(items):
        if any(norm(s) and (norm(s) in key or key in norm(s)) for s in it.subitems):
            return i
    ratios = [SequenceMatcher(None, key, t).ratio() for t in titles]
    if ratios and max(ratios) >= 0.6:
        return ratios.index(max(ratios))
    return None


# ---------------------------------------------------------------------------- the whole

def _first_index(lines: list[Line], tables: list[Table]) -> int:
    if not tables:
        return len(lines)
    first = min(t.first_line for t in tables)
    # the annex begins at its "附件" line when there is one shortly before the table
    for k in range(first - 1, max(-1, first - 6), -1):
        if lines[k].text == "附件" or lines[k].text.startswith("附件："):
            first = k
    return first


def _declared_total(lines: list[Line], stop: int) -> int | None:
    for line in lines[:stop]:
        if line.style is not None:
            break
        m = DECLARED_TOTAL.search(QUOTED.sub("", line.text))
        if m:
            return int(m.group(1))
    return None


def segment(text: str) -> Segmentation:
    """Split a clean document into items; see the module docstring."""
    lines = split_lines(text)
    tables = _tab_tables(lines) + _vertical_tables(lines)
    stop = _first_index(lines, tables)
    body = _body_items(lines, text, stop)
    substantive = [it for it, kind, _ in body if kind == "substantive"]
    procedural = [it for it, kind, _ in body if kind == "procedural"]
    table_items: list[Item] = []
    for table in tables:
        keys = {norm(it.title) for it in substantive}
        titles = [norm(r.cells.get("title", "")) for r in table.rows]
        if substantive and all(t in keys for t in titles):
            # the table restates the body's items (responsible units, deadlines): attach
            by_key = {norm(r.cells.get("title", "")): r for r in table.rows}
            for i, it in enumerate(substantive):
                row = by_key.get(norm(it.title))
                if row is None:
                    continue
                units = split_units(row.cells.get("units", ""))
                substantive[i] = replace(
                    it, lead_units=it.lead_units or units[:1],
                    partner_units=it.partner_units or units[1:],
                    deadline=row.cells.get("deadline", ""))
            continue
        for row in table.rows:
            title = row.cells.get("title", "")
            units = split_units(row.cells.get("units", ""))
            table_items.append(Item(
                printed_number=row.number, section=table.title, title=title,
                start=row.start + len(row.number) + 1, end=row.end, procedural=False,
                lead_units=units[:1], partner_units=units[1:],
                deadline=row.cells.get("deadline", ""), source="table", subitems=row.subitems))
    substantive += table_items

    changes: list[ProjectChange] = []
    lists = _status_lists(lines, stop, body)
    if lists:
        for status in ("new", "improved", "exited", "continued"):
            for name in lists.get(status, []):
                k = _match(name, substantive) if status != "exited" else None
                if k is not None and not substantive[k].status:
                    substantive[k] = replace(substantive[k], status=status)
                changes.append(ProjectChange(status, name,
                                             substantive[k].title if k is not None else ""))

    declared = []
    total = _declared_total(lines, stop)
    if total is not None:
        declared.append(Declared("document", "", total, len(substantive)))
    declared += _declared_sections(lines, stop, body, lists)

    items = sorted(substantive, key=lambda it: it.start) if not table_items else substantive
    items = items + sorted(procedural, key=lambda it: it.start)
    references = [Reference(m.group("title"), m.group("number") or "", m.start(), m.end())
                  for m in REFERENCE.finditer(text)]
    return Segmentation(items=items, declared=declared, changes=changes, references=references)


def _declared_sections(lines: list[Line], stop: int, body: list[tuple[Item, str, Line]],
                       lists: dict[str, list[str]]) -> list[Declared]:
    """Counts declared in chapter headings ("就业促进（3项）", "新增3项民生工程") against the
    items found under them (or the projects listed, under a status heading)."""
    out = []
    for line in lines[:stop]:
        if line.style != 0:
            continue
        title = line.text[line.body - line.start:]
        m = DECLARED_IN_HEADING.search(title)
        if not m:
            continue
        kind = _section_kind(title)
        if kind.startswith("status:"):
            found = len(lists.get(kind.split(":")[1], []))
        else:
            found = sum(1 for it, k, _ in body if it.section == title and k == kind)
        out.append(Declared("section", title, int(m.group(1)), found))
    return out
