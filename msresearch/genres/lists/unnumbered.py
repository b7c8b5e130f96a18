"""Lists printed without numbers, recognised by the count the document declares."""

from __future__ import annotations

import re

from msresearch.genres.lists.declared import declared_total
from msresearch.genres.lists.lines import Line
from msresearch.genres.lists.outline import CLOSING
from msresearch.genres.lists.records import Item
from msresearch.genres.lists.units import lead_units


def unnumbered_items(text: str, lines: list[Line], declared: int | None) -> list[Item]:
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
