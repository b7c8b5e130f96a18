"""Project tables, in the three ways text extraction leaves them, read into numbered rows.

A table starts at a header that names its columns (序号 / 项目名称 / 责任单位 …; traditional
script is already simplified by cleaning). Its rows come as:

- delimited lines, cells split by tabs or "|"::

      序号|项目名称|建设内容|牵头单位
      1|新建幼儿园|新建幼儿园5所|县教育局

- one cell per line::

      序号
      项目名称
      责任单位
      1
      新建幼儿园
      县教育局

- run together on one line, with no separator at all (PDF or web extraction)::

      序号项目名称主要内容牵头单位1增加教育资源供给新建学校12个教育局2促进就业…

  where a row begins at the next number of the sequence standing between a non-digit and
  a character that is not a digit or a measure word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from msresearch.genres.lists.lines import Line, norm
from msresearch.genres.lists.records import Item
from msresearch.genres.lists.units import names_units, split_units

NUMBER_HEADER = ("序号", "编号", "序")
# Roles of header cells, tried in order; the first that matches names the column.
HEADER_ROLES: tuple[tuple[str, re.Pattern], ...] = (
    ("number", re.compile(r"^(?:序号|编号|序)$")),
    ("person", re.compile(r"领导|负责人")),
    ("lead", re.compile(r"牵头|主责|主办")),
    ("partners", re.compile(r"配合|协同|协办|参与|共同")),
    ("units", re.compile(r"单位|部门|责任")),
    ("deadline", re.compile(r"时限|时间|期限|进度")),
    ("title", re.compile(r"项目|工作任务|事项|名称|实事|工程")),
    ("text", re.compile(r"目标|内容|要求|任务|措施|标准|规模|资金|投资|备注")),
)
HEADER_WORD = re.compile(
    r"序号|编号|项目名称|项目内容|项目|工作任务|重点任务|具体任务|任务|民生实事|实事名称|名称|事项|"
    r"主要内容|建设内容|工作内容|具体内容|内容|目标任务|工作目标|主要目标|年度目标|目标|"
    r"牵头单位|牵头部门|责任单位|责任部门|配合单位|协同单位|协办单位|实施单位|主责单位|"
    r"[市省县区]?政府分管领导|分管领导|牵头领导|责任领导|完成时限|时限要求|时限|完成时间|备注|"
    r"投资额?|资金|建设规模|进度安排"
)
MEASURE_WORDS = "个所家名人处条座台套项次元万亿件户栋幢张只批支间辆公里亩米吨%％.．"


@dataclass(frozen=True)
class Row:
    """One numbered row: its number, its cells by role, and its span in the clean text."""

    number: str
    cells: dict[str, str]
    start: int
    end: int
    subitems: tuple[str, ...] = ()
    body: int = -1  # where the row's text begins, after its number and separators


@dataclass(frozen=True)
class Table:
    """The rows under one header; ``first_line`` is the index of the header's line."""

    title: str
    rows: list[Row]
    first_line: int
    lines: tuple[int, ...] = ()  # indexes of every line the table occupies


def roles(header: list[str]) -> list[str]:
    """The role of each header cell; a role already taken leaves the cell unnamed."""
    out: list[str] = []
    for cell in header:
        cell = cell.strip()
        role = next((r for r, p in HEADER_ROLES if p.search(cell)), "") if cell else ""
        out.append(role if role not in out else ("text" if role == "title" else ""))
    return out


def is_header(cells: list[str]) -> bool:
    """A header row: a 序号 cell, or at least two cells that name table columns."""
    cells = [c.strip() for c in cells if c.strip()]
    if any(c in NUMBER_HEADER for c in cells):
        return True
    named = [c for c in cells if HEADER_WORD.fullmatch(c)]
    return len(named) >= 2 and any(re.search(r"项目|任务|实事|事项", c) for c in named)


def _title_before(lines: list[Line], index: int) -> str:
    for line in reversed(lines[max(0, index - 3):index]):
        if line.text and not re.fullmatch(r"附件\s*\d*[：:]?", line.text) and "\t" not in line.text:
            return line.text
    return ""


def align(row_roles: list[str], cells: list[str]) -> list[str]:
    """A row's cells lined up with its header when their numbers differ: the first cell that
    names organisations belongs in the first units column. A row short of cells (two header
    columns merged in the row) gets empty cells before it; cells before it that the header
    does not have (a sub-project column) move to the end, where they join the text."""
    units_at = next((k for k, r in enumerate(row_roles) if r in ("lead", "units")), None)
    first = row_roles.index("title") + 1 if "title" in row_roles else 0  # a title is no unit
    org_at = next((k for k, c in enumerate(cells) if k >= first and names_units(c)), None)
    if units_at is None or org_at is None or org_at == units_at:
        return cells
    if org_at < units_at:
        return cells[:org_at] + [""] * (units_at - org_at) + cells[org_at:]
    return cells[:units_at] + cells[org_at:] + cells[units_at:org_at]


def assign(row_roles: list[str], cells: list[str]) -> dict[str, str]:
    """A row's cells by role; cells beyond the header (a sub-project column) join the text."""
    cells = align(row_roles, cells)
    named: dict[str, str] = {}
    for k, cell in enumerate(cells):
        cell = cell.strip()
        role = row_roles[k] if k < len(row_roles) else "text"
        if not cell or not role or role in ("number", "person"):
            continue
        named[role] = named[role] + cell if role in named and role == "text" else named.get(role, cell)
    if "title" not in named:
        first = next((c.strip() for k, c in enumerate(cells)
                      if c.strip() and (k >= len(row_roles) or row_roles[k] in ("text", ""))), "")
        named["title"] = re.split(r"[。；，：]", first, maxsplit=1)[0]
    return named


def _cell(line: str) -> str:
    """A line of a one-cell-per-line table, without the "|" some pages put after each cell."""
    return line.strip().removesuffix("|").strip()


def _cells(line: str) -> list[str] | None:
    if not line.replace("|", "").strip():
        return None  # empty cells of a one-cell-per-line table
    if line.strip().endswith("|") and line.count("|") == 1:
        return None  # one cell per line, closed by a separator
    if "\t" in line:
        return line.split("\t")
    if line.count("|") >= 2 or (line.count("|") == 1 and not line.strip().startswith("|")):
        return [c for c in line.strip().strip("|").split("|")]
    return None


def delimited_tables(lines: list[Line]) -> list[Table]:
    """Tables whose rows are tab- or "|"-separated lines; the header may repeat on every
    page, and unnumbered rows continue the numbered row above them."""
    tables: list[Table] = []
    rows: list[Row] = []
    used: list[int] = []
    header: list[str] = []
    first = None
    for i, line in enumerate(lines):
        cells = _cells(line.text)
        if cells is None:
            if rows and line.text and not re.fullmatch(r"\d+", line.text):
                tables.append(Table(_title_before(lines, first), rows, first, tuple(used)))
                rows, used, first = [], [], None
            continue
        if is_header(cells):
            header = roles(cells)
            first = i if first is None else first
            used.append(i)
            continue
        if not header:
            continue
        used.append(i)
        numbered = "number" in header
        number = cells[header.index("number")].strip() if numbered else str(len(rows) + 1)
        if not numbered and not any(c.strip() for c in cells):
            continue
        if re.fullmatch(r"\d+", number):
            lead = re.match(r"[\s|]*\d+[\s|]*" if numbered else r"[\s|]*", line.text)
            rows.append(Row(number if numbered else "", assign(header, cells), line.start, line.end,
                            body=line.start + lead.end()))
        elif rows:  # continuation row of the row above: its first non-empty cell names it
            name = next((c.strip() for c in cells if c.strip()), "")
            last = rows[-1]
            rows[-1] = replace(last, end=line.end, subitems=last.subitems + (name,))
    if rows:
        tables.append(Table(_title_before(lines, first), rows, first, tuple(used)))
    return tables


def vertical_tables(lines: list[Line]) -> list[Table]:
    """Tables laid out one cell per line: the header cells, then for each row its number on
    a line of its own followed by its cells; extra lines continue the last cell."""
    tables = []
    for i, line in enumerate(lines):
        if _cell(line.text) not in NUMBER_HEADER:
            continue
        header = [_cell(line.text)]
        j = i + 1
        while (j < len(lines) and not re.fullmatch(r"\d+", _cell(lines[j].text))
               and 0 < len(_cell(lines[j].text)) <= 16):
            header.append(_cell(lines[j].text))
            j += 1
        if len(header) < 2 or j >= len(lines) or not re.fullmatch(r"\d+", _cell(lines[j].text)):
            continue
        row_roles = roles(header)[1:]
        rows: list[Row] = []
        expected, cells, number, start, end = int(_cell(lines[j].text)), [], "", 0, 0
        start_body = 0
        used = list(range(i, j))
        for k in range(j, len(lines)):
            line2 = lines[k]
            if _cell(line2.text) == str(expected):
                if number:
                    rows.append(Row(number, _vertical_cells(row_roles, cells), start, end, body=start_body))
                number, cells, start, end = _cell(line2.text), [], line2.start, line2.end
                start_body = line2.end + 1
                expected += 1
            elif _cell(line2.text) in NUMBER_HEADER or _cells(line2.text) is not None:
                break
            else:
                cells.append(_cell(line2.text))
                end = line2.end
            used.append(k)
        if number:
            rows.append(Row(number, _vertical_cells(row_roles, cells), start, end, body=start_body))
        tables.append(Table(_title_before(lines, i), rows, i, tuple(used)))
    return tables


def _vertical_cells(row_roles: list[str], cells: list[str]) -> dict[str, str]:
    aligned = align(row_roles, cells)
    width = len(row_roles)
    extra = len(aligned) - width
    if extra > 0 and all(names_units(c) or c.strip() in ("", "/") for c in aligned[width - 1:]):
        # units one per line: the overflow continues the last (units) column
        cells = aligned[:width - 1] + ["、".join(c for c in aligned[width - 1:] if c.strip("/ "))]
    elif aligned != cells:  # realigned on its units: extra cells, at the end, join the text
        cells = aligned
    elif extra > 0:  # a cell broken over several lines continues the text column
        k = row_roles.index("text") if "text" in row_roles else width - 1
        cells = cells[:k] + ["".join(cells[k:k + extra + 1])] + cells[k + extra + 1:]
    return assign(row_roles, cells)


RUN_HEADER = re.compile(rf"^(?:{HEADER_WORD.pattern})(?:(?:{HEADER_WORD.pattern}))+")


def run_together_tables(lines: list[Line]) -> list[Table]:
    """Tables whose header and rows are run together on one or more lines with no separator.

    Cells cannot be told apart, so a row keeps its whole text; its units are read from the
    end of the row by ``msresearch.genres.lists.units`` where the header names a units column."""
    tables = []
    k = 0
    while k < len(lines):
        line = lines[k]
        m = RUN_HEADER.match(line.text)
        if not m or "\t" in line.text or not any(w in m.group(0) for w in NUMBER_HEADER):
            k += 1
            continue
        header_words = HEADER_WORD.findall(m.group(0))
        if len(header_words) < 2:
            k += 1
            continue
        # the table's text: this line and the following ones until a numbered heading or a blank
        text_parts, used, j = [], [], k
        while j < len(lines) and (j == k or not re.match(r"^[一二三四五六七八九十]+、|^附件", lines[j].text)):
            text_parts.append((lines[j].start, lines[j].text))
            used.append(j)
            j += 1
        rows = _run_rows(text_parts, m.end(), header_words)
        if rows:
            tables.append(Table(_title_before(lines, k), rows, k, tuple(used)))
        k = j
    return tables


def _run_rows(parts: list[tuple[int, str]], skip: int, header_words: list[str]) -> list[Row]:
    """Split run-together text into rows 1, 2, 3… (repeated headers are skipped)."""
    text = "\n".join(t for _, t in parts)
    base = parts[0][0]
    # every line of the block is contiguous in the clean text, so offsets add up
    headers = [(h.start(), h.end()) for h in RUN_HEADER.finditer(text)
               if any(w in h.group(0) for w in NUMBER_HEADER)]
    rows: list[Row] = []
    expected, pos = 1, skip
    starts: list[tuple[int, int, int]] = []  # (number start, body start, value)
    while True:
        pattern = re.compile(rf"(?<![\d.．]){expected}(?![\d{MEASURE_WORDS}])")
        m = pattern.search(text, pos)
        while m and any(s <= m.start() < e for s, e in headers):
            m = pattern.search(text, m.end())
        if not m:
            break
        starts.append((m.start(), m.end(), expected))
        pos, expected = m.end() + 1, expected + 1
    row_roles = roles(header_words)
    has_units = any(r in ("lead", "units") for r in row_roles)
    for n, (s, b, value) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(text)
        for hs, _ in headers:  # a repeated header ends the row before it
            if b < hs < end:
                end = hs
        body = text[b:end].rstrip("\n ")
        cells = {"title": re.split(r"[。；，：、\d]", body, maxsplit=1)[0][:30], "text": body}
        if has_units:
            cells["run_units"] = "1"
        rows.append(Row(str(value), cells, base + s, base + b + len(body), body=base + b))
    return rows


def find_tables(lines: list[Line]) -> list[Table]:
    """Every table of a document, in the order of their headers."""
    tables = delimited_tables(lines) + vertical_tables(lines) + run_together_tables(lines)
    return sorted(tables, key=lambda t: t.first_line)


# ------------------------------------------------------------ rows as items

ORG_RUN = re.compile(r"[\u4e00-\u9fff（）]{1,14}?(?:局|委|办|厅|院|会|部|中心|政府|公司|集团|街道|管委会)")


def _row_units(row_text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Units at the end of a run-together table row: the organisations after its last sentence."""
    tail = re.split(r"[。；]", row_text)[-1]
    orgs = ORG_RUN.findall(tail)
    return (tuple(orgs[:1]), tuple(orgs[1:])) if orgs else ((), ())


def table_items(table: Table) -> list[Item]:
    """A table's rows as items: the row's text after its number, units from the unit columns
    (or, for a run-together row, the organisations after its last sentence)."""
    items = []
    for row in table.rows:
        cells = row.cells
        if "run_units" in cells:
            lead, partners = _row_units(cells.get("text", ""))
        elif "lead" in cells:
            lead, partners = split_units(cells["lead"]), split_units(cells.get("partners", ""))
        else:
            lead, partners = split_units(cells.get("units", "")), split_units(cells.get("partners", ""))
        items.append(Item(
            printed_number=row.number, section=table.title, title=cells.get("title", ""),
            start=min(row.body, row.end - 1),
            end=row.end, procedural=False, lead_units=lead, partner_units=partners,
            deadline=cells.get("deadline", ""), source="table", subitems=row.subitems))
    return items


def restates(table: Table, items: list[Item]) -> bool:
    """Whether a table restates the body's items (a task-allocation table): its row titles
    are the items' titles."""
    keys = [norm(it.title) for it in items]
    titles = [norm(r.cells.get("title", "")) for r in table.rows]
    if not keys or not titles:
        return False
    hits = sum(any(t and k and (t == k or t in k or k in t) for k in keys) for t in titles)
    return hits >= 0.8 * len(titles)


def attach_table(items: list[Item], table: Table) -> list[Item]:
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
